//! The JS client: `createUnauthenticatedClient` / `createAuthenticatedClient` with the operations
//! and argument shapes of the official `@interledger/open-payments` 7.4.0 client, plus
//! `listAll` async iterators, per-call `signal` / `requestTimeoutMs`, the grant type guards and
//! the interaction helpers.
//!
//! The client object is plain JS built by `buildClient` below around a hidden `ClientHandle`
//! that owns the core [`OpenPaymentsClient`]; every operation goes through
//! `ClientHandle.invoke(op, ...)`. Requests go out through [`FetchTransport`] (gloo-net over the
//! global `fetch`: browsers, Node, Deno, Bun, workerd).

use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::{error, to_js};
use crate::client::{
    CachePolicy, ClientConfig, ClientError, HttpRequest, HttpResponse, LocalBoxFuture, LogEvent,
    OpenPaymentsClient, RetryPolicy, Runtime, Transport, TransportError, UrlOptions,
};
use crate::error::ErrorCode;

#[wasm_bindgen(inline_js = r#"
export function sleepMs(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
// One request through the global `fetch` (looked up per call, so a replaced fetch is used),
// with the init object given directly: no `Request`/`Headers` objects are built (in Node
// each costs more than the rest of the call), and an `AbortController` only when there is a
// timeout or a caller signal. With `intercept` (the authenticatedRequestInterceptor, given only
// for requests that must be signed) a `Request` is built for it to sign, and what it returns is
// sent. Rejects with `{ kind: "timeout" | "aborted" | "network" | "intercept", message }`.
export function sendFetch(method, url, headers, body, signal, timeoutMs, intercept) {
  if (!intercept) return send(url, { method, headers, body }, signal, timeoutMs);
  const request = new Request(url, { method, headers, body });
  return Promise.resolve()
    .then(() => intercept(request))
    .catch((e) => { throw { kind: 'intercept', message: String(e?.message ?? e) }; })
    .then((signed) => send(signed ?? request, {}, signal, timeoutMs));
}
function send(target, init, signal, timeoutMs) {
  if (signal == null && timeoutMs === undefined) {
    return fetch(target, init).catch((e) => { throw { kind: 'network', message: String(e?.message ?? e) }; });
  }
  const controller = new AbortController();
  let timedOut = false;
  let timer;
  const onAbort = () => controller.abort(signal.reason);
  if (signal) {
    if (signal.aborted) onAbort(); else signal.addEventListener('abort', onAbort, { once: true });
  }
  if (timeoutMs !== undefined) timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
  init.signal = controller.signal;
  const done = () => {
    if (timer !== undefined) clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', onAbort);
  };
  return fetch(target, init).then((response) => { done(); return response; }, (e) => {
    done();
    const kind = timedOut ? 'timeout' : signal?.aborted ? 'aborted' : 'network';
    throw { kind, message: String(e?.message ?? e) };
  });
}
export function buildClient(handle, authenticated) {
  const op = (name) => (a, b, c) => handle.invoke(name, a, b, c);
  // Every page, one after another; a server that repeats a cursor ends it with an error
  // (`invalid_response`) instead of an endless loop.
  const listAll = (name) => async function* (args, pagination) {
    let page = { ...(pagination ?? {}) };
    const backward = page.last !== undefined;
    const seen = new Set(page.cursor === undefined ? [] : [page.cursor]);
    for (;;) {
      const result = await handle.invoke(name, args, page);
      yield* result.result;
      const info = result.pagination;
      const cursor = backward ? info.startCursor : info.endCursor;
      const more = backward ? info.hasPreviousPage : info.hasNextPage;
      if (!more || !cursor) return;
      if (seen.has(cursor)) throw handle.repeatedCursor(args.url, backward);
      seen.add(cursor);
      page = { ...page, cursor };
    }
  };
  const walletAddress = {
    get: op('walletAddress.get'),
    getKeys: op('walletAddress.getKeys'),
    getDIDDocument: op('walletAddress.getDIDDocument'),
  };
  if (!authenticated) {
    return { walletAddress, incomingPayment: { get: op('incomingPayment.getPublic') } };
  }
  return {
    walletAddress,
    grant: {
      request: op('grant.request'),
      continue: op('grant.continue'),
      continueAfterInteraction: op('grant.continueAfterInteraction'),
      cancel: op('grant.cancel'),
    },
    token: { rotate: op('token.rotate'), revoke: op('token.revoke') },
    incomingPayment: {
      create: op('incomingPayment.create'),
      get: op('incomingPayment.get'),
      getPublic: op('incomingPayment.getPublic'),
      list: op('incomingPayment.list'),
      listAll: listAll('incomingPayment.list'),
      complete: op('incomingPayment.complete'),
    },
    quote: { create: op('quote.create'), get: op('quote.get') },
    outgoingPayment: {
      create: op('outgoingPayment.create'),
      get: op('outgoingPayment.get'),
      list: op('outgoingPayment.list'),
      listAll: listAll('outgoingPayment.list'),
      getGrantSpentAmounts: op('outgoingPayment.getGrantSpentAmounts'),
    },
  };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = sleepMs)]
    fn sleep_ms(ms: f64) -> Promise;

    #[wasm_bindgen(js_name = sendFetch)]
    fn send_fetch_js(
        method: &str,
        url: &str,
        headers: js_sys::Array,
        body: Option<js_sys::Uint8Array>,
        signal: Option<web_sys::AbortSignal>,
        timeout_ms: Option<f64>,
        intercept: Option<Function>,
    ) -> Promise;

    #[wasm_bindgen(js_name = buildClient)]
    pub(super) fn build_client(handle: ClientHandle, authenticated: bool) -> JsValue;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = r#"
