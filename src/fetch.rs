//! The wasm32 edge for Rust code (feature `fetch-client`): a [`Transport`] over the global
//! `fetch` and a [`Runtime`](crate::client::Runtime) over `Date.now()`, `setTimeout` and `crypto.getRandomValues`.
//!
//! With them a Rust program compiled to `wasm32-unknown-unknown` (a `workers-rs` Worker, a
//! Leptos or Yew front end, a Rust module run by Node, Deno or Bun) uses
//! [`OpenPaymentsClient`](crate::client::OpenPaymentsClient) directly, with the same retries,
//! timeouts, wallet address cache and reconciliation of outgoing payments as natively:
//!
//! ```no_run
//! # async fn run() -> Result<(), open_payments_wasm::client::ClientError> {
//! use open_payments_wasm::client::{ClientConfig, OpenPaymentsClient};
//! use open_payments_wasm::fetch::{FetchTransport, WebRuntime};
//!
//! let client = OpenPaymentsClient::new(
//!     FetchTransport::new(Some(10_000)),
//!     ClientConfig::new(Box::new(WebRuntime)),
//! );
//! let wallet = client.get_wallet_address("https://ilp.example/alice").await?;
//! # let _ = wallet;
//! # Ok(())
//! # }
//! ```
//!
//! It lives outside [`crate::client`] because the core never uses JS bindings (see
//! `ARCHITECTURE.md`). The transport and the runtime (`src/js/transport.rs`,
//! `src/js/runtime.rs`) send and sleep through the same `src/js/host.js` as the npm package's
//! client, whose imports are declared `catch`; they await its promises from wasm
//! (`wasm-bindgen-futures`), where the npm client hands each request to its facade instead
//! (`src/js/pending.rs`).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use crate::client::{HttpRequest, HttpResponse, LocalBoxFuture, Transport, TransportError};

/// Sends requests with the global `fetch` (browsers, Workers, Node 18+, Deno, Bun), with an
/// optional per-request timeout and an optional caller's `AbortSignal`, through `sendFetch` of
/// `src/js/host.js` (the npm package's client sends through the same code, `sendRequest`): its
/// import is declared `catch` and it never rejects, so a missing or replaced `fetch` that throws cannot unwind through wasm.
///
/// A timeout is reported as [`TransportError::Timeout`], the caller's abort as
/// [`TransportError::Aborted`], any other failure of `fetch` or of reading the body as
/// [`TransportError::Network`] (browsers do not tell a TLS failure from other network errors).
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    timeout_ms: Option<u32>,
    signal: Option<web_sys::AbortSignal>,
}

impl FetchTransport {
    /// A transport whose requests each take at most `timeout_ms` milliseconds (at most
    /// `u32::MAX`; `None`: no limit but the platform's).
    pub fn new(timeout_ms: Option<u64>) -> Self {
        Self {
            timeout_ms: timeout_ms.map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
            signal: None,
        }
    }

    /// The same transport, its requests also aborted when `signal` fires.
    pub fn with_abort_signal(mut self, signal: web_sys::AbortSignal) -> Self {
        self.signal = Some(signal);
        self
    }

    /// The per-request context `sendFetch` reads: `{timeoutMs?, signal?}` on a fresh object
    /// (`Reflect.set` is declared `catch`; a failure leaves the member out).
    fn context(&self) -> JsValue {
        let ctx = Object::new();
        if let Some(ms) = self.timeout_ms {
            let _ = Reflect::set(&ctx, &"timeoutMs".into(), &JsValue::from(ms));
        }
        if let Some(signal) = &self.signal {
            let _ = Reflect::set(&ctx, &"signal".into(), signal);
        }
        ctx.into()
    }
}

impl Transport for FetchTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        let host = crate::js::transport::FetchTransport::for_call(self.context());
        Box::pin(async move { host.send(request).await })
    }
}

/// The host's clock, timers and random numbers: `Date.now()` and `setTimeout` (browsers, Workers,
/// Node, Deno, Bun) through the crate's `host.js`, whose imports are declared `catch` so that a
/// missing or throwing one cannot unwind through wasm, and `crypto.getRandomValues`. The same
/// runtime as the npm package's client.
pub use crate::js::runtime::JsRuntime as WebRuntime;
