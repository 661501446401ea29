//! Raw exports of the Open Payments client (facade: `src/js/facade/client.ts`).
//!
//! A [`ClientHandle`] owns the core [`OpenPaymentsClient`]; the facade builds the JS client
//! object (the official client's shape) around it and calls one method here per operation.
//! Every operation takes the facade's per-call context `ctx` (timeout, abort signal, request
//! interceptor: an object of the facade's, opaque here) and resolves to an [`Answer`]; its
//! promise never rejects. Successful results are the server's response body *as received*
//! (validated against the model first, every member kept in its order), except where the result
//! is not one response (a cached wallet address, a reconciled outgoing payment).
//!
//! Requests go out through [`FetchTransport`] (`src/js/transport.rs`): `sendFetch` of
//! `src/js/host.js` calls the global `fetch` and reads the status and headers in JS.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Promise};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{error_json, fail_json, ok, Answer};
use crate::client::{
    CachePolicy, ClientConfig, ClientError, LogEvent, OpenPaymentsClient, RetryPolicy, UrlOptions,
};
use crate::error::ErrorCode;

pub use super::runtime::JsRuntime;
pub use super::transport::{FetchTransport, Last};

// ---------------------------------------------------------------- errors

/// What a client error carries besides code, message and field; the facade turns it into the
/// properties of `OpenPaymentsClientError` (and `code`/`description` as the official client
/// computes them from the response body).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClientErrorData<'a> {
    /// This package's class of what happened, by status or cause (`not_found`, `timeout`, …).
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server_description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validation_errors: Option<Vec<String>>,
    /// The transport's own message for a network failure (the facade's `description`).
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<&'a str>,
}

/// The error JSON of a client error.
pub(crate) fn client_error_json(err: &ClientError) -> String {
    let request = err.request();
    let mut data = ClientErrorData {
        reason: err.reason(),
        status: err.status(),
        method: request.map(|(m, _)| m),
        url: request.map(|(_, u)| u),
        server_code: None,
        server_description: None,
        body: None,
        validation_errors: None,
        cause: None,
    };
    match err {
        ClientError::Http {
            server_code,
            description,
            body,
            ..
        } => {
            // `details` reach JS through the body, as the official client reads them.
            data.server_code = server_code.as_deref();
            data.server_description = description.as_deref();
            data.body = body.as_deref();
        }
        ClientError::InvalidResponse { source, .. } => {
            data.validation_errors = Some(vec![source.to_string()]);
        }
        ClientError::Network { message, .. } => data.cause = Some(message),
        _ => {}
    }
    // Serialising strings and numbers cannot fail; an empty object keeps the answer valid.
    let data = serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_owned());
    error_json(err.code(), &err.to_string(), err.field(), Some(&data))
}

/// A client error answer.
pub(crate) fn client_fail(err: &ClientError) -> Answer {
    fail_json(&client_error_json(err))
}

/// The answer of an operation: the body of the response that gave `result`, as received (the
/// core validated it against the model first), or `fallback` of the result when there is no
/// such body. Bodies are never serialised again: every member the server sent is kept, in order.
pub(super) fn received<T>(
    last: &Last,
    result: Result<T, ClientError>,
    fallback: impl FnOnce(T) -> Answer,
) -> Answer {
    match result {
        Ok(value) => match last.borrow_mut().take() {
            Some((_, body)) if !body.is_empty() => match String::from_utf8(body) {
                Ok(text) => text,
                Err(_) => fallback(value),
            },
            _ => fallback(value),
        },
        Err(err) => client_fail(&err),
    }
}

/// For results that are always a response body: `null` if there were none.
pub(super) fn null<T>(_: T) -> Answer {
    "null".to_owned()
}

/// An operation's promise: resolves to its answer, never rejects.
pub(super) fn spawn(answer: impl std::future::Future<Output = Answer> + 'static) -> Promise {
    future_to_promise(async move { Ok(JsValue::from_str(&answer.await)) })
}

// ---------------------------------------------------------------- construction

/// The client options the facade read and checked (a plain object of its own).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Options {
    use_http: Option<bool>,
    max_retries: Option<u32>,
    /// `walletAddressCache: false`: no cache.
    wallet_address_cache_off: Option<bool>,
    /// `walletAddressCache: {…}`: the cache tuned (else the default cache).
    wallet_address_cache: Option<CacheOptions>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CacheOptions {
    ttl_seconds: Option<u64>,
    max_entries: Option<u32>,
}

/// The client configuration from the options the facade checked (JSON text of [`Options`]).
pub(super) fn config_from(options: &str, log: Option<Function>) -> Result<ClientConfig, String> {
    let options: Options =
        super::read(options).map_err(|answer| answer.trim_start_matches('!').to_owned())?;
    let mut config = ClientConfig::new(Box::new(JsRuntime));
    if options.use_http == Some(true) {
        config = config.with_url_options(UrlOptions { use_http: true });
    }
    if let Some(retries) = options.max_retries {
        config = config.with_retry(RetryPolicy {
            max_retries: retries.min(10),
            ..RetryPolicy::default()
        });
    }
    if let Some(log) = log {
        config = config.with_logger(Box::new(move |event: &LogEvent| {
            // The facade's log function never throws; a failure would only lose the event.
            let _ = log.call1(&JsValue::UNDEFINED, &log_object(event));
        }));
    }
    match options.wallet_address_cache {
        _ if options.wallet_address_cache_off == Some(true) => {}
        Some(tuned) => {
            let mut policy = CachePolicy::default();
            if let Some(ttl) = tuned.ttl_seconds {
                policy.ttl_seconds = ttl;
            }
            if let Some(max) = tuned.max_entries {
                policy.max_entries = usize::try_from(max).unwrap_or(usize::MAX);
            }
            config = config.with_wallet_address_cache(policy);
        }
        None => config = config.with_wallet_address_cache(CachePolicy::default()),
    }
    Ok(config)
}

