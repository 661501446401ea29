//! Error bodies sent by the servers: the resource server's `error-response` and the
//! authorization server's GNAP errors [RS][AS].

use std::fmt;

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::json::Json;

/// The error body of the resource server (`error-response`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The error.
    pub error: ErrorDetails,
}

/// The inside of an [`ErrorResponse`].
///
/// `code` is free text: the spec examples use `invalid_request`, Rafiki sends the HTTP status
/// (`"401"`); key on the HTTP status rather than on this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetails {
    /// A short code chosen by the server.
    pub code: String,
    /// What went wrong, for a person.
    pub description: String,
    /// Anything else the server adds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Map<String, Value>>,
}

/// A GNAP error code of the authorization server.
///
/// Codes outside this list still parse, as [`GnapErrorCode::Other`], and serialise back as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GnapErrorCode {
    /// The request is malformed or missing something.
    InvalidRequest,
    /// The client is unknown, or its key or signature is not valid.
    InvalidClient,
    /// The authorization server or the resource owner refused the request.
    RequestDenied,
    /// The client continued before the `wait` time.
    TooFast,
    /// The continuation reference or token is not valid.
    InvalidContinuation,
    /// The token cannot be rotated.
    InvalidRotation,
    /// (Rafiki) the interaction is not valid.
    InvalidInteraction,
    /// (Rafiki) the resource owner refused the grant.
    UserDenied,
    /// (Rafiki) the interaction is unknown.
    UnknownInteraction,
    /// Any other code, exactly as sent.
    Other(String),
}

const KNOWN_CODES: [(&str, GnapErrorCode); 9] = [
    ("invalid_request", GnapErrorCode::InvalidRequest),
    ("invalid_client", GnapErrorCode::InvalidClient),
    ("request_denied", GnapErrorCode::RequestDenied),
    ("too_fast", GnapErrorCode::TooFast),
    ("invalid_continuation", GnapErrorCode::InvalidContinuation),
    ("invalid_rotation", GnapErrorCode::InvalidRotation),
    ("invalid_interaction", GnapErrorCode::InvalidInteraction),
    ("user_denied", GnapErrorCode::UserDenied),
    ("unknown_interaction", GnapErrorCode::UnknownInteraction),
];

impl GnapErrorCode {
    /// The code as on the wire.
    pub fn as_str(&self) -> &str {
        if let Self::Other(code) = self {
            return code;
        }
        KNOWN_CODES
            .iter()
            .find(|(_, known)| known == self)
            .map_or("", |(text, _)| text)
    }

    /// Whether `text` is one of the known codes above (not [`GnapErrorCode::Other`]).
    pub fn is_known(text: &str) -> bool {
        KNOWN_CODES.iter().any(|(known, _)| *known == text)
    }

    /// The code for a wire text; never fails.
    pub fn from_wire(text: &str) -> Self {
        KNOWN_CODES
            .iter()
            .find(|(known, _)| *known == text)
            .map_or_else(|| Self::Other(text.to_owned()), |(_, code)| code.clone())
    }
}

impl fmt::Display for GnapErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for GnapErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for GnapErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::from_wire(&text))
    }
}

/// The error body of the authorization server (`error-*` schemas): `{"error": {code, description}}`.
///
/// The spec marks nothing required; this model requires `error.code` (a GNAP error without a code
/// says nothing a client can act on) and keeps `description` optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GnapErrorResponse {
    /// The error.
    pub error: GnapError,
}

/// The inside of a [`GnapErrorResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GnapError {
    /// The GNAP error code.
    pub code: GnapErrorCode,
    /// What went wrong, for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
/// What an error body says: `(code, description, details)` read by the rules of
/// [`ErrorResponse`] (a string code and description, details an object), else of
/// [`GnapErrorResponse`] (a string code, an optional description); `None` when it is neither.
/// `details` is the object's JSON text (members and numbers as the server wrote them).
///
/// Read from the JSON tree rather than through the two models: the client reads every error
/// body, and this way the browser build links no per-type parser for it. The tests below check
/// that it reads exactly what the models read.
pub(crate) type ErrorBodyFields = (String, Option<String>, Option<String>);

/// See [`ErrorBodyFields`].
pub(crate) fn read_error_body(text: &str) -> Option<ErrorBodyFields> {
    let value = Json::parse(text).ok()?;
    let error = value.get("error")?;
    let code = error.get("code")?.as_str()?.to_owned();
    let description = error.get("description");
    if let Some(Json::String(text)) = description {
        match error.get("details") {
            None | Some(Json::Null) => return Some((code, Some(text.to_string()), None)),
            Some(details @ Json::Object(_)) => {
                let mut json = String::new();
                details.write(&mut json);
                return Some((code, Some(text.to_string()), Some(json)));
            }
            // Not an `error-response`; still a GNAP error.
            Some(_) => {}
        }
    }
    match description {
        None | Some(Json::Null) => Some((code, None, None)),
        Some(Json::String(text)) => Some((code, Some(text.to_string()), None)),
        Some(_) => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod read_tests {
    use super::*;
    use crate::resources::from_json;

    /// What the two models read, as the client read it before [`read_error_body`].
    fn by_models(text: &str) -> Option<ErrorBodyFields> {
        match from_json::<ErrorResponse>(text) {
            Ok(e) => Some((
                e.error.code,
                Some(e.error.description),
                e.error.details.map(|d| serde_json::to_string(&d).unwrap()),
            )),
            Err(_) => from_json::<GnapErrorResponse>(text)
                .ok()
                .map(|e| (e.error.code.as_str().to_owned(), e.error.description, None)),
        }
    }

    #[test]
    fn error_bodies_read_as_the_models_read_them() {
        let parts = [
            "",
            r#""code":"404""#,
            r#""code":404"#,
            r#""code":null"#,
            r#""code":"invalid_client""#,
        ];
        let descriptions = [
            "",
            r#","description":"gone""#,
            r#","description":null"#,
            r#","description":7"#,
        ];
        let details = [
            "",
            r#","details":{"a":1}"#,
            r#","details":null"#,
            r#","details":"x""#,
            r#","x":[1]"#,
        ];
        let mut n = 0;
        for code in parts {
            for description in descriptions {
                for detail in details {
                    let inner = format!("{{{code}{description}{detail}}}").replace("{,", "{");
                    for text in [
                        format!(r#"{{"error":{inner}}}"#),
                        format!(r#"{{"error":{inner},"other":true}}"#),
                        format!("[{inner}]"),
                        format!(r#"{{"error":[{inner}]}}"#),
                    ] {
                        assert_eq!(read_error_body(&text), by_models(&text), "{text}");
                        n += usize::from(read_error_body(&text).is_some());
                    }
                }
            }
        }
        assert!(n > 20, "{n} bodies read");
        for text in ["", "not json", "null", "{}", r#"{"error":"x"}"#] {
            assert_eq!(read_error_body(text), by_models(text), "{text}");
        }
    }
}
