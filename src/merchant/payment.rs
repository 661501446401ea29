//! The one-off payment: start (incoming payment, quote, interactive grant) and finish (hash
//! check, continuation, exactly-once outgoing payment).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::tokens::TokenFor;
use super::{
    check_amount, check_finish_url, fee, refused, AmountIs, Consent, FinishQuery, Merchant,
    MerchantError, Party, Summary,
};
use crate::amount::Amount;
use crate::client::{interact_request, new_nonce, ClientError, InteractFinishCheck, Transport};
use crate::resources::{
    AccessAction, AccessItem, AccessTokenRequest, ContinuationRequest,
    CreateIncomingPaymentRequest, CreateOutgoingPaymentRequest, CreateQuoteRequest, Grant,
    GrantRequest, GrantResponse, LimitsOutgoing, PaymentMethod, WalletAddress,
};

const PURPOSE: &str = "payment";
/// Pause between reads of the incoming payment while another finish is paying.
const RECONCILE_POLL_MS: u64 = 250;

/// What the shop asks to be paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRequest {
    /// The shopper's wallet address: a URL or a payment pointer (`$wallet.example/alice`).
    pub wallet_address: String,
    /// The amount: in the shop's asset when the shop receives it (the default), in the
    /// shopper's when the shopper sends it.
    pub amount: Amount,
    /// Which side the amount fixes.
    #[serde(default)]
    pub amount_is: AmountIs,
    /// Where the wallet sends the shopper back after consent (absolute http(s) URL; the wallet
    /// appends `hash` and `interact_ref`, or `result=grant_rejected`).
    pub finish_url: String,
    /// A description for both payments' metadata (`metadata.description`).
    #[serde(default)]
    pub description: Option<String>,
    /// More metadata for the shop's incoming payment (merged under `description`).
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
}

/// Whether the shop has the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PaymentStatus {
    /// The outgoing payment settled (or the shop's incoming payment shows it received).
    Paid,
    /// Another finish continued this grant and its payment did not show yet on the shop's
    /// incoming payment: read it again later (nothing is sent twice either way).
    Processing,
}

/// The result of a finished payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// Paid, or still processing elsewhere.
    pub status: PaymentStatus,
    /// The shopper's outgoing payment (`None` when this finish reconciled another's).
    pub outgoing_payment_id: Option<String>,
    /// The shop's incoming payment.
    pub incoming_payment_id: String,
    /// The shopper's wallet address.
    pub wallet_address: String,
    /// What left the shopper's account.
    pub debit_amount: Amount,
    /// What the shop receives.
    pub receive_amount: Amount,
    /// True when this finish found the grant already continued (a reload, a concurrent finish)
    /// and read the outcome instead of paying.
    pub reconciled: bool,
}

/// Everything the finish step needs, sealed between the two requests.
#[derive(Serialize, Deserialize)]
struct PaymentState {
    #[serde(flatten)]
    consent: PendingConsent,
    quote: String,
    quote_expires: Option<i64>,
    incoming: String,
    shopper: String,
    shopper_resource_server: String,
    debit: Amount,
    receive: Amount,
    amount_is: AmountIs,
}

/// `{"description": …}` plus the caller's metadata.
pub(super) fn metadata(
    description: Option<&str>,
    extra: Option<&Map<String, Value>>,
) -> Option<Map<String, Value>> {
    let mut map = extra.cloned().unwrap_or_default();
    if let Some(d) = description {
        map.insert("description".into(), Value::String(d.to_owned()));
    }
    (!map.is_empty()).then_some(map)
}

