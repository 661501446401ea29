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
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::{error, from_js, to_js};
use crate::client::{
    interact_request, new_nonce, verify_interact_finish, CachePolicy, ClientConfig, ClientError,
    HttpRequest, HttpResponse, InteractFinishCheck, LocalBoxFuture, LogEvent, Method,
    OpenPaymentsClient, Pagination, RetryPolicy, Runtime, Transport, TransportError, UrlOptions,
};
use crate::error::ErrorCode;
use crate::resources::{
    from_deserializer, ContinuationRequest, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, GrantRequest, JsonWebKey, ResourceError,
};
use crate::signature::{JwkInput, PrivateKey};

#[wasm_bindgen(inline_js = r#"
export function sleepMs(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
export function abortScope(signal, timeoutMs) {
  const controller = new AbortController();
  const scope = { signal: controller.signal, timedOut: false, callerAborted: false, timer: undefined };
  const onAbort = () => { scope.callerAborted = true; controller.abort(signal.reason); };
  if (signal) {
    if (signal.aborted) onAbort(); else signal.addEventListener('abort', onAbort, { once: true });
  }
  if (timeoutMs !== undefined) {
    scope.timer = setTimeout(() => { scope.timedOut = true; controller.abort(); }, timeoutMs);
  }
  scope.clear = () => {
    if (scope.timer !== undefined) clearTimeout(scope.timer);
    if (signal) signal.removeEventListener('abort', onAbort);
  };
  return scope;
}
export function buildClient(handle, authenticated) {
  const op = (name) => (a, b, c) => handle.invoke(name, a, b, c);
  const listAll = (name) => async function* (args, pagination) {
    let page = { ...(pagination ?? {}) };
    const backward = page.last !== undefined;
    for (;;) {
      const result = await handle.invoke(name, args, page);
      yield* result.result;
      const info = result.pagination;
      const cursor = backward ? info.startCursor : info.endCursor;
      const more = backward ? info.hasPreviousPage : info.hasNextPage;
      if (!more || !cursor) return;
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

    type AbortScope;
    #[wasm_bindgen(js_name = abortScope)]
    fn abort_scope(signal: Option<web_sys::AbortSignal>, timeout_ms: Option<f64>) -> AbortScope;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &AbortScope) -> web_sys::AbortSignal;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &AbortScope) -> bool;
    #[wasm_bindgen(method, getter, js_name = callerAborted)]
    fn caller_aborted(this: &AbortScope) -> bool;
    #[wasm_bindgen(method)]
    fn clear(this: &AbortScope);

    #[wasm_bindgen(js_name = buildClient)]
    fn build_client(handle: ClientHandle, authenticated: bool) -> JsValue;
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

/** A resource addressed by its URL, with an access token. */
export interface ResourceRequestArgs extends UnauthenticatedResourceRequestArgs {
  /** The access token (`Authorization: GNAP <accessToken>`). */
  accessToken: string;
}

/** A grant (continue URL) or token (manage URL) with its token. */
export interface GrantOrTokenRequestArgs extends ResourceRequestArgs {}

/** A collection: the resource server URL, the token and the wallet address listed. */
export interface CollectionRequestArgs extends ResourceRequestArgs {
  walletAddress: string;
}

/** Which page to fetch: `first` (forward) or `last` (backward), 1 to 100, from `cursor`. */
export type PaginationArgs =
  | { first?: number; last?: never; cursor?: string }
  | { last?: number; first?: never; cursor?: string };

/** A continuation response with no access yet (poll again after `continue.wait`). */
export interface GrantContinuation {
  continue: GrantContinue;
}
/** A finalized grant with an access token. */
export interface GrantWithAccessToken extends Grant {
  access_token: GrantAccessToken;
}
/** A finalized grant with subject information. */
export interface GrantWithSubject extends Grant {
  subject: Subject;
}
/** The body of a grant continuation: the `interact_ref` of the finish redirect. */
export type GrantContinuationRequest = { interact_ref: string } | undefined;

/** What the client has after the user is back from the interaction. */
export interface InteractFinishParams {
  /** The nonce the client sent in `interact.finish.nonce`. */
  clientNonce: string;
  /** The server's `interact.finish` of the pending grant. */
  finishNonce: string;
  /** The `interact_ref` query parameter of the finish redirect. */
  interactRef: string;
  /** The URL the grant request was sent to (the wallet address's `authServer`), verbatim. */
  grantEndpoint: string;
  /** The `hash` query parameter of the finish redirect. */
  hash: string;
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
  /** Milliseconds before a request times out (default: none). */
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

/** Options of `createAuthenticatedClient`. */
export interface CreateAuthenticatedClientArgs extends CreateUnauthenticatedClientArgs {
  /** The wallet address the client identifies itself by (its `jwks.json` holds the key). */
  walletAddressUrl: string;
  /** The Ed25519 private key: PKCS#8 PEM text, a private JWK, or a `SigningKey`. */
  privateKey: string | PrivateJwkInput | SigningKey;
  /** The key id (`kid`) of the key. */
  keyId: string;
}

export interface WalletAddressRoutes {
  get(args: UnauthenticatedResourceRequestArgs): Promise<WalletAddress>;
  getKeys(args: UnauthenticatedResourceRequestArgs): Promise<JWKS>;
  getDIDDocument(args: UnauthenticatedResourceRequestArgs): Promise<DIDDocument>;
}

export interface GrantRoutes {
  /** `args.url` is the authorization server URL (the wallet address's `authServer`). */
  request(
    args: UnauthenticatedResourceRequestArgs,
    request: Omit<GrantRequest, "client">,
    clientOverride?: { jwk: JWK },
  ): Promise<PendingGrant | Grant>;
  continue(args: GrantOrTokenRequestArgs, request?: GrantContinuationRequest): Promise<Grant | GrantContinuation>;
  /** Verifies the interaction-finish hash, then continues with its `interact_ref`. */
  continueAfterInteraction(args: GrantOrTokenRequestArgs, finish: InteractFinishParams): Promise<Grant | GrantContinuation>;
  cancel(args: GrantOrTokenRequestArgs): Promise<void>;
}

export interface TokenRoutes {
  rotate(args: GrantOrTokenRequestArgs): Promise<AccessToken>;
  revoke(args: GrantOrTokenRequestArgs): Promise<void>;
}

export interface UnauthenticatedIncomingPaymentRoutes {
  get(args: UnauthenticatedResourceRequestArgs): Promise<PublicIncomingPayment>;
}

export interface IncomingPaymentRoutes {
  /** `args.url` is the resource server URL. */
  create(args: ResourceRequestArgs, body: CreateIncomingPaymentArgs): Promise<IncomingPaymentWithPaymentMethods>;
  get(args: ResourceRequestArgs): Promise<IncomingPaymentWithPaymentMethods>;
  getPublic(args: UnauthenticatedResourceRequestArgs): Promise<PublicIncomingPayment>;
  list(args: CollectionRequestArgs, pagination?: PaginationArgs): Promise<IncomingPaymentPaginationResult>;
  /** Every incoming payment, page after page. */
  listAll(args: CollectionRequestArgs, pagination?: PaginationArgs): AsyncGenerator<IncomingPayment, void, undefined>;
  complete(args: ResourceRequestArgs): Promise<IncomingPayment>;
}

export interface QuoteRoutes {
  /** `args.url` is the resource server URL. */
  create(args: ResourceRequestArgs, body: CreateQuoteArgs): Promise<Quote>;
  get(args: ResourceRequestArgs): Promise<Quote>;
}

export interface OutgoingPaymentRoutes {
  /**
   * `args.url` is the resource server URL. Never creates two payments for one quote: after a
   * timeout or dropped connection the sender's payments are listed and the one made from the
   * same quote is returned.
   */
  create(args: ResourceRequestArgs, body: CreateOutgoingPaymentArgs): Promise<OutgoingPaymentWithSpentAmounts>;
  get(args: ResourceRequestArgs): Promise<OutgoingPayment>;
  list(args: CollectionRequestArgs, pagination?: PaginationArgs): Promise<OutgoingPaymentPaginationResult>;
  /** Every outgoing payment, page after page. */
  listAll(args: CollectionRequestArgs, pagination?: PaginationArgs): AsyncGenerator<OutgoingPayment, void, undefined>;
  /** `args.url` is the resource server URL. */
  getGrantSpentAmounts(args: ResourceRequestArgs): Promise<OutgoingPaymentGrantSpentAmounts>;
}

/** A client for public data only. */
export interface UnauthenticatedClient {
  walletAddress: WalletAddressRoutes;
  incomingPayment: UnauthenticatedIncomingPaymentRoutes;
}

/** A client that signs its requests. */
export interface AuthenticatedClient {
  walletAddress: WalletAddressRoutes;
  incomingPayment: IncomingPaymentRoutes;
  outgoingPayment: OutgoingPaymentRoutes;
  grant: GrantRoutes;
  token: TokenRoutes;
  quote: QuoteRoutes;
}
"#;

// ---------------------------------------------------------------- transport and runtime

/// Sends requests with the global `fetch` (through gloo-net), with a timeout and an optional
/// caller `AbortSignal`.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    timeout_ms: Option<u64>,
    signal: Option<web_sys::AbortSignal>,
}

impl FetchTransport {
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        #[allow(clippy::cast_precision_loss)]
        let scope = abort_scope(self.signal.clone(), self.timeout_ms.map(|ms| ms as f64));
        let outcome = send_fetch(&request, &scope.signal()).await;
        scope.clear();
        outcome.map_err(|message| {
            if scope.timed_out() {
                TransportError::Timeout(self.timeout_ms.unwrap_or(0))
            } else if scope.caller_aborted() {
                TransportError::Aborted
            } else {
                TransportError::Network(message)
            }
        })
    }
}

async fn send_fetch(
    request: &HttpRequest,
    signal: &web_sys::AbortSignal,
) -> Result<HttpResponse, String> {
    use gloo_net::http::{Method as M, RequestBuilder};
    let method = match request.method {
        Method::Get => M::GET,
        Method::Post => M::POST,
        Method::Delete => M::DELETE,
    };
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .abort_signal(Some(signal));
    for (name, value) in &request.headers {
        // fetch sets Content-Length itself from the body (browsers forbid setting it).
        if !name.eq_ignore_ascii_case("content-length") {
            builder = builder.header(name, value);
        }
    }
    let sent = match &request.body {
        Some(body) => {
            builder
                .body(js_sys::Uint8Array::from(body.as_slice()))
                .map_err(|e| e.to_string())?
                .send()
                .await
        }
        None => builder.send().await,
    }
    .map_err(|e| e.to_string())?;
    let headers = sent.headers().entries().collect();
    let body = sent.binary().await.map_err(|e| e.to_string())?;
    Ok(HttpResponse {
        status: sent.status(),
        headers,
        body,
    })
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

/// The JS error of a client operation: an `OpenPaymentsClientError` with `status`, `method`,
/// `url`, `serverCode`, `description`, `body` when known.
fn client_error_js(err: &ClientError) -> JsValue {
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
    if let ClientError::Http {
        server_code,
        description,
        body,
        ..
    } = err
    {
        set("serverCode", text(server_code));
        set("description", text(description));
        set("body", text(body));
    }
    error::client_error(err.code(), &err.to_string(), err.field(), extra.into())
}

fn argument_error(err: &ResourceError) -> JsValue {
    client_error_js(&ClientError::invalid_argument(err))
}

fn invalid(code: &str, field: &str, message: &str) -> JsValue {
    client_error_js(&ClientError::InvalidArgument {
        code: code.to_owned(),
        field: Some(field.to_owned()),
        message: message.to_owned(),
    })
}

/// Reads a body through `serde_json::Value`, so closed bodies refuse unknown fields as natively.
fn body<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    let json: serde_json::Value = from_js(value)?;
    from_deserializer(json).map_err(|e| argument_error(&e))
}

fn get(target: &JsValue, name: &str) -> JsValue {
    if target.is_object() {
        Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn string(target: &JsValue, name: &str) -> Result<String, JsValue> {
    get(target, name)
        .as_string()
        .ok_or_else(|| invalid("invalid_type", name, &format!("`{name}` must be a string")))
}

fn optional_millis(target: &JsValue, name: &str) -> Result<Option<u64>, JsValue> {
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
struct Args {
    url: String,
    access_token: Option<String>,
    first: JsValue,
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
            access_token: get(value, "accessToken").as_string(),
            first: value.clone(),
        })
    }

    fn token(&self) -> Result<&str, JsValue> {
        self.access_token
            .as_deref()
            .ok_or_else(|| invalid("missing_field", "accessToken", "`accessToken` is required"))
    }
}

// ---------------------------------------------------------------- the handle

/// Owns the core client; the JS client object calls `invoke`. Not part of the public API.
#[wasm_bindgen(skip_typescript)]
pub struct ClientHandle {
    inner: Rc<OpenPaymentsClient<FetchTransport>>,
    timeout_ms: Option<u64>,
}

#[wasm_bindgen]
impl ClientHandle {
    /// Runs operation `op` with the JS arguments; resolves to the plain-object result.
    pub fn invoke(&self, op: String, a: JsValue, b: JsValue, c: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let default_timeout = self.timeout_ms;
        future_to_promise(async move { run(&inner, default_timeout, &op, a, b, c).await })
    }
}

async fn run(
    client: &OpenPaymentsClient<FetchTransport>,
    default_timeout: Option<u64>,
    op: &str,
    a: JsValue,
    b: JsValue,
    c: JsValue,
) -> Result<JsValue, JsValue> {
    let args = Args::read(&a)?;
    let signal = get(&args.first, "signal");
    let transport = FetchTransport {
        timeout_ms: optional_millis(&args.first, "requestTimeoutMs")?.or(default_timeout),
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
        "grant.request" => {
            let mut json: serde_json::Value = from_js(b)?;
            let identity = if c.is_undefined() || c.is_null() {
                client.client_identity().map_err(e)?
            } else {
                let jwk: JsonWebKey = body(get(&c, "jwk"))?;
                crate::resources::Client::Jwk { jwk }
            };
            let client_json =
                serde_json::to_value(identity).map_err(|err| error::internal(&err.to_string()))?;
            match json.as_object_mut() {
                Some(object) => {
                    object.insert("client".to_owned(), client_json);
                }
                None => {
                    return Err(invalid(
                        "invalid_type",
                        "request",
                        "the grant request must be an object",
                    ))
                }
            }
            let request: GrantRequest =
                from_deserializer(json).map_err(|err| argument_error(&err))?;
            to_js(&client.request_grant(url, &request).await.map_err(e)?)
        }
        "grant.continue" => {
            let request: ContinuationRequest = if b.is_undefined() || b.is_null() {
                ContinuationRequest::default()
            } else {
                body(b)?
            };
            to_js(
                &client
                    .continue_grant(url, args.token()?, &request)
                    .await
                    .map_err(e)?,
            )
        }
        "grant.continueAfterInteraction" => {
            let fields = read_finish(&b)?;
            let check = fields.check();
            to_js(
                &client
                    .continue_grant_after_interaction(url, args.token()?, &check)
                    .await
                    .map_err(e)?,
            )
        }
        "grant.cancel" => {
            client.cancel_grant(url, args.token()?).await.map_err(e)?;
            Ok(JsValue::UNDEFINED)
        }
        "token.rotate" => to_js(&client.rotate_token(url, args.token()?).await.map_err(e)?),
        "token.revoke" => {
            client.revoke_token(url, args.token()?).await.map_err(e)?;
            Ok(JsValue::UNDEFINED)
        }
        "incomingPayment.create" => {
            let request: CreateIncomingPaymentRequest = body(b)?;
            to_js(
                &client
                    .create_incoming_payment(url, args.token()?, &request)
                    .await
                    .map_err(e)?,
            )
        }
        "incomingPayment.get" => to_js(
            &client
                .get_incoming_payment(url, args.token()?)
                .await
                .map_err(e)?,
        ),
        "incomingPayment.getPublic" => {
            to_js(&client.get_public_incoming_payment(url).await.map_err(e)?)
        }
        "incomingPayment.list" => {
            let wallet = string(&args.first, "walletAddress")?;
            let pagination = pagination(b)?;
            to_js(
                &client
                    .list_incoming_payments(url, args.token()?, &wallet, &pagination)
                    .await
                    .map_err(e)?,
            )
        }
        "incomingPayment.complete" => to_js(
            &client
                .complete_incoming_payment(url, args.token()?)
                .await
                .map_err(e)?,
        ),
        "quote.create" => {
            let request: CreateQuoteRequest = body(b)?;
            to_js(
                &client
                    .create_quote(url, args.token()?, &request)
                    .await
                    .map_err(e)?,
            )
        }
        "quote.get" => to_js(&client.get_quote(url, args.token()?).await.map_err(e)?),
        "outgoingPayment.create" => {
            let request: CreateOutgoingPaymentRequest = body(b)?;
            to_js(
                &client
                    .create_outgoing_payment(url, args.token()?, &request)
                    .await
                    .map_err(e)?,
            )
        }
        "outgoingPayment.get" => to_js(
            &client
                .get_outgoing_payment(url, args.token()?)
                .await
                .map_err(e)?,
        ),
        "outgoingPayment.list" => {
            let wallet = string(&args.first, "walletAddress")?;
            let pagination = pagination(b)?;
            to_js(
                &client
                    .list_outgoing_payments(url, args.token()?, &wallet, &pagination)
                    .await
                    .map_err(e)?,
            )
        }
        "outgoingPayment.getGrantSpentAmounts" => to_js(
            &client
                .get_grant_spent_amounts(url, args.token()?)
                .await
                .map_err(e)?,
        ),
        _ => Err(error::internal(&format!("unknown operation {op}"))),
    }
}

/// Pagination from the official argument shape (`first`, `last`, `cursor`; a `wallet-address`
/// member, which the official types allow, is ignored: the collection argument names it).
fn pagination(value: JsValue) -> Result<Pagination, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Pagination::default());
    }
    let count = |name: &str| -> Result<Option<u8>, JsValue> {
        match optional_millis(&value, name)? {
            None => Ok(None),
            Some(n) => u8::try_from(n)
                .map(Some)
                .map_err(|_| invalid("invalid_value", name, "page sizes are 1 to 100")),
        }
    };
    Ok(Pagination {
        first: count("first")?,
        last: count("last")?,
        cursor: get(&value, "cursor").as_string(),
    })
}

