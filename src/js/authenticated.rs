//! The authenticated JS client (feature `js-client`): `createAuthenticatedClient`, the operations
//! that need the client key (grants, tokens, incoming payments, quotes, outgoing payments), the
//! grant type guards and the interaction helpers. The shared parts (transport, errors, per-call
//! options, the public operations) are in [`super::client`]; the browser build leaves this
//! module, and with it the signing code, out.

use std::rc::Rc;

use js_sys::{Function, Object, Promise};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::client::{
    build_client, client_error_js, config_from, get, invalid, optional_millis, settle, string,
    Args, ClientHandle, FetchTransport, JsRuntime,
};
use super::{error, from_js, to_js};
use crate::client::{
    interact_request, new_nonce, verify_interact_finish, ClientError, InteractFinishCheck,
    OpenPaymentsClient, Pagination,
};
use crate::error::ErrorCode;
use crate::resources::{
    from_deserializer, ContinuationRequest, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, GrantRequest, JsonWebKey, ResourceError,
};
use crate::signature::{JwkInput, PrivateKey};

#[wasm_bindgen(typescript_custom_section)]
const TS_AUTHENTICATED_CLIENT: &str = r#"
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

/**
 * Signs a request instead of the client (the official client's option of the same name): gets
 * each request that must be signed (POSTs, requests with a token) as a `Request` with every
 * other header set, and returns the signed `Request` (or adds the headers to it and returns
 * nothing). A throw rejects the operation with code `request_not_sent`.
 */
export type InterceptorFn = (request: Request) => Request | Promise<Request> | void | Promise<void>;

/** A `node:crypto` private `KeyObject` (Node, Deno, Bun), as far as the client uses it. */
export interface PrivateKeyObject {
  /** `"private"` (a public or secret key is refused). */
  readonly type: "secret" | "public" | "private";
  export(options: { format: "der"; type: "pkcs8" }): Uint8Array;
}

/** Options of `createAuthenticatedClient`: a key and key id, or a request interceptor. */
export type CreateAuthenticatedClientArgs = CreateUnauthenticatedClientArgs & {
  /** The wallet address the client identifies itself by (its `jwks.json` holds the key). */
  walletAddressUrl: string;
} & (
  | {
      /**
       * The Ed25519 private key: PKCS#8 PEM text, a private JWK, a `SigningKey`, PEM or PKCS#8
       * DER bytes (a `Buffer` too), a `node:crypto` private `KeyObject`, or, as in the official
       * client, the path of a key file (relative to the working directory; Node, Deno, Bun).
       */
      privateKey: string | PrivateJwkInput | SigningKey | Uint8Array | PrivateKeyObject;
      /** The key id (`kid`) of the key. */
      keyId: string;
      authenticatedRequestInterceptor?: never;
    }
  | {
      /** Signs the requests instead of a key held by the client (e.g. in an HSM or a KMS). */
      authenticatedRequestInterceptor: InterceptorFn;
      privateKey?: never;
      keyId?: never;
    }
);

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

