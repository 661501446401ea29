//! Subscriptions: the shopper consents once to an outgoing-payment grant with an interval limit;
//! the shop then charges each interval without the shopper, and cancels by revoking the grant.

use serde::{Deserialize, Serialize};

use super::payment::{access_token_parts, metadata, quote_expired, Continued, PendingConsent};
use super::tokens::TokenFor;
use super::{
    check_amount, check_finish_url, refused, AmountIs, Consent, FinishQuery, Merchant,
    MerchantError, Party, Summary,
};
use crate::amount::Amount;
use crate::client::Transport;
use crate::resources::time::{Duration, RepeatingInterval};
use crate::resources::{
    CreateOutgoingPaymentRequest, CreateQuoteRequest, Interval, LimitsOutgoing, PaymentMethod,
    Timestamp,
};

const CONSENT_PURPOSE: &str = "subscription-consent";
const PURPOSE: &str = "subscription";

/// What the shop asks the shopper to consent to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRequest {
    /// The shopper's wallet address: a URL or a payment pointer.
    pub wallet_address: String,
    /// The most charged per interval: in the shop's asset when it is what the shop receives
    /// (the default), in the shopper's when it is what the shopper sends.
    pub amount: Amount,
    /// Which side the amount limits.
    #[serde(default)]
    pub amount_is: AmountIs,
    /// The interval as an ISO 8601 duration (default `P1M`, monthly); the grant's limit is
    /// `R/<now>/<every>`.
    #[serde(default)]
    pub every: Option<String>,
    /// Where the wallet sends the shopper back after consent.
    pub finish_url: String,
    /// A description for the charges' metadata.
    #[serde(default)]
    pub description: Option<String>,
}

/// A subscription the shopper consented to. `sealed` holds the grant's access and continuation
/// tokens, encrypted: store it server-side with the customer, and replace it with the one each
/// charge returns (the access token may have been rotated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// The sealed grant (opaque).
    pub sealed: String,
    /// The shopper's wallet address.
    pub wallet_address: String,
    /// The most charged per interval.
    pub amount: Amount,
    /// Which side the amount limits.
    pub amount_is: AmountIs,
    /// The grant's repeating interval, e.g. `R/2026-12-01T00:00:00Z/P1M`.
    pub interval: String,
}

/// The result of a charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Charge {
    /// The shopper's outgoing payment.
    pub outgoing_payment_id: String,
    /// The shop's incoming payment.
    pub incoming_payment_id: String,
    /// What left the shopper's account.
    pub debit_amount: Amount,
    /// What the shop receives.
    pub receive_amount: Amount,
    /// The subscription to store in place of the one charged.
    pub subscription: Subscription,
}

#[derive(Serialize, Deserialize)]
struct ConsentState {
    #[serde(flatten)]
    consent: PendingConsent,
    shopper: String,
    shopper_resource_server: String,
    amount: Amount,
    amount_is: AmountIs,
    interval: String,
    description: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Record {
    continue_uri: String,
    continue_token: String,
    token: String,
    manage: String,
    token_expires: u64,
    shopper: String,
    shopper_auth_server: String,
    shopper_resource_server: String,
    amount: Amount,
    amount_is: AmountIs,
    interval: String,
    description: Option<String>,
}

impl<T: Transport> Merchant<T> {
    /// Asks the shopper's wallet for consent to charges of at most `amount` per interval.
    pub async fn start_subscription(
        &self,
        request: &SubscriptionRequest,
    ) -> Result<Consent, MerchantError> {
        check_finish_url(&request.finish_url)?;
        let every = request.every.as_deref().unwrap_or("P1M");
        let start = Timestamp::from_unix_seconds(i64::try_from(self.now()).unwrap_or(i64::MAX));
        let interval = format!("R/{}/{every}", start.as_str());
        let valid =
            Duration::parse(every).is_some() && RepeatingInterval::parse(&interval).is_some();
        if !valid {
            return Err(MerchantError::InvalidArgument {
                field: "every",
                message: "must be an ISO 8601 duration such as P1M or P7D".into(),
            });
        }
        let shop = self.shop().await?;
        let shopper = self.shopper(&request.wallet_address).await?;
        let (debit, receive) = match request.amount_is {
            AmountIs::Receive => {
                check_amount(&request.amount, &shop, "shop")?;
                (None, Some(request.amount.clone()))
            }
            AmountIs::Send => {
                check_amount(&request.amount, &shopper, "shopper")?;
                (Some(request.amount.clone()), None)
            }
        };
        let limits = LimitsOutgoing {
            receiver: None,
            interval: Some(Interval::parse(&interval).map_err(|e| {
                MerchantError::InvalidArgument {
                    field: "every",
                    message: e.to_string(),
                }
            })?),
            debit_amount: debit.clone(),
            receive_amount: receive.clone(),
        };
        let (consent, consent_url) = self
            .request_consent(&shopper, limits, &request.finish_url)
            .await?;
        let state = ConsentState {
            consent,
            shopper: shopper.id.clone(),
            shopper_resource_server: shopper.resource_server.clone(),
            amount: request.amount.clone(),
            amount_is: request.amount_is,
            interval: interval.clone(),
            description: request.description.clone(),
        };
        Ok(Consent {
            consent_url,
            summary: Summary {
                shop: Party::of(&shop),
                shopper: Party::of(&shopper),
                debit_amount: debit,
                receive_amount: receive,
                fee: None,
                expires_at: None,
                interval: Some(interval),
            },
            state: self.seal(
                CONSENT_PURPOSE,
                &state,
                self.shared.settings.state_ttl_seconds,
            )?,
        })
    }

