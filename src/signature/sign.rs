//! Signing a request the Open Payments way (RFC 9421 §2.5 signature base, §3.3.6 Ed25519; RFC 9530 Content-Digest).
//!
//! For a request with a body the signer adds `Content-Type: application/json`, `Content-Length`
//! and a `sha-512` `Content-Digest` (RFC 9530), then covers, in this order: `@method`,
//! `@target-uri`, `authorization` (when the request has an `Authorization` header),
//! `content-digest`, `content-length`, `content-type` (with a body), with parameters `keyid`
//! then `created`, under the label `sig1`. `Signature-Input` and `Signature` are serialized with
//! the `sfv` crate (structured field values), not by string pasting.
//!
//! Time is an argument (`created`, unix seconds): the core reads no clock.
//!
//! Signing is split in two so another Ed25519 implementation (e.g. WebCrypto) can be used:
//! [`prepare_signature`] builds everything but the signature, [`PreparedSignature::finish`]
//! takes the 64 signature bytes. [`sign_request`] does both with a [`PrivateKey`].

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sfv::{key_ref, Integer, KeyRef, ListSerializer, StringRef};

use super::base::{component_value, signature_base, HttpRequest, RequestError};
use super::digest::content_digest;
use super::key::PrivateKey;
use crate::error::ErrorCode;

/// The signature label Open Payments uses (Rafiki looks for the literal `sig1=`).
pub const SIGNATURE_LABEL: &str = "sig1";
/// The content type a signed request with a body is sent with.
pub const JSON_CONTENT_TYPE: &str = "application/json";

pub(crate) const KEYID: &KeyRef = key_ref("keyid");
pub(crate) const CREATED: &KeyRef = key_ref("created");

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The request itself is malformed (method, URL, header value).
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The key id cannot be a structured-field string (only printable ASCII is allowed).
    #[error(
        "the key id {} must be printable ASCII to appear in Signature-Input",
        crate::error::quoted(.0)
    )]
    InvalidKeyId(String),
    /// `created` is beyond the largest structured-field integer.
    #[error("the created time {0} is out of range")]
    InvalidCreated(u64),
}

impl ErrorCode for SignError {
    fn code(&self) -> &str {
        match self {
            Self::Request(e) => e.code(),
            Self::InvalidKeyId(_) => "invalid_key_id",
            Self::InvalidCreated(_) => "invalid_created",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Self::Request(e) => e.field(),
            Self::InvalidKeyId(_) => Some("keyid".to_owned()),
            Self::InvalidCreated(_) => Some("created".to_owned()),
        }
    }
}

/// The headers a signed request must carry, in addition to its own (these replace any of the same
/// name). The content headers are `Some` exactly when the request has a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders {
    /// `application/json`, with a body.
    pub content_type: Option<String>,
    /// The body length in bytes, with a body.
    pub content_length: Option<String>,
    /// `sha-512=:...:`, with a body.
    pub content_digest: Option<String>,
    /// `sig1=("@method" ...);keyid="...";created=...`.
    pub signature_input: String,
    /// `sig1=:<base64 signature>:`.
    pub signature: String,
}

impl SignatureHeaders {
    /// The headers as `(name, value)` pairs in a fixed order.
    pub fn to_pairs(&self) -> Vec<(&'static str, &str)> {
        let mut pairs = header_pairs(
            [
                &self.content_type,
                &self.content_length,
                &self.content_digest,
            ],
            &self.signature_input,
        );
        pairs.push(("Signature", self.signature.as_str()));
        pairs
    }
}

/// Everything of a signature except the signature bytes: the base to sign and the headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedSignature {
    /// The signature base (RFC 9421 §2.5) to sign, as UTF-8.
    pub signature_base: String,
    content_type: Option<String>,
    content_length: Option<String>,
    content_digest: Option<String>,
    signature_input: String,
}

impl PreparedSignature {
    /// Completes the headers with the 64-byte Ed25519 signature over [`Self::signature_base`].
    pub fn finish(self, signature: &[u8; 64]) -> SignatureHeaders {
        SignatureHeaders {
            content_type: self.content_type,
            content_length: self.content_length,
            content_digest: self.content_digest,
            signature_input: self.signature_input,
            signature: signature_header(signature),
        }
    }

    /// The headers known before the signature is made, as `(name, value)` pairs in the order of
    /// [`SignatureHeaders::to_pairs`], which adds `Signature` after them.
    pub fn unsigned_pairs(&self) -> Vec<(&'static str, &str)> {
        header_pairs(
            [
                &self.content_type,
                &self.content_length,
                &self.content_digest,
            ],
            &self.signature_input,
        )
    }
}

