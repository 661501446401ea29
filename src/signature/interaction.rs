//! The GNAP interaction-finish hash (RFC 9635 §4.2.3): SHA-256 over
//! `client_nonce LF finish_nonce LF interact_ref LF grant_endpoint_url`.
//!
//! Servers in the wild send it as padded standard base64 (Rafiki) or unpadded base64url (the docs
//! and GNAP); [`verify_interaction_hash`] accepts both and compares the 32 bytes.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::ErrorCode;

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Why an interaction-finish hash was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InteractionHashError {
    /// The received hash is not base64/base64url of 32 bytes.
    #[error("the interaction hash is not base64 of a SHA-256 value")]
    Malformed,
    /// The hash does not match the nonces, reference and grant endpoint.
    #[error("the interaction hash does not match this grant")]
    Mismatch,
}

impl ErrorCode for InteractionHashError {
    fn code(&self) -> &str {
        match self {
            Self::Malformed => "invalid_interaction_hash",
            Self::Mismatch => "interaction_hash_mismatch",
        }
    }

    fn field(&self) -> Option<String> {
        Some("hash".to_owned())
    }
}

fn hash_bytes(
    client_nonce: &str,
    finish_nonce: &str,
    interact_ref: &str,
    grant_endpoint: &str,
) -> [u8; 32] {
    let mut h = Sha256::new();
    for (i, part) in [client_nonce, finish_nonce, interact_ref, grant_endpoint]
        .iter()
        .enumerate()
    {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

/// The hash as the reference server emits it: padded standard base64 of the SHA-256.
/// `grant_endpoint` is the wallet address's `authServer`, verbatim.
pub fn interaction_hash(
    client_nonce: &str,
    finish_nonce: &str,
    interact_ref: &str,
    grant_endpoint: &str,
) -> String {
    STANDARD.encode(hash_bytes(
        client_nonce,
        finish_nonce,
        interact_ref,
        grant_endpoint,
    ))
}

/// Checks a received hash (already URL-decoded from the query), in standard or URL-safe base64,
/// padded or not. The comparison does not stop at the first differing byte.
pub fn verify_interaction_hash(
    client_nonce: &str,
    finish_nonce: &str,
    interact_ref: &str,
    grant_endpoint: &str,
    received: &str,
) -> Result<(), InteractionHashError> {
    let decoded = if received.contains(['-', '_']) {
        URL_SAFE_LENIENT.decode(received)
    } else {
        STANDARD_LENIENT.decode(received)
    }
    .map_err(|_| InteractionHashError::Malformed)?;
    let received: [u8; 32] = decoded
        .try_into()
        .map_err(|_| InteractionHashError::Malformed)?;
    let expected = hash_bytes(client_nonce, finish_nonce, interact_ref, grant_endpoint);
    let difference = expected
        .iter()
        .zip(received.iter())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if difference == 0 {
        Ok(())
    } else {
        Err(InteractionHashError::Mismatch)
    }
}
