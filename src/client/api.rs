//! [`OpenPaymentsClient`]: every Open Payments operation over a [`Transport`], with signing,
//! retries of idempotent requests, and reconciliation of outgoing payments after an unknown
//! outcome.

use std::rc::Rc;

use super::cache::{CachePolicy, WalletAddressCache};
use super::error::ClientError;
use super::interact::{verify_interact_finish, InteractFinishCheck};
use super::request::{self, Call, Pagination, Signer, UrlOptions};
use super::response::ResponseBody;
use super::transport::{LogEvent, RetryPolicy, Runtime, Transport};
use crate::error::ErrorCode;
use crate::resources::{
    AccessTokenResponse, Client, ContinuationRequest, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, DidDocument, Grant, GrantRequest,
    GrantResponse, IncomingPayment, IncomingPaymentWithPaymentMethods, JsonWebKeySet,
    OutgoingPayment, OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts, Page,
    PageInfo, PublicIncomingPayment, Quote, WalletAddress,
};
use crate::signature::PrivateKey;

/// Most pages read when looking for a payment after an unknown outcome.
const RECONCILE_MAX_PAGES: usize = 50;

/// A logger callback; it only ever sees redacted [`LogEvent`]s.
pub type Logger = Box<dyn Fn(&LogEvent)>;

/// What a client is configured with; shared by every per-call client (see
/// [`OpenPaymentsClient::with_transport`]).
pub struct ClientConfig {
    signing: Signing,
    wallet_address_url: Option<String>,
    url_options: UrlOptions,
    retry: RetryPolicy,
    runtime: Box<dyn Runtime>,
    logger: Option<Logger>,
    wallet_cache: Option<WalletAddressCache>,
}

/// How the requests that must be signed get their signature.
#[derive(Debug)]
enum Signing {
    /// They cannot be made: an unauthenticated client.
    Unauthenticated,
    /// With the client's key (redacted in `Debug`).
    Key(Box<PrivateKey>),
    /// By the transport ([`ClientConfig::with_external_signing`]).
    External,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("signing", &self.signing)
            .field("wallet_address_url", &self.wallet_address_url)
            .field("url_options", &self.url_options)
            .field("retry", &self.retry)
            .field("wallet_cache", &self.wallet_cache)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// An unauthenticated configuration with default retries.
    pub fn new(runtime: Box<dyn Runtime>) -> Self {
        Self {
            signing: Signing::Unauthenticated,
            wallet_address_url: None,
            url_options: UrlOptions::default(),
            retry: RetryPolicy::default(),
            runtime,
            logger: None,
            wallet_cache: None,
        }
    }

    /// Keeps wallet address documents in memory per `policy` (off unless set): `walletAddress.get`
    /// of a URL fetched less than the TTL ago (or the server's `Cache-Control: max-age`, if
    /// smaller) answers without a request.
    pub fn with_wallet_address_cache(mut self, policy: CachePolicy) -> Self {
        self.wallet_cache = Some(WalletAddressCache::new(policy));
        self
    }

    /// Signs requests with `key`; the client identifies itself by `wallet_address_url` (whose
    /// `jwks.json` must hold the key's public half).
    pub fn with_key(mut self, key: PrivateKey, wallet_address_url: &str) -> Self {
        self.signing = Signing::Key(Box::new(key));
        self.wallet_address_url = Some(wallet_address_url.to_owned());
        self
    }

    /// Authenticated without a key here: requests that must be signed (POSTs and requests with
    /// a token) leave the client unsigned, and the transport signs them (the JS client's
    /// `authenticatedRequestInterceptor`, or a signing proxy or HSM behind a custom
    /// [`Transport`]). The client identifies itself by `wallet_address_url` in grant requests.
    pub fn with_external_signing(mut self, wallet_address_url: &str) -> Self {
        self.signing = Signing::External;
        self.wallet_address_url = Some(wallet_address_url.to_owned());
        self
    }