/** Per-call options, accepted in the first argument of every client operation. */
export interface RequestOptions {
  /** Aborts the request; the operation then rejects with code `"aborted"`. */
  signal?: AbortSignal;
  /** Milliseconds before the request times out (code `"timeout"`); overrides the client's. */
  requestTimeoutMs?: number;
}

/** A resource addressed by its URL, without authorization. */
export interface UnauthenticatedResourceRequestArgs extends RequestOptions {
  /** The full URL of the resource (for create operations: the resource server URL). */
  url: string;
}

/** What a client logger receives. Never contains secrets: no bodies, `Authorization` redacted. */
export interface ClientLogEvent {
  kind: "request" | "response" | "retry" | "error" | "reconcile";
  method: string;
  url: string;
  attempt: number;
  headers?: Record<string, string>;
  status?: number;
  error?: OpenPaymentsErrorCode;
}

/** A logger: a function, or an object with a `debug` method (pino and console both fit). */
export type ClientLogger =
  | ((event: ClientLogEvent) => void)
  | { debug(event: ClientLogEvent, message?: string): void };

/** Options of `createUnauthenticatedClient`. */
export interface CreateUnauthenticatedClientArgs {
  /**
   * Milliseconds before a request times out, code `"timeout"` (default 5000, as the official
   * client: a server that never answers must not hold a checkout or an edge function forever).
   */
  requestTimeoutMs?: number;
  /** Receives redacted request/response events. */
  logger?: ClientLogger;
  /** Accepted for compatibility with the official client; ignored. */
  logLevel?: string;
  /** Rewrite `https` URLs to `http` (local development only). */
  useHttp?: boolean;
  /** Accepted for compatibility; responses are always validated. */
  validateResponses?: boolean;
  /** Retries of GET/DELETE requests after network errors, timeouts and 5xx (default 2). */
  maxRetries?: number;
  /**
   * In-memory cache of `walletAddress.get` documents per URL (default on: 5 minutes, 100
   * entries; a smaller `Cache-Control: max-age` wins, `no-store`/`no-cache` are not cached).
   * `false` turns it off.
   */
  walletAddressCache?: false | { ttlSeconds?: number; maxEntries?: number };
}

export interface WalletAddressRoutes {
  get(args: UnauthenticatedResourceRequestArgs): Promise<WalletAddress>;
  getKeys(args: UnauthenticatedResourceRequestArgs): Promise<JWKS>;
  getDIDDocument(args: UnauthenticatedResourceRequestArgs): Promise<DIDDocument>;
}

export interface UnauthenticatedIncomingPaymentRoutes {
  get(args: UnauthenticatedResourceRequestArgs): Promise<PublicIncomingPayment>;
}

