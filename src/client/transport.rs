//! The seams between the client and the world: [`Transport`] sends requests, [`Runtime`] gives
//! the time, waits and randomness, [`LogEvent`]s go to an optional logger.
//!
//! Futures are boxed and not `Send`, so the same traits work on wasm32 (where JS promises are
//! `!Send`) and natively.

use std::future::Future;
use std::pin::Pin;

use super::error::TransportError;
use super::request::HttpRequest;
use super::response::HttpResponse;

/// A boxed future that need not be `Send`.
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Sends one HTTP request and returns the response, whatever its status.
///
/// Implementations apply their own timeout and cancellation and report them as
/// [`TransportError::Timeout`] and [`TransportError::Aborted`]; they never retry.
pub trait Transport {
    /// Sends `request`.
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for &T {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

/// Time, waiting and randomness, supplied by the host (the core reads no clock itself).
pub trait Runtime {
    /// The current time in unix seconds (the `created` of signatures).
    fn now_unix_seconds(&self) -> u64;
    /// Waits `ms` milliseconds (between retries).
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()>;
    /// Fills `buf` with cryptographically secure random bytes (interaction nonces).
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String>;
}

/// What a [`LogEvent`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// A request is about to be sent (with its redacted headers).
    Request,
    /// A response arrived (with its status).
    Response,
    /// An idempotent request will be sent again (with the error that caused it).
    Retry,
    /// The call failed for good (with the error code).
    Error,
    /// An outgoing payment's outcome was unknown; the sender's payments are read to find it.
    Reconcile,
}

impl LogKind {
    /// The name loggers see (`request`, `response`, `retry`, `error`, `reconcile`): the JS
    /// client's log events carry it as `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Response => "response",
            Self::Retry => "retry",
            Self::Error => "error",
            Self::Reconcile => "reconcile",
        }
    }
}

/// What happened, for a logger. Never holds a secret: no bodies (they carry tokens), and the
/// `Authorization` header value is redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    /// What the event reports.
    pub kind: LogKind,
    /// The request method.
    pub method: &'static str,
    /// The request URL.
    pub url: String,
    /// The attempt number, from 1.
    pub attempt: u32,
    /// The request headers, redacted (on `request` events).
    pub headers: Vec<(String, String)>,
    /// The response status (on `response` events).
    pub status: Option<u16>,
    /// The error code (on `retry` and `error` events).
    pub error: Option<String>,
}

impl LogEvent {
    /// An event about attempt `attempt` of `method url`, with no headers, status or error.
    pub(crate) fn new(kind: LogKind, method: &'static str, url: &str, attempt: u32) -> Self {
        Self {
            kind,
            method,
            url: url.to_owned(),
            attempt,
            headers: Vec::new(),
            status: None,
            error: None,
        }
    }
}

/// When idempotent requests are sent again.
///
/// GET and DELETE requests are retried after a network error, a timeout or a 5xx response, with
/// exponential backoff; POST requests never are (see `OpenPaymentsClient::create_outgoing_payment`
/// for how an unknown outcome of creating a payment is reconciled instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The first wait in milliseconds; each following wait doubles, up to `max_delay_ms`.
    pub base_delay_ms: u64,
    /// The longest wait in milliseconds.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay_ms: 100,
            max_delay_ms: 2_000,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (from 1).
    pub fn delay_ms(&self, retry: u32) -> u64 {
        let factor = 1u64
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u64::MAX);
        self.base_delay_ms
            .saturating_mul(factor)
            .min(self.max_delay_ms)
    }
}
