//! Serde models of every schema in the Open Payments OpenAPI files (spec 1.3.0).
//!
//! Parsing tolerates unknown extra fields (servers evolve) but refuses wrong types and invalid
//! money with a [`ResourceError`] that names the JSON path of the bad field.

use serde::de::DeserializeOwned;
use serde::Deserializer;

use crate::error::{split_coded_message, ErrorCode};

/// Why a JSON document is not a valid Open Payments resource.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ResourceError {
    code: String,
    field: String,
    message: String,
}

impl ResourceError {
    /// Builds the error for a serde failure at `path` (`.` for the document itself).
    ///
    /// Messages made by our own field types carry their code (`invalid_asset_scale: …`); serde's
    /// own messages are classified as `missing_field`, `invalid_type`, `invalid_value` or
    /// `invalid_json`.
    pub(crate) fn from_serde(path: &str, message: &str) -> Self {
        let field = if path == "." {
            String::new()
        } else {
            path.to_owned()
        };
        if let Some((code, text)) = split_coded_message(message) {
            return Self {
                code: code.to_owned(),
                field,
                message: text.to_owned(),
            };
        }
        let (code, field) = if let Some(rest) = message.strip_prefix("missing field `") {
            let name = rest.split('`').next().unwrap_or_default();
            let full = if field.is_empty() {
                name.to_owned()
            } else {
                format!("{field}.{name}")
            };
            ("missing_field", full)
        } else if message.starts_with("invalid type") {
            ("invalid_type", field)
        } else if message.starts_with("invalid value")
            || message.starts_with("unknown variant")
            || message.starts_with("invalid length")
            || message.starts_with("data did not match")
        {
            ("invalid_value", field)
        } else {
            ("invalid_json", field)
        };
        Self {
            code: code.to_owned(),
            field,
            message: message.to_owned(),
        }
    }

    /// The message without the field prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl ErrorCode for ResourceError {
    fn code(&self) -> &str {
        &self.code
    }

    fn field(&self) -> Option<String> {
        (!self.field.is_empty()).then(|| self.field.clone())
    }
}

/// Deserializes `T` from any serde deserializer, keeping the path of the first bad field.
///
/// This is the one place where serde errors become [`ResourceError`]s; the JSON text parser
/// ([`from_json`]) and the JS binding (which deserializes JS values directly) both go through it.
pub fn from_deserializer<'de, T, D>(deserializer: D) -> Result<T, ResourceError>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
    D::Error: std::fmt::Display,
{
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        ResourceError::from_serde(&path, &err.into_inner().to_string())
    })
}

/// Parses a JSON text into `T`.
pub fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, ResourceError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = from_deserializer(&mut deserializer)?;
    deserializer
        .end()
        .map_err(|e| ResourceError::from_serde(".", &e.to_string()))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::Amount;

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Holder {
        incoming_amount: Amount,
    }

    #[test]
    fn nested_amount_errors_keep_their_code_and_path() {
        let err = from_json::<Holder>(
            r#"{"incomingAmount":{"value":"1","assetCode":"USD","assetScale":300}}"#,
        )
        .unwrap_err();
        assert_eq!(err.code(), "invalid_asset_scale");
        assert_eq!(err.field().as_deref(), Some("incomingAmount.assetScale"));
        let err =
            from_json::<Holder>(r#"{"incomingAmount":{"value":"1","assetScale":2}}"#).unwrap_err();
        assert_eq!(err.code(), "missing_field");
        assert_eq!(err.field().as_deref(), Some("incomingAmount.assetCode"));
        let err = from_json::<Holder>(r#"{"incomingAmount":[]}"#).unwrap_err();
        assert_eq!(err.code(), "invalid_type");
        let err = from_json::<Holder>("{").unwrap_err();
        assert_eq!(err.code(), "invalid_json");
    }
}