    /// Sets the retry policy of idempotent requests.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the URL options (`use_http` for a local server).
    pub fn with_url_options(mut self, url_options: UrlOptions) -> Self {
        self.url_options = url_options;
        self
    }

    /// Sends redacted events to `logger`.
    pub fn with_logger(mut self, logger: Logger) -> Self {
        self.logger = Some(logger);
        self
    }

    /// The client's wallet address, when authenticated.
    pub fn wallet_address_url(&self) -> Option<&str> {
        self.wallet_address_url.as_deref()
    }

    /// The runtime.
    pub fn runtime(&self) -> &dyn Runtime {
        self.runtime.as_ref()
    }
}

/// An Open Payments client over transport `T`. Cheap to re-target at another transport
/// ([`Self::with_transport`]), e.g. one with a per-call timeout or abort signal.
#[derive(Debug)]
pub struct OpenPaymentsClient<T> {
    transport: T,
    config: Rc<ClientConfig>,
}

impl<T: Transport> OpenPaymentsClient<T> {
    /// A client sending through `transport`.
    pub fn new(transport: T, config: ClientConfig) -> Self {
        Self {
            transport,
            config: Rc::new(config),
        }
    }

    /// The same client (key, options, logger) sending through another transport.
    pub fn with_transport<U: Transport>(&self, transport: U) -> OpenPaymentsClient<U> {
        OpenPaymentsClient {
            transport,
            config: Rc::clone(&self.config),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// How this client identifies itself in grant requests: `{"walletAddress": …}`.
    pub fn client_identity(&self) -> Result<Client, ClientError> {
        self.config
            .wallet_address_url
            .clone()
            .map(|wallet_address| Client::WalletAddress { wallet_address })
            .ok_or(ClientError::NoSigningKey)
    }

    /// The signer of requests that must be signed: the key, or none when the transport signs
    /// them ([`ClientConfig::with_external_signing`]).
    fn signer(&self, created: u64) -> Result<Option<Signer<'_>>, ClientError> {
        match &self.config.signing {
            Signing::Key(key) => Ok(Some(Signer { key, created })),
            Signing::External => Ok(None),
            Signing::Unauthenticated => Err(ClientError::NoSigningKey),
        }
    }

    fn opts(&self) -> UrlOptions {
        self.config.url_options
    }

    fn log(&self, event: impl FnOnce() -> LogEvent) {
        if let Some(logger) = &self.config.logger {
            logger(&event());
        }
    }

    /// Builds (and signs, at the current time) the call for each attempt, sends it, and parses
    /// the response. Idempotent requests are retried per the [`RetryPolicy`]; POSTs never.
    ///
    /// Only the parsing is generic over the response type: sending and retrying run in one
    /// boxed, non-generic future, so the retry loop is compiled once rather than once per
    /// operation (in wasm that duplication cost about 100 KB).
    async fn run<R: ResponseBody>(
        &self,
        make: impl Fn(u64) -> Result<Call<R>, ClientError>,
    ) -> Result<R, ClientError> {
        self.run_inspect(make, &mut |_| {}).await
    }

    /// [`Self::run`], showing the final response to `inspect` before it is parsed.
    async fn run_inspect<R: ResponseBody>(
        &self,
        make: impl Fn(u64) -> Result<Call<R>, ClientError>,
        inspect: &mut dyn FnMut(&super::response::HttpResponse),
    ) -> Result<R, ClientError> {
        let mut last: Option<Call<R>> = None;
        let mut build = |now: u64| -> Result<request::HttpRequest, ClientError> {
            let call = make(now)?;
            let request = call.request.clone();
            last = Some(call);
            Ok(request)
        };
        let sending: std::pin::Pin<Box<dyn std::future::Future<Output = _> + '_>> =
            Box::pin(self.send_with_retries(&mut build));
        let response = sending.await?;
        inspect(&response);
        match last {
            Some(call) => call.parse(&response),
            None => Err(ClientError::InvalidResponse {
                method: String::new(),
                url: String::new(),
                status: response.status,
                // Unreachable: a response only exists after a request was built.
                source: crate::resources::ResourceError::from_serde(".", "no request was built"),
            }),
        }
    }

    /// Sends the request `build` makes for each attempt; returns the response to parse.
    async fn send_with_retries(
        &self,
        build: &mut dyn FnMut(u64) -> Result<request::HttpRequest, ClientError>,
    ) -> Result<super::response::HttpResponse, ClientError> {
        let retry = self.config.retry;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let request = build(self.config.runtime.now_unix_seconds())?;
            let method = request.method;
            let url = request.url.clone();
            let can_retry = method.is_idempotent() && attempt <= retry.max_retries;
            self.log(|| LogEvent {
                kind: "request",
                method: method.as_str(),
                url: url.clone(),
                attempt,
                headers: request.redacted_headers(),
                status: None,
                error: None,
            });
            let outcome = self.transport.send(request).await;
            let error = match outcome {
                Ok(response) => {
                    self.log(|| LogEvent {
                        kind: "response",
                        method: method.as_str(),
                        url: url.clone(),
                        attempt,
                        headers: Vec::new(),
                        status: Some(response.status),
                        error: None,
                    });
                    if !(can_retry && response.status >= 500) {
                        return Ok(response);
                    }
                    response.http_error(method.as_str(), &url)
                }
                Err(err) => {
                    let err = ClientError::from_transport(err, method.as_str(), &url);
                    if !(can_retry && err.outcome_unknown()) {
                        self.log(|| LogEvent {
                            kind: "error",
                            method: method.as_str(),
                            url: url.clone(),
                            attempt,
                            headers: Vec::new(),
                            status: None,
                            error: Some(err.code().to_owned()),
                        });
                        return Err(err);
                    }
                    err
                }
            };
            self.log(|| LogEvent {
                kind: "retry",
                method: method.as_str(),
                url: url.clone(),
                attempt,
                headers: Vec::new(),
                status: error.status(),
                error: Some(error.code().to_owned()),
            });
            self.config.runtime.sleep(retry.delay_ms(attempt)).await;
        }
    }