/// The operations of the authenticated client (the public ones are in `super::client::run`).
pub(super) async fn run(
    client: &OpenPaymentsClient<FetchTransport>,
    args: &Args,
    op: &str,
    b: JsValue,
    c: JsValue,
) -> Result<JsValue, JsValue> {
    let url = args.url.as_str();
    let e = |err: ClientError| client_error_js(&err);
    match op {
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
                    .continue_grant(url, &token(args)?, &request)
                    .await
                    .map_err(e)?,
            )
        }
        "grant.continueAfterInteraction" => {
            let fields = read_finish(&b)?;
            let check = fields.check();
            to_js(
                &client
                    .continue_grant_after_interaction(url, &token(args)?, &check)
                    .await
                    .map_err(e)?,
            )
        }
        "grant.cancel" => {
            client.cancel_grant(url, &token(args)?).await.map_err(e)?;
            Ok(JsValue::UNDEFINED)
        }
        "token.rotate" => to_js(&client.rotate_token(url, &token(args)?).await.map_err(e)?),
        "token.revoke" => {
            client.revoke_token(url, &token(args)?).await.map_err(e)?;
            Ok(JsValue::UNDEFINED)
        }
        "incomingPayment.create" => {
            let request: CreateIncomingPaymentRequest = body(b)?;
            to_js(
                &client
                    .create_incoming_payment(url, &token(args)?, &request)
                    .await
                    .map_err(e)?,
            )
        }
        "incomingPayment.get" => to_js(
            &client
                .get_incoming_payment(url, &token(args)?)
                .await
                .map_err(e)?,
        ),
        "incomingPayment.list" => {
            let wallet = string(&args.first, "walletAddress")?;
            let pagination = pagination(b)?;
            to_js(
                &client
                    .list_incoming_payments(url, &token(args)?, &wallet, &pagination)
                    .await
                    .map_err(e)?,
            )
        }
        "incomingPayment.complete" => to_js(
            &client
                .complete_incoming_payment(url, &token(args)?)
                .await
                .map_err(e)?,
        ),
        "quote.create" => {
            let request: CreateQuoteRequest = body(b)?;
            to_js(
                &client
                    .create_quote(url, &token(args)?, &request)
                    .await
                    .map_err(e)?,
            )
        }
        "quote.get" => to_js(&client.get_quote(url, &token(args)?).await.map_err(e)?),
        "outgoingPayment.create" => {
            let request: CreateOutgoingPaymentRequest = body(b)?;
            to_js(
                &client
                    .create_outgoing_payment(url, &token(args)?, &request)
                    .await
                    .map_err(e)?,
            )
        }
        "outgoingPayment.get" => to_js(
            &client
                .get_outgoing_payment(url, &token(args)?)
                .await
                .map_err(e)?,
        ),
        "outgoingPayment.list" => {
            let wallet = string(&args.first, "walletAddress")?;
            let pagination = pagination(b)?;
            to_js(
                &client
                    .list_outgoing_payments(url, &token(args)?, &wallet, &pagination)
                    .await
                    .map_err(e)?,
            )
        }
        "outgoingPayment.getGrantSpentAmounts" => to_js(
            &client
                .get_grant_spent_amounts(url, &token(args)?)
                .await
                .map_err(e)?,
        ),
        _ => Err(error::internal(&format!("unknown operation {op}"))),
    }
}

/// Reads a body through `serde_json::Value`, so closed bodies refuse unknown fields as natively.
fn body<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    let json: serde_json::Value = from_js(value)?;
    from_deserializer(json).map_err(|e| argument_error(&e))
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

#[wasm_bindgen(inline_js = r#"
// The bytes of a key file, as the official client reads `privateKey` paths (relative to the
// working directory); `undefined` where there is no file system (browsers, workers).
export function readKeyFile(path) {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs');
  if (fs) return fs.readFileSync(path);
  if (typeof globalThis.Deno?.readFileSync === 'function') return globalThis.Deno.readFileSync(path);
  return undefined;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = readKeyFile, catch)]
    fn read_key_file(path: &str) -> Result<Option<js_sys::Uint8Array>, JsValue>;
}

