//! Verifying a signed request (RFC 9421 with Ed25519) under the Open Payments rules
//! (RFC 9421 §3.2, with the components Open Payments requires), as a strict server would.
//!
//! `Signature-Input` and `Signature` are parsed with the `sfv` crate (structured field values),
//! never split by hand; a repeated dictionary member is refused. The `@signature-params` line is
//! the `sfv` serialization of the parsed member, as RFC 9421 §2.3 specifies.
//!
//! Checks, each failing with its own [`VerifyError`] code: both headers present and well formed,
//! the label present in both, component names lowercase strings without parameters and without
//! repeats, `keyid` and `created` present (`alg`, if given, `ed25519`), `created` within the
//! window around `now`, `expires` not passed, the Open Payments components covered (`@method`,
//! `@target-uri`, `authorization` when sent, `content-digest` with a body, `content-length` and
//! `content-type` whenever `content-digest` is covered), the digest and length matching the body,
//! the key found by `keyid` in the JWKS, and finally the Ed25519 signature.

use std::borrow::Cow;

use sfv::{BareItem, Dictionary, ListEntry, ListSerializer};

use super::base::{component_value, signature_base, HttpRequest, RequestError};
use super::digest::{verify_content_digest, DigestError};
use super::fields::{parse_dictionary, FieldError};
use super::key::Jwks;
use super::sign::SIGNATURE_LABEL;
use crate::error::ErrorCode;

/// Default largest age of `created`, in seconds.
pub const DEFAULT_MAX_AGE_SECONDS: u64 = 300;
/// Default tolerance for a `created` in the future (clock skew), in seconds.
pub const DEFAULT_MAX_FUTURE_SECONDS: u64 = 60;

/// How strictly to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The current time, unix seconds (the core reads no clock).
    pub now: u64,
    /// `created` may be at most this many seconds before `now`.
    pub max_age_seconds: u64,
    /// `created` may be at most this many seconds after `now`.
    pub max_future_seconds: u64,
    /// The signature label to verify (`sig1` in Open Payments).
    pub label: String,
    /// Enforce the Open Payments covered-component rules (on by default; turn off only to verify
    /// generic RFC 9421 signatures such as the RFC's own examples).
    pub require_open_payments_components: bool,
}

impl VerifyOptions {
    /// Open Payments defaults at time `now`: label `sig1`, 300 s maximum age, 60 s clock skew.
    pub fn new(now: u64) -> Self {
        Self {
            now,
            max_age_seconds: DEFAULT_MAX_AGE_SECONDS,
            max_future_seconds: DEFAULT_MAX_FUTURE_SECONDS,
            label: SIGNATURE_LABEL.to_owned(),
            require_open_payments_components: true,
        }
    }
}

/// What a valid signature vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// The `keyid` of the key that signed.
    pub key_id: String,
    /// The `created` time, unix seconds.
    pub created: u64,
    /// The covered components, in order.
    pub components: Vec<String>,
}