    // ------------------------------------------------------------ wallet address server

    /// The wallet address document (from the wallet address cache, when configured and fresh).
    pub async fn get_wallet_address(&self, url: &str) -> Result<WalletAddress, ClientError> {
        let Some(cache) = &self.config.wallet_cache else {
            return self
                .run(|_| request::get_wallet_address(url, self.opts()))
                .await;
        };
        let now = self.config.runtime.now_unix_seconds();
        if let Some(document) = cache.get(url, now) {
            return Ok(document);
        }
        let mut cache_control = None;
        let document = self
            .run_inspect(
                |_| request::get_wallet_address(url, self.opts()),
                &mut |response| {
                    cache_control = response.header("cache-control").map(str::to_owned);
                },
            )
            .await?;
        cache.put(url, now, cache_control.as_deref(), &document);
        Ok(document)
    }

    /// The wallet address's public keys.
    pub async fn get_wallet_address_keys(&self, url: &str) -> Result<JsonWebKeySet, ClientError> {
        self.run(|_| request::get_wallet_address_keys(url, self.opts()))
            .await
    }

    /// The wallet address's DID document.
    pub async fn get_did_document(&self, url: &str) -> Result<DidDocument, ClientError> {
        self.run(|_| request::get_did_document(url, self.opts()))
            .await
    }

    // ------------------------------------------------------------ authorization server

    /// Requests a grant from the authorization server at `auth_server`.
    pub async fn request_grant(
        &self,
        auth_server: &str,
        body: &GrantRequest,
    ) -> Result<GrantResponse, ClientError> {
        self.run(|c| request::request_grant(auth_server, body, self.signer(c)?, self.opts()))
            .await
    }

