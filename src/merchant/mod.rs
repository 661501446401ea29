//! Payments and subscriptions as library calls: what a shop's server calls to take a payment
//! with the shopper's consent, in two steps, and to charge a subscription.
//!
//! - One-off payment: [`Merchant::start_payment`] creates the incoming payment on the shop's
//!   wallet, the quote on the shopper's, and the interactive outgoing-payment grant limited to
//!   the quote's `debitAmount` and that incoming payment; it answers the consent URL to redirect
//!   the shopper to, a summary fit to show and a sealed state. [`Merchant::finish_payment`]
//!   takes the state and the finish redirect's query, verifies the interaction hash (RFC 9635
//!   §4.2.3) before anything else, continues the grant and creates the outgoing payment, exactly
//!   once (see below), and answers a [`Receipt`].
//! - Subscription: [`Merchant::start_subscription`] asks consent for an outgoing-payment grant
//!   with an interval limit (`R/<start>/P1M`); [`Merchant::finish_subscription`] turns the
//!   consent into a sealed [`Subscription`]; [`Merchant::charge_subscription`] charges it without
//!   the shopper, rotating the access token when needed; [`Merchant::cancel_subscription`]
//!   revokes the grant.
//!
//! # Exactly once
//! A grant continuation succeeds once: a reload of the finish URL, a second concurrent finish or
//! a finish on another instance cannot continue it again, so it cannot pay again; it reads the
//! shop's incoming payment instead and answers a receipt marked `reconciled`. A connection lost
//! after the outgoing payment was created is reconciled by the client (it lists the shopper's
//! payments for the quote before ever sending again). Outcomes that are not a receipt are
//! [`MerchantError`]s, each meaning nothing was paid.
//!
//! # Sealed state
//! What `finish` needs (the continuation URI and token, the nonces, quote and incoming payment)
//! travels sealed with AES-256-GCM under the merchant's [`SealKeys`], bound to its purpose and
//! expiring ([`MerchantSettings`]). It holds secrets but is opaque without a key: keep it in an
//! `HttpOnly` cookie or a session store, never in a URL.

mod error;
mod payment;
mod subscription;
mod tokens;

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

pub use error::MerchantError;
pub use payment::{PaymentRequest, PaymentStatus, Receipt};
pub use subscription::{Charge, Subscription, SubscriptionRequest};

use crate::amount::Amount;
use crate::client::{ClientError, OpenPaymentsClient, Transport};
use crate::resources::{Timestamp, WalletAddress};
use crate::seal::SealKeys;
use crate::wallet_address::resolve_wallet_address_url;
use tokens::TokenCache;

/// Lifetimes and limits of the flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MerchantSettings {
    /// How long the state between start and finish stays valid, in seconds (default 900: the
    /// consent must be given within 15 minutes).
    pub state_ttl_seconds: u64,
    /// How long a sealed subscription stays valid, in seconds (default 400 days); charging
    /// returns it sealed afresh.
    pub subscription_ttl_seconds: u64,
    /// How long a finish that finds the grant already continued waits for the payment of the
    /// other finish to show on the shop's incoming payment, in milliseconds (default 3000).
    pub reconcile_wait_ms: u64,
}

impl Default for MerchantSettings {
    fn default() -> Self {
        Self {
            state_ttl_seconds: 900,
            subscription_ttl_seconds: 400 * 24 * 3600,
            reconcile_wait_ms: 3_000,
        }
    }
}

/// Who receives, or what the shopper sends: which side of the payment the amount fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum AmountIs {
    /// The shop receives exactly the amount (in the shop's asset); the shopper pays it plus any
    /// fee.
    #[default]
    Receive,
    /// The shopper sends exactly the amount (in the shopper's asset); the shop receives it less
    /// any fee or conversion.
    Send,
}

/// One side of a payment, as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    /// The wallet address URL.
    pub wallet_address: String,
    /// The wallet's `publicName`, when it has one.
    pub public_name: Option<String>,
    /// The wallet's asset code.
    pub asset_code: String,
    /// The wallet's asset scale.
    pub asset_scale: u8,
}

