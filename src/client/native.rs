//! The native edge (feature `native-client`): a [`Transport`] over `reqwest` and a [`Runtime`]
//! over the system clock, tokio timers and the OS random number generator.
//!
//! `https` works out of the box: `reqwest` is compiled with rustls (aws-lc-rs crypto) and the
//! platform verifier, so certificates are checked against the operating system's trust store
//! (on Linux the CA bundle of `ca-certificates`; on macOS and Windows the system keychain, with
//! revocation checks). A certificate that does not chain to a trusted root is refused with
//! [`TransportError::Tls`], which the client reports as [`ClientError::Tls`](super::ClientError::Tls)
//! (code `tls_error`).
//!
//! For other trust (a private CA, a corporate proxy, a container without a CA bundle), a
//! proxy or connection settings, build a `reqwest::Client` and hand it to
//! [`ReqwestTransport::with_client`]:
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use open_payments_wasm::client::native::ReqwestTransport;
//!
//! let ca = reqwest::Certificate::from_pem(&std::fs::read("my-ca.pem")?)?;
//! let http = reqwest::Client::builder()
//!     .tls_certs_merge([ca]) // the system's roots and this CA
//!     .connect_timeout(std::time::Duration::from_secs(5))
//!     .build()?;
//! let transport = ReqwestTransport::with_client(http, Some(10_000));
//! # let _ = transport;
//! # Ok(())
//! # }
//! ```
//!
//! Any other HTTP client can be used by implementing [`Transport`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::TransportError;
use super::request::{HttpRequest, Method};
use super::response::HttpResponse;
use super::transport::{LocalBoxFuture, Runtime, Transport};

/// Sends requests with `reqwest`, with an optional per-request timeout.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    timeout: Option<Duration>,
}

impl ReqwestTransport {
    /// A transport with a fresh connection pool, speaking `http` and `https` (certificates
    /// checked against the system's trust store); `timeout_ms` bounds each request.
    pub fn new(timeout_ms: Option<u64>) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .build()
            .map_err(|e| classify(&e))?;
        Ok(Self::with_client(client, timeout_ms))
    }

    /// A transport over the caller's own `reqwest::Client` (its roots of trust, proxies,
    /// connection pool and timeouts); `timeout_ms` bounds each request besides.
    pub fn with_client(client: reqwest::Client, timeout_ms: Option<u64>) -> Self {
        Self {
            client,
            timeout: timeout_ms.map(Duration::from_millis),
        }
    }

    async fn send_now(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        request.check_signed()?;
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.client.request(method, &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        let timeout_ms = self
            .timeout
            .map_or(0, |t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX));
        let map = |e: reqwest::Error| {
            if e.is_timeout() {
                TransportError::Timeout(timeout_ms)
            } else {
                classify(&e)
            }
        };
        let response = builder.send().await.map_err(map)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response.bytes().await.map_err(map)?.to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// A TLS failure anywhere in the error's chain becomes [`TransportError::Tls`] (with the
/// rustls error's words, e.g. `invalid peer certificate: UnknownIssuer`), anything else
/// [`TransportError::Network`].
fn classify(err: &reqwest::Error) -> TransportError {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return TransportError::Tls(tls.to_string());
        }
        // `io::Error::source` skips the error it wraps (hyper wraps rustls's error in two).
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner),
                None => std::error::Error::source(io),
            },
            None => e.source(),
        };
    }
    TransportError::Network(err.to_string())
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_now(request))
    }
}

/// The system clock, tokio's timer and the OS random number generator. Needs a tokio runtime
/// with the time driver enabled.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemRuntime;

impl Runtime for SystemRuntime {
    fn now_unix_seconds(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(Duration::from_millis(ms)))
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
        getrandom::fill(buf).map_err(|e| e.to_string())
    }
}