    /// Continues a grant (with `interact_ref` after an interaction, or without to poll).
    pub async fn continue_grant(
        &self,
        continue_uri: &str,
        continue_token: &str,
        body: &ContinuationRequest,
    ) -> Result<Grant, ClientError> {
        self.run(|c| {
            request::continue_grant(
                continue_uri,
                continue_token,
                body,
                self.signer(c)?,
                self.opts(),
            )
        })
        .await
    }

    /// Verifies the interaction-finish hash, then continues the grant with the `interact_ref`.
    /// A hash that does not match stops here: the grant is not continued.
    pub async fn continue_grant_after_interaction(
        &self,
        continue_uri: &str,
        continue_token: &str,
        check: &InteractFinishCheck<'_>,
    ) -> Result<Grant, ClientError> {
        verify_interact_finish(check)?;
        let body = ContinuationRequest {
            interact_ref: Some(check.interact_ref.to_owned()),
        };
        self.continue_grant(continue_uri, continue_token, &body)
            .await
    }

    /// Cancels a grant.
    pub async fn cancel_grant(
        &self,
        continue_uri: &str,
        continue_token: &str,
    ) -> Result<(), ClientError> {
        self.run(|c| {
            request::cancel_grant(continue_uri, continue_token, self.signer(c)?, self.opts())
        })
        .await
    }

    /// Rotates an access token.
    pub async fn rotate_token(
        &self,
        manage_url: &str,
        access_token: &str,
    ) -> Result<AccessTokenResponse, ClientError> {
        self.run(|c| request::rotate_token(manage_url, access_token, self.signer(c)?, self.opts()))
            .await
    }

    /// Revokes an access token.
    pub async fn revoke_token(
        &self,
        manage_url: &str,
        access_token: &str,
    ) -> Result<(), ClientError> {
        self.run(|c| request::revoke_token(manage_url, access_token, self.signer(c)?, self.opts()))
            .await
    }

    // ------------------------------------------------------------ incoming payments

    /// Creates an incoming payment at `resource_server`.
    pub async fn create_incoming_payment(
        &self,
        resource_server: &str,
        access_token: &str,
        body: &CreateIncomingPaymentRequest,
    ) -> Result<IncomingPaymentWithPaymentMethods, ClientError> {
        self.run(|c| {
            request::create_incoming_payment(
                resource_server,
                access_token,
                body,
                self.signer(c)?,
                self.opts(),
            )
        })
        .await
    }

    /// Reads an incoming payment with its payment methods.
    pub async fn get_incoming_payment(
        &self,
        url: &str,
        access_token: &str,
    ) -> Result<IncomingPaymentWithPaymentMethods, ClientError> {
        self.run(|c| request::get_incoming_payment(url, access_token, self.signer(c)?, self.opts()))
            .await
    }

    /// Reads the public view of an incoming payment (no token, unsigned).
    pub async fn get_public_incoming_payment(
        &self,
        url: &str,
    ) -> Result<PublicIncomingPayment, ClientError> {
        self.run(|_| request::get_public_incoming_payment(url, self.opts()))
            .await
    }

    /// Lists one page of a wallet address's incoming payments.
    pub async fn list_incoming_payments(
        &self,
        resource_server: &str,
        access_token: &str,
        wallet_address: &str,
        pagination: &Pagination,
    ) -> Result<Page<IncomingPayment>, ClientError> {
        self.run(|c| {
            request::list_incoming_payments(
                resource_server,
                access_token,
                wallet_address,
                pagination,
                self.signer(c)?,
                self.opts(),
            )
        })
        .await
    }

