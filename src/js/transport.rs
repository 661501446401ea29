//! Requests and responses across the host boundary: the header pairs as JSON text (one string
//! instead of an array built pair by pair across the boundary) and the failure
//! strings of `src/js/host.js`, shared by the npm client's steps (`src/js/pending.rs`) and, with
//! the feature `fetch-client`, by `FetchTransport`: a transport for Rust on wasm32
//! (`crate::fetch`) that awaits `sendFetch` of `src/js/host.js` (declared `catch`), which calls
//! the global `fetch` with the call's timeout and abort signal and reads status, headers and body
//! in JS, so nothing a replaced `fetch` returns (a `Response` subclass, a body stream failing with
//! any value) is touched from wasm: the wasm gets plain numbers, strings and bytes, or a failure
//! string.

use crate::client::TransportError;
use crate::json::Json;

#[cfg(feature = "fetch-client")]
use js_sys::{Array, Promise, Uint8Array};
#[cfg(feature = "fetch-client")]
use wasm_bindgen::prelude::*;
#[cfg(feature = "fetch-client")]
use wasm_bindgen::JsCast;
#[cfg(feature = "fetch-client")]
use wasm_bindgen_futures::JsFuture;

#[cfg(feature = "fetch-client")]
use crate::client::{HttpRequest, HttpResponse, LocalBoxFuture, Transport};

#[cfg(feature = "fetch-client")]
#[wasm_bindgen(module = "/src/js/host.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = sendFetch)]
    fn send_fetch(
        ctx: &JsValue,
        method: &str,
        url: &str,
        headers: &str,
        body: Option<Uint8Array>,
        sign: bool,
    ) -> Result<Promise, JsValue>;
}

/// Sends requests with the global `fetch` through `sendFetch` (`src/js/host.js`), which applies
/// the call's timeout, abort signal and request interceptor, all held in `ctx`.
#[cfg(feature = "fetch-client")]
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    ctx: JsValue,
}

#[cfg(feature = "fetch-client")]
impl FetchTransport {
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        request.check_signed()?;
        let sent = send_fetch(
            &self.ctx,
            request.method.as_str(),
            &request.url,
            &headers_json(&request.headers),
            request.body.as_deref().map(Uint8Array::from),
            request.must_be_signed(),
        )
        .map_err(|_| TransportError::Network("fetch could not be called".to_owned()))?;
        let outcome = JsFuture::from(sent)
            .await
            .map_err(|_| TransportError::Network("fetch failed".to_owned()))?;
        // A failure is a string `kind\nmessage`, made by sendFetch.
        if let Some(failure) = outcome.as_string() {
            return Err(transport_error(&failure));
        }
        // Success: `[status, headerPairs, bodyBytes]`, a plain array made by sendFetch.
        let parts: Array = outcome.unchecked_into();
        let status = parts
            .get(0)
            .as_f64()
            .and_then(|s| u16::try_from(s as i64).ok())
            .unwrap_or(0);
        let headers = parts
            .get(1)
            .as_string()
            .map(|json| headers_from_json(&json))
            .unwrap_or_default();
        let body = parts
            .get(2)
            .dyn_into::<Uint8Array>()
            .map(|bytes| bytes.to_vec())
            .map_err(|_| TransportError::Network("the response body was not read".to_owned()))?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// The request's headers that are handed to `fetch`: all but `Content-Length`, which fetch sets
/// from the body (browsers forbid it).
pub(crate) fn headers_sent(headers: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    headers
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("content-length"))
        .map(|(name, value)| (name.as_str(), value.as_str()))
}

/// The request's header pairs to send ([`headers_sent`]) as JSON text (`[["name","value"],…]`):
/// one string crosses to `sendFetch` instead of a JS array built pair by pair, each pair and
/// string a call across the boundary.
#[cfg(feature = "fetch-client")]
fn headers_json(headers: &[(String, String)]) -> String {
    use crate::error::push_quoted;
    let mut out = String::from("[");
    for (name, value) in headers_sent(headers) {
        if out.len() > 1 {
            out.push(',');
        }
        out.push('[');
        push_quoted(&mut out, name);
        out.push(',');
        push_quoted(&mut out, value);
        out.push(']');
    }
    out.push(']');
    out
}

/// The response's header pairs from the JSON text `sendFetch` made of them (`JSON.stringify`
/// of `[name, value]` pairs); anything else in it is skipped.
pub(crate) fn headers_from_json(json: &str) -> Vec<(String, String)> {
    let Ok(Json::Array(pairs)) = Json::parse(json) else {
        return Vec::new();
    };
    pairs.iter().filter_map(Json::string_pair).collect()
}

#[cfg(feature = "fetch-client")]
impl FetchTransport {
    /// A transport for one call with its context (`{timeoutMs?, signal?}`).
    pub(crate) fn for_call(ctx: JsValue) -> Self {
        Self { ctx }
    }
}

#[cfg(feature = "fetch-client")]
impl Transport for FetchTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.fetch(request))
    }
}

/// The transport error of a failure string `kind\nmessage` made by `src/js/host.js`
/// (kind: `timeout`, `aborted`, `intercept`, `large` or `network`).
pub(crate) fn transport_error(failure: &str) -> TransportError {
    let (kind, message) = failure.split_once('\n').unwrap_or(("network", failure));
    match kind {
        "timeout" => TransportError::Timeout(message.parse().unwrap_or(0)),
        "aborted" => TransportError::Aborted,
        // `<status> <limit>`: a body larger than the host reads.
        "large" => {
            let (status, limit) = message.split_once(' ').unwrap_or((message, ""));
            TransportError::TooLarge {
                status: status.parse().unwrap_or(0),
                limit: limit.parse().unwrap_or(0),
            }
        }
        // Nothing was sent: a plain failure, never an unknown outcome.
        "intercept" => {
            TransportError::Rejected(format!("authenticatedRequestInterceptor failed: {message}"))
        }
        // The facade could not sign with its WebCrypto key: nothing was sent either.
        "sign" => TransportError::Rejected(format!("signing the request failed: {message}")),
        _ => TransportError::Network(message.to_owned()),
    }
}
