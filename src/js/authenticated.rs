//! Raw exports of the authenticated client (feature `js-client`): the client with a key or a
//! request interceptor, the operations that need one (grants, tokens, incoming payments,
//! quotes, outgoing payments) and the interaction helpers. The facade (`src/js/facade/client.ts`)
//! passes request bodies as JSON text; the browser builds leave this module, and with it the
//! signing code, out.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::client::{
    checked, client_fail, config_from, ClientHandle, JsRuntime, Pending, StepTransport,
};
use super::signature::SigningKeyHandle;
use super::{fail_json, ok, Answer};
use crate::client::request::{CheckedBody, RequestSchema};
use crate::client::response::{
    AccessTokenResponseDocument, Checked, CompletedIncomingPaymentDocument,
    CreatedOutgoingPaymentDocument, GrantDocument, GrantResponseDocument,
    GrantSpentAmountsDocument, IncomingPaymentDocument, IncomingPaymentPageDocument,
    OutgoingPaymentDocument, OutgoingPaymentPageDocument, QuoteDocument, Schema,
};
use crate::client::{
    interact_request, new_nonce, request, verify_interact_finish, Call, ClientError,
    InteractFinishCheck, OpenPaymentsClient, Pagination, Signer, UrlOptions,
};
use crate::error::push_quoted;
use crate::json::Json;
use crate::resources::schema;
use crate::resources::schema_rules::CONTINUATION;
use crate::resources::schema_table::JSON_WEB_KEY;
use crate::resources::{
    Client, ContinuationRequest, CreateIncomingPaymentRequest, CreateOutgoingPaymentRequest,
    CreateQuoteRequest, GrantRequest, ResourceError,
};

/// A client that signs with `key`, identifying itself by `wallet_address_url`.
#[wasm_bindgen(js_name = newKeyClient)]
pub fn new_key_client(
    options: &str,
    log: Option<Function>,
    wallet_address_url: &str,
    key: &SigningKeyHandle,
) -> Result<ClientHandle, String> {
    let config = config_from(options, log)?.with_key(key.key().duplicate(), wallet_address_url);
    Ok(ClientHandle::new(config))
}

/// A client that prepares every signature for the key `key_id` and leaves the Ed25519 signature
/// itself to the facade, which makes it with WebCrypto where that is faster than the Rust signer
/// (the `F` step then carries the signature base; see `src/js/pending.rs`).
#[wasm_bindgen(js_name = newHostSigningClient)]
pub fn new_host_signing_client(
    options: &str,
    log: Option<Function>,
    wallet_address_url: &str,
    key_id: &str,
) -> Result<ClientHandle, String> {
    let config = config_from(options, log)?.with_transport_signature(key_id, wallet_address_url);
    Ok(ClientHandle::new(config))
}

/// A client whose requests are signed by the caller's interceptor (the facade hands it each
/// request to sign).
#[wasm_bindgen(js_name = newInterceptorClient)]
pub fn new_interceptor_client(
    options: &str,
    log: Option<Function>,
    wallet_address_url: &str,
) -> Result<ClientHandle, String> {
    let config = config_from(options, log)?.with_external_signing(wallet_address_url);
    Ok(ClientHandle::new(config))
}

/// A client error for a bad argument.
fn invalid(e: &ResourceError) -> Answer {
    client_fail(&ClientError::invalid_argument(e))
}

/// The continuation body (JSON text) checked against its schema, as its model.
fn continuation(json: &str) -> Result<ContinuationRequest, Answer> {
    let value = schema::parsed(json, &CONTINUATION).map_err(|e| invalid(&e))?;
    Ok(ContinuationRequest {
        interact_ref: value
            .given("interact_ref")
            .and_then(Json::as_str)
            .map(str::to_owned),
    })
}

/// The paging arguments the facade checked (JSON text of `{first?, last?, cursor?}`), as
/// [`Pagination`]; its rules (one of `first`/`last`, 1 to 100, no empty cursor) are checked
/// where the request is built. Read with `crate::json`, as every argument of this module, so
/// that the client's wasm links no serde deserializer.
fn paging(json: &str) -> Result<Pagination, Answer> {
    let value = Json::parse(json)
        .map_err(|e| invalid(&ResourceError::new("invalid_json", "", &e.to_string())))?;
    let wrong = |field: &str, found: &Json<'_>, expected: &str| {
        let message = format!("invalid type: {}, expected {expected}", found.type_name());
        invalid(&ResourceError::new("invalid_type", field, &message))
    };
    if !matches!(value, Json::Object(_)) {
        return Err(wrong("", &value, "paging arguments"));
    }
    let size = |name: &str| match value.given(name) {
        None => Ok(None),
        Some(n) => match n.as_u64() {
            Some(size) => u8::try_from(size).map(Some).map_err(|_| {
                let message = format!("invalid value: integer `{size}`, expected u8");
                invalid(&ResourceError::new("invalid_value", name, &message))
            }),
            None => Err(wrong(name, n, "u8")),
        },
    };
    let cursor = match value.given("cursor") {
        None => None,
        Some(Json::String(text)) => Some(text.to_string()),
        Some(other) => return Err(wrong("cursor", other, "a string")),
    };
    Ok(Pagination {
        first: size("first")?,
        last: size("last")?,
        cursor,
    })
}