    /// Every item of `wallet_address`'s list (`list_all::<IncomingPayment>` or
    /// `list_all::<OutgoingPayment>`), page after page: forward from `pagination.cursor` in pages
    /// of `pagination.first`, or backward when `pagination.last` is set (the Rust form of the JS
    /// `listAll`). A server that hands back a cursor it already gave is an error, not an endless
    /// loop. To stop early or keep memory bounded, read the pages one by one with [`Self::pages`].
    pub async fn list_all<I: Listed>(
        &self,
        resource_server: &str,
        access_token: &str,
        wallet_address: &str,
        pagination: &Pagination,
    ) -> Result<Vec<I>, ClientError> {
        self.pages(resource_server, access_token, wallet_address, pagination)
            .collect()
            .await
    }

    /// A list of `wallet_address` at `resource_server` as [`Pages`], each page fetched when
    /// [`Pages::next`] asks for it (the Rust form of iterating the JS `listAll`):
    /// `client.pages::<IncomingPayment>(…)` or `client.pages::<OutgoingPayment>(…)`.
    pub fn pages<'c, I: Listed>(
        &'c self,
        resource_server: &str,
        access_token: &str,
        wallet_address: &str,
        pagination: &Pagination,
    ) -> Pages<'c, T, I> {
        Pages::new(
            self,
            resource_server,
            access_token,
            wallet_address,
            pagination,
        )
    }

    /// Completes an incoming payment.
    pub async fn complete_incoming_payment(
        &self,
        url: &str,
        access_token: &str,
    ) -> Result<IncomingPayment, ClientError> {
        self.run(|c| {
            request::complete_incoming_payment(url, access_token, self.signer(c)?, self.opts())
        })
        .await
    }

    // ------------------------------------------------------------ quotes

    /// Creates a quote at `resource_server`.
    pub async fn create_quote(
        &self,
        resource_server: &str,
        access_token: &str,
        body: &CreateQuoteRequest,
    ) -> Result<Quote, ClientError> {
        self.run(|c| {
            request::create_quote(
                resource_server,
                access_token,
                body,
                self.signer(c)?,
                self.opts(),
            )
        })
        .await
    }

    /// Reads a quote.
    pub async fn get_quote(&self, url: &str, access_token: &str) -> Result<Quote, ClientError> {
        self.run(|c| request::get_quote(url, access_token, self.signer(c)?, self.opts()))
            .await
    }

    // ------------------------------------------------------------ outgoing payments

    /// Creates an outgoing payment, never twice for one quote.
    ///
    /// The POST is sent once. If its outcome is unknown (network failure or timeout) and the
    /// payment is created from a quote, the sender's outgoing payments are listed first: the one
    /// created from the same quote is returned (without the grant's spent totals, which only
    /// the create response carries). Only when none exists is the POST sent a second time.
    /// Payments without a quote cannot be matched safely, so their unknown outcome is returned
    /// as the error.
    pub async fn create_outgoing_payment(
        &self,
        resource_server: &str,
        access_token: &str,
        body: &CreateOutgoingPaymentRequest,
    ) -> Result<OutgoingPaymentWithSpentAmounts, ClientError> {
        let create = |c| {
            request::create_outgoing_payment(
                resource_server,
                access_token,
                body,
                self.signer(c)?,
                self.opts(),
            )
        };
        let error = match self.run(create).await {
            Err(error) if error.outcome_unknown() => error,
            other => return other,
        };
        let CreateOutgoingPaymentRequest::FromQuote {
            wallet_address,
            quote_id,
            ..
        } = body
        else {
            return Err(error);
        };
        self.log(|| LogEvent {
            kind: "reconcile",
            method: "GET",
            url: resource_server.to_owned(),
            attempt: 1,
            headers: Vec::new(),
            status: None,
            error: Some(error.code().to_owned()),
        });
        match self
            .find_outgoing_payment_by_quote(resource_server, access_token, wallet_address, quote_id)
            .await
        {
            Ok(Some(payment)) => Ok(with_spent_amounts(payment)),
            Ok(None) => self.run(create).await,
            Err(_) => Err(error),
        }
    }

    /// Looks through the sender's outgoing payments for the one created from `quote_id`.
    pub async fn find_outgoing_payment_by_quote(
        &self,
        resource_server: &str,
        access_token: &str,
        wallet_address: &str,
        quote_id: &str,
    ) -> Result<Option<OutgoingPayment>, ClientError> {
        let mut pages = Pager::new(&Pagination {
            first: Some(100),
            ..Pagination::default()
        });
        for _ in 0..RECONCILE_MAX_PAGES {
            let page = self
                .list_outgoing_payments(
                    resource_server,
                    access_token,
                    wallet_address,
                    pages.current(),
                )
                .await?;
            if let Some(found) = page
                .result
                .into_iter()
                .find(|p| p.quote_id.as_deref() == Some(quote_id))
            {
                return Ok(Some(found));
            }
            if !pages.advance(&page.pagination, resource_server)? {
                return Ok(None);
            }
        }
        Ok(None)
    }

    /// Reads an outgoing payment.
    pub async fn get_outgoing_payment(
        &self,
        url: &str,
        access_token: &str,
    ) -> Result<OutgoingPayment, ClientError> {
        self.run(|c| request::get_outgoing_payment(url, access_token, self.signer(c)?, self.opts()))
            .await
    }

    /// Lists one page of a wallet address's outgoing payments.
    pub async fn list_outgoing_payments(
        &self,
        resource_server: &str,
        access_token: &str,
        wallet_address: &str,
        pagination: &Pagination,
    ) -> Result<Page<OutgoingPayment>, ClientError> {
        self.run(|c| {
            request::list_outgoing_payments(
                resource_server,
                access_token,
                wallet_address,
                pagination,
                self.signer(c)?,
                self.opts(),
            )
        })
        .await
    }

    /// What the token's outgoing-payment grant has spent.
    pub async fn get_grant_spent_amounts(
        &self,
        resource_server: &str,
        access_token: &str,
    ) -> Result<OutgoingPaymentGrantSpentAmounts, ClientError> {
        self.run(|c| {
            request::get_grant_spent_amounts(
                resource_server,
                access_token,
                self.signer(c)?,
                self.opts(),
            )
        })
        .await
    }
}

