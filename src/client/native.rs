//! The native edge (feature `native-client`): a [`Transport`] over `reqwest` and a [`Runtime`]
//! over the system clock, tokio timers and the OS random number generator.
//!
//! This crate compiles `reqwest` without a TLS backend (plain `http`: enough for the local
//! sandbox, and no C toolchain needed). For real `https` servers, a Rust program adds
//! `reqwest = { version = "0.13", features = ["rustls"] }` (or `native-tls`) to its own
//! Cargo.toml: Cargo unifies the features of the one `reqwest`, so [`ReqwestTransport`] then
//! speaks https. Any other HTTP client can be used by implementing [`Transport`].

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
    /// A transport with a fresh connection pool; `timeout_ms` bounds each request.
    pub fn new(timeout_ms: Option<u64>) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .build()
            .map_err(|e| TransportError::Network(e.to_string()))?;
        Ok(Self::with_client(client, timeout_ms))
    }

    /// A transport over an existing `reqwest::Client`.
    pub fn with_client(client: reqwest::Client, timeout_ms: Option<u64>) -> Self {
        Self {
            client,
            timeout: timeout_ms.map(Duration::from_millis),
        }
    }

    async fn send_now(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
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
                TransportError::Network(e.to_string())
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