/// Checks a request body (JSON text) against the schema of its model `M`, as reading `M`
/// would: the body to send, or a client error naming the field.
fn checked_body<M: RequestSchema>(json: &str) -> Result<CheckedBody<M>, Answer> {
    CheckedBody::check(json).map_err(|e| client_fail(&ClientError::invalid_argument(&e)))
}

/// The grant request `request` (JSON text, without `client`) with the client's identity, or
/// with `client_jwk` (JSON text of a JWK) when given, checked as a grant request.
fn grant_request(
    handle: &ClientHandle,
    request: &str,
    client_jwk: Option<String>,
) -> Result<CheckedBody<GrantRequest>, Answer> {
    let invalid = |e: ResourceError| client_fail(&ClientError::invalid_argument(&e));
    let parsed = Json::parse(request)
        .map_err(|e| invalid(ResourceError::new("invalid_json", "", &e.to_string())))?;
    let Json::Object(members) = &parsed else {
        return Err(client_fail(&ClientError::InvalidArgument {
            code: "invalid_type".to_owned(),
            field: Some("request".to_owned()),
            message: "the grant request must be an object".to_owned(),
        }));
    };
    let mut text = String::with_capacity(request.len() + 64);
    text.push('{');
    for (name, value) in members.iter().filter(|(name, _)| name != "client") {
        push_quoted(&mut text, name);
        text.push(':');
        value.write(&mut text);
        text.push(',');
    }
    text.push_str("\"client\":");
    match client_jwk {
        // Checked on its own first, so that its errors name the JWK's own members.
        Some(jwk) => {
            let jwk = schema::normalised(&jwk, &JSON_WEB_KEY).map_err(invalid)?;
            text.push_str("{\"jwk\":");
            text.push_str(&jwk);
            text.push('}');
        }
        None => match handle.identity().map_err(|e| client_fail(&e))? {
            Client::WalletAddress { wallet_address } => {
                text.push_str("{\"walletAddress\":");
                push_quoted(&mut text, &wallet_address);
                text.push('}');
            }
            Client::Deprecated(wallet_address) => push_quoted(&mut text, &wallet_address),
            Client::Jwk { jwk } => {
                text.push_str("{\"jwk\":");
                text.push_str(&ok(&jwk));
                text.push('}');
            }
        },
    }
    text.push('}');
    checked_body(&text)
}

impl ClientHandle {
    fn identity(&self) -> Result<Client, ClientError> {
        self.shared().client_identity()
    }
}

#[wasm_bindgen]
impl ClientHandle {
    /// `grant.request`: `request` is the JSON text of the grant request without `client`.
    #[wasm_bindgen(js_name = grantRequest)]
    pub fn grant_request(&self, url: String, request: &str, client_jwk: Option<String>) -> Pending {
        let client = self.call();
        Pending::of(
            grant_request(self, request, client_jwk).map(|request| async move {
                document::<GrantResponseDocument>(&client, |s, o| {
                    request::request_grant(&url, &request, s, o)
                })
                .await
            }),
        )
    }

    /// `grant.continue`: `request` is the JSON text of the continuation body, if any.
    #[wasm_bindgen(js_name = grantContinue)]
    pub fn grant_continue(&self, url: String, token: String, request: Option<String>) -> Pending {
        let client = self.call();
        let request = match request {
            None => Ok(ContinuationRequest::default()),
            Some(json) => continuation(&json),
        };
        Pending::of(
            request.map(
                |request| async move { continue_grant(&client, &url, &token, &request).await },
            ),
        )
    }