struct FinishFields {
    client_nonce: String,
    finish_nonce: String,
    interact_ref: String,
    grant_endpoint: String,
    hash: String,
}

impl FinishFields {
    fn check(&self) -> InteractFinishCheck<'_> {
        InteractFinishCheck {
            client_nonce: &self.client_nonce,
            finish_nonce: &self.finish_nonce,
            interact_ref: &self.interact_ref,
            grant_endpoint: &self.grant_endpoint,
            hash: &self.hash,
        }
    }
}

fn read_finish(value: &JsValue) -> Result<FinishFields, JsValue> {
    Ok(FinishFields {
        client_nonce: string(value, "clientNonce")?,
        finish_nonce: string(value, "finishNonce")?,
        interact_ref: string(value, "interactRef")?,
        grant_endpoint: string(value, "grantEndpoint")?,
        hash: string(value, "hash")?,
    })
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

fn config_from(options: &JsValue) -> Result<(ClientConfig, Option<u64>), JsValue> {
    let mut config = ClientConfig::new(Box::new(JsRuntime));
    let timeout = optional_millis(options, "requestTimeoutMs")?;
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

fn load_key(value: &JsValue, key_id: &str) -> Result<PrivateKey, JsValue> {
    let map = |err: crate::signature::KeyError| {
        client_error_js(&ClientError::InvalidArgument {
            code: err.code().to_owned(),
            field: Some("privateKey".to_owned()),
            message: err.to_string(),
        })
    };
    if let Some(text) = value.as_string() {
        return PrivateKey::load(&text, key_id).map_err(map);
    }
    // A `SigningKey` of this package: read its private JWK (it never leaves this function).
    let export = get(value, "exportPrivateJwk");
    let jwk = match export.dyn_ref::<Function>() {
        Some(f) => f.call0(value)?,
        None => value.clone(),
    };
    if !jwk.is_object() {
        return Err(invalid(
            "invalid_type",
            "privateKey",
            "privateKey must be a PEM string, a private JWK or a SigningKey",
        ));
    }
    let input: JwkInput = from_js(jwk)?;
    PrivateKey::from_jwk_input(&input, key_id).map_err(map)
}

fn settle(result: Result<JsValue, JsValue>) -> Promise {
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
        };
        build_client(handle, false)
    }))
}

