//! Quotes [RS]: the quote resource and the three kinds of create request.

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};

use super::common::{FieldError, PaymentMethod, Timestamp};
use crate::amount::Amount;

/// A quote (schema `quote`): what the sender pays and the receiver gets, until `expiresAt`.
///
/// Guarantees: required fields present, amounts valid, timestamps RFC 3339. The schema is closed,
/// but responses are read tolerantly: unknown extra fields (such as the `sentAmount` some spec
/// examples show) are accepted and dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    /// The quote URL; use it as `quoteId` of an outgoing payment.
    pub id: String,
    /// The sending wallet address.
    pub wallet_address: String,
    /// The incoming payment URL being paid.
    pub receiver: String,
    /// What the receiver gets (in the receiver's asset).
    pub receive_amount: Amount,
    /// What the sender pays (in the sender's asset).
    pub debit_amount: Amount,
    /// Always `ilp`.
    pub method: PaymentMethod,
    /// After this time the quoted `debitAmount` is no longer honoured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// When the quote was created.
    pub created_at: Timestamp,
}

/// The body of `POST /quotes` (`oneOf` three closed objects, told apart by which amount is given).
///
/// Guarantees: at most one of `debitAmount` and `receiveAmount`; no unknown fields. Giving
/// neither is only valid when the receiver has an `incomingAmount`, which the server checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
pub enum CreateQuoteRequest {
    /// Fixed send: the sender pays exactly `debitAmount`; the server computes `receiveAmount`.
    FixedSend {
        /// The sending wallet address.
        wallet_address: String,
        /// The incoming payment URL to pay.
        receiver: String,
        /// Always `ilp`.
        method: PaymentMethod,
        /// What the sender pays, in the sender's asset.
        debit_amount: Amount,
    },
    /// Fixed receive: the receiver gets exactly `receiveAmount`; the server computes `debitAmount`.
    FixedReceive {
        /// The sending wallet address.
        wallet_address: String,
        /// The incoming payment URL to pay.
        receiver: String,
        /// Always `ilp`.
        method: PaymentMethod,
        /// What the receiver gets, in the receiver's asset.
        receive_amount: Amount,
    },
    /// No amount: pays what remains of the receiver's `incomingAmount`.
    IncomingAmount {
        /// The sending wallet address.
        wallet_address: String,
        /// The incoming payment URL to pay (it must have an `incomingAmount`).
        receiver: String,
        /// Always `ilp`.
        method: PaymentMethod,
    },
}

/// Every field any kind may have; which are present decides the kind.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct QuoteRequestFields {
    wallet_address: String,
    receiver: String,
    method: PaymentMethod,
    #[serde(default)]
    debit_amount: Option<Amount>,
    #[serde(default)]
    receive_amount: Option<Amount>,
}

/// The rule over a quote request's amounts (shared with the schema walker, which must refuse the
/// same requests): `debitAmount` or `receiveAmount` or neither, never both.
pub(crate) fn check_quote_amounts(has_debit: bool, has_receive: bool) -> Result<(), FieldError> {
    if has_debit && has_receive {
        Err(FieldError::Conflict(
            "a quote request has debitAmount (fixed send) or receiveAmount (fixed receive), not both",
        ))
    } else {
        Ok(())
    }
}

impl<'de> Deserialize<'de> for CreateQuoteRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = QuoteRequestFields::deserialize(deserializer)?;
        check_quote_amounts(f.debit_amount.is_some(), f.receive_amount.is_some())
            .map_err(FieldError::into_de)?;
        Ok(match (f.debit_amount, f.receive_amount) {
            (Some(debit_amount), _) => Self::FixedSend {
                wallet_address: f.wallet_address,
                receiver: f.receiver,
                method: f.method,
                debit_amount,
            },
            (None, Some(receive_amount)) => Self::FixedReceive {
                wallet_address: f.wallet_address,
                receiver: f.receiver,
                method: f.method,
                receive_amount,
            },
            (None, None) => Self::IncomingAmount {
                wallet_address: f.wallet_address,
                receiver: f.receiver,
                method: f.method,
            },
        })
    }
}