/// Header pairs as an object (`{"authorization": "GNAP <redacted>"}`), as loggers show them.
struct HeaderMap<'a>(&'a [(String, String)]);

impl Serialize for HeaderMap<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(n, v)| (n, v)))
    }
}

impl HeaderMap<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Serialize)]
struct LogJson<'a> {
    kind: &'a str,
    method: &'a str,
    url: &'a str,
    attempt: u32,
    #[serde(skip_serializing_if = "HeaderMap::is_empty")]
    headers: HeaderMap<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// A log event as a plain JS object (serde-wasm-bindgen), for the caller's logger.
fn log_object(event: &LogEvent) -> JsValue {
    let json = LogJson {
        kind: event.kind.as_str(),
        method: event.method,
        url: &event.url,
        attempt: event.attempt,
        headers: HeaderMap(&event.headers),
        status: event.status,
        error: event.error.as_deref(),
    };
    json.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::UNDEFINED)
}

/// Most wallet address documents kept as received text (beside the core cache's parsed ones).
const MAX_WALLET_TEXTS: usize = 256;

/// Owns the core client; the facade's client object calls one method per operation.
#[wasm_bindgen]
pub struct ClientHandle {
    inner: Rc<OpenPaymentsClient<FetchTransport>>,
    /// The wallet address documents as received, by URL, for answers from the core's cache.
    wallet_texts: Rc<RefCell<HashMap<String, String>>>,
}

impl ClientHandle {
    pub(super) fn new(config: ClientConfig) -> Self {
        Self {
            inner: Rc::new(OpenPaymentsClient::new(FetchTransport::default(), config)),
            wallet_texts: Rc::default(),
        }
    }

    /// The client for one call: its transport carries the call's context.
    /// The client shared by this handle (for flows built on it, e.g. the merchant).
    #[cfg(feature = "js-client")]
    pub(super) fn shared(&self) -> &OpenPaymentsClient<FetchTransport> {
        &self.inner
    }

    pub(super) fn call(&self, ctx: JsValue) -> (OpenPaymentsClient<FetchTransport>, Last) {
        let last = Last::default();
        let transport = FetchTransport::recording(ctx, Rc::clone(&last));
        (self.inner.with_transport(transport), last)
    }
}

/// A client for public data (`createUnauthenticatedClient`).
#[wasm_bindgen(js_name = newClient)]
pub fn new_client(options: &str, log: Option<Function>) -> Result<ClientHandle, String> {
    Ok(ClientHandle::new(config_from(options, log)?))
}

#[wasm_bindgen]
impl ClientHandle {
    /// The error `listAll` throws when the server at `url` repeats a cursor (error JSON).
    #[wasm_bindgen(js_name = repeatedCursor)]
    pub fn repeated_cursor(&self, url: &str, backward: bool) -> String {
        client_error_json(&ClientError::repeated_cursor(url, backward))
    }

    /// `walletAddress.get`: from the cache when fresh.
    #[wasm_bindgen(js_name = walletAddressGet)]
    pub fn wallet_address_get(&self, url: String, ctx: JsValue) -> Promise {
        let (client, last) = self.call(ctx);
        let texts = Rc::clone(&self.wallet_texts);
        spawn(async move {
            let result = client.get_wallet_address(&url).await;
            let fetched = last.borrow().is_some();
            // From the cache: the text kept when it was fetched (else the parsed document).
            let answer = received(&last, result, |doc| {
                texts
                    .borrow()
                    .get(&url)
                    .cloned()
                    .unwrap_or_else(|| ok(&doc))
            });
            if answer.starts_with('!') {
                return answer;
            }
            let mut texts = texts.borrow_mut();
            if fetched {
                if texts.len() >= MAX_WALLET_TEXTS {
                    texts.clear();
                }
                texts.insert(url, answer.clone());
                answer
            } else {
                texts.get(&url).cloned().unwrap_or(answer)
            }
        })
    }

    /// `walletAddress.getKeys`.
    #[wasm_bindgen(js_name = walletAddressGetKeys)]
    pub fn wallet_address_get_keys(&self, url: String, ctx: JsValue) -> Promise {
        let (client, last) = self.call(ctx);
        spawn(async move { received(&last, client.get_wallet_address_keys(&url).await, null) })
    }

    /// `walletAddress.getDIDDocument`.
    #[wasm_bindgen(js_name = walletAddressGetDidDocument)]
    pub fn wallet_address_get_did_document(&self, url: String, ctx: JsValue) -> Promise {
        let (client, last) = self.call(ctx);
        spawn(async move { received(&last, client.get_did_document(&url).await, null) })
    }

    /// `incomingPayment.getPublic` (and `incomingPayment.get` of the unauthenticated client).
    #[wasm_bindgen(js_name = incomingPaymentGetPublic)]
    pub fn incoming_payment_get_public(&self, url: String, ctx: JsValue) -> Promise {
        let (client, last) = self.call(ctx);
        spawn(async move { received(&last, client.get_public_incoming_payment(&url).await, null) })
    }
}
