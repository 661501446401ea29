//! Serde models of every schema in the Open Payments OpenAPI files (spec 1.3.0).
//!
//! Parsing tolerates unknown extra fields (servers evolve) but refuses wrong types and invalid
//! money with a [`ResourceError`] that names the JSON path of the bad field.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

mod common;
mod error_body;
pub(crate) mod from_checked;
mod grant;
mod incoming_payment;
mod json_path;
mod outgoing_payment;
mod pagination;
mod quote;
pub(crate) mod schema;
// Natively only the public documents' tables are used (the text getters); the JS client uses all.
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-client")),
    allow(dead_code)
)]
pub(crate) mod schema_rules;
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-client")),
    allow(dead_code)
)]
pub(crate) mod schema_table;
pub mod time;
mod wallet_address;

pub use common::{FieldError, PaymentMethod, Timestamp};
pub(crate) use error_body::read_error_body;
pub use error_body::{ErrorDetails, ErrorResponse, GnapError, GnapErrorCode, GnapErrorResponse};
pub use grant::{
    AccessAction, AccessItem, AccessToken, AccessTokenRequest, AccessTokenResponse, AccessType,
    Client, ContinuationRequest, Continue, ContinueAccessToken, Grant, GrantRequest, GrantResponse,
    InteractFinish, InteractFinishMethod, InteractRequest, InteractResponse, InteractStart,
    Interval, LimitsOutgoing, PendingGrant, Subject, SubjectId, SubjectIdFormat,
};
pub use incoming_payment::{
    AnyIncomingPayment, CreateIncomingPaymentRequest, IlpPaymentMethod, IncomingPayment,
    IncomingPaymentWithPaymentMethods, PublicIncomingPayment,
};
pub use outgoing_payment::{
    CreateOutgoingPaymentRequest, OutgoingPayment, OutgoingPaymentGrantSpentAmounts,
    OutgoingPaymentWithSpentAmounts,
};
pub use pagination::{Page, PageInfo, Pagination, PAGE_SIZES};
pub use quote::{CreateQuoteRequest, Quote};
pub use wallet_address::{
    DidDocument, JsonWebKey, JsonWebKeySet, JwkAlgorithm, JwkCurve, JwkKeyType, JwkUse,
    WalletAddress,
};

use crate::error::{split_coded_message, ErrorCode};

/// Why a JSON document is not a valid Open Payments resource.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", if field.is_empty() { String::new() } else { format!("{field}: ") })]
pub struct ResourceError {
    code: String,
    field: String,
    message: String,
}

impl ResourceError {
    /// An error with an explicit code, field and message (rules checked outside a
    /// deserializer, e.g. [`Pagination::check`]).
    pub(crate) fn new(code: &str, field: &str, message: &str) -> Self {
        Self {
            code: code.to_owned(),
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }

    /// The error about the field at `path` (`.` for the document itself) for a failure
    /// `message`: a deserializer's message, or one of this crate's own (a body that is not UTF-8,
    /// no request built).
    ///
    /// Messages made by our own field types carry their code (`invalid_asset_scale: …`); serde's
    /// own messages are classified as `missing_field`, `unknown_field` (closed request bodies),
    /// `invalid_type`, `invalid_value` or `invalid_json`.
    pub(crate) fn at(path: &str, message: &str) -> Self {
        // Deserializers backed by JS values render their errors as JS `Error`s: drop that prefix.
        let message = message.strip_prefix("Error: ").unwrap_or(message);
        let field = if path == "." || path == "?" {
            String::new()
        } else {
            path.to_owned()
        };
        if let Some((code, text)) = split_coded_message(message) {
            // An amount read on its own (no path) still names its field.
            let field = match (field.is_empty(), code) {
                (true, "invalid_amount" | "amount_overflow" | "too_many_decimals") => {
                    "value".to_owned()
                }
                (true, "invalid_asset_scale") => "assetScale".to_owned(),
                (true, "invalid_asset_code") => "assetCode".to_owned(),
                _ => field,
            };
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
        } else if message.starts_with("unknown field") {
            // The path already ends with the unknown key.
            ("unknown_field", field)
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

/// Deserializes `T` from a JSON value, keeping the path of the first bad field.
///
/// This is the one place where serde errors become [`ResourceError`]s: the JSON text parser
/// ([`from_json`]), [`from_deserializer`] and the JS binding all come through here.
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, ResourceError> {
    let path = json_path::Path::default();
    T::deserialize(json_path::ValueDeserializer::new(value, &path))
        .map_err(|err| ResourceError::at(&path.render(), &err.to_string()))
}

/// Deserializes `T` from any serde deserializer (read into a JSON value first, then
/// [`from_value`]), keeping the path of the first bad field.
pub fn from_deserializer<'de, T, D>(deserializer: D) -> Result<T, ResourceError>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
    D::Error: std::fmt::Display,
{
    let value = serde_json::Value::deserialize(deserializer)
        .map_err(|e| ResourceError::at(".", &e.to_string()))?;
    from_value(&value)
}

/// Parses a JSON text into `T`.
pub fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, ResourceError> {
    from_value(&json_value(json)?)
}

/// A JSON text as a serde_json value; not JSON is `invalid_json`.
fn json_value(json: &str) -> Result<serde_json::Value, ResourceError> {
    serde_json::from_str(json).map_err(|e| ResourceError::new("invalid_json", "", &e.to_string()))
}

/// [`from_json`] for documents that hold secrets (private JWKs, sealed state): the intermediate
/// JSON value is wiped before it is freed.
///
/// Why not `serde_json::from_str` into `T` directly: serde_json's own errors format what they
/// found with serde's default texts, which print floats and `{:?}`-escape strings, linking core's
/// float formatting and Unicode tables (about 10 KB gzip of the wasm build) for error texts.
pub(crate) fn from_secret_json<T: DeserializeOwned>(json: &str) -> Result<T, ResourceError> {
    fn wipe(value: &mut serde_json::Value) {
        use zeroize::Zeroize;
        match value {
            serde_json::Value::String(text) => text.zeroize(),
            serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
            serde_json::Value::Object(map) => map.iter_mut().for_each(|(_, v)| wipe(v)),
            _ => {}
        }
    }
    let mut value = json_value(json)?;
    let result = from_value(&value);
    wipe(&mut value);
    result
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