/// The content headers that are present, then `Signature-Input`, with room for `Signature`.
fn header_pairs<'a>(
    content: [&'a Option<String>; 3],
    signature_input: &'a str,
) -> Vec<(&'static str, &'a str)> {
    let mut pairs = Vec::with_capacity(5);
    for (name, value) in ["Content-Type", "Content-Length", "Content-Digest"]
        .into_iter()
        .zip(content)
    {
        if let Some(v) = value {
            pairs.push((name, v.as_str()));
        }
    }
    pairs.push(("Signature-Input", signature_input));
    pairs
}

/// The `Signature` header's value for a 64-byte Ed25519 signature: `sig1=:<base64>:` (RFC 9421
/// §4.2, the label of `Signature-Input`).
pub fn signature_header(signature: &[u8; 64]) -> String {
    let mut header = String::with_capacity(96);
    header.push_str(SIGNATURE_LABEL);
    header.push_str("=:");
    STANDARD.encode_string(signature, &mut header);
    header.push(':');
    header
}

/// Serializes the inner list and parameters of a signature, e.g.
/// `("@method" "@target-uri");keyid="k";created=1`, appending to `out`.
pub(crate) fn write_signature_params(
    out: &mut String,
    components: &[&str],
    key_id: &str,
    created: u64,
) -> Result<(), SignError> {
    let key_id_item =
        StringRef::from_str(key_id).map_err(|_| SignError::InvalidKeyId(key_id.to_owned()))?;
    let created_item = i64::try_from(created)
        .ok()
        .and_then(|c| Integer::try_from(c).ok())
        .ok_or(SignError::InvalidCreated(created))?;
    let mut list = ListSerializer::with_buffer(out);
    let mut inner = list.inner_list();
    for name in components {
        // Component names are our own lowercase constants or header names checked below.
        let name = StringRef::from_str(name)
            .map_err(|_| RequestError::UnsupportedComponent((*name).to_owned()))?;
        inner.bare_item(name);
    }
    inner
        .finish()
        .parameter(KEYID, key_id_item)
        .parameter(CREATED, created_item);
    let _ = list.finish();
    Ok(())
}

/// Builds the Open Payments signature of `request` for key `key_id` at time `created`, leaving
/// only the Ed25519 signature to be made.
pub fn prepare_signature(
    request: &HttpRequest<'_>,
    key_id: &str,
    created: u64,
) -> Result<PreparedSignature, SignError> {
    let mut components: Vec<&str> = Vec::with_capacity(6);
    let mut values: Vec<String> = Vec::with_capacity(6);
    for name in ["@method", "@target-uri"] {
        components.push(name);
        values.push(component_value(request, name)?.into_owned());
    }
    if request.header("authorization").is_some() {
        components.push("authorization");
        values.push(component_value(request, "authorization")?.into_owned());
    }
    let body = request.non_empty_body();
    let (content_type, content_length, content_digest) = match body {
        Some(body) => {
            let digest = content_digest(body);
            let length = body.len().to_string();
            components.extend(["content-digest", "content-length", "content-type"]);
            values.extend([digest.clone(), length.clone(), JSON_CONTENT_TYPE.to_owned()]);
            (
                Some(JSON_CONTENT_TYPE.to_owned()),
                Some(length),
                Some(digest),
            )
        }
        None => (None, None, None),
    };
    let mut signature_input = String::with_capacity(160);
    signature_input.push_str(SIGNATURE_LABEL);
    signature_input.push('=');
    write_signature_params(&mut signature_input, &components, key_id, created)?;
    let params = signature_input
        .get(SIGNATURE_LABEL.len() + 1..)
        .unwrap_or_default();
    let signature_base = signature_base(
        components
            .iter()
            .copied()
            .zip(values.iter().map(String::as_str)),
        params,
    );
    Ok(PreparedSignature {
        signature_base,
        content_type,
        content_length,
        content_digest,
        signature_input,
    })
}

/// Signs `request` with `key` at `created` (unix seconds): the headers to add to it.
pub fn sign_request(
    request: &HttpRequest<'_>,
    key: &PrivateKey,
    created: u64,
) -> Result<SignatureHeaders, SignError> {
    let prepared = prepare_signature(request, key.key_id(), created)?;
    let signature = key.sign(prepared.signature_base.as_bytes());
    Ok(prepared.finish(&signature))
}