    /// `grant.continueAfterInteraction`: checks the interaction-finish hash, then continues (a
    /// hash that does not match stops here: the grant is not continued).
    #[wasm_bindgen(js_name = grantContinueAfterInteraction)]
    #[allow(clippy::too_many_arguments)]
    pub fn grant_continue_after_interaction(
        &self,
        url: String,
        token: String,
        client_nonce: String,
        finish_nonce: String,
        interact_ref: String,
        grant_endpoint: String,
        hash: String,
    ) -> Pending {
        let client = self.call();
        Pending::new(async move {
            let check = InteractFinishCheck {
                client_nonce: &client_nonce,
                finish_nonce: &finish_nonce,
                interact_ref: &interact_ref,
                grant_endpoint: &grant_endpoint,
                hash: &hash,
            };
            if let Err(err) = verify_interact_finish(&check) {
                return client_fail(&err);
            }
            let request = ContinuationRequest {
                interact_ref: Some(interact_ref.clone()),
            };
            continue_grant(&client, &url, &token, &request).await
        })
    }

    /// `outgoingPayment.create`: never twice for one quote. The answer is the create response as
    /// received, or, after a reconciliation found the payment, the payment as listed; either
    /// passed its schema.
    #[wasm_bindgen(js_name = outgoingPaymentCreate)]
    pub fn outgoing_payment_create(&self, url: String, token: String, request: &str) -> Pending {
        let client = self.call();
        Pending::of(checked_body::<CreateOutgoingPaymentRequest>(request).map(
            |request| async move {
                let body = Json::parse(request.text()).ok();
                let member = |name| {
                    body.as_ref()
                        .and_then(|b| b.get(name))
                        .and_then(Json::as_str)
                };
                let from_quote = member("walletAddress").zip(member("quoteId"));
                let result = client
                    .create_outgoing_payment_as(
                        &url,
                        &token,
                        &request,
                        from_quote,
                        |call| call.checked::<CreatedOutgoingPaymentDocument>(),
                        |listed| Ok(Checked::within(listed)),
                    )
                    .await;
                checked(result.map(|found| found.0))
            },
        ))
    }
}

/// A grant continued: the continuation response as received once it passed its schema.
async fn continue_grant(
    client: &OpenPaymentsClient<StepTransport>,
    url: &str,
    token: &str,
    request: &ContinuationRequest,
) -> Answer {
    document::<GrantDocument>(client, |s, o| {
        request::continue_grant(url, token, request, s, o)
    })
    .await
}