/** A client for public data only. */
export interface UnauthenticatedClient {
  walletAddress: WalletAddressRoutes;
  incomingPayment: UnauthenticatedIncomingPaymentRoutes;
}

"#;

// ---------------------------------------------------------------- transport and runtime

/// Sends requests with the global `fetch` (the response is read through gloo-net), with a
/// timeout and an optional caller `AbortSignal`.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    timeout_ms: Option<u64>,
    signal: Option<web_sys::AbortSignal>,
    /// The `authenticatedRequestInterceptor`: signs requests that must be signed.
    intercept: Option<Function>,
}

impl FetchTransport {
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let headers = js_sys::Array::new();
        for (name, value) in &request.headers {
            // fetch sets Content-Length itself from the body (browsers forbid setting it).
            if !name.eq_ignore_ascii_case("content-length") {
                headers.push(&js_sys::Array::of2(&name.into(), &value.into()));
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let sent = send_fetch_js(
            request.method.as_str(),
            &request.url,
            headers,
            request.body.as_deref().map(js_sys::Uint8Array::from),
            self.signal.clone(),
            self.timeout_ms.map(|ms| ms as f64),
            self.intercept
                .as_ref()
                .filter(|_| request.must_be_signed())
                .cloned(),
        );
        let response = match JsFuture::from(sent).await {
            Ok(response) => {
                gloo_net::http::Response::from(response.unchecked_into::<web_sys::Response>())
            }
            Err(failure) => {
                let message = get(&failure, "message").as_string().unwrap_or_default();
                return Err(match get(&failure, "kind").as_string().as_deref() {
                    Some("timeout") => TransportError::Timeout(self.timeout_ms.unwrap_or(0)),
                    Some("aborted") => TransportError::Aborted,
                    // Nothing was sent: a plain failure, never an unknown outcome.
                    Some("intercept") => TransportError::Rejected(format!(
                        "authenticatedRequestInterceptor failed: {message}"
                    )),
                    _ => TransportError::Network(message),
                });
            }
        };
        // Reading the body can fail too (a connection dropped mid-body, an abort).
        let body = response
            .binary()
            .await
            .map_err(|e| match self.signal.as_ref() {
                Some(signal) if signal.aborted() => TransportError::Aborted,
                _ => TransportError::Network(e.to_string()),
            })?;
        Ok(HttpResponse {
            status: response.status(),
            headers: response.headers().entries().collect(),
            body,
        })
    }
}

impl Transport for FetchTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.fetch(request))
    }
}

/// `Date.now()`, `setTimeout` and `crypto.getRandomValues`.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsRuntime;

impl Runtime for JsRuntime {
    fn now_unix_seconds(&self) -> u64 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let seconds = (js_sys::Date::now() / 1000.0).floor().max(0.0) as u64;
        seconds
    }

    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        #[allow(clippy::cast_precision_loss)]
        let promise = sleep_ms(ms as f64);
        Box::pin(async move {
            let _ = JsFuture::from(promise).await;
        })
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
        getrandom::fill(buf).map_err(|e| e.to_string())
    }
}

// ---------------------------------------------------------------- errors and arguments

/// The JS error of a client operation: an `OpenPaymentsClientError` with `description` (always,
/// as the official client), `status`, `method`, `url`, `serverCode`, `details`, `body` when
/// known, and for a response that is not the expected resource, `validationErrors` (the official
/// client's name).
pub(super) fn client_error_js(err: &ClientError) -> JsValue {
    let message = err.to_string();
    let extra = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&extra, &JsValue::from_str(key), &value);
    };
    let text = |v: &Option<String>| v.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
    if let Some((method, url)) = err.request() {
        set("method", JsValue::from_str(method));
        set("url", JsValue::from_str(url));
    }
    if let Some(status) = err.status() {
        set("status", JsValue::from(status));
    }
    match err {
        ClientError::Http {
            server_code,
            description,
            details,
            body,
            ..
        } => {
            set("serverCode", text(server_code));
            // As the official client: the server's description, else its body, else the message.
            let description = description
                .as_ref()
                .or(body.as_ref())
                .filter(|d| !d.is_empty());
            set(
                "description",
                JsValue::from_str(description.map_or(&message, String::as_str)),
            );
            if let Some(details) = details {
                let json = serde_json::Value::Object((**details).clone());
                set("details", super::to_js(&json).unwrap_or(JsValue::UNDEFINED));
            }
            set("body", text(body));
        }
        ClientError::InvalidResponse { source, .. } => {
            let messages = js_sys::Array::of1(&JsValue::from_str(&source.to_string()));
            set(
                "description",
                JsValue::from_str("the response is not a valid resource"),
            );
            set("validationErrors", messages.into());
        }
        // A string always, as in the official client (which gives the error's message).
        _ => set("description", JsValue::from_str(&message)),
    }
    error::client_error(err.code(), &message, err.field(), extra.into())
}

