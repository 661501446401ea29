//! The outcomes of a payment or subscription flow that are not a receipt: each one a code a page
//! can branch on, with nothing paid.

use crate::amount::AmountError;
use crate::client::ClientError;
use crate::error::ErrorCode;
use crate::seal::SealError;
use crate::wallet_address::WalletAddressUrlError;

/// Why a flow step stopped. Every variant means no money moved in this step (a payment already
/// made is reported as a receipt, never as an error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MerchantError {
    /// The shopper's wallet address is not a URL or payment pointer.
    #[error("the wallet address is not valid: {0}")]
    InvalidWalletAddress(#[from] WalletAddressUrlError),
    /// No Open Payments wallet answers at the shopper's wallet address.
    #[error("no wallet answers at {url}: {source}")]
    UnknownWallet {
        /// The wallet address URL tried.
        url: String,
        /// What the wallet's server (or the network) answered.
        source: Box<ClientError>,
    },
    /// The amount is not a valid amount, or is zero.
    #[error("the amount is not valid: {0}")]
    InvalidAmount(#[from] AmountError),
    /// The amount is not in the asset the flow needs (the shop's for what it receives, the
    /// shopper's for what the shopper sends).
    #[error(
        "the amount must be in {asset_code} with scale {asset_scale} (the {whose} wallet's asset)"
    )]
    AssetMismatch {
        /// The expected asset code.
        asset_code: String,
        /// The expected asset scale.
        asset_scale: u8,
        /// `shop` or `shopper`.
        whose: &'static str,
    },
    /// A setting or argument of the flow is not usable (a bad interval, a finish URL that is
    /// not absolute https/http, no shop wallet address configured).
    #[error("{field}: {message}")]
    InvalidArgument {
        /// The argument.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The sealed state was altered, sealed with an unknown key or for another step.
    #[error("the payment state is not valid (altered or not issued by this shop)")]
    TamperedState,
    /// The sealed state's lifetime has passed: start again.
    #[error("the payment state expired; start again")]
    StateExpired,
    /// The finish redirect's hash does not match this grant: the redirect was altered or forged.
    /// The grant is not continued.
    #[error("the consent result could not be verified (the finish hash does not match)")]
    TamperedHash,
    /// The finish redirect has neither `hash` and `interact_ref` nor `result=grant_rejected`.
    #[error("the finish redirect carries no consent result")]
    MissingConsentResult,
    /// The shopper denied consent (or let the consent expire).
    #[error("the shopper did not give consent")]
    ConsentDenied,
    /// This consent was already turned into a subscription (a reload or a concurrent finish):
    /// the first finish holds it.
    #[error("this consent was already used: {source}")]
    AlreadyFinished {
        /// The wallet's refusal to continue the grant again.
        source: Box<ClientError>,
    },
    /// The quote expired before the payment was made: start again for a fresh quote.
    #[error("the quote expired before the payment was made")]
    QuoteExpired,
    /// The shopper's account could not fund the payment; nothing moved.
    #[error("the shopper's account has insufficient funds")]
    InsufficientFunds {
        /// The outgoing payment, created and failed.
        outgoing_payment_id: String,
    },
    /// The charge would exceed what the shopper consented to for the current interval.
    #[error("the charge exceeds the subscription's limit for this interval: {source}")]
    LimitExceeded {
        /// The wallet's refusal, with its details.
        source: Box<ClientError>,
    },
    /// The subscription was cancelled (its grant revoked) or its access cannot be renewed.
    #[error("the subscription has ended: {source}")]
    SubscriptionEnded {
        /// The wallet's refusal.
        source: Box<ClientError>,
    },
    /// The wallet answered a grant request in a way the flow cannot use (no consent asked where
    /// it must be, or no access token after consent).
    #[error("the wallet's grant is not usable: {0}")]
    UnexpectedGrant(String),
    /// Sealing failed (a bad key, no random source).
    #[error(transparent)]
    Seal(SealError),
    /// A wallet (the shop's or the shopper's) refused a request or could not be reached; the
    /// server's code, description and details are in the source.
    #[error("wallet error: {0}")]
    Wallet(Box<ClientError>),
}

impl From<ClientError> for MerchantError {
    fn from(e: ClientError) -> Self {
        Self::Wallet(Box::new(e))
    }
}

impl From<SealError> for MerchantError {
    fn from(e: SealError) -> Self {
        match e {
            SealError::Tampered => Self::TamperedState,
            SealError::Expired { .. } => Self::StateExpired,
            other => Self::Seal(other),
        }
    }
}

impl MerchantError {
    /// The wallet's error behind this outcome, when there is one (server code, description,
    /// details).
    pub fn client_error(&self) -> Option<&ClientError> {
        match self {
            Self::UnknownWallet { source, .. }
            | Self::LimitExceeded { source }
            | Self::AlreadyFinished { source }
            | Self::SubscriptionEnded { source }
            | Self::Wallet(source) => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl ErrorCode for MerchantError {
    fn code(&self) -> &str {
        match self {
            Self::InvalidWalletAddress(e) => e.code(),
            Self::UnknownWallet { .. } => "unknown_wallet",
            Self::InvalidAmount(e) => e.code(),
            Self::AssetMismatch { .. } => "asset_mismatch",
            Self::InvalidArgument { .. } => "invalid_argument",
            Self::TamperedState => "tampered_state",
            Self::StateExpired => "state_expired",
            Self::TamperedHash => "tampered_hash",
            Self::MissingConsentResult => "missing_consent_result",
            Self::ConsentDenied => "consent_denied",
            Self::AlreadyFinished { .. } => "already_finished",
            Self::QuoteExpired => "quote_expired",
            Self::InsufficientFunds { .. } => "insufficient_funds",
            Self::LimitExceeded { .. } => "limit_exceeded",
            Self::SubscriptionEnded { .. } => "subscription_ended",
            Self::UnexpectedGrant(_) => "unexpected_grant",
            Self::Seal(e) => e.code(),
            Self::Wallet(_) => "wallet_error",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Self::InvalidWalletAddress(_) | Self::UnknownWallet { .. } => {
                Some("walletAddress".into())
            }
            Self::InvalidAmount(_) | Self::AssetMismatch { .. } => Some("amount".into()),
            Self::InvalidArgument { field, .. } => Some((*field).into()),
            Self::Seal(e) => e.field(),
            _ => None,
        }
    }
}
