//! Raw exports of the Open Payments client (facade: `src/js/facade/client.ts`).
//!
//! A [`ClientHandle`] owns the core [`OpenPaymentsClient`]; the facade builds the JS client
//! object (the official client's shape) around it and calls one method here per operation.
//! Every operation returns a [`Pending`] that the facade drives to its [`Answer`]
//! (`src/js/pending.rs`): the requests it makes are sent by the facade, in JS, with the call's
//! timeout, abort signal and request interceptor, which never reach the wasm. Successful results
//! are the server's response body *as received* (validated against the model first, every member
//! kept in its order), except where the result is not one response (a cached wallet address, a
//! reconciled outgoing payment).
//!
//! Requests go out as steps of the [`Pending`] operation (`StepTransport`): `sendRequest` of
//! `src/js/host.js` calls the global `fetch` and reads the status, headers and body in JS.

use std::rc::Rc;

use js_sys::Function;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{error_json, fail_json, Answer};
use crate::client::{
    CachePolicy, ClientConfig, ClientError, LogEvent, OpenPaymentsClient, PublicDocument,
    RetryPolicy, UrlOptions,
};
use crate::error::{push_quoted, ErrorCode};
use crate::json::Json;

pub use super::pending::{Pending, StepTransport};
pub use super::runtime::JsRuntime;

// ---------------------------------------------------------------- errors

/// What a client error carries besides code, message and field; the facade turns it into the
/// properties of `OpenPaymentsClientError` (and `code`/`description` as the official client
/// computes them from the response body).
pub(crate) struct ClientErrorData<'a> {
    /// This package's class of what happened, by status or cause (`not_found`, `timeout`, …).
    reason: &'a str,
    status: Option<u16>,
    method: Option<&'a str>,
    url: Option<&'a str>,
    server_code: Option<&'a str>,
    server_description: Option<&'a str>,
    body: Option<&'a str>,
    validation_errors: Option<Vec<String>>,
    /// The transport's own message for a network failure (the facade's `description`).
    cause: Option<&'a str>,
}

impl ClientErrorData<'_> {
    /// The JSON object the facade reads (camelCase members; absent ones left out). Written by
    /// hand: every member is a string, a number or a list of strings.
    fn to_json(&self) -> String {
        let mut out = String::from("{\"reason\":");
        push_quoted(&mut out, self.reason);
        if let Some(status) = self.status {
            out.push_str(",\"status\":");
            out.push_str(&status.to_string());
        }
        for (name, value) in [
            ("method", self.method),
            ("url", self.url),
            ("serverCode", self.server_code),
            ("serverDescription", self.server_description),
            ("body", self.body),
            ("cause", self.cause),
        ] {
            if let Some(value) = value {
                out.push_str(",\"");
                out.push_str(name);
                out.push_str("\":");
                push_quoted(&mut out, value);
            }
        }
        if let Some(errors) = &self.validation_errors {
            out.push_str(",\"validationErrors\":[");
            for (i, error) in errors.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_quoted(&mut out, error);
            }
            out.push(']');
        }
        out.push('}');
        out
    }
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
    error_json(
        err.code(),
        &err.to_string(),
        err.field(),
        Some(&data.to_json()),
    )
}

/// A client error answer.
pub(crate) fn client_fail(err: &ClientError) -> Answer {
    fail_json(&client_error_json(err))
}

/// The answer of an operation whose result is the response body checked against its schema
/// table and kept as received (`crate::client::response::Checked`), or its error.
pub(super) fn checked(result: Result<String, ClientError>) -> Answer {
    match result {
        Ok(text) => text,
        Err(err) => client_fail(&err),
    }
}

// ---------------------------------------------------------------- construction

/// The client options the facade read and checked (a plain object of its own): `useHttp`,
/// `maxRetries`, `walletAddressCacheOff` (`walletAddressCache: false`) and
/// `walletAddressCache: {ttlSeconds, maxEntries}` (the cache tuned, else the default cache).
#[derive(Default)]
struct Options {
    use_http: Option<bool>,
    max_retries: Option<u32>,
    wallet_address_cache_off: Option<bool>,
    wallet_address_cache: Option<CacheOptions>,
}

#[derive(Default)]
struct CacheOptions {
    ttl_seconds: Option<u64>,
    max_entries: Option<u32>,
}