impl<T: Transport> Merchant<T> {
    /// Creates the shop's incoming payment and the shopper's quote, and asks the shopper's
    /// wallet for consent to an outgoing payment limited to the quote's `debitAmount` and that
    /// incoming payment. Nothing is paid until [`Merchant::finish_payment`].
    pub async fn start_payment(&self, request: &PaymentRequest) -> Result<Consent, MerchantError> {
        check_finish_url(&request.finish_url)?;
        let shop = self.shop().await?;
        let shopper = self.shopper(&request.wallet_address).await?;
        match request.amount_is {
            AmountIs::Receive => check_amount(&request.amount, &shop, "shop")?,
            AmountIs::Send => check_amount(&request.amount, &shopper, "shopper")?,
        }
        let incoming_amount = match request.amount_is {
            AmountIs::Receive => Some(request.amount.clone()),
            AmountIs::Send => None,
        };
        let incoming = self
            .create_incoming(
                &shop,
                incoming_amount,
                metadata(request.description.as_deref(), request.metadata.as_ref()),
            )
            .await?;
        let quote_body = match request.amount_is {
            AmountIs::Receive => CreateQuoteRequest::IncomingAmount {
                wallet_address: shopper.id.clone(),
                receiver: incoming.clone(),
                method: PaymentMethod::Ilp,
            },
            AmountIs::Send => CreateQuoteRequest::FixedSend {
                wallet_address: shopper.id.clone(),
                receiver: incoming.clone(),
                method: PaymentMethod::Ilp,
                debit_amount: request.amount.clone(),
            },
        };
        let quote = self
            .shared
            .tokens
            .with_token(&self.client, quote_token(&shopper), |token| {
                let body = &quote_body;
                let rs = &shopper.resource_server;
                async move { self.client.create_quote(rs, &token, body).await }
            })
            .await?;
        let limits = LimitsOutgoing {
            receiver: Some(incoming.clone()),
            interval: None,
            debit_amount: Some(quote.debit_amount.clone()),
            receive_amount: None,
        };
        let (consent, consent_url) = self
            .request_consent(&shopper, limits, &request.finish_url)
            .await?;
        let state = PaymentState {
            consent,
            quote: quote.id.clone(),
            quote_expires: quote.expires_at.as_ref().and_then(|t| t.unix_seconds()),
            incoming: incoming.clone(),
            shopper: shopper.id.clone(),
            shopper_resource_server: shopper.resource_server.clone(),
            debit: quote.debit_amount.clone(),
            receive: quote.receive_amount.clone(),
            amount_is: request.amount_is,
        };
        Ok(Consent {
            consent_url,
            summary: Summary {
                shop: Party::of(&shop),
                shopper: Party::of(&shopper),
                fee: fee(&quote.debit_amount, &quote.receive_amount),
                debit_amount: Some(quote.debit_amount),
                receive_amount: Some(quote.receive_amount),
                expires_at: quote.expires_at,
                interval: None,
            },
            state: self.seal(PURPOSE, &state, self.shared.settings.state_ttl_seconds)?,
        })
    }

