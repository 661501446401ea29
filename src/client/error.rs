//! What can go wrong when calling an Open Payments server: [`ClientError`] (returned by every
//! operation) and [`TransportError`] (returned by a [`super::Transport`]).

use crate::error::ErrorCode;
use crate::resources::ResourceError;
use crate::signature::{InteractionHashError, SignError};

/// Why a transport could not deliver a request and bring back a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The connection failed or dropped (DNS, refused, reset, body cut short).
    #[error("network error: {0}")]
    Network(String),
    /// The TLS handshake failed (the server's certificate does not chain to a trusted root, has
    /// expired or names another host; no common protocol version): nothing was sent.
    ///
    /// Native targets only: on wasm32 the host's `fetch` does not tell a TLS failure from other
    /// network errors, and the browser builds stay as small as they were.
    #[cfg(not(target_arch = "wasm32"))]
    #[error("TLS error: {0}")]
    Tls(String),
    /// No complete response within the request timeout.
    #[error("no response within {0} ms")]
    Timeout(u64),
    /// The caller aborted the request (an `AbortSignal` fired).
    #[error("the request was aborted")]
    Aborted,
    /// The transport refused to send the request (e.g. its signer failed): nothing was sent.
    #[error("{0}")]
    Rejected(String),
    /// The response's body is larger than the transport reads (`limit` bytes): the JS hosts'
    /// transports refuse it before it reaches the wasm, whose memory it could exhaust (an
    /// allocation failure traps the instance). The client reports it as `invalid_response`.
    #[error("the HTTP {status} response body is larger than {limit} bytes")]
    TooLarge {
        /// The response's status.
        status: u16,
        /// The largest body read, in bytes.
        limit: u64,
    },
}

impl TransportError {
    /// Whether the server may have received and acted on the request (the outcome is unknown).
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::Network(_) | Self::Timeout(_))
    }
}

/// The `error.details` object of a server's error body, kept as the JSON text the server sent
/// (members in its order, numbers as written). [`ServerDetails::to_map`] reads it with
/// serde_json; the client itself never needs it read, so the browser build links no parser for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDetails(pub(crate) Box<str>);

impl ServerDetails {
    /// The object as JSON text.
    pub fn as_json(&self) -> &str {
        &self.0
    }

    /// The object's members; `None` only when a number in it is beyond `f64`'s range, which
    /// serde_json refuses.
    pub fn to_map(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        serde_json::from_str(&self.0).ok()
    }

    /// The member `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<serde_json::Value> {
        self.to_map()?.remove(name)
    }
}

