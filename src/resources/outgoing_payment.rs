//! Outgoing payments [RS]: the resource, its create-time view with the grant's spent totals, the
//! two kinds of create request, and the grant spent amounts of `GET /outgoing-payment-grant`.

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{FieldError, Timestamp};
use crate::amount::Amount;

/// An outgoing payment (schema `outgoing-payment`), as read or listed.
///
/// Guarantees: required fields present, amounts valid, timestamps RFC 3339. Unknown extra fields
/// are accepted and dropped. `failed` is kept as sent (absent means `false`, see
/// [`OutgoingPayment::has_failed`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutgoingPayment {
    /// The outgoing payment URL.
    pub id: String,
    /// The sending wallet address.
    pub wallet_address: String,
    /// The quote the amounts come from, if it was created from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<String>,
    /// True when the payment could not send its full amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<bool>,
    /// The incoming payment URL being paid.
    pub receiver: String,
    /// What the receiver gets when the payment is done.
    pub receive_amount: Amount,
    /// What the sender pays when the payment is done.
    pub debit_amount: Amount,
    /// What has been sent so far.
    pub sent_amount: Amount,
    /// Free-form data of the creator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// When the payment was created.
    pub created_at: Timestamp,
}

impl OutgoingPayment {
    /// `failed`, with the spec's default `false` when absent.
    pub fn has_failed(&self) -> bool {
        self.failed.unwrap_or(false)
    }
}

/// The answer to `POST /outgoing-payments` (`outgoing-payment-with-spent-amounts`): the payment
/// plus the totals already spent under the grant whose token created it.
///
/// Fields are written out (not flattened) so that errors keep their exact JSON path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutgoingPaymentWithSpentAmounts {
    /// The outgoing payment URL.
    pub id: String,
    /// The sending wallet address.
    pub wallet_address: String,
    /// The quote the amounts come from, if it was created from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<String>,
    /// True when the payment could not send its full amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<bool>,
    /// The incoming payment URL being paid.
    pub receiver: String,
    /// What the receiver gets when the payment is done.
    pub receive_amount: Amount,
    /// What the sender pays when the payment is done.
    pub debit_amount: Amount,
    /// What has been sent so far.
    pub sent_amount: Amount,
    /// Total debited under the grant (this interval, for an interval grant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_spent_debit_amount: Option<Amount>,
    /// Total received under the grant (this interval, for an interval grant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_spent_receive_amount: Option<Amount>,
    /// Free-form data of the creator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// When the payment was created.
    pub created_at: Timestamp,
}

/// The body of `GET /outgoing-payment-grant`: what the grant of the presented token has spent.
///
/// Both keys are required on the wire; `null` (here `None`) means nothing was spent. They
/// serialise back as `null`, never omitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutgoingPaymentGrantSpentAmounts {
    /// Total received under the grant (current interval), or `None`.
    #[serde(deserialize_with = "Option::deserialize")]
    pub spent_receive_amount: Option<Amount>,
    /// Total debited under the grant (current interval), or `None`.
    #[serde(deserialize_with = "Option::deserialize")]
    pub spent_debit_amount: Option<Amount>,
}

/// The body of `POST /outgoing-payments` (`oneOf` two closed objects).
///
/// Guarantees: exactly one of `quoteId` and `incomingPayment`; `debitAmount` only (and always)
/// with `incomingPayment`; no unknown fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
pub enum CreateOutgoingPaymentRequest {
    /// Pay a quote: the amounts are the quote's.
    FromQuote {
        /// The sending wallet address.
        wallet_address: String,
        /// The quote URL.
        quote_id: String,
        /// Free-form data to keep on the payment.
        #[serde(skip_serializing_if = "Option::is_none")]
        metadata: Option<Map<String, Value>>,
    },
    /// Pay an incoming payment directly, debiting a fixed amount (no quote).
    FromIncomingPayment {
        /// The sending wallet address.
        wallet_address: String,
        /// The incoming payment URL to pay.
        incoming_payment: String,
        /// What the sender pays, in the sender's asset.
        debit_amount: Amount,
        /// Free-form data to keep on the payment.
        #[serde(skip_serializing_if = "Option::is_none")]
        metadata: Option<Map<String, Value>>,
    },
}

/// Every field either kind may have; which are present decides the kind.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OutgoingPaymentRequestFields {
    wallet_address: String,
    #[serde(default)]
    quote_id: Option<String>,
    #[serde(default)]
    incoming_payment: Option<String>,
    #[serde(default)]
    debit_amount: Option<Amount>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

/// The rule over which members an outgoing payment request gives (shared with the schema walker,
/// which must refuse the same requests): `quoteId` alone, or `incomingPayment` with
/// `debitAmount`.
pub(crate) fn check_outgoing_source(
    has_quote: bool,
    has_incoming: bool,
    has_debit: bool,
) -> Result<(), FieldError> {
    match (has_quote, has_incoming, has_debit) {
        (true, false, false) | (false, true, true) => Ok(()),
        (true, _, _) => Err(FieldError::Conflict(
            "an outgoing payment request has quoteId alone, or incomingPayment with debitAmount",
        )),
        (false, true, false) => Err(FieldError::Conflict(
            "an outgoing payment request with incomingPayment needs a debitAmount",
        )),
        (false, false, _) => Err(FieldError::Conflict(
            "an outgoing payment request needs quoteId, or incomingPayment with debitAmount",
        )),
    }
}

impl<'de> Deserialize<'de> for CreateOutgoingPaymentRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = OutgoingPaymentRequestFields::deserialize(deserializer)?;
        check_outgoing_source(
            f.quote_id.is_some(),
            f.incoming_payment.is_some(),
            f.debit_amount.is_some(),
        )
        .map_err(FieldError::into_de)?;
        match (f.quote_id, f.incoming_payment, f.debit_amount) {
            (Some(quote_id), _, _) => Ok(Self::FromQuote {
                wallet_address: f.wallet_address,
                quote_id,
                metadata: f.metadata,
            }),
            (None, Some(incoming_payment), Some(debit_amount)) => Ok(Self::FromIncomingPayment {
                wallet_address: f.wallet_address,
                incoming_payment,
                debit_amount,
                metadata: f.metadata,
            }),
            // Refused by the rule above.
            _ => Err(serde::de::Error::missing_field("quoteId")),
        }
    }
}

impl OutgoingPayment {
    /// The payment as the create operation answers it (`outgoing-payment-with-spent-amounts`),
    /// with the grant's spent totals given (the read and list operations do not carry them).
    pub fn with_spent_amounts(
        self,
        grant_spent_debit_amount: Option<Amount>,
        grant_spent_receive_amount: Option<Amount>,
    ) -> OutgoingPaymentWithSpentAmounts {
        OutgoingPaymentWithSpentAmounts {
            id: self.id,
            wallet_address: self.wallet_address,
            quote_id: self.quote_id,
            failed: self.failed,
            receiver: self.receiver,
            receive_amount: self.receive_amount,
            debit_amount: self.debit_amount,
            sent_amount: self.sent_amount,
            grant_spent_debit_amount,
            grant_spent_receive_amount,
            metadata: self.metadata,
            created_at: self.created_at,
        }
    }
}