/// One list (incoming or outgoing payments of a wallet address) read page by page: each
/// [`Pages::next`] fetches one page, following the cursors forward (`pagination.first`) or
/// backward (`pagination.last`). A server that hands back a cursor it already gave ends the
/// pages with an `invalid_response` error instead of an endless loop. Made by
/// [`OpenPaymentsClient::pages`].
pub struct Pages<'c, T, I> {
    client: &'c OpenPaymentsClient<T>,
    list: ListOf,
    pager: Pager,
    done: bool,
    item: std::marker::PhantomData<fn() -> I>,
}

impl<T, I> std::fmt::Debug for Pages<'_, T, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("list", &self.list)
            .field("pager", &self.pager)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Which wallet address's list, and with what token.
struct ListOf {
    resource_server: String,
    access_token: String,
    wallet_address: String,
}

/// The token is a secret: `Debug` never shows it.
impl std::fmt::Debug for ListOf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListOf")
            .field("resource_server", &self.resource_server)
            .field("access_token", &"<redacted>")
            .field("wallet_address", &self.wallet_address)
            .finish()
    }
}

impl<'c, T: Transport, I: Listed> Pages<'c, T, I> {
    fn new(
        client: &'c OpenPaymentsClient<T>,
        resource_server: &str,
        access_token: &str,
        wallet_address: &str,
        pagination: &Pagination,
    ) -> Self {
        Self {
            client,
            list: ListOf {
                resource_server: resource_server.to_owned(),
                access_token: access_token.to_owned(),
                wallet_address: wallet_address.to_owned(),
            },
            pager: Pager::new(pagination),
            done: false,
            item: std::marker::PhantomData,
        }
    }

