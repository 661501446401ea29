//! Interactive grants: the `interact` block of a grant request with a fresh nonce, and the check
//! of the interaction-finish hash that must pass before the grant is continued (RFC 9635 §4.2.3, as the Open Payments docs' hash verification uses it).

use super::error::ClientError;
use super::transport::Runtime;
use crate::resources::{InteractFinish, InteractFinishMethod, InteractRequest, InteractStart};
use crate::signature::verify_interaction_hash;

/// A fresh client nonce: 16 random bytes as 32 lowercase hex digits.
pub fn new_nonce(runtime: &dyn Runtime) -> Result<String, ClientError> {
    let mut bytes = [0u8; 16];
    runtime
        .fill_random(&mut bytes)
        .map_err(ClientError::RandomUnavailable)?;
    Ok(nonce_from_bytes(&bytes))
}

/// The nonce text for given random bytes (hex).
pub fn nonce_from_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `interact: {start: ["redirect"], finish: {method: "redirect", uri, nonce}}`.
pub fn interact_request(finish_uri: &str, nonce: &str) -> InteractRequest {
    InteractRequest {
        start: vec![InteractStart::Redirect],
        finish: Some(InteractFinish {
            method: InteractFinishMethod::Redirect,
            uri: finish_uri.to_owned(),
            nonce: nonce.to_owned(),
        }),
    }
}

/// What the client has after the user came back from the interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractFinishCheck<'a> {
    /// The nonce the client put in `interact.finish.nonce`.
    pub client_nonce: &'a str,
    /// The server's `interact.finish` from the pending grant.
    pub finish_nonce: &'a str,
    /// The `interact_ref` query parameter of the finish redirect.
    pub interact_ref: &'a str,
    /// The URL the grant request was POSTed to (the wallet address's `authServer`), verbatim.
    pub grant_endpoint: &'a str,
    /// The `hash` query parameter of the finish redirect (URL-decoded).
    pub hash: &'a str,
}

/// Checks the interaction-finish hash; the grant must not be continued when this fails.
pub fn verify_interact_finish(check: &InteractFinishCheck<'_>) -> Result<(), ClientError> {
    verify_interaction_hash(
        check.client_nonce,
        check.finish_nonce,
        check.interact_ref,
        check.grant_endpoint,
        check.hash,
    )
    .map_err(ClientError::from)
}
