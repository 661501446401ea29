//! `Content-Digest` (RFC 9530): create the `sha-512` member Open Payments sends, verify `sha-256`
//! and `sha-512` members against the body bytes.
//!
//! The field is a structured-field dictionary (`sha-512=:<base64>:`), parsed with `sfv`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sfv::{BareItem, ListEntry};
use sha2::{Digest, Sha256, Sha512};

use super::fields::{parse_dictionary, FieldError};
use crate::error::ErrorCode;

/// Why a `Content-Digest` does not vouch for a body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DigestError {
    /// The request has a body but no `Content-Digest` header.
    #[error("the request has a body but no Content-Digest header")]
    Missing,
    /// The header is not a valid structured-field dictionary of byte sequences.
    #[error("the Content-Digest header is malformed: {0}")]
    Malformed(String),
    /// The header has neither a `sha-256` nor a `sha-512` member.
    #[error("the Content-Digest header has no sha-256 or sha-512 member")]
    UnsupportedAlgorithm,
    /// A digest does not match the body bytes.
    #[error("the {algorithm} Content-Digest does not match the body")]
    Mismatch {
        /// `sha-256` or `sha-512`.
        algorithm: &'static str,
    },
}

impl ErrorCode for DigestError {
    fn code(&self) -> &str {
        match self {
            Self::Missing => "missing_content_digest",
            Self::Malformed(_) => "invalid_content_digest",
            Self::UnsupportedAlgorithm => "unsupported_digest_algorithm",
            Self::Mismatch { .. } => "content_digest_mismatch",
        }
    }

    fn field(&self) -> Option<String> {
        Some("content-digest".to_owned())
    }
}

/// The `Content-Digest` value Open Payments sends: `sha-512=:<standard base64 of SHA-512(body)>:`.
pub fn content_digest(body: &[u8]) -> String {
    let mut out = String::with_capacity(100);
    out.push_str("sha-512=:");
    STANDARD.encode_string(Sha512::digest(body), &mut out);
    out.push(':');
    out
}

/// Checks a `Content-Digest` field value against the body bytes.
///
/// Every `sha-256` and `sha-512` member must match (at least one must be present); members of
/// other algorithms are ignored, as RFC 9530 allows.
pub fn verify_content_digest(header: &str, body: &[u8]) -> Result<(), DigestError> {
    let dict = parse_dictionary(header).map_err(|e| match e {
        FieldError::Malformed(m) => DigestError::Malformed(m),
        FieldError::DuplicateKey(k) => {
            DigestError::Malformed(format!("the member {k} appears twice"))
        }
    })?;
    let mut checked = false;
    for (name, entry) in &dict {
        let algorithm = match name.as_str() {
            "sha-256" => "sha-256",
            "sha-512" => "sha-512",
            _ => continue,
        };
        let expected = match entry {
            ListEntry::Item(item) => match &item.bare_item {
                BareItem::ByteSequence(bytes) => bytes,
                _ => {
                    return Err(DigestError::Malformed(format!(
                        "{algorithm} is not a byte sequence"
                    )))
                }
            },
            ListEntry::InnerList(_) => {
                return Err(DigestError::Malformed(format!(
                    "{algorithm} is not a byte sequence"
                )))
            }
        };
        let matches = if algorithm == "sha-256" {
            Sha256::digest(body).as_slice() == expected.as_slice()
        } else {
            Sha512::digest(body).as_slice() == expected.as_slice()
        };
        if !matches {
            return Err(DigestError::Mismatch { algorithm });
        }
        checked = true;
    }
    if checked {
        Ok(())
    } else {
        Err(DigestError::UnsupportedAlgorithm)
    }
}
