//! [`OpenPaymentsClient`]: every Open Payments operation over a [`Transport`], with signing,
//! retries of idempotent requests, and reconciliation of outgoing payments after an unknown
//! outcome.

use std::rc::Rc;

use super::config::ClientConfig;
use super::error::ClientError;
use super::interact::{verify_interact_finish, InteractFinishCheck};
use super::pages::{Listed, Pager, Pages};
use super::request::{self, Call, RequestBody, Signer, UrlOptions};
use super::response::{
    model_of_checked, DidDocumentDocument, HttpResponse, IncomingPaymentDocument, KeysDocument,
    OutgoingPaymentPageDocument, PublicIncomingPaymentDocument, ResponseBody, Schema,
    WalletAddressDocument, CACHE_CONTROL,
};
use super::transport::{LogEvent, LogKind, Transport};
use crate::error::ErrorCode;
use crate::json::Json;
use crate::resources::from_checked::FromChecked;
use crate::resources::{
    AccessTokenResponse, Client, ContinuationRequest, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, DidDocument, Grant, GrantRequest,
    GrantResponse, IncomingPayment, IncomingPaymentWithPaymentMethods, JsonWebKeySet,
    OutgoingPayment, OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts, Page,
    PageInfo, Pagination, PublicIncomingPayment, Quote, WalletAddress,
};

/// The public documents [`OpenPaymentsClient::get_public_text`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicDocument {
    /// `GET {walletAddress}` (`wallet-address`).
    WalletAddress,
    /// `GET {walletAddress}/jwks.json` (`json-web-key-set`).
    Keys,
    /// `GET {walletAddress}/did.json` (`did-document`).
    DidDocument,
    /// `GET {incomingPayment}` without a token (`public-incoming-payment`).
    IncomingPayment,
}

/// The model of an outgoing payment found in a checked list of `resource_server` (the text of
/// the item as listed).
fn listed_payment(text: &str, resource_server: &str) -> Result<OutgoingPayment, ClientError> {
    model_of_checked(text).map_err(|source| ClientError::InvalidResponse {
        method: "GET".to_owned(),
        url: resource_server.to_owned(),
        status: 200,
        source,
    })
}