    /// Turns the shopper's consent into a [`Subscription`] (hash verified first, grant
    /// continued once). Nothing is charged yet.
    pub async fn finish_subscription(
        &self,
        state: &str,
        query: &FinishQuery,
    ) -> Result<Subscription, MerchantError> {
        let st: ConsentState = self.open(CONSENT_PURPOSE, state)?;
        let grant = match self.continue_after_consent(&st.consent, query).await? {
            Continued::Granted(grant) => grant,
            // The hash proves the shopper approved: the grant was continued already.
            Continued::AlreadyContinued(e) => {
                return Err(MerchantError::AlreadyFinished {
                    source: Box::new(e),
                })
            }
        };
        // The continuation answer carries the continuation to manage (cancel) the grant.
        let continue_uri = grant.continue_.uri.clone();
        let continue_token = grant.continue_.access_token.value.clone();
        let (token, manage, expires_in) = access_token_parts(grant)?;
        let record = Record {
            continue_uri,
            continue_token,
            token,
            manage,
            token_expires: self.expiry(expires_in),
            shopper: st.shopper,
            shopper_auth_server: st.consent.grant_endpoint,
            shopper_resource_server: st.shopper_resource_server,
            amount: st.amount,
            amount_is: st.amount_is,
            interval: st.interval,
            description: st.description,
        };
        self.subscription(&record)
    }