impl Party {
    fn of(w: &WalletAddress) -> Self {
        Self {
            wallet_address: w.id.clone(),
            public_name: w.public_name.clone(),
            asset_code: w.asset_code.clone(),
            asset_scale: w.asset_scale,
        }
    }
}

/// What to show the shopper before sending them to consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The shop.
    pub shop: Party,
    /// The shopper.
    pub shopper: Party,
    /// What leaves the shopper's account (per interval for a subscription; `None` for a
    /// subscription fixed by what the shop receives, where the fee is known only per charge).
    pub debit_amount: Option<Amount>,
    /// What the shop receives (per interval for a subscription; `None` for a subscription fixed
    /// by what the shopper sends).
    pub receive_amount: Option<Amount>,
    /// The fee, where it can be known: debit minus receive when both are in the same asset.
    pub fee: Option<Amount>,
    /// When the quote expires (one-off payments).
    pub expires_at: Option<Timestamp>,
    /// The repeating interval (subscriptions), e.g. `R/2026-12-01T00:00:00Z/P1M`.
    pub interval: Option<String>,
}

/// The answer of a start step: where to send the shopper, what to show, what to keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    /// The wallet's consent page: redirect the shopper here.
    pub consent_url: String,
    /// What the shopper is asked to approve.
    pub summary: Summary,
    /// The sealed state for the finish step (opaque; keep it server-side or in an `HttpOnly`
    /// cookie, never in a URL).
    pub state: String,
}

/// The query of the finish redirect, as the wallet sends the shopper back (RFC 9635 §4.2.3):
/// `hash` and `interact_ref` after consent, `result=grant_rejected` after a denial. Deserializes
/// from the query string directly (e.g. axum's `Query<FinishQuery>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishQuery {
    /// The interaction-finish hash.
    pub hash: Option<String>,
    /// The interaction reference.
    pub interact_ref: Option<String>,
    /// `grant_rejected` when the shopper denied.
    pub result: Option<String>,
}

/// The shop's side of Open Payments flows, over one [`OpenPaymentsClient`] whose key and wallet
/// address are the shop's.
///
/// It keeps the shop's non-interactive access tokens between calls (see the `tokens` module), so
/// keep one `Merchant` for the life of the process; [`Merchant::with_transport`] makes one that
/// shares them for a per-request transport.
pub struct Merchant<T> {
    client: OpenPaymentsClient<T>,
    shared: Rc<Shared>,
}

struct Shared {
    keys: SealKeys,
    settings: MerchantSettings,
    tokens: TokenCache,
    /// The shop's own wallet address document and until when it is reused (unix seconds).
    shop: RefCell<Option<(WalletAddress, u64)>>,
}

/// How long the shop's own wallet address document is reused (its `authServer` and
/// `resourceServer` do not change between checkouts).
const SHOP_DOCUMENT_SECONDS: u64 = 300;

