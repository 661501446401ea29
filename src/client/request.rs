//! Request builders: one function per Open Payments operation, each returning a [`Call`]: the
//! exact HTTP request to send (method, URL, headers, compact JSON body, signature headers) and the
//! parser for its response. Pure: no I/O, no clock (the signature time is an argument).

use std::marker::PhantomData;

use serde::Serialize;

use super::error::{ClientError, TransportError};
use super::response::{HttpResponse, ResponseBody};
use crate::error::ErrorCode;
use crate::resources::{
    AccessTokenResponse, ContinuationRequest, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, DidDocument, Grant, GrantRequest,
    GrantResponse, IncomingPayment, IncomingPaymentWithPaymentMethods, JsonWebKeySet,
    OutgoingPayment, OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts, Page,
    Pagination, PublicIncomingPayment, Quote, WalletAddress,
};
use crate::signature::{self, PrivateKey};

/// The HTTP methods Open Payments uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: safe to send again.
    Get,
    /// `POST`: never sent again blindly.
    Post,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method token, e.g. `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }

    /// Whether sending the request twice has the same effect as once (GET and DELETE).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post)
    }
}

/// An HTTP request ready to send: everything a transport needs, nothing it must compute.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, with its query.
    pub url: String,
    /// Header fields in order (signature headers included).
    pub headers: Vec<(String, String)>,
    /// The body bytes exactly as signed, if any.
    pub body: Option<Vec<u8>>,
    /// With signing left to the transport ([`ClientConfig::with_transport_signature`]): the
    /// signature base (RFC 9421 §2.5) the transport signs with the client's key, adding the
    /// result with [`HttpRequest::add_signature`]; every other signature header is already in
    /// `headers`. `None` otherwise. It contains the access token: `Debug` only says whether it is
    /// there.
    ///
    /// [`ClientConfig::with_transport_signature`]: super::ClientConfig::with_transport_signature
    pub signature_base: Option<String>,
}

impl HttpRequest {
    /// Whether Open Payments requires this request to be signed: POSTs and requests that carry
    /// a token (the official client's rule: every authorization server request, and resource server
    /// requests with a token). A transport that signs (see
    /// `ClientConfig::with_external_signing`) signs exactly these.
    pub fn must_be_signed(&self) -> bool {
        must_sign(self.method, self.header("authorization").is_some())
    }

    /// Adds the `Signature` header for the 64-byte Ed25519 signature of
    /// [`HttpRequest::signature_base`], which it clears: the request is then signed as the
    /// client would have signed it with the key.
    pub fn add_signature(&mut self, signature: &[u8; 64]) {
        self.signature_base = None;
        self.headers.push((
            "Signature".to_owned(),
            signature::signature_header(signature),
        ));
    }

    /// Refuses a request whose signature was left to the transport and never added (see
    /// [`HttpRequest::signature_base`]): sent as it is, it would go out unsigned. The built-in
    /// transports check it before sending.
    pub fn check_signed(&self) -> Result<(), TransportError> {
        match self.signature_base {
            Some(_) => Err(TransportError::Rejected(
                "the request's signature was left to the transport and not added \
                 (HttpRequest::add_signature)"
                    .to_owned(),
            )),
            None => Ok(()),
        }
    }

    /// The value of a header (case-insensitive name), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The headers with secrets replaced: the token in `Authorization` becomes `[redacted]`.
    pub fn redacted_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case("authorization") {
                    let scheme = v.split(' ').next().unwrap_or_default();
                    (n.clone(), format!("{scheme} [redacted]"))
                } else {
                    (n.clone(), v.clone())
                }
            })
            .collect()
    }
}

/// `Debug` never shows the access token (see [`HttpRequest::redacted_headers`]).
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.redacted_headers())
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field(
                "signature_base",
                &self.signature_base.as_ref().map(|_| "[to sign]"),
            )
            .finish()
    }
}

/// Who signs a request, and the signature time (unix seconds).
#[derive(Debug, Clone, Copy)]
pub struct Signer<'a> {
    /// The client's key, or the key id of a key the transport holds.
    pub key: SigningKey<'a>,
    /// The `created` parameter of the signature.
    pub created: u64,
}

/// The key of a [`Signer`].
#[derive(Debug, Clone, Copy)]
pub enum SigningKey<'a> {
    /// Signed here, with this key.
    Key(&'a PrivateKey),
    /// Signed by the transport with the key of this id: the request carries everything but the
    /// signature itself ([`HttpRequest::signature_base`]).
    Transport(&'a str),
}

/// One operation ready to run: the request, and how to read its response into `T`.
#[derive(Debug, Clone)]
pub struct Call<T> {
    /// The request to send.
    pub request: HttpRequest,
    _response: PhantomData<fn() -> T>,
}

impl<T: ResponseBody> Call<T> {
    fn new(request: HttpRequest) -> Self {
        Self {
            request,
            _response: PhantomData,
        }
    }

    /// Reads the response to this call: the resource on the expected status, else a
    /// [`ClientError`] with the status and what the server said.
    pub fn parse(&self, response: &HttpResponse) -> Result<T, ClientError> {
        response.parse(self.request.method.as_str(), &self.request.url)
    }

    /// The same request, its response checked against the schema of `S` (the document of the
    /// same model) and kept as text.
    pub(crate) fn checked<S: super::response::Schema<Model = T>>(
        self,
    ) -> Call<super::response::Checked<S>> {
        Call::new(self.request)
    }
}

/// How URLs are adjusted before sending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlOptions {
    /// Rewrite `https://` to `http://` (development against a local server only).
    pub use_http: bool,
}