    /// Charges `amount` (default: the subscription's amount per interval) without the shopper.
    /// A charge over what is left of the interval's limit is refused with
    /// [`MerchantError::LimitExceeded`]; a cancelled subscription with
    /// [`MerchantError::SubscriptionEnded`].
    pub async fn charge_subscription(
        &self,
        sealed: &str,
        amount: Option<&Amount>,
    ) -> Result<Charge, MerchantError> {
        let mut rec: Record = self.open(PURPOSE, sealed)?;
        let amount = amount.unwrap_or(&rec.amount).clone();
        if !amount.same_asset(&rec.amount) {
            return Err(MerchantError::AssetMismatch {
                asset_code: rec.amount.asset_code().to_owned(),
                asset_scale: rec.amount.asset_scale(),
                whose: match rec.amount_is {
                    AmountIs::Receive => "shop",
                    AmountIs::Send => "shopper",
                },
            });
        }
        if amount.value() == 0 {
            return Err(MerchantError::InvalidArgument {
                field: "amount",
                message: "must be above zero".into(),
            });
        }
        if self.now() >= rec.token_expires {
            self.rotate(&mut rec).await?;
        }
        let shop = self.shop().await?;
        let incoming = self
            .create_incoming(
                &shop,
                (rec.amount_is == AmountIs::Receive).then(|| amount.clone()),
                metadata(rec.description.as_deref(), None),
            )
            .await?;
        let quote_body = match rec.amount_is {
            AmountIs::Receive => CreateQuoteRequest::IncomingAmount {
                wallet_address: rec.shopper.clone(),
                receiver: incoming.clone(),
                method: PaymentMethod::Ilp,
            },
            AmountIs::Send => CreateQuoteRequest::FixedSend {
                wallet_address: rec.shopper.clone(),
                receiver: incoming.clone(),
                method: PaymentMethod::Ilp,
                debit_amount: amount.clone(),
            },
        };
        let quote_key = TokenFor::Quote {
            auth_server: rec.shopper_auth_server.clone(),
        };
        let rs = rec.shopper_resource_server.clone();
        let quote = self
            .shared
            .tokens
            .with_token(&self.client, quote_key, |token| {
                let (rs, body) = (&rs, &quote_body);
                async move { self.client.create_quote(rs, &token, body).await }
            })
            .await?;
        let create = CreateOutgoingPaymentRequest::FromQuote {
            wallet_address: rec.shopper.clone(),
            quote_id: quote.id.clone(),
            metadata: metadata(rec.description.as_deref(), None),
        };
        let mut rotated = false;
        let payment = loop {
            match self
                .client
                .create_outgoing_payment(&rs, &rec.token, &create)
                .await
            {
                Err(e) if e.status() == Some(401) && !rotated => {
                    rotated = true;
                    self.rotate(&mut rec).await?;
                }
                Err(e) if e.status() == Some(403) => {
                    self.close_incoming(&incoming).await;
                    return Err(MerchantError::LimitExceeded {
                        source: Box::new(e),
                    });
                }
                Err(e) if e.status() == Some(401) => {
                    self.close_incoming(&incoming).await;
                    return Err(MerchantError::SubscriptionEnded {
                        source: Box::new(e),
                    });
                }
                Err(e) if quote_expired(&e) => return Err(MerchantError::QuoteExpired),
                other => break other?,
            }
        };
        if payment.failed == Some(true) {
            self.close_incoming(&incoming).await;
            return Err(MerchantError::InsufficientFunds {
                outgoing_payment_id: payment.id,
            });
        }
        if rec.amount_is == AmountIs::Send {
            self.complete_incoming(&incoming).await?;
        }
        Ok(Charge {
            outgoing_payment_id: payment.id,
            incoming_payment_id: incoming,
            debit_amount: payment.debit_amount,
            receive_amount: payment.receive_amount,
            subscription: self.subscription(&rec)?,
        })
    }

    /// Ends the subscription: the grant is revoked at the shopper's wallet, so no later charge
    /// (from this or any copy of `sealed`) can pay. Cancelling twice is not an error.
    pub async fn cancel_subscription(&self, sealed: &str) -> Result<(), MerchantError> {
        let rec: Record = self.open(PURPOSE, sealed)?;
        match self
            .client
            .cancel_grant(&rec.continue_uri, &rec.continue_token)
            .await
        {
            Ok(()) => Ok(()),
            Err(e) if refused(&e) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// A new access token for the subscription's grant (the old one stops working).
    async fn rotate(&self, rec: &mut Record) -> Result<(), MerchantError> {
        let rotated = match self.client.rotate_token(&rec.manage, &rec.token).await {
            Ok(r) => r.access_token,
            Err(e) if refused(&e) => {
                return Err(MerchantError::SubscriptionEnded {
                    source: Box::new(e),
                })
            }
            Err(e) => return Err(e.into()),
        };
        rec.token_expires = self.expiry(rotated.expires_in);
        rec.token = rotated.value;
        rec.manage = rotated.manage;
        Ok(())
    }

    fn expiry(&self, expires_in: Option<u64>) -> u64 {
        expires_in.map_or(u64::MAX, |s| self.now().saturating_add(s))
    }

    fn subscription(&self, rec: &Record) -> Result<Subscription, MerchantError> {
        Ok(Subscription {
            sealed: self.seal(PURPOSE, rec, self.shared.settings.subscription_ttl_seconds)?,
            wallet_address: rec.shopper.clone(),
            amount: rec.amount.clone(),
            amount_is: rec.amount_is,
            interval: rec.interval.clone(),
        })
    }

    /// Completes an incoming payment that will not be paid (a refused charge), so it does not
    /// stay open; a failure here changes nothing about the outcome reported.
    async fn close_incoming(&self, incoming: &str) {
        let _ignored: Result<(), MerchantError> = self.complete_incoming(incoming).await;
    }
}