/// An operation on a URL with its token (`url`, `token`) answering `$answer`, an expression over
/// `client` (this call's client), `url` and `token`.
macro_rules! with_token {
    ($(#[doc = $doc:literal])* $js:ident => $name:ident, |$client:ident, $url:ident, $token:ident| $answer:expr) => {
        #[wasm_bindgen]
        impl ClientHandle {
            $(#[doc = $doc])*
            #[wasm_bindgen(js_name = $js)]
            pub fn $name(&self, $url: String, $token: String) -> Pending {
                let $client = self.call();
                Pending::new(async move { $answer })
            }
        }
    };
}

/// Operations on a grant or token URL that answer nothing (`null`: `undefined` in JS).
macro_rules! without_result {
    ($($(#[doc = $doc:literal])* $js:ident => $name:ident, $core:ident;)*) => {$(
        with_token! {
            $(#[doc = $doc])* $js => $name, |client, url, token| done(client.$core(&url, &token).await)
        }
    )*};
}

/// Operations on a resource (or token) URL answering its document (see [`document`]).
macro_rules! document {
    ($($(#[doc = $doc:literal])* $js:ident => $name:ident, $build:ident, $document:ty;)*) => {$(
        with_token! {
            $(#[doc = $doc])* $js => $name, |client, url, token| {
                document::<$document>(&client, |s, o| request::$build(&url, &token, s, o)).await
            }
        }
    )*};
}

/// The answer of an operation without a result (`null`: `undefined` in JS).
fn done(result: Result<(), ClientError>) -> Answer {
    match result {
        Ok(()) => "null".to_owned(),
        Err(err) => client_fail(&err),
    }
}

/// The answer of an operation whose response body passed the schema of its document `S` (the
/// rules of the typed model `make`'s call reads): the body as received; no typed model is built.
async fn document<S: Schema>(
    client: &OpenPaymentsClient<StepTransport>,
    make: impl Fn(Option<Signer<'_>>, UrlOptions) -> Result<Call<S::Model>, ClientError>,
) -> Answer {
    checked(client.checked_text::<S>(make).await)
}

without_result! {
    /// `grant.cancel`.
    grantCancel => grant_cancel, cancel_grant;
    /// `token.revoke`.
    tokenRevoke => token_revoke, revoke_token;
}

document! {
    /// `token.rotate` (`url` is the token's management URL).
    tokenRotate => token_rotate, rotate_token, AccessTokenResponseDocument;
    /// `incomingPayment.get`.
    incomingPaymentGet => incoming_payment_get, get_incoming_payment, IncomingPaymentDocument;
    /// `incomingPayment.complete`.
    incomingPaymentComplete => incoming_payment_complete, complete_incoming_payment, CompletedIncomingPaymentDocument;
    /// `quote.get`.
    quoteGet => quote_get, get_quote, QuoteDocument;
    /// `outgoingPayment.get`.
    outgoingPaymentGet => outgoing_payment_get, get_outgoing_payment, OutgoingPaymentDocument;
    /// `outgoingPayment.getGrantSpentAmounts` (`url` is the resource server URL).
    outgoingPaymentGetGrantSpentAmounts => outgoing_payment_get_grant_spent_amounts, get_grant_spent_amounts, GrantSpentAmountsDocument;
}

/// Operations creating a resource from a body (`request`: JSON text, read as `$body`), answering
/// the created document as received once it passed the schema of `$document`.
macro_rules! create {
    ($($(#[doc = $doc:literal])* $js:ident => $name:ident, $body:ty, $build:ident, $document:ty;)*) => {$(
        #[wasm_bindgen]
        impl ClientHandle {
            $(#[doc = $doc])*
            #[wasm_bindgen(js_name = $js)]
            pub fn $name(&self, url: String, token: String, request: &str) -> Pending {
                let client = self.call();
                Pending::of(checked_body::<$body>(request).map(|request| async move {
                    document::<$document>(&client, |s, o| {
                        request::$build(&url, &token, &request, s, o)
                    })
                    .await
                }))
            }
        }
    )*};
}

create! {
    /// `incomingPayment.create` (`url` is the resource server URL).
    incomingPaymentCreate => incoming_payment_create, CreateIncomingPaymentRequest, create_incoming_payment, IncomingPaymentDocument;
    /// `quote.create` (`url` is the resource server URL).
    quoteCreate => quote_create, CreateQuoteRequest, create_quote, QuoteDocument;
}

/// Pages of a collection (`pagination`: JSON text of `{first?, last?, cursor?}`), each answered
/// as received once it passed the schema of `$document`.
macro_rules! list {
    ($($(#[doc = $doc:literal])* $js:ident => $name:ident, $build:ident, $document:ty;)*) => {$(
        #[wasm_bindgen]
        impl ClientHandle {
            $(#[doc = $doc])*
            #[wasm_bindgen(js_name = $js)]
            pub fn $name(
                &self,
                url: String,
                token: String,
                wallet_address: String,
                pagination: &str,
            ) -> Pending {
                let client = self.call();
                Pending::of(paging(pagination).map(|page| async move {
                    document::<$document>(&client, |s, o| {
                        request::$build(&url, &token, &wallet_address, &page, s, o)
                    })
                    .await
                }))
            }
        }
    )*};
}

list! {
    /// `incomingPayment.list`.
    incomingPaymentList => incoming_payment_list, list_incoming_payments, IncomingPaymentPageDocument;
    /// `outgoingPayment.list`.
    outgoingPaymentList => outgoing_payment_list, list_outgoing_payments, OutgoingPaymentPageDocument;
}

// ---------------------------------------------------------------- interaction

/// The `interact` block of an interactive grant request with a fresh nonce in `finish.nonce`.
#[wasm_bindgen(js_name = createInteractRequest)]
pub fn create_interact_request(finish_uri: &str) -> Answer {
    match new_nonce(&JsRuntime) {
        Ok(nonce) => ok(&interact_request(finish_uri, &nonce)),
        Err(err) => client_fail(&err),
    }
}

/// Checks the interaction-finish `hash` of the redirect back from the authorization server
/// (answers `null`, or the error: `interaction_hash_mismatch` / `invalid_interaction_hash`).
#[wasm_bindgen(js_name = verifyInteractFinish)]
pub fn verify_interact_finish_raw(
    client_nonce: &str,
    finish_nonce: &str,
    interact_ref: &str,
    grant_endpoint: &str,
    hash: &str,
) -> Answer {
    let check = InteractFinishCheck {
        client_nonce,
        finish_nonce,
        interact_ref,
        grant_endpoint,
        hash,
    };
    match verify_interact_finish(&check) {
        Ok(()) => "null".to_owned(),
        Err(err) => fail_json(&super::client::client_error_json(&err)),
    }
}