/// Creates a client that signs every request with the given key, identifying itself by
/// `walletAddressUrl`.
#[wasm_bindgen(js_name = createAuthenticatedClient, unchecked_return_type = "Promise<AuthenticatedClient>")]
pub fn create_authenticated_client(
    #[wasm_bindgen(unchecked_param_type = "CreateAuthenticatedClientArgs")] options: Object,
) -> Promise {
    let options: JsValue = options.into();
    settle((|| {
        let wallet = string(&options, "walletAddressUrl")?;
        let key_id = string(&options, "keyId")?;
        let key = load_key(&get(&options, "privateKey"), &key_id)?;
        let (config, timeout_ms) = config_from(&options)?;
        let handle = ClientHandle {
            inner: Rc::new(OpenPaymentsClient::new(
                FetchTransport::default(),
                config.with_key(key, &wallet),
            )),
            timeout_ms,
        };
        Ok(build_client(handle, true))
    })())
}

// ---------------------------------------------------------------- grants and interaction

/// `true` when the grant awaits interaction (it has `interact`).
#[wasm_bindgen(js_name = isPendingGrant, unchecked_return_type = "grant is PendingGrant")]
pub fn is_pending_grant(
    #[wasm_bindgen(unchecked_param_type = "PendingGrant | Grant")] grant: &JsValue,
) -> bool {
    get(grant, "interact").is_truthy()
}