pub(super) fn invalid(code: &str, field: &str, message: &str) -> JsValue {
    client_error_js(&ClientError::InvalidArgument {
        code: code.to_owned(),
        field: Some(field.to_owned()),
        message: message.to_owned(),
    })
}

pub(super) fn get(target: &JsValue, name: &str) -> JsValue {
    if target.is_object() {
        Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

pub(super) fn string(target: &JsValue, name: &str) -> Result<String, JsValue> {
    get(target, name)
        .as_string()
        .ok_or_else(|| invalid("invalid_type", name, &format!("`{name}` must be a string")))
}

pub(super) fn optional_millis(target: &JsValue, name: &str) -> Result<Option<u64>, JsValue> {
    let value = get(target, name);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if (0.0..=9_007_199_254_740_991.0).contains(&n) =>
        {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(Some(n.round() as u64))
        }
        _ => Err(invalid(
            "invalid_value",
            name,
            &format!("`{name}` must be a non-negative number"),
        )),
    }
}

/// The first argument of an operation: URL, token, wallet address and per-call options.
pub(super) struct Args {
    pub(super) url: String,
    pub(super) first: JsValue,
}

impl Args {
    fn read(value: &JsValue) -> Result<Self, JsValue> {
        if !value.is_object() {
            return Err(invalid(
                "invalid_type",
                "args",
                "the first argument must be an object with `url`",
            ));
        }
        Ok(Self {
            url: string(value, "url")?,
            first: value.clone(),
        })
    }
}

// ---------------------------------------------------------------- the handle

/// Owns the core client; the JS client object calls `invoke`. Not part of the public API.
#[wasm_bindgen(skip_typescript)]
pub struct ClientHandle {
    pub(super) inner: Rc<OpenPaymentsClient<FetchTransport>>,
    pub(super) timeout_ms: Option<u64>,
    pub(super) intercept: Option<Function>,
}

#[wasm_bindgen]
impl ClientHandle {
    /// Runs operation `op` with the JS arguments; resolves to the plain-object result.
    pub fn invoke(&self, op: String, a: JsValue, b: JsValue, c: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let defaults = FetchTransport {
            timeout_ms: self.timeout_ms,
            signal: None,
            intercept: self.intercept.clone(),
        };
        future_to_promise(async move { run(&inner, defaults, &op, a, b, c).await })
    }

    /// The error `listAll` throws when the server at `url` repeats a cursor.
    #[wasm_bindgen(js_name = repeatedCursor)]
    pub fn repeated_cursor(&self, url: &str, backward: bool) -> JsValue {
        client_error_js(&ClientError::repeated_cursor(url, backward))
    }
}

async fn run(
    client: &OpenPaymentsClient<FetchTransport>,
    defaults: FetchTransport,
    op: &str,
    a: JsValue,
    b: JsValue,
    c: JsValue,
) -> Result<JsValue, JsValue> {
    let args = Args::read(&a)?;
    let signal = get(&args.first, "signal");
    let transport = FetchTransport {
        timeout_ms: optional_millis(&args.first, "requestTimeoutMs")?.or(defaults.timeout_ms),
        intercept: defaults.intercept,
        signal: (!signal.is_undefined() && !signal.is_null())
            .then(|| signal.unchecked_into::<web_sys::AbortSignal>()),
    };
    let client = client.with_transport(transport);
    let url = args.url.as_str();
    let e = |err: ClientError| client_error_js(&err);
    match op {
        "walletAddress.get" => to_js(&client.get_wallet_address(url).await.map_err(e)?),
        "walletAddress.getKeys" => to_js(&client.get_wallet_address_keys(url).await.map_err(e)?),
        "walletAddress.getDIDDocument" => to_js(&client.get_did_document(url).await.map_err(e)?),
        "incomingPayment.getPublic" => {
            to_js(&client.get_public_incoming_payment(url).await.map_err(e)?)
        }
        #[cfg(feature = "js-client")]
        _ => super::authenticated::run(&client, &args, op, b, c).await,
        #[cfg(not(feature = "js-client"))]
        _ => {
            let _ = (b, c);
            Err(error::internal(&format!("unknown operation {op}")))
        }
    }
}

// ---------------------------------------------------------------- construction

fn logger_from(value: JsValue) -> Option<crate::client::Logger> {
    if value.is_undefined() || value.is_null() {
        return None;
    }
    let (this, function) = match value.dyn_ref::<Function>() {
        Some(f) => (JsValue::UNDEFINED, f.clone()),
        None => (
            value.clone(),
            get(&value, "debug").dyn_into::<Function>().ok()?,
        ),
    };
    Some(Box::new(move |event: &LogEvent| {
        let object = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&object, &JsValue::from_str(k), &v);
        };
        set("kind", JsValue::from_str(event.kind));
        set("method", JsValue::from_str(event.method));
        set("url", JsValue::from_str(&event.url));
        set("attempt", JsValue::from(event.attempt));
        if !event.headers.is_empty() {
            let headers = Object::new();
            for (n, v) in &event.headers {
                let _ = Reflect::set(&headers, &JsValue::from_str(n), &JsValue::from_str(v));
            }
            set("headers", headers.into());
        }
        if let Some(status) = event.status {
            set("status", JsValue::from(status));
        }
        if let Some(code) = &event.error {
            set("error", JsValue::from_str(code));
        }
        let _ = function.call2(&this, &object, &JsValue::from_str("open-payments"));
    }))
}