impl UrlOptions {
    fn apply(self, url: &str) -> String {
        match url.strip_prefix("https://") {
            Some(rest) if self.use_http => format!("http://{rest}"),
            _ => url.to_owned(),
        }
    }
}

/// `{base}{path}` without a doubled slash.
fn join(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// Percent-encodes a query component (everything but RFC 3986 unreserved characters).
fn encode_component(text: &str, out: &mut String) {
    crate::percent::encode_into(text, out);
}

fn with_query(url: &str, params: &[(&str, Option<String>)]) -> String {
    let mut out = url.to_owned();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (name, value) in params {
        if let Some(value) = value {
            out.push(sep);
            encode_component(name, &mut out);
            out.push('=');
            encode_component(value, &mut out);
            sep = '&';
        }
    }
    out
}

/// A bodyless, signed `method` request to `url` (already resolved) with an access token.
fn with_token<T: ResponseBody>(
    method: Method,
    url: String,
    access_token: &str,
    signer: Option<Signer<'_>>,
) -> Result<Call<T>, ClientError> {
    build(method, url, Some(access_token), None, signer).map(Call::new)
}

/// A signed JSON `POST` to `url` (already resolved) with an access token.
fn signed_post<T: ResponseBody, M>(
    url: String,
    access_token: &str,
    body: &impl RequestBody<M>,
    signer: Option<Signer<'_>>,
) -> Result<Call<T>, ClientError> {
    build(
        Method::Post,
        url,
        Some(access_token),
        Some(body.json()?),
        signer,
    )
    .map(Call::new)
}

/// The body of a request whose model is `M`: the typed request itself (serialised), or JSON
/// text already checked against `M`'s schema (the JS client's `CheckedBody`), sent as it is.
pub trait RequestBody<M> {
    /// The JSON bytes to send.
    fn json(&self) -> Result<Vec<u8>, ClientError>;
}

impl<M: Serialize> RequestBody<M> for M {
    fn json(&self) -> Result<Vec<u8>, ClientError> {
        json_body(self)
    }
}

/// A request body as JSON text that passed the schema of its model `M` (the same rules as
/// reading `M`), written as the model would be sent ([`crate::resources::schema::normalised`]):
/// for callers that hold the body as JSON (the JS client), so that no typed model is built.
// The JS client's; natively unused.
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-client")),
    allow(dead_code)
)]
#[derive(Debug, Clone)]
pub(crate) struct CheckedBody<M> {
    text: String,
    _model: PhantomData<fn() -> M>,
}

#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-client")),
    allow(dead_code)
)]
impl<M: RequestSchema> CheckedBody<M> {
    /// Checks `json` against `M`'s schema: the body to send, or the error the model gives
    /// (code and JSON path of the first bad field).
    pub(crate) fn check(json: &str) -> Result<Self, crate::resources::ResourceError> {
        crate::resources::schema::normalised(json, M::kind()).map(|text| Self {
            text,
            _model: PhantomData,
        })
    }

