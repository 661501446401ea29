//! Open Payments request signing: Ed25519 keys, `Content-Digest` (RFC 9530), HTTP Message
//! Signatures (RFC 9421) as Open Payments profiles them (the Open Payments HTTP signatures profile: Ed25519, `sig1`, Content-Digest per RFC 9530), and the GNAP
//! interaction-finish hash (RFC 9635 §4.2.3).
//!
//! Pure Rust, no JS types, no clock and no I/O: time is a parameter, the request is data.
//!
//! ```
//! use open_payments_wasm::signature::{sign_request, verify_request, HttpRequest, Jwks, PrivateKey, VerifyOptions};
//!
//! let key = PrivateKey::generate("my-key")?;
//! let headers = [("Authorization", "GNAP 123")];
//! let body = br#"{"walletAddress":"https://wallet.example/alice"}"#;
//! let request = HttpRequest::new("POST", "https://wallet.example/incoming-payments", &headers).with_body(body);
//! let signed = sign_request(&request, &key, 1_700_000_000)?;
//!
//! // What the server receives: the request's headers plus the signature headers.
//! let mut all: Vec<(&str, &str)> = headers.to_vec();
//! all.extend(signed.to_pairs());
//! let received = HttpRequest::new("POST", "https://wallet.example/incoming-payments", &all).with_body(body);
//! let jwks = Jwks::new(vec![key.public_key()])?;
//! let verified = verify_request(&received, &jwks, &VerifyOptions::new(1_700_000_010))?;
//! assert_eq!(verified.key_id, "my-key");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod base;
pub mod digest;
mod fields;
pub mod interaction;
pub mod key;
pub mod sign;
pub mod verify;

pub use base::{HttpRequest, OwnedHttpRequest, RequestError};
pub use digest::{content_digest, verify_content_digest, DigestError};
pub use interaction::{interaction_hash, verify_interaction_hash, InteractionHashError};
pub use key::{
    JwkInput, Jwks, JwksDocument, KeyError, PrivateJwk, PrivateKey, PublicJwk, PublicKey,
};
pub use sign::{
    prepare_signature, sign_request, signature_header, PreparedSignature, SignError,
    SignatureHeaders,
};
#[cfg(feature = "sandbox")]
pub(crate) use verify::signature_bytes;
pub use verify::{
    signature_base_for, verify_request, VerifiedSignature, VerifyError, VerifyOptions,
};