    /// The items of the next page; `Ok(None)` once the last page was read. After an error the
    /// pages end too (the next call gives `Ok(None)`).
    pub async fn next(&mut self) -> Result<Option<Vec<I>>, ClientError> {
        if self.done {
            return Ok(None);
        }
        let list = &self.list;
        let page = I::list(
            self.client,
            &list.resource_server,
            &list.access_token,
            &list.wallet_address,
            self.pager.current(),
        )
        .await;
        let advanced = page.and_then(|page| {
            let more = self
                .pager
                .advance(&page.pagination, &self.list.resource_server)?;
            Ok((page.result, more))
        });
        match advanced {
            Ok((items, more)) => {
                self.done = !more;
                Ok(Some(items))
            }
            Err(err) => {
                self.done = true;
                Err(err)
            }
        }
    }

    /// Every remaining item, page after page.
    pub async fn collect(mut self) -> Result<Vec<I>, ClientError> {
        let mut all = Vec::new();
        while let Some(items) = self.next().await? {
            all.extend(items);
        }
        Ok(all)
    }
}

/// A resource that a wallet address's list pages through.
pub trait Listed: Sized + private::Sealed {
    /// Reads one page of `wallet_address`'s list at `resource_server`.
    fn list<'a, T: Transport>(
        client: &'a OpenPaymentsClient<T>,
        resource_server: &'a str,
        access_token: &'a str,
        wallet_address: &'a str,
        pagination: &'a Pagination,
    ) -> impl std::future::Future<Output = Result<Page<Self>, ClientError>> + 'a;
}

mod private {
    pub trait Sealed {}
}

/// [`Listed`] for a resource whose one-page list operation is `$list`.
macro_rules! listed {
    ($item:ty, $list:ident) => {
        impl private::Sealed for $item {}

        impl Listed for $item {
            fn list<'a, T: Transport>(
                client: &'a OpenPaymentsClient<T>,
                resource_server: &'a str,
                access_token: &'a str,
                wallet_address: &'a str,
                pagination: &'a Pagination,
            ) -> impl std::future::Future<Output = Result<Page<Self>, ClientError>> + 'a {
                client.$list(resource_server, access_token, wallet_address, pagination)
            }
        }
    };
}

listed!(IncomingPayment, list_incoming_payments);
listed!(OutgoingPayment, list_outgoing_payments);

/// Where the next page of a list starts, and the cursors seen so far.
#[derive(Debug)]
struct Pager {
    pagination: Pagination,
    seen: Vec<String>,
}

impl Pager {
    fn new(pagination: &Pagination) -> Self {
        Self {
            pagination: pagination.clone(),
            seen: pagination.cursor.iter().cloned().collect(),
        }
    }

    fn current(&self) -> &Pagination {
        &self.pagination
    }

    /// Moves to the page after (or, paging backward, before) `info`; `false` at the end.
    fn advance(&mut self, info: &PageInfo, url: &str) -> Result<bool, ClientError> {
        let backward = self.pagination.last.is_some();
        let (more, cursor) = if backward {
            (info.has_previous_page, &info.start_cursor)
        } else {
            (info.has_next_page, &info.end_cursor)
        };
        let Some(cursor) = cursor.as_ref().filter(|_| more) else {
            return Ok(false);
        };
        if self.seen.contains(cursor) {
            return Err(ClientError::repeated_cursor(url, backward));
        }
        self.seen.push(cursor.clone());
        self.pagination.cursor = Some(cursor.clone());
        Ok(true)
    }
}

fn with_spent_amounts(p: OutgoingPayment) -> OutgoingPaymentWithSpentAmounts {
    OutgoingPaymentWithSpentAmounts {
        id: p.id,
        wallet_address: p.wallet_address,
        quote_id: p.quote_id,
        failed: p.failed,
        receiver: p.receiver,
        receive_amount: p.receive_amount,
        debit_amount: p.debit_amount,
        sent_amount: p.sent_amount,
        grant_spent_debit_amount: None,
        grant_spent_receive_amount: None,
        metadata: p.metadata,
        created_at: p.created_at,
    }
}