    /// The JSON text that will be sent.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

impl<M> RequestBody<M> for CheckedBody<M> {
    fn json(&self) -> Result<Vec<u8>, ClientError> {
        Ok(self.text.as_bytes().to_vec())
    }
}

/// A request model with a schema the walker checks its JSON text against.
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-client")),
    allow(dead_code)
)]
pub(crate) trait RequestSchema {
    /// The schema.
    fn kind() -> &'static crate::resources::schema::Kind;
}

macro_rules! request_schemas {
    ($($model:ty => $kind:ident),* $(,)?) => {$(
        impl RequestSchema for $model {
            fn kind() -> &'static crate::resources::schema::Kind {
                &crate::resources::schema_rules::$kind
            }
        }
    )*};
}

request_schemas! {
    CreateIncomingPaymentRequest => CREATE_INCOMING_PAYMENT,
    CreateQuoteRequest => CREATE_QUOTE,
    CreateOutgoingPaymentRequest => CREATE_OUTGOING_PAYMENT,
    GrantRequest => GRANT_REQUEST,
    ContinuationRequest => CONTINUATION,
}

/// Compact JSON, as the signature's `Content-Digest` covers it (RFC 9530 §2: the digest of the exact body bytes).
fn json_body<B: Serialize>(body: &B) -> Result<Vec<u8>, ClientError> {
    serde_json::to_vec(body).map_err(|e| ClientError::InvalidArgument {
        code: "invalid_value".to_owned(),
        field: None,
        message: e.to_string(),
    })
}

/// The signing rule: POSTs and requests with a token.
fn must_sign(method: Method, has_token: bool) -> bool {
    method == Method::Post || has_token
}

/// Builds a request: `Accept`, the token, the body with its content headers, and, when a signer
/// is given and the request is a POST or carries a token, the signature headers (the official
/// client's rule for which requests are signed).
fn build(
    method: Method,
    url: String,
    access_token: Option<&str>,
    body: Option<Vec<u8>>,
    signer: Option<Signer<'_>>,
) -> Result<HttpRequest, ClientError> {
    let mut headers: Vec<(String, String)> =
        vec![("Accept".to_owned(), "application/json".to_owned())];
    let mut signature_base = None;
    if let Some(token) = access_token {
        headers.push(("Authorization".to_owned(), format!("GNAP {token}")));
    }
    match signer.filter(|_| must_sign(method, access_token.is_some())) {
        Some(signer) => {
            let pairs: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let mut to_sign = signature::HttpRequest::new(method.as_str(), &url, &pairs);
            if let Some(body) = &body {
                to_sign = to_sign.with_body(body);
            }
            match signer.key {
                SigningKey::Key(key) => {
                    let signed = signature::sign_request(&to_sign, key, signer.created)?;
                    headers.extend(owned_pairs(signed.to_pairs()));
                }
                SigningKey::Transport(key_id) => {
                    let prepared = signature::prepare_signature(&to_sign, key_id, signer.created)?;
                    headers.extend(owned_pairs(prepared.unsigned_pairs()));
                    signature_base = Some(prepared.signature_base);
                }
            }
        }
        None => {
            if let Some(body) = &body {
                headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                headers.push(("Content-Length".to_owned(), body.len().to_string()));
            }
        }
    }
    Ok(HttpRequest {
        method,
        url,
        headers,
        body,
        signature_base,
    })
}

fn owned_pairs(pairs: Vec<(&str, &str)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

/// An unsigned GET of public data. Kept apart from [`build`] so that a build with only the public
/// operations (the browser's) links no signing code.
fn public_get(url: String) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url,
        headers: vec![("Accept".to_owned(), "application/json".to_owned())],
        body: None,
        signature_base: None,
    }
}

// ------------------------------------------------------------------ wallet address server

/// `GET {walletAddress}`: the wallet address document (unsigned).
pub fn get_wallet_address(url: &str, opts: UrlOptions) -> Result<Call<WalletAddress>, ClientError> {
    Ok(Call::new(public_get(opts.apply(url))))
}

/// `GET {walletAddress}/jwks.json`: the wallet address's keys (unsigned).
pub fn get_wallet_address_keys(
    url: &str,
    opts: UrlOptions,
) -> Result<Call<JsonWebKeySet>, ClientError> {
    Ok(Call::new(public_get(opts.apply(&join(url, "/jwks.json")))))
}