/// `true` when the grant carries an access token or subject information.
#[wasm_bindgen(js_name = isFinalizedGrant, unchecked_return_type = "grant is Grant")]
pub fn is_finalized_grant(
    #[wasm_bindgen(unchecked_param_type = "GrantContinuation | Grant")] grant: &JsValue,
) -> bool {
    get(grant, "access_token").is_truthy() || get(grant, "subject").is_truthy()
}

/// `true` when the grant carries an access token.
#[wasm_bindgen(js_name = isFinalizedGrantWithAccessToken, unchecked_return_type = "grant is GrantWithAccessToken")]
pub fn is_finalized_grant_with_access_token(
    #[wasm_bindgen(unchecked_param_type = "GrantContinuation | Grant")] grant: &JsValue,
) -> bool {
    get(grant, "access_token").is_truthy()
}

/// `true` when the grant carries subject information.
#[wasm_bindgen(js_name = isFinalizedGrantWithSubject, unchecked_return_type = "grant is GrantWithSubject")]
pub fn is_finalized_grant_with_subject(
    #[wasm_bindgen(unchecked_param_type = "GrantContinuation | Grant")] grant: &JsValue,
) -> bool {
    get(grant, "subject").is_truthy()
}

/// The `interact` block of an interactive grant request, with a fresh nonce in
/// `finish.nonce` (keep it: `verifyInteractFinish` needs it).
#[wasm_bindgen(js_name = createInteractRequest, unchecked_return_type = "InteractRequest & { finish: { method: \"redirect\"; uri: string; nonce: string } }")]
pub fn create_interact_request(
    #[wasm_bindgen(js_name = finishUri)] finish_uri: &str,
) -> Result<JsValue, JsValue> {
    let nonce = new_nonce(&JsRuntime).map_err(|e| client_error_js(&e))?;
    to_js(&interact_request(finish_uri, &nonce))
}

/// Checks the interaction-finish `hash` of the redirect back from the authorization server;
/// throws (`interaction_hash_mismatch` / `invalid_interaction_hash`) when it does not match.
#[wasm_bindgen(js_name = verifyInteractFinish)]
pub fn verify_interact_finish_js(
    #[wasm_bindgen(unchecked_param_type = "InteractFinishParams")] params: JsValue,
) -> Result<(), JsValue> {
    let fields = read_finish(&params)?;
    verify_interact_finish(&fields.check()).map_err(|e| client_error_js(&e))
}