/// The request timeout when the options give none: the official client's default.
const DEFAULT_TIMEOUT_MS: u64 = 5000;

pub(super) fn config_from(options: &JsValue) -> Result<(ClientConfig, Option<u64>), JsValue> {
    let mut config = ClientConfig::new(Box::new(JsRuntime));
    let timeout = optional_millis(options, "requestTimeoutMs")?.or(Some(DEFAULT_TIMEOUT_MS));
    if get(options, "useHttp").as_bool() == Some(true) {
        config = config.with_url_options(UrlOptions { use_http: true });
    }
    if let Some(retries) = optional_millis(options, "maxRetries")? {
        config = config.with_retry(RetryPolicy {
            max_retries: u32::try_from(retries.min(10)).unwrap_or(10),
            ..RetryPolicy::default()
        });
    }
    if let Some(logger) = logger_from(get(options, "logger")) {
        config = config.with_logger(logger);
    }
    let cache = get(options, "walletAddressCache");
    if cache.as_bool() != Some(false) {
        let mut policy = CachePolicy::default();
        if cache.is_object() {
            if let Some(ttl) = optional_millis(&cache, "ttlSeconds")? {
                policy.ttl_seconds = ttl;
            }
            if let Some(max) = optional_millis(&cache, "maxEntries")? {
                policy.max_entries = usize::try_from(max).unwrap_or(usize::MAX);
            }
        }
        config = config.with_wallet_address_cache(policy);
    }
    Ok((config, timeout))
}

pub(super) fn settle(result: Result<JsValue, JsValue>) -> Promise {
    match result {
        Ok(value) => Promise::resolve(&value),
        Err(err) => Promise::reject(&err),
    }
}

/// Creates a client for public data (wallet addresses, public incoming payments).
#[wasm_bindgen(js_name = createUnauthenticatedClient, unchecked_return_type = "Promise<UnauthenticatedClient>")]
pub fn create_unauthenticated_client(
    #[wasm_bindgen(unchecked_param_type = "CreateUnauthenticatedClientArgs")] options: Option<
        Object,
    >,
) -> Promise {
    let options: JsValue = options.map_or(JsValue::UNDEFINED, JsValue::from);
    settle(config_from(&options).map(|(config, timeout_ms)| {
        let handle = ClientHandle {
            inner: Rc::new(OpenPaymentsClient::new(FetchTransport::default(), config)),
            timeout_ms,
            intercept: None,
        };
        build_client(handle, false)
    }))
}