/// `GET {walletAddress}/did.json`: the DID document (unsigned).
pub fn get_did_document(url: &str, opts: UrlOptions) -> Result<Call<DidDocument>, ClientError> {
    Ok(Call::new(public_get(opts.apply(&join(url, "/did.json")))))
}

// ------------------------------------------------------------------ authorization server

/// `POST {authServer}`: a grant request (signed, no token).
///
/// Refuses an outgoing-payment limit with both `debitAmount` and `receiveAmount`, as the
/// official client does.
pub fn request_grant(
    auth_server: &str,
    body: &impl RequestBody<GrantRequest>,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<GrantResponse>, ClientError> {
    let body = body.json()?;
    if limits_both_amounts(&body) {
        return Err(ClientError::InvalidArgument {
            code: "conflicting_fields".to_owned(),
            field: Some("access_token.access.limits".to_owned()),
            message: "only one of debitAmount and receiveAmount may limit a grant".to_owned(),
        });
    }
    build(
        Method::Post,
        opts.apply(auth_server),
        None,
        Some(body),
        signer,
    )
    .map(Call::new)
}

/// Whether an outgoing-payment access item of the grant request `body` (JSON) limits both the
/// debit and the receive amount, which the server cannot honour together.
fn limits_both_amounts(body: &[u8]) -> bool {
    use crate::json::Json;
    let Some(Ok(request)) = std::str::from_utf8(body).ok().map(Json::parse) else {
        return false;
    };
    let items = request
        .given("access_token")
        .and_then(|t| t.given("access"));
    match items {
        Some(Json::Array(items)) => items.iter().any(|item| {
            let limits = item.given("limits");
            item.given("type").and_then(Json::as_str) == Some("outgoing-payment")
                && limits.and_then(|l| l.given("debitAmount")).is_some()
                && limits.and_then(|l| l.given("receiveAmount")).is_some()
        }),
        _ => false,
    }
}

/// `POST {continue.uri}`: continues a grant with the interaction reference, or polls without one.
pub fn continue_grant(
    continue_uri: &str,
    continue_token: &str,
    body: &ContinuationRequest,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<Grant>, ClientError> {
    let body = if body.interact_ref.is_some() {
        Some(json_body(body)?)
    } else {
        None
    };
    build(
        Method::Post,
        opts.apply(continue_uri),
        Some(continue_token),
        body,
        signer,
    )
    .map(Call::new)
}

/// `DELETE {continue.uri}`: cancels a grant.
pub fn cancel_grant(
    continue_uri: &str,
    continue_token: &str,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<()>, ClientError> {
    with_token(
        Method::Delete,
        opts.apply(continue_uri),
        continue_token,
        signer,
    )
}

/// `POST {access_token.manage}`: rotates an access token (the old one stops working).
pub fn rotate_token(
    manage_url: &str,
    access_token: &str,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<AccessTokenResponse>, ClientError> {
    with_token(Method::Post, opts.apply(manage_url), access_token, signer)
}

/// `DELETE {access_token.manage}`: revokes an access token.
pub fn revoke_token(
    manage_url: &str,
    access_token: &str,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<()>, ClientError> {
    with_token(Method::Delete, opts.apply(manage_url), access_token, signer)
}

// ------------------------------------------------------------------ resource server

/// `POST {resourceServer}/incoming-payments`.
pub fn create_incoming_payment(
    resource_server: &str,
    access_token: &str,
    body: &impl RequestBody<CreateIncomingPaymentRequest>,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<IncomingPaymentWithPaymentMethods>, ClientError> {
    let url = opts.apply(&join(resource_server, "/incoming-payments"));
    signed_post(url, access_token, body, signer)
}

/// `GET {incomingPayment.id}` with a token: the full incoming payment with its methods.
pub fn get_incoming_payment(
    url: &str,
    access_token: &str,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<IncomingPaymentWithPaymentMethods>, ClientError> {
    with_token(Method::Get, opts.apply(url), access_token, signer)
}

/// `GET {incomingPayment.id}` without a token (unsigned): the public view.
pub fn get_public_incoming_payment(
    url: &str,
    opts: UrlOptions,
) -> Result<Call<PublicIncomingPayment>, ClientError> {
    Ok(Call::new(public_get(opts.apply(url))))
}

/// `POST {incomingPayment.id}/complete`.
pub fn complete_incoming_payment(
    url: &str,
    access_token: &str,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<IncomingPayment>, ClientError> {
    with_token(
        Method::Post,
        opts.apply(&join(url, "/complete")),
        access_token,
        signer,
    )
}

fn list_url(
    resource_server: &str,
    path: &str,
    wallet_address: &str,
    pagination: &Pagination,
    opts: UrlOptions,
) -> Result<String, ClientError> {
    pagination
        .check()
        .map_err(|e| ClientError::InvalidArgument {
            code: e.code().to_owned(),
            field: e.field(),
            message: e.message().to_owned(),
        })?;
    Ok(with_query(
        &opts.apply(&join(resource_server, path)),
        &[
            ("wallet-address", Some(wallet_address.to_owned())),
            ("first", pagination.first.map(|n| n.to_string())),
            ("last", pagination.last.map(|n| n.to_string())),
            ("cursor", pagination.cursor.clone()),
        ],
    ))
}

/// `GET {resourceServer}/incoming-payments?wallet-address=…`: one page.
pub fn list_incoming_payments(
    resource_server: &str,
    access_token: &str,
    wallet_address: &str,
    pagination: &Pagination,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<Page<IncomingPayment>>, ClientError> {
    let url = list_url(
        resource_server,
        "/incoming-payments",
        wallet_address,
        pagination,
        opts,
    )?;
    with_token(Method::Get, url, access_token, signer)
}

/// `POST {resourceServer}/quotes`.
pub fn create_quote(
    resource_server: &str,
    access_token: &str,
    body: &impl RequestBody<CreateQuoteRequest>,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<Quote>, ClientError> {
    let url = opts.apply(&join(resource_server, "/quotes"));
    signed_post(url, access_token, body, signer)
}

/// `GET {quote.id}`.
pub fn get_quote(
    url: &str,
    access_token: &str,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<Quote>, ClientError> {
    with_token(Method::Get, opts.apply(url), access_token, signer)
}

/// `POST {resourceServer}/outgoing-payments`.
pub fn create_outgoing_payment(
    resource_server: &str,
    access_token: &str,
    body: &impl RequestBody<CreateOutgoingPaymentRequest>,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<OutgoingPaymentWithSpentAmounts>, ClientError> {
    let url = opts.apply(&join(resource_server, "/outgoing-payments"));
    signed_post(url, access_token, body, signer)
}

/// `GET {outgoingPayment.id}`.
pub fn get_outgoing_payment(
    url: &str,
    access_token: &str,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<OutgoingPayment>, ClientError> {
    with_token(Method::Get, opts.apply(url), access_token, signer)
}

/// `GET {resourceServer}/outgoing-payments?wallet-address=…`: one page.
pub fn list_outgoing_payments(
    resource_server: &str,
    access_token: &str,
    wallet_address: &str,
    pagination: &Pagination,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<Page<OutgoingPayment>>, ClientError> {
    let url = list_url(
        resource_server,
        "/outgoing-payments",
        wallet_address,
        pagination,
        opts,
    )?;
    with_token(Method::Get, url, access_token, signer)
}

/// `GET {resourceServer}/outgoing-payment-grant`: what the token's grant has spent.
pub fn get_grant_spent_amounts(
    resource_server: &str,
    access_token: &str,
    signer: Option<Signer<'_>>,
    opts: UrlOptions,
) -> Result<Call<OutgoingPaymentGrantSpentAmounts>, ClientError> {
    let url = opts.apply(&join(resource_server, "/outgoing-payment-grant"));
    with_token(Method::Get, url, access_token, signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_components_are_percent_encoded() {
        let url = with_query(
            "https://rs.example/incoming-payments",
            &[
                ("wallet-address", Some("https://w.example/a b".to_owned())),
                ("first", None),
                ("cursor", Some("x&y".to_owned())),
            ],
        );
        assert_eq!(
            url,
            "https://rs.example/incoming-payments?wallet-address=https%3A%2F%2Fw.example%2Fa%20b&cursor=x%26y"
        );
    }

    #[test]
    fn join_does_not_double_slashes() {
        assert_eq!(
            join("https://rs.example/", "/quotes"),
            "https://rs.example/quotes"
        );
        assert_eq!(
            join("https://rs.example/op", "/quotes"),
            "https://rs.example/op/quotes"
        );
    }
}