/// Most pages read when looking for a payment after an unknown outcome.
const RECONCILE_MAX_PAGES: usize = 50;

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

    // ------------------------------------------------------------ wallet address server

    /// The wallet address document (from the wallet address cache, when configured and fresh).
    pub async fn get_wallet_address(&self, url: &str) -> Result<WalletAddress, ClientError> {
        let text = self
            .get_public_text(PublicDocument::WalletAddress, url)
            .await?;
        model_of_checked(&text).map_err(|source| ClientError::InvalidResponse {
            method: "GET".to_owned(),
            url: url.to_owned(),
            status: 200,
            source,
        })
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

    /// A public document as the server sent it (every member, in order), after checking it
    /// against its schema with the same rules as the typed getters above
    /// ([`Self::get_wallet_address`], …): for callers that hand the document on as JSON. Wallet
    /// addresses come from the wallet address cache when configured and fresh.
    pub async fn get_public_text(
        &self,
        document: PublicDocument,
        url: &str,
    ) -> Result<String, ClientError> {
        let opts = self.opts();
        let cache = self
            .config
            .wallet_cache
            .as_ref()
            .filter(|_| document == PublicDocument::WalletAddress);
        let now = self.config.runtime.now_unix_seconds();
        if let Some(text) = cache.and_then(|c| c.get_text(url, now)) {
            return Ok(text);
        }
        let mut cache_control = None;
        let mut inspect = |response: &HttpResponse| {
            cache_control = response.header(CACHE_CONTROL).map(str::to_owned);
        };
        let text = match document {
            PublicDocument::WalletAddress => {
                self.run_inspect(
                    |_| {
                        Ok(request::get_wallet_address(url, opts)?
                            .checked::<WalletAddressDocument>())
                    },
                    &mut inspect,
                )
                .await?
                .0
            }
            PublicDocument::Keys => {
                self.run_inspect(
                    |_| Ok(request::get_wallet_address_keys(url, opts)?.checked::<KeysDocument>()),
                    &mut inspect,
                )
                .await?
                .0
            }
            PublicDocument::DidDocument => {
                self.run_inspect(
                    |_| Ok(request::get_did_document(url, opts)?.checked::<DidDocumentDocument>()),
                    &mut inspect,
                )
                .await?
                .0
            }
            PublicDocument::IncomingPayment => {
                self.run_inspect(
                    |_| {
                        Ok(request::get_public_incoming_payment(url, opts)?
                            .checked::<PublicIncomingPaymentDocument>())
                    },
                    &mut inspect,
                )
                .await?
                .0
            }
        };
        if let Some(cache) = cache {
            cache.put_text(url, now, cache_control.as_deref(), text.clone());
        }
        Ok(text)
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

    /// An incoming payment as the server sent it (every member, in order), after checking it with
    /// the rules of [`Self::get_incoming_payment`] but without building the model: for callers
    /// that hand it on as JSON (the JS client answers it as received).
    pub async fn get_incoming_payment_text(
        &self,
        url: &str,
        access_token: &str,
    ) -> Result<String, ClientError> {
        self.checked_text::<IncomingPaymentDocument>(|signer, opts| {
            request::get_incoming_payment(url, access_token, signer, opts)
        })
        .await
    }

    /// The operation `make` builds (from the signer and the URL options), its response body as
    /// the server sent it (every member, in order) after checking it against the schema of `S`,
    /// which follows the rules of the typed model `make`'s call reads: the operations of the
    /// typed methods without building their models, for callers that hand the body on as JSON
    /// (the JS client answers it as received).
    pub(crate) async fn checked_text<S: Schema>(
        &self,
        make: impl Fn(Option<Signer<'_>>, UrlOptions) -> Result<Call<S::Model>, ClientError>,
    ) -> Result<String, ClientError> {
        self.run(|created| Ok(make(self.signer(created)?, self.opts())?.checked::<S>()))
            .await
            .map(|checked| checked.0)
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
        let from_quote = match body {
            CreateOutgoingPaymentRequest::FromQuote {
                wallet_address,
                quote_id,
                ..
            } => Some((wallet_address.as_str(), quote_id.as_str())),
            CreateOutgoingPaymentRequest::FromIncomingPayment { .. } => None,
        };
        let found = |found: String| {
            listed_payment(&found, resource_server).map(|p| p.with_spent_amounts(None, None))
        };
        self.create_outgoing_payment_as(
            resource_server,
            access_token,
            body,
            from_quote,
            |call| call,
            found,
        )
        .await
    }

    /// [`Self::create_outgoing_payment`] with any form of the body; `from_quote` is the body's
    /// `(walletAddress, quoteId)` when it pays a quote (only then can an unknown outcome be
    /// reconciled). The response is read by the call `read` makes of the POST, and a payment
    /// found after an unknown outcome (its JSON text as listed) turned into the same answer by
    /// `found`.
    pub(crate) async fn create_outgoing_payment_as<B: ResponseBody>(
        &self,
        resource_server: &str,
        access_token: &str,
        body: &impl RequestBody<CreateOutgoingPaymentRequest>,
        from_quote: Option<(&str, &str)>,
        read: impl Fn(Call<OutgoingPaymentWithSpentAmounts>) -> Call<B>,
        found: impl FnOnce(String) -> Result<B, ClientError>,
    ) -> Result<B, ClientError> {
        let create = |c| {
            Ok(read(request::create_outgoing_payment(
                resource_server,
                access_token,
                body,
                self.signer(c)?,
                self.opts(),
            )?))
        };
        let error = match self.run(create).await {
            Err(error) if error.outcome_unknown() => error,
            other => return other,
        };
        let Some((wallet_address, quote_id)) = from_quote else {
            return Err(error);
        };
        self.log(|| LogEvent {
            error: Some(error.code().to_owned()),
            ..LogEvent::new(LogKind::Reconcile, "GET", resource_server, 1)
        });
        match self
            .find_outgoing_payment_text(resource_server, access_token, wallet_address, quote_id)
            .await
        {
            Ok(Some(payment)) => found(payment),
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
        let found = self
            .find_outgoing_payment_text(resource_server, access_token, wallet_address, quote_id)
            .await?;
        found
            .map(|text| listed_payment(&text, resource_server))
            .transpose()
    }

    /// [`Self::find_outgoing_payment_by_quote`], the payment as JSON text (members in the order
    /// listed). Each page is checked against its schema (`outgoing-payment`'s rules) first, so
    /// the text found is a valid payment.
    async fn find_outgoing_payment_text(
        &self,
        resource_server: &str,
        access_token: &str,
        wallet_address: &str,
        quote_id: &str,
    ) -> Result<Option<String>, ClientError> {
        let mut pages = Pager::new(&Pagination {
            first: Some(100),
            ..Pagination::default()
        });
        for _ in 0..RECONCILE_MAX_PAGES {
            let text = self
                .checked_text::<OutgoingPaymentPageDocument>(|signer, opts| {
                    request::list_outgoing_payments(
                        resource_server,
                        access_token,
                        wallet_address,
                        pages.current(),
                        signer,
                        opts,
                    )
                })
                .await?;
            // Checked above: the page is valid JSON with `pagination` and `result`.
            let Ok(page) = Json::parse(&text) else {
                return Ok(None);
            };
            let items = match page.get("result") {
                Some(Json::Array(items)) => items.as_slice(),
                _ => &[],
            };
            let quote = |item: &&Json| item.get("quoteId").and_then(Json::as_str) == Some(quote_id);
            if let Some(item) = items.iter().find(quote) {
                let mut out = String::new();
                item.write(&mut out);
                return Ok(Some(out));
            }
            let Some(info) = page.given("pagination").and_then(PageInfo::from_checked) else {
                return Ok(None);
            };
            if !pages.advance(&info, resource_server)? {
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