impl<T> std::fmt::Debug for Merchant<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merchant")
            .field("keys", &self.shared.keys)
            .field("settings", &self.shared.settings)
            .field("tokens", &self.shared.tokens)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Merchant<T> {
    /// A merchant over `client` (configured with the shop's key and wallet address), sealing with
    /// `keys` (the first seals, any opens).
    pub fn new(client: OpenPaymentsClient<T>, keys: SealKeys, settings: MerchantSettings) -> Self {
        Self {
            client,
            shared: Rc::new(Shared {
                keys,
                settings,
                tokens: TokenCache::default(),
                shop: RefCell::new(None),
            }),
        }
    }

    /// The same merchant (keys, settings, reused tokens) sending through another transport.
    pub fn with_transport<U: Transport>(&self, transport: U) -> Merchant<U> {
        Merchant {
            client: self.client.with_transport(transport),
            shared: Rc::clone(&self.shared),
        }
    }

    /// The client the merchant sends with.
    pub fn client(&self) -> &OpenPaymentsClient<T> {
        &self.client
    }

    fn now(&self) -> u64 {
        self.client.config().runtime().now_unix_seconds()
    }

    fn seal<S: Serialize>(
        &self,
        purpose: &str,
        data: &S,
        ttl: u64,
    ) -> Result<String, MerchantError> {
        let runtime = self.client.config().runtime();
        Ok(self
            .shared
            .keys
            .seal(purpose, data, self.now(), ttl, |buf| {
                runtime.fill_random(buf)
            })?)
    }

    fn open<S: serde::de::DeserializeOwned>(
        &self,
        purpose: &str,
        token: &str,
    ) -> Result<S, MerchantError> {
        Ok(self.shared.keys.open(purpose, token, self.now())?)
    }

    /// Seals the caller's own data (a receipt to put in a URL, a session) with the merchant's
    /// keys, for `ttl_seconds`. The purpose is kept apart from the flows' own (`app:` prefix), so
    /// no flow state ever opens as app data or the reverse.
    pub fn seal_data<S: Serialize>(
        &self,
        purpose: &str,
        data: &S,
        ttl_seconds: u64,
    ) -> Result<String, MerchantError> {
        self.seal(&format!("app:{purpose}"), data, ttl_seconds)
    }

    /// Opens data sealed by [`Merchant::seal_data`] for `purpose` (by this merchant's keys, not
    /// expired): [`MerchantError::TamperedState`] or [`MerchantError::StateExpired`] otherwise.
    pub fn open_data<S: serde::de::DeserializeOwned>(
        &self,
        purpose: &str,
        token: &str,
    ) -> Result<S, MerchantError> {
        self.open(&format!("app:{purpose}"), token)
    }

    /// The shop's wallet address document, fetched at most every five minutes.
    async fn shop(&self) -> Result<WalletAddress, MerchantError> {
        let now = self.now();
        if let Some((doc, until)) = self.shared.shop.borrow().as_ref() {
            if *until > now {
                return Ok(doc.clone());
            }
        }
        let url = self
            .client
            .config()
            .wallet_address_url()
            .ok_or(MerchantError::InvalidArgument {
                field: "walletAddressUrl",
                message: "the client has no wallet address (the shop's) configured".into(),
            })?
            .to_owned();
        let doc = self.client.get_wallet_address(&url).await?;
        *self.shared.shop.borrow_mut() =
            Some((doc.clone(), now.saturating_add(SHOP_DOCUMENT_SECONDS)));
        Ok(doc)
    }

    /// The shopper's wallet address document, from a URL or payment pointer.
    async fn shopper(&self, address: &str) -> Result<WalletAddress, MerchantError> {
        let url = resolve_wallet_address_url(address)?;
        self.client
            .get_wallet_address(&url)
            .await
            .map_err(|source| MerchantError::UnknownWallet {
                url,
                source: Box::new(source),
            })
    }
}

/// The finish URL must be absolute http(s): the wallet redirects the shopper's browser to it.
fn check_finish_url(url: &str) -> Result<(), MerchantError> {
    let ok = ["https://", "http://"].iter().any(|s| {
        url.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
            && url.len() > s.len()
    });
    if ok && !url.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(MerchantError::InvalidArgument {
            field: "finishUrl",
            message: "must be an absolute https:// (or http://) URL".into(),
        })
    }
}

/// The amount's asset must be `wallet`'s, and the amount above zero.
fn check_amount(
    amount: &Amount,
    wallet: &WalletAddress,
    whose: &'static str,
) -> Result<(), MerchantError> {
    if amount.asset_code() != wallet.asset_code || amount.asset_scale() != wallet.asset_scale {
        return Err(MerchantError::AssetMismatch {
            asset_code: wallet.asset_code.clone(),
            asset_scale: wallet.asset_scale,
            whose,
        });
    }
    if amount.value() == 0 {
        return Err(MerchantError::InvalidArgument {
            field: "amount",
            message: "must be above zero".into(),
        });
    }
    Ok(())
}

/// A continuation or charge refused for its credentials (401/403/404 from the auth server).
fn refused(e: &ClientError) -> bool {
    matches!(e.status(), Some(401 | 403 | 404))
}

/// The fee where it is knowable: debit minus receive in the same asset.
fn fee(debit: &Amount, receive: &Amount) -> Option<Amount> {
    debit
        .same_asset(receive)
        .then(|| debit.checked_sub(receive).ok())
        .flatten()
}