impl Options {
    /// Read from the facade's JSON text with `crate::json`, not through a serde model: serde's
    /// errors print floats, which would link core's float formatting (about 15 KB of wasm) into
    /// the browser build for a message nobody sees (the facade checked the options already).
    fn read(json: &str) -> Result<Self, String> {
        let bad = |field: &str| {
            error_json(
                "invalid_argument",
                "client options: a member has the wrong type",
                Some(field.to_owned()),
                None,
            )
        };
        let value = Json::parse(json).map_err(|_| bad(""))?;
        if !matches!(value, Json::Object(_)) {
            return Err(bad(""));
        }
        let flag = |name: &str| match value.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(v) => v.as_bool().map(Some).ok_or_else(|| bad(name)),
        };
        let count = |object: &Json, name: &str| match object.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| bad(name)),
        };
        let to_u32 = |n: Option<u64>| n.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        let wallet_address_cache = match value.get("walletAddressCache") {
            None | Some(Json::Null) => None,
            Some(cache @ Json::Object(_)) => Some(CacheOptions {
                ttl_seconds: count(cache, "ttlSeconds")?,
                max_entries: to_u32(count(cache, "maxEntries")?),
            }),
            Some(_) => return Err(bad("walletAddressCache")),
        };
        Ok(Self {
            use_http: flag("useHttp")?,
            max_retries: to_u32(count(&value, "maxRetries")?),
            wallet_address_cache_off: flag("walletAddressCacheOff")?,
            wallet_address_cache,
        })
    }
}

/// The client configuration from the options the facade checked (JSON text of [`Options`]).
pub(super) fn config_from(options: &str, log: Option<Function>) -> Result<ClientConfig, String> {
    let options = Options::read(options)?;
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

/// A log event as the caller's logger sees it: `{kind, method, url, attempt, headers?, status?,
/// error?}`. Serialised as a map, not a struct: serde-wasm-bindgen interns struct field names
/// in a cache of its own (about 2.6 KB of wasm) that map keys do without.
struct LogJson<'a>(&'a LogEvent);

impl Serialize for LogJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let event = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", event.kind.as_str())?;
        map.serialize_entry("method", event.method)?;
        map.serialize_entry("url", &event.url)?;
        map.serialize_entry("attempt", &event.attempt)?;
        if !event.headers.is_empty() {
            map.serialize_entry("headers", &HeaderMap(&event.headers))?;
        }
        if let Some(status) = event.status {
            map.serialize_entry("status", &status)?;
        }
        if let Some(error) = &event.error {
            map.serialize_entry("error", error)?;
        }
        map.end()
    }
}

/// A log event as a plain JS object (serde-wasm-bindgen), for the caller's logger.
fn log_object(event: &LogEvent) -> JsValue {
    LogJson(event)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::UNDEFINED)
}

/// Owns the core client; the facade's client object calls one method per operation.
#[wasm_bindgen]
pub struct ClientHandle {
    inner: Rc<OpenPaymentsClient<StepTransport>>,
}

impl ClientHandle {
    pub(super) fn new(config: ClientConfig) -> Self {
        Self {
            inner: Rc::new(OpenPaymentsClient::new(StepTransport, config)),
        }
    }

    /// The client shared by this handle (for flows built on it, e.g. the merchant).
    #[cfg(feature = "js-client")]
    pub(super) fn shared(&self) -> &OpenPaymentsClient<StepTransport> {
        &self.inner
    }

    /// The client for one call (an operation's future owns it).
    #[cfg(feature = "js-client")]
    pub(super) fn call(&self) -> OpenPaymentsClient<StepTransport> {
        self.inner.with_transport(StepTransport)
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
    pub fn wallet_address_get(&self, url: String) -> Pending {
        self.public(PublicDocument::WalletAddress, url)
    }

    /// `walletAddress.getKeys`.
    #[wasm_bindgen(js_name = walletAddressGetKeys)]
    pub fn wallet_address_get_keys(&self, url: String) -> Pending {
        self.public(PublicDocument::Keys, url)
    }

    /// `walletAddress.getDIDDocument`.
    #[wasm_bindgen(js_name = walletAddressGetDidDocument)]
    pub fn wallet_address_get_did_document(&self, url: String) -> Pending {
        self.public(PublicDocument::DidDocument, url)
    }

    /// `incomingPayment.getPublic` (and `incomingPayment.get` of the unauthenticated client).
    #[wasm_bindgen(js_name = incomingPaymentGetPublic)]
    pub fn incoming_payment_get_public(&self, url: String) -> Pending {
        self.public(PublicDocument::IncomingPayment, url)
    }
}

impl ClientHandle {
    /// A public document as received, checked against its schema (no typed model is built, so
    /// the browser build links no per-type parser); one future type for all four operations.
    fn public(&self, document: PublicDocument, url: String) -> Pending {
        let client = Rc::clone(&self.inner);
        Pending::new(async move { checked(client.get_public_text(document, &url).await) })
    }
}