/// Why an Open Payments operation failed.
///
/// Every variant about an exchange with a server carries the request's method and URL; HTTP
/// failures also carry the status and what the server said. Codes (see [`ErrorCode`]): for an
/// HTTP failure, the server's `error.code` verbatim whenever it sent one (`too_fast`,
/// `invalid_token`, `"404"`, …: what the official client puts in `err.code`, so code that
/// branches on it keeps working), otherwise this crate's [`ClientError::reason`] by status:
/// `bad_request` (400), `unauthorized` (401), `forbidden` (403), `not_found` (404),
/// `server_error` (5xx), `http_error` (any other unexpected status); then `invalid_response`,
/// `network_error`, `tls_error`, `timeout`, `aborted`, `request_not_sent`, `no_signing_key`, and
/// the codes of signing, argument and interaction-hash errors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The server answered with an unexpected status.
    #[error("{method} {url} failed with HTTP {status}{}", describe(server_code.as_deref(), description.as_deref()))]
    Http {
        /// The request method.
        method: String,
        /// The request URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// `error.code` of the server's error body, if it sent one.
        server_code: Option<String>,
        /// `error.description` of the server's error body, if it sent one.
        description: Option<String>,
        /// `error.details` of the server's error body, if it sent any.
        details: Option<ServerDetails>,
        /// The response body as text, when there is one (at most 4 KiB).
        body: Option<String>,
    },
    /// The server answered with a success status but the body is not the expected resource.
    #[error("{method} {url}: HTTP {status} response is not valid: {source}")]
    InvalidResponse {
        /// The request method.
        method: String,
        /// The request URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What is wrong with the body.
        source: ResourceError,
    },
    /// The connection failed or dropped; the server may or may not have acted on the request.
    #[error("{method} {url}: {message}")]
    Network {
        /// The request method.
        method: String,
        /// The request URL.
        url: String,
        /// What the platform reported.
        message: String,
    },
    /// No response within the timeout; the server may or may not have acted on the request.
    #[error("{method} {url}: no response within {timeout_ms} ms")]
    Timeout {
        /// The request method.
        method: String,
        /// The request URL.
        url: String,
        /// The timeout that expired.
        timeout_ms: u64,
    },
    /// The caller aborted the request.
    #[error("{method} {url}: aborted")]
    Aborted {
        /// The request method.
        method: String,
        /// The request URL.
        url: String,
    },
    /// The TLS handshake with the server failed (an untrusted, expired or mismatched
    /// certificate, no common protocol version); nothing was sent. Native targets only (see
    /// [`TransportError::Tls`]).
    #[cfg(not(target_arch = "wasm32"))]
    #[error("{method} {url}: TLS handshake failed: {message}")]
    Tls {
        /// The request method.
        method: String,
        /// The request URL.
        url: String,
        /// What the TLS library reported (e.g. `invalid peer certificate: UnknownIssuer`).
        message: String,
    },
    /// The transport refused to send the request (its signer failed); nothing was sent.
    #[error("{method} {url}: not sent: {message}")]
    NotSent {
        /// The request method.
        method: String,
        /// The request URL.
        url: String,
        /// Why.
        message: String,
    },
    /// The request could not be signed.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// The operation needs a signing key and the client has none.
    #[error("this operation needs an authenticated client (a private key and key id)")]
    NoSigningKey,
    /// An argument is not valid (a bad request body, pagination, URL).
    #[error("{message}")]
    InvalidArgument {
        /// The stable code, e.g. `conflicting_fields`.
        code: String,
        /// The argument field, as a JSON path.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The interaction-finish hash does not match the grant.
    #[error(transparent)]
    InteractionHash(#[from] InteractionHashError),
    /// Randomness for a nonce was not available.
    #[error("no randomness available: {0}")]
    RandomUnavailable(String),
}

fn describe(code: Option<&str>, description: Option<&str>) -> String {
    match (code, description) {
        (Some(c), Some(d)) => format!(": {c}: {d}"),
        (Some(c), None) => format!(": {c}"),
        (None, Some(d)) => format!(": {d}"),
        (None, None) => String::new(),
    }
}

impl ClientError {
    /// The error for a transport failure of `method url`.
    pub fn from_transport(err: TransportError, method: &str, url: &str) -> Self {
        let (method, url) = (method.to_owned(), url.to_owned());
        match err {
            TransportError::Network(message) => Self::Network {
                method,
                url,
                message,
            },
            TransportError::Timeout(timeout_ms) => Self::Timeout {
                method,
                url,
                timeout_ms,
            },
            #[cfg(not(target_arch = "wasm32"))]
            TransportError::Tls(message) => Self::Tls {
                method,
                url,
                message,
            },
            TransportError::Aborted => Self::Aborted { method, url },
            TransportError::Rejected(message) => Self::NotSent {
                method,
                url,
                message,
            },
            TransportError::TooLarge { status, limit } => Self::InvalidResponse {
                method,
                url,
                status,
                source: ResourceError::new(
                    "response_too_large",
                    "",
                    &format!("the body is larger than {limit} bytes"),
                ),
            },
        }
    }

    /// An invalid-argument error from a request body that failed validation.
    pub fn invalid_argument(err: &ResourceError) -> Self {
        Self::InvalidArgument {
            code: err.code().to_owned(),
            field: err.field(),
            message: err.to_string(),
        }
    }

    /// The error for a list whose server handed back a cursor it had already given (paging on
    /// would never end): `invalid_response` at `pagination.endCursor`, or `startCursor` when
    /// paging backward. Every "all pages" loop (Rust and JS) stops with it.
    pub fn repeated_cursor(url: &str, backward: bool) -> Self {
        Self::InvalidResponse {
            method: "GET".to_owned(),
            url: url.to_owned(),
            status: 200,
            source: ResourceError::new(
                "invalid_json",
                if backward {
                    "pagination.startCursor"
                } else {
                    "pagination.endCursor"
                },
                "the server gave a cursor it had already given: paging would never end",
            ),
        }
    }

    /// Whether the server may have acted on the request although no answer arrived
    /// (network failure or timeout): a `POST` must not simply be sent again.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::Network { .. } | Self::Timeout { .. })
    }

    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http { status, .. } | Self::InvalidResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The method and URL of the request, for errors about one.
    pub fn request(&self) -> Option<(&str, &str)> {
        match self {
            Self::Http { method, url, .. }
            | Self::InvalidResponse { method, url, .. }
            | Self::Network { method, url, .. }
            | Self::Timeout { method, url, .. }
            | Self::NotSent { method, url, .. }
            | Self::Aborted { method, url } => Some((method, url)),
            #[cfg(not(target_arch = "wasm32"))]
            Self::Tls { method, url, .. } => Some((method, url)),
            _ => None,
        }
    }
}

impl ClientError {
    /// This crate's class of what happened, whatever the server's own code: by HTTP status
    /// (`bad_request`, `unauthorized`, `forbidden`, `not_found`, `server_error`, `http_error`)
    /// or by cause (`invalid_response`, `network_error`, `timeout`, `aborted`,
    /// `request_not_sent`, …). Branch on this to handle every server alike; [`ErrorCode::code`]
    /// prefers the server's code, as the official client does.
    pub fn reason(&self) -> &str {
        match self {
            Self::Http { status, .. } => match status {
                400 => "bad_request",
                401 => "unauthorized",
                403 => "forbidden",
                404 => "not_found",
                500..=599 => "server_error",
                _ => "http_error",
            },
            _ => self.code(),
        }
    }
}

/// `code`: for an HTTP error, the server's `error.code` verbatim whenever it sent one (a GNAP
/// code such as `too_fast`, `invalid_token`, or a status such as `"404"` as some resource
/// servers send), exactly as the official client's `err.code`; otherwise this crate's
/// [`ClientError::reason`].
impl ErrorCode for ClientError {
    fn code(&self) -> &str {
        match self {
            Self::Http {
                server_code: Some(code),
                ..
            } if !code.is_empty() => code,
            Self::Http { .. } => self.reason(),
            Self::InvalidResponse { .. } => "invalid_response",
            Self::Network { .. } => "network_error",
            Self::Timeout { .. } => "timeout",
            Self::Aborted { .. } => "aborted",
            Self::NotSent { .. } => "request_not_sent",
            #[cfg(not(target_arch = "wasm32"))]
            Self::Tls { .. } => "tls_error",
            Self::Sign(e) => e.code(),
            Self::NoSigningKey => "no_signing_key",
            Self::InvalidArgument { code, .. } => code,
            Self::InteractionHash(e) => e.code(),
            Self::RandomUnavailable(_) => "random_unavailable",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Self::InvalidResponse { source, .. } => source.field(),
            Self::Sign(e) => e.field(),
            Self::InvalidArgument { field, .. } => field.clone(),
            Self::InteractionHash(e) => e.field(),
            _ => None,
        }
    }
}
