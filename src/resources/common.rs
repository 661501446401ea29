//! Field types shared by several resources: timestamps, the payment method name, and the checks
//! behind the string patterns of the OpenAPI files.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::error::{coded_message, ErrorCode};

/// Why a single field of a resource was refused (beyond a wrong JSON type, which serde reports).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldError {
    /// A timestamp is not an RFC 3339 `date-time` (`2022-03-12T23:20:50.52Z`).
    #[error(
        "not an RFC 3339 date-time such as 2022-03-12T23:20:50.52Z: {}",
        crate::error::quoted(got)
    )]
    InvalidTimestamp {
        /// The text given (cut to 64 characters).
        got: String,
    },
    /// A string does not have the shape the spec requires (base64url, ILP address, interval, …).
    #[error("{what}: {}", crate::error::quoted(got))]
    InvalidFormat {
        /// What the field must be, for a person.
        what: &'static str,
        /// The text given (cut to 64 characters).
        got: String,
    },
    /// Fields that exclude each other were given together, or a needed one of a set is missing.
    #[error("{0}")]
    Conflict(&'static str),
}

impl ErrorCode for FieldError {
    fn code(&self) -> &str {
        match self {
            Self::InvalidTimestamp { .. } => "invalid_timestamp",
            Self::InvalidFormat { .. } => "invalid_format",
            Self::Conflict(_) => "conflicting_fields",
        }
    }

    fn field(&self) -> Option<String> {
        None
    }
}

impl FieldError {
    /// A serde error carrying this error's code (see [`crate::error::coded_message`]).
    pub(crate) fn into_de<E: de::Error>(self) -> E {
        E::custom(coded_message(&self))
    }

    pub(crate) fn format(what: &'static str, got: &str) -> Self {
        Self::InvalidFormat {
            what,
            got: got.chars().take(64).collect(),
        }
    }
}

/// An RFC 3339 `date-time` as sent on the wire, kept as the exact text.
///
/// Guarantees the shape `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with months, days, hours,
/// minutes and seconds in range (leap second 60 allowed). It is not converted to a clock type, so
/// it serialises back byte-identical (fraction digits and offset are kept as given) and no date
/// library is compiled into the wasm.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// Checks `text` and keeps it.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        if is_rfc3339(text.as_bytes()) {
            Ok(Self(text.to_owned()))
        } else {
            Err(FieldError::InvalidTimestamp {
                got: text.chars().take(64).collect(),
            })
        }
    }

    /// The exact text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps text that is RFC 3339 by construction (see `time::format_rfc3339`).
    pub(crate) fn from_checked(text: String) -> Self {
        Self(text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(FieldError::into_de)
    }
}

/// Reads `N` ASCII digits at `at` as a number.
fn digits(bytes: &[u8], at: usize, n: usize) -> Option<u32> {
    let slice = bytes.get(at..at + n)?;
    slice.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn byte_is(bytes: &[u8], at: usize, set: &[u8]) -> bool {
    bytes.get(at).is_some_and(|b| set.contains(b))
}

/// The RFC 3339 `date-time` production (section 5.6), checked by hand.
fn is_rfc3339(b: &[u8]) -> bool {
    let fields = (|| {
        let year = digits(b, 0, 4)?;
        let month = digits(b, 5, 2)?;
        let day = digits(b, 8, 2)?;
        let hour = digits(b, 11, 2)?;
        let minute = digits(b, 14, 2)?;
        let second = digits(b, 17, 2)?;
        Some((year, month, day, hour, minute, second))
    })();
    let Some((_year, month, day, hour, minute, second)) = fields else {
        return false;
    };
    let separators = byte_is(b, 4, b"-")
        && byte_is(b, 7, b"-")
        && byte_is(b, 10, b"Tt")
        && byte_is(b, 13, b":")
        && byte_is(b, 16, b":");
    let ranges = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 60;
    if !(separators && ranges) {
        return false;
    }
    let mut at = 19;
    if byte_is(b, at, b".") {
        let fraction = b
            .get(at + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if fraction == 0 {
            return false;
        }
        at += 1 + fraction;
    }
    match b.get(at) {
        Some(b'Z' | b'z') => at + 1 == b.len(),
        Some(b'+' | b'-') => {
            at + 6 == b.len()
                && digits(b, at + 1, 2).is_some_and(|h| h <= 23)
                && byte_is(b, at + 3, b":")
                && digits(b, at + 4, 2).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

/// The payment method of a quote (`payment-method`): only `ilp` exists in spec 1.3.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// Interledger (STREAM).
    #[serde(rename = "ilp")]
    Ilp,
}

/// True for a non-empty base64url text without padding (`^[a-zA-Z0-9-_]+$`).
pub(crate) fn is_base64url(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Deserializes a string field that must be base64url (JWK `x`, STREAM shared secret).
pub(crate) fn base64url<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if is_base64url(&text) {
        Ok(text)
    } else {
        Err(
            FieldError::format("must be base64url without padding ([A-Za-z0-9_-]+)", &text)
                .into_de(),
        )
    }
}

/// Deserializes an `assetCode` with the same rule as amounts use.
pub(crate) fn asset_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    crate::amount::WireAssetCode::deserialize(deserializer).map(|code| code.0)
}

/// Deserializes an `assetScale` (integer 0..=255) with the same rule as amounts use.
pub(crate) fn asset_scale<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    crate::amount::WireAssetScale::deserialize(deserializer).map(|scale| scale.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_shapes() {
        for ok in [
            "2022-03-12T23:20:50.52Z",
            "2022-03-12T23:20:50Z",
            "2022-03-12t23:20:50z",
            "2022-03-12T23:20:50.123456789+05:30",
            "2016-12-31T23:59:60-00:00",
        ] {
            assert!(Timestamp::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "2022-03-12",
            "2022-03-12 23:20:50Z",
            "2022-13-12T23:20:50Z",
            "2022-03-12T24:20:50Z",
            "2022-03-12T23:20:50.Z",
            "2022-03-12T23:20:50",
            "2022-03-12T23:20:50+0530",
            "2022-03-12T23:20:50Zjunk",
            "２０22-03-12T23:20:50Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }
}