/// Why a signed request was rejected. Each variant names the rule that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The request is malformed or lacks a covered header.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The `Content-Digest` is missing, malformed or does not match the body.
    #[error(transparent)]
    Digest(#[from] DigestError),
    /// `Signature-Input` or `Signature` is absent.
    #[error("the request has no {0} header")]
    MissingHeader(&'static str),
    /// `Signature-Input` or `Signature` is not a valid structured-field dictionary.
    #[error("the {header} header is malformed: {reason}")]
    MalformedHeader {
        /// The header.
        header: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A label appears twice in `Signature-Input` or `Signature`.
    #[error("the label {} appears twice in the {header} header", crate::error::quoted(.label))]
    DuplicateLabel {
        /// The header.
        header: &'static str,
        /// The repeated label.
        label: String,
    },
    /// The expected label is absent from `Signature-Input` or `Signature`.
    #[error("the {header} header has no {} member", crate::error::quoted(.label))]
    MissingLabel {
        /// The header.
        header: &'static str,
        /// The label looked for.
        label: String,
    },
    /// A covered component is not a lowercase string without parameters.
    #[error("the covered component {} must be a lowercase string without parameters", crate::error::quoted(&.0))]
    InvalidComponent(String),
    /// A component is covered twice.
    #[error("the component {} is covered twice", crate::error::quoted(&.0))]
    DuplicateComponent(String),
    /// `keyid` or `created` is absent.
    #[error("the signature parameter {0} is missing")]
    MissingParameter(&'static str),
    /// A signature parameter has the wrong type or range.
    #[error("the signature parameter {0} has an invalid value")]
    InvalidParameter(&'static str),
    /// `alg` names another algorithm than `ed25519`.
    #[error("the signature algorithm {} is not supported (only ed25519)", crate::error::quoted(&.0))]
    UnsupportedAlgorithm(String),
    /// An Open Payments rule requires this component to be covered.
    #[error("the signature must cover {}", crate::error::quoted(&.0))]
    MissingComponent(&'static str),
    /// `created` is older than the window allows.
    #[error("the signature was created at {created}, more than {max_age} s before {now}")]
    TooOld {
        /// `created`.
        created: u64,
        /// The verifier's time.
        now: u64,
        /// The allowed age.
        max_age: u64,
    },
    /// `created` is further in the future than the allowed clock skew.
    #[error("the signature was created at {created}, after {now} plus the allowed clock skew")]
    CreatedInFuture {
        /// `created`.
        created: u64,
        /// The verifier's time.
        now: u64,
    },
    /// `expires` has passed.
    #[error("the signature expired at {0}")]
    Expired(u64),
    /// `Content-Length` differs from the body length.
    #[error("Content-Length is {header} but the body has {actual} bytes")]
    ContentLengthMismatch {
        /// The header value.
        header: String,
        /// The body length.
        actual: usize,
    },
    /// No key of the JWKS has the signature's `keyid`.
    #[error("no key with kid {} in the key set", crate::error::quoted(&.0))]
    UnknownKeyId(String),
    /// The `Signature` member is not a 64-byte byte sequence.
    #[error("the signature value is not a 64-byte byte sequence")]
    InvalidSignatureValue,
    /// The Ed25519 signature does not verify over the rebuilt signature base.
    #[error("the signature does not match the request")]
    SignatureMismatch,
}

impl ErrorCode for VerifyError {
    fn code(&self) -> &str {
        match self {
            Self::Request(e) => e.code(),
            Self::Digest(e) => e.code(),
            Self::MissingHeader(_) => "missing_signature",
            Self::MalformedHeader { .. } => "malformed_signature_header",
            Self::DuplicateLabel { .. } => "duplicate_signature_label",
            Self::MissingLabel { .. } => "missing_signature_label",
            Self::InvalidComponent(_) => "invalid_covered_component",
            Self::DuplicateComponent(_) => "duplicate_covered_component",
            Self::MissingParameter(_) => "missing_signature_parameter",
            Self::InvalidParameter(_) => "invalid_signature_parameter",
            Self::UnsupportedAlgorithm(_) => "unsupported_signature_algorithm",
            Self::MissingComponent(_) => "missing_covered_component",
            Self::TooOld { .. } => "signature_too_old",
            Self::CreatedInFuture { .. } => "signature_created_in_future",
            Self::Expired(_) => "signature_expired",
            Self::ContentLengthMismatch { .. } => "content_length_mismatch",
            Self::UnknownKeyId(_) => "unknown_key_id",
            Self::InvalidSignatureValue => "invalid_signature_value",
            Self::SignatureMismatch => "signature_mismatch",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Self::Request(e) => e.field(),
            Self::Digest(e) => e.field(),
            Self::MissingHeader(h)
            | Self::MalformedHeader { header: h, .. }
            | Self::DuplicateLabel { header: h, .. }
            | Self::MissingLabel { header: h, .. } => Some(h.to_ascii_lowercase()),
            Self::InvalidComponent(c) | Self::DuplicateComponent(c) => Some(c.clone()),
            Self::MissingComponent(c) => Some((*c).to_owned()),
            Self::MissingParameter(p) | Self::InvalidParameter(p) => Some((*p).to_owned()),
            Self::UnsupportedAlgorithm(_) => Some("alg".to_owned()),
            Self::TooOld { .. } | Self::CreatedInFuture { .. } => Some("created".to_owned()),
            Self::Expired(_) => Some("expires".to_owned()),
            Self::ContentLengthMismatch { .. } => Some("content-length".to_owned()),
            Self::UnknownKeyId(_) => Some("keyid".to_owned()),
            Self::InvalidSignatureValue | Self::SignatureMismatch => Some("signature".to_owned()),
        }
    }
}

fn read_dictionary<'a>(
    request: &HttpRequest<'a>,
    header: &'static str,
) -> Result<Dictionary, VerifyError> {
    let text: Cow<'a, str> = request
        .header(header)
        .ok_or(VerifyError::MissingHeader(header))?;
    parse_dictionary(&text).map_err(|e| match e {
        FieldError::Malformed(reason) => VerifyError::MalformedHeader { header, reason },
        FieldError::DuplicateKey(label) => VerifyError::DuplicateLabel { header, label },
    })
}

fn non_negative(value: &BareItem, name: &'static str) -> Result<u64, VerifyError> {
    value
        .as_integer()
        .and_then(|i| u64::try_from(i64::from(i)).ok())
        .ok_or(VerifyError::InvalidParameter(name))
}

/// The covered component names of a `Signature-Input` member: lowercase strings without
/// parameters, each at most once.
fn covered_components(input: &ListEntry, label: &str) -> Result<Vec<String>, VerifyError> {
    let ListEntry::InnerList(list) = input else {
        return Err(VerifyError::MalformedHeader {
            header: "Signature-Input",
            reason: format!("{label} is not an inner list of components"),
        });
    };
    let mut components: Vec<String> = Vec::with_capacity(list.items.len());
    for item in &list.items {
        let name = item
            .bare_item
            .as_string()
            .map(|s| s.as_str().to_owned())
            .ok_or_else(|| VerifyError::InvalidComponent("a non-string item".to_owned()))?;
        if !item.params.is_empty() || name.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(VerifyError::InvalidComponent(name));
        }
        if components.contains(&name) {
            return Err(VerifyError::DuplicateComponent(name));
        }
        components.push(name);
    }
    Ok(components)
}

/// Rebuilds the signature base from the request and the `sfv` re-serialization of the member.
fn build_base(
    request: &HttpRequest<'_>,
    components: &[String],
    input: &ListEntry,
) -> Result<String, VerifyError> {
    let values = components
        .iter()
        .map(|c| component_value(request, c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut params_text = String::with_capacity(160);
    let mut ser = ListSerializer::with_buffer(&mut params_text);
    ser.members(std::iter::once(input));
    let _ = ser.finish();
    Ok(signature_base(
        components
            .iter()
            .map(String::as_str)
            .zip(values.iter().map(|v| v.as_ref())),
        &params_text,
    ))
}

/// The signature base the signature labelled `label` in the request's `Signature-Input` covers,
/// rebuilt from the request (RFC 9421 §2.5). For debugging and for checking other signers; it
/// does no verification beyond what building the base needs.
pub fn signature_base_for(request: &HttpRequest<'_>, label: &str) -> Result<String, VerifyError> {
    let inputs = read_dictionary(request, "Signature-Input")?;
    let input = inputs.get(label).ok_or_else(|| VerifyError::MissingLabel {
        header: "Signature-Input",
        label: label.to_owned(),
    })?;
    let components = covered_components(input, label)?;
    build_base(request, &components, input)
}

/// The bytes of the signature labelled `label` in the request's `Signature` header (a well-formed
/// dictionary holding that label as a byte sequence), else `None`. A verifier that remembers the
/// signatures it accepted (to refuse replays) keys them on these bytes, which stay the same however
/// the header is spelt (whitespace, order, other members).
#[cfg(feature = "sandbox")]
pub(crate) fn signature_bytes(request: &HttpRequest<'_>, label: &str) -> Option<Vec<u8>> {
    match read_dictionary(request, "Signature").ok()?.get(label)? {
        ListEntry::Item(item) => item.bare_item.as_byte_sequence().map(<[u8]>::to_vec),
        ListEntry::InnerList(_) => None,
    }
}

/// Verifies the signature labelled `options.label` on `request` against the keys of `jwks`.
pub fn verify_request(
    request: &HttpRequest<'_>,
    jwks: &Jwks,
    options: &VerifyOptions,
) -> Result<VerifiedSignature, VerifyError> {
    let label = options.label.as_str();
    let inputs = read_dictionary(request, "Signature-Input")?;
    let signatures = read_dictionary(request, "Signature")?;
    let missing_label = |header| VerifyError::MissingLabel {
        header,
        label: label.to_owned(),
    };
    let input = inputs
        .get(label)
        .ok_or_else(|| missing_label("Signature-Input"))?;
    let signature = signatures
        .get(label)
        .ok_or_else(|| missing_label("Signature"))?;

    let components = covered_components(input, label)?;
    let params = match input {
        ListEntry::InnerList(list) => &list.params,
        ListEntry::Item(item) => &item.params,
    };

    // Parameters.
    let key_id = match params.get("keyid") {
        None => return Err(VerifyError::MissingParameter("keyid")),
        Some(v) => v
            .as_string()
            .map(|s| s.as_str().to_owned())
            .ok_or(VerifyError::InvalidParameter("keyid"))?,
    };
    let created = match params.get("created") {
        None => return Err(VerifyError::MissingParameter("created")),
        Some(v) => non_negative(v, "created")?,
    };
    if let Some(alg) = params.get("alg") {
        let alg = alg
            .as_string()
            .ok_or(VerifyError::InvalidParameter("alg"))?;
        if alg.as_str() != "ed25519" {
            return Err(VerifyError::UnsupportedAlgorithm(alg.as_str().to_owned()));
        }
    }
    let now = options.now;
    if created < now.saturating_sub(options.max_age_seconds) {
        return Err(VerifyError::TooOld {
            created,
            now,
            max_age: options.max_age_seconds,
        });
    }
    if created > now.saturating_add(options.max_future_seconds) {
        return Err(VerifyError::CreatedInFuture { created, now });
    }
    if let Some(expires) = params.get("expires") {
        let expires = non_negative(expires, "expires")?;
        if expires < now {
            return Err(VerifyError::Expired(expires));
        }
    }

    // Open Payments covered-component rules.
    let covers = |name: &str| components.iter().any(|c| c == name);
    let body = request.non_empty_body();
    if options.require_open_payments_components {
        let mut required: Vec<&'static str> = vec!["@method", "@target-uri"];
        if request.header("authorization").is_some() {
            required.push("authorization");
        }
        if body.is_some() || covers("content-digest") {
            required.extend(["content-digest", "content-length", "content-type"]);
        }
        if let Some(missing) = required.into_iter().find(|r| !covers(r)) {
            return Err(VerifyError::MissingComponent(missing));
        }
    }

    let key = jwks
        .find(&key_id)
        .ok_or_else(|| VerifyError::UnknownKeyId(key_id.clone()))?;

    // The body must be what the digest and length describe.
    if covers("content-digest") || (options.require_open_payments_components && body.is_some()) {
        let digest = request
            .header("content-digest")
            .ok_or(DigestError::Missing)?;
        verify_content_digest(&digest, body.unwrap_or_default())?;
    }
    if covers("content-length") {
        let header = component_value(request, "content-length")?;
        let actual = body.map_or(0, <[u8]>::len);
        if header.parse::<usize>().ok() != Some(actual) {
            return Err(VerifyError::ContentLengthMismatch {
                header: header.into_owned(),
                actual,
            });
        }
    }

    // The signature value.
    let signature_bytes: [u8; 64] = match signature {
        ListEntry::Item(item) => item
            .bare_item
            .as_byte_sequence()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .ok_or(VerifyError::InvalidSignatureValue)?,
        ListEntry::InnerList(_) => return Err(VerifyError::InvalidSignatureValue),
    };

    let base = build_base(request, &components, input)?;
    if !key.verify(base.as_bytes(), &signature_bytes) {
        return Err(VerifyError::SignatureMismatch);
    }
    Ok(VerifiedSignature {
        key_id,
        created,
        components,
    })
}