/// The client key from `privateKey`, in every form the official client takes and then some:
/// PKCS#8 PEM text, a private JWK (object or JSON text), a `SigningKey` of this package, PEM or
/// PKCS#8 DER bytes (`Uint8Array`, Node's `Buffer`), a `node:crypto` private `KeyObject`, or the
/// path of a key file (Node, Deno, Bun). Key bytes are zeroized once read; no error message
/// repeats what was given (a mistyped key would otherwise end up in logs).
fn load_key(value: &JsValue, key_id: &str) -> Result<PrivateKey, JsValue> {
    let map = |err: crate::signature::KeyError| {
        client_error_js(&ClientError::InvalidArgument {
            code: err.code().to_owned(),
            field: Some("privateKey".to_owned()),
            message: err.to_string(),
        })
    };
    let unreadable = || {
        invalid(
            "unrecognized_key_format",
            "privateKey",
            "privateKey is not a PEM key or a JWK, nor the path of a readable key file",
        )
    };
    let from_bytes = |bytes: &js_sys::Uint8Array| {
        let bytes = zeroize::Zeroizing::new(bytes.to_vec());
        match std::str::from_utf8(&bytes) {
            Ok(text) if text.trim_start().starts_with("-----BEGIN") => {
                PrivateKey::load(text, key_id).map_err(map)
            }
            _ => PrivateKey::from_pkcs8_der(&bytes, key_id).map_err(map),
        }
    };
    if let Some(text) = value.as_string() {
        let trimmed = text.trim_start();
        if trimmed.starts_with("-----BEGIN") || trimmed.starts_with('{') {
            return PrivateKey::load(&text, key_id).map_err(map);
        }
        return match read_key_file(&text) {
            Ok(Some(bytes)) => {
                let key = from_bytes(&bytes);
                bytes.fill(0, 0, bytes.length());
                key
            }
            _ => Err(unreadable()),
        };
    }
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return from_bytes(bytes);
    }
    // A `node:crypto` private KeyObject: exported as PKCS#8 DER, read, and zeroized.
    let (key_type, export) = (get(value, "type").as_string(), get(value, "export"));
    if let (Some(key_type), Some(export)) = (key_type, export.dyn_ref::<Function>()) {
        if key_type != "private" {
            return Err(invalid(
                "wrong_key_type",
                "privateKey",
                "privateKey is a public or secret KeyObject; the client needs the private key",
            ));
        }
        let options = Object::new();
        let _ = js_sys::Reflect::set(&options, &"format".into(), &"der".into());
        let _ = js_sys::Reflect::set(&options, &"type".into(), &"pkcs8".into());
        let der = export.call1(value, &options).map_err(|_| unreadable())?;
        let der = der
            .dyn_into::<js_sys::Uint8Array>()
            .map_err(|_| unreadable())?;
        let key = from_bytes(&der);
        der.fill(0, 0, der.length());
        return key;
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
            "privateKey must be a PEM string, a private JWK, a SigningKey, key bytes, a KeyObject or a key file path",
        ));
    }
    let input: JwkInput = from_js(jwk)?;
    PrivateKey::from_jwk_input(&input, key_id).map_err(map)
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
        let (config, timeout_ms) = config_from(&options)?;
        let interceptor = get(&options, "authenticatedRequestInterceptor");
        let (config, intercept) = if interceptor.is_undefined() || interceptor.is_null() {
            let key_id = string(&options, "keyId")?;
            let key = load_key(&get(&options, "privateKey"), &key_id)?;
            (config.with_key(key, &wallet), None)
        } else {
            let Some(function) = interceptor.dyn_ref::<Function>() else {
                return Err(invalid(
                    "invalid_type",
                    "authenticatedRequestInterceptor",
                    "authenticatedRequestInterceptor must be a function",
                ));
            };
            // As the official client: a key and an interceptor together are a mistake.
            if !get(&options, "privateKey").is_undefined() || !get(&options, "keyId").is_undefined()
            {
                return Err(invalid(
                    "conflicting_fields",
                    "authenticatedRequestInterceptor",
                    "give either authenticatedRequestInterceptor or privateKey and keyId, not both",
                ));
            }
            (
                config.with_external_signing(&wallet),
                Some(function.clone()),
            )
        };
        let handle = ClientHandle {
            inner: Rc::new(OpenPaymentsClient::new(FetchTransport::default(), config)),
            timeout_ms,
            intercept,
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

fn argument_error(err: &ResourceError) -> JsValue {
    client_error_js(&ClientError::invalid_argument(err))
}

/// The `accessToken` of the first argument, which authenticated operations require.
fn token(args: &Args) -> Result<String, JsValue> {
    get(&args.first, "accessToken")
        .as_string()
        .ok_or_else(|| invalid("missing_field", "accessToken", "`accessToken` is required"))
}