    /// Finishes a payment after the shopper came back: opens the state, verifies the
    /// interaction hash (nothing is continued when it does not match), continues the grant and
    /// creates the outgoing payment from the quote, exactly once however often or wherever this
    /// runs for one state (see the module docs).
    pub async fn finish_payment(
        &self,
        state: &str,
        query: &FinishQuery,
    ) -> Result<Receipt, MerchantError> {
        let st: PaymentState = self.open(PURPOSE, state)?;
        let grant = match self.continue_after_consent(&st.consent, query).await? {
            Continued::Granted(grant) => grant,
            // The hash proves the shopper approved; a refusal now means the grant was continued
            // already: by a reload, a concurrent finish or another instance.
            Continued::AlreadyContinued(_) => return self.reconcile(&st).await,
        };
        let token = access_token(grant)?;
        if st
            .quote_expires
            .is_some_and(|at| i64::try_from(self.now()).unwrap_or(i64::MAX) >= at)
        {
            return Err(MerchantError::QuoteExpired);
        }
        let create = CreateOutgoingPaymentRequest::FromQuote {
            wallet_address: st.shopper.clone(),
            quote_id: st.quote.clone(),
            metadata: None,
        };
        let rs = &st.shopper_resource_server;
        let payment = match self
            .client
            .create_outgoing_payment(rs, &token, &create)
            .await
        {
            Ok(p) => (p.id, p.failed, p.debit_amount, p.receive_amount),
            Err(e) if quote_expired(&e) => return Err(MerchantError::QuoteExpired),
            Err(e) if e.status() == Some(400) && quote_used(&e) => {
                // Paid by an earlier attempt of this same grant: find that payment.
                match self
                    .client
                    .find_outgoing_payment_by_quote(rs, &token, &st.shopper, &st.quote)
                    .await?
                {
                    Some(p) => (p.id, p.failed, p.debit_amount, p.receive_amount),
                    None => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        };
        let (id, failed, debit, receive) = payment;
        if failed == Some(true) {
            return Err(MerchantError::InsufficientFunds {
                outgoing_payment_id: id,
            });
        }
        if st.amount_is == AmountIs::Send {
            // No incomingAmount: the wallet cannot know it is done; say so.
            self.complete_incoming(&st.incoming).await?;
        }
        Ok(Receipt {
            status: PaymentStatus::Paid,
            outgoing_payment_id: Some(id),
            incoming_payment_id: st.incoming,
            wallet_address: st.shopper,
            debit_amount: debit,
            receive_amount: receive,
            reconciled: false,
        })
    }

    /// The grant was continued elsewhere: read the shop's incoming payment until it shows the
    /// payment or `reconcile_wait_ms` passed.
    async fn reconcile(&self, st: &PaymentState) -> Result<Receipt, MerchantError> {
        let runtime = self.client.config().runtime();
        let shop = self.shop().await?;
        let polls = (self.shared.settings.reconcile_wait_ms / RECONCILE_POLL_MS).max(1);
        let mut status = PaymentStatus::Processing;
        for poll in 0..polls {
            let ip = self
                .shared
                .tokens
                .with_token(&self.client, shop_token(&shop), |token| async move {
                    self.client.get_incoming_payment(&st.incoming, &token).await
                })
                .await?;
            let received = ip.received_amount.value();
            let expected = match st.amount_is {
                AmountIs::Receive => st.receive.value(),
                AmountIs::Send => 1,
            };
            if received >= expected {
                status = PaymentStatus::Paid;
                break;
            }
            if poll + 1 < polls {
                runtime.sleep(RECONCILE_POLL_MS).await;
            }
        }
        Ok(Receipt {
            status,
            outgoing_payment_id: None,
            incoming_payment_id: st.incoming.clone(),
            wallet_address: st.shopper.clone(),
            debit_amount: st.debit.clone(),
            receive_amount: st.receive.clone(),
            reconciled: true,
        })
    }

    /// Creates an incoming payment on the shop's wallet with the reused shop token.
    pub(super) async fn create_incoming(
        &self,
        shop: &WalletAddress,
        incoming_amount: Option<Amount>,
        metadata: Option<Map<String, Value>>,
    ) -> Result<String, MerchantError> {
        let body = CreateIncomingPaymentRequest {
            wallet_address: shop.id.clone(),
            incoming_amount,
            expires_at: None,
            metadata,
        };
        let created = self
            .shared
            .tokens
            .with_token(&self.client, shop_token(shop), |token| {
                let body = &body;
                async move {
                    self.client
                        .create_incoming_payment(&shop.resource_server, &token, body)
                        .await
                }
            })
            .await?;
        Ok(created.id)
    }

    /// Completes the shop's incoming payment (no more money expected on it).
    pub(super) async fn complete_incoming(&self, incoming: &str) -> Result<(), MerchantError> {
        let shop = self.shop().await?;
        self.shared
            .tokens
            .with_token(&self.client, shop_token(&shop), |token| async move {
                self.client
                    .complete_incoming_payment(incoming, &token)
                    .await
            })
            .await?;
        Ok(())
    }

    /// Requests an interactive outgoing-payment grant on `shopper` with `limits`; answers what
    /// the finish step needs to continue it, and the consent URL.
    pub(super) async fn request_consent(
        &self,
        shopper: &WalletAddress,
        limits: LimitsOutgoing,
        finish_url: &str,
    ) -> Result<(PendingConsent, String), MerchantError> {
        let nonce = new_nonce(self.client.config().runtime())?;
        let request = GrantRequest {
            access_token: Some(AccessTokenRequest {
                access: vec![AccessItem::OutgoingPayment {
                    actions: vec![AccessAction::Create, AccessAction::Read, AccessAction::List],
                    identifier: shopper.id.clone(),
                    limits: Some(limits),
                }],
            }),
            client: self.client.client_identity()?,
            interact: Some(interact_request(finish_url, &nonce)),
            subject: None,
        };
        match self
            .client
            .request_grant(&shopper.auth_server, &request)
            .await?
        {
            GrantResponse::Pending(pending) => Ok((
                PendingConsent {
                    continue_uri: pending.continue_.uri,
                    continue_token: pending.continue_.access_token.value,
                    client_nonce: nonce,
                    finish_nonce: pending.interact.finish,
                    grant_endpoint: shopper.auth_server.clone(),
                },
                pending.interact.redirect,
            )),
            GrantResponse::Approved(_) => Err(MerchantError::UnexpectedGrant(
                "the wallet granted an outgoing payment without asking the shopper".into(),
            )),
        }
    }

    /// Verifies the finish redirect's hash against `consent` (nothing is continued when it
    /// does not match) and continues the grant once.
    pub(super) async fn continue_after_consent(
        &self,
        consent: &PendingConsent,
        query: &FinishQuery,
    ) -> Result<Continued, MerchantError> {
        let (hash, interact_ref) = consent_result(query)?;
        crate::client::verify_interact_finish(&InteractFinishCheck {
            client_nonce: &consent.client_nonce,
            finish_nonce: &consent.finish_nonce,
            interact_ref,
            grant_endpoint: &consent.grant_endpoint,
            hash,
        })
        .map_err(|_| MerchantError::TamperedHash)?;
        let body = ContinuationRequest {
            interact_ref: Some(interact_ref.to_owned()),
        };
        match self
            .client
            .continue_grant(&consent.continue_uri, &consent.continue_token, &body)
            .await
        {
            Ok(grant) => Ok(Continued::Granted(grant)),
            Err(e) if refused(&e) => Ok(Continued::AlreadyContinued(e)),
            Err(e) => Err(e.into()),
        }
    }
}

/// What the finish step needs to continue an interactive grant, sealed between start and finish.
#[derive(Serialize, Deserialize)]
pub(super) struct PendingConsent {
    continue_uri: String,
    continue_token: String,
    client_nonce: String,
    finish_nonce: String,
    pub(super) grant_endpoint: String,
}

/// The outcome of continuing a grant after consent.
pub(super) enum Continued {
    /// The grant, continued now.
    Granted(Grant),
    /// The wallet refused the continuation although the hash proves consent: it was continued
    /// already (a reload, a concurrent finish, another instance).
    AlreadyContinued(ClientError),
}

/// The `hash` and `interact_ref` of a finish query, or why there are none.
pub(super) fn consent_result(query: &FinishQuery) -> Result<(&str, &str), MerchantError> {
    if query.result.as_deref() == Some("grant_rejected") {
        return Err(MerchantError::ConsentDenied);
    }
    match (query.hash.as_deref(), query.interact_ref.as_deref()) {
        (Some(h), Some(r)) if !h.is_empty() && !r.is_empty() => Ok((h, r)),
        _ => Err(MerchantError::MissingConsentResult),
    }
}

/// The access token of a continued grant.
fn access_token(grant: Grant) -> Result<String, MerchantError> {
    access_token_parts(grant).map(|(value, _, _)| value)
}

/// The access token of a continued grant: value, management URL, `expires_in`.
pub(super) fn access_token_parts(
    grant: Grant,
) -> Result<(String, String, Option<u64>), MerchantError> {
    grant
        .access_token
        .map(|t| (t.value, t.manage, t.expires_in))
        .ok_or_else(|| {
            MerchantError::UnexpectedGrant("the wallet issued no access token after consent".into())
        })
}

pub(super) fn shop_token(shop: &WalletAddress) -> TokenFor {
    TokenFor::ShopIncoming {
        auth_server: shop.auth_server.clone(),
        wallet: shop.id.clone(),
    }
}

pub(super) fn quote_token(shopper: &WalletAddress) -> TokenFor {
    TokenFor::Quote {
        auth_server: shopper.auth_server.clone(),
    }
}

fn description(e: &ClientError) -> String {
    match e {
        ClientError::Http {
            description,
            server_code,
            ..
        } => format!(
            "{} {}",
            server_code.as_deref().unwrap_or(""),
            description.as_deref().unwrap_or("")
        )
        .to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// A 400 refusing the outgoing payment because its quote expired.
pub(super) fn quote_expired(e: &ClientError) -> bool {
    e.status() == Some(400) && description(e).contains("expired")
}

fn quote_used(e: &ClientError) -> bool {
    let d = description(e);
    d.contains("already used") || d.contains("already exists")
}
