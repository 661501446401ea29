//! Incoming payments [RS]: the resource, its view with payment methods, the public view, and the
//! create request body.

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{base64url, FieldError, Timestamp};
use crate::amount::Amount;

/// The longest ILP address (`maxLength` of `ilpAddress`).
const ILP_ADDRESS_MAX_LEN: usize = 1023;
/// Allocation schemes an ILP address may start with.
const ILP_SCHEMES: [&str; 9] = [
    "g", "private", "example", "peer", "self", "test", "test1", "test2", "test3",
];

/// An incoming payment (schema `incoming-payment`), as listed or returned by `complete`.
///
/// Guarantees: required fields present, amounts valid (see [`Amount`]), timestamps RFC 3339.
/// Unknown extra fields are accepted and dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncomingPayment {
    /// The incoming payment URL.
    pub id: String,
    /// The receiving wallet address.
    pub wallet_address: String,
    /// True once no more money will be accepted.
    pub completed: bool,
    /// The most the payment accepts, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoming_amount: Option<Amount>,
    /// The total received so far.
    pub received_amount: Amount,
    /// After this time no more money is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// Free-form data of the creator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// When the payment was created.
    pub created_at: Timestamp,
}

/// An incoming payment with the details to pay it (`incoming-payment-with-methods`).
///
/// The fields of [`IncomingPayment`] plus `methods`, written out rather than flattened so that an
/// error in any field keeps its exact JSON path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncomingPaymentWithPaymentMethods {
    /// The incoming payment URL.
    pub id: String,
    /// The receiving wallet address.
    pub wallet_address: String,
    /// True once no more money will be accepted.
    pub completed: bool,
    /// The most the payment accepts, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoming_amount: Option<Amount>,
    /// The total received so far.
    pub received_amount: Amount,
    /// After this time no more money is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// Free-form data of the creator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// When the payment was created.
    pub created_at: Timestamp,
    /// How to pay it; empty once completed or expired.
    pub methods: Vec<IlpPaymentMethod>,
}

impl IncomingPaymentWithPaymentMethods {
    /// The payment without its methods.
    pub fn into_payment(self) -> (IncomingPayment, Vec<IlpPaymentMethod>) {
        let payment = IncomingPayment {
            id: self.id,
            wallet_address: self.wallet_address,
            completed: self.completed,
            incoming_amount: self.incoming_amount,
            received_amount: self.received_amount,
            expires_at: self.expires_at,
            metadata: self.metadata,
            created_at: self.created_at,
        };
        (payment, self.methods)
    }
}

/// The ILP method of an incoming payment (`ilp-payment-method`): where to send STREAM packets.
///
/// Guarantees: `type` is `ilp`, `ilpAddress` matches the spec's ILP address pattern (at most 1023
/// characters) and `sharedSecret` is base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IlpPaymentMethod {
    /// Always `ilp`.
    #[serde(rename = "type")]
    pub type_: super::PaymentMethod,
    /// The ILP address of the STREAM receiver.
    #[serde(deserialize_with = "ilp_address")]
    pub ilp_address: String,
    /// The STREAM shared secret, base64url.
    #[serde(deserialize_with = "base64url")]
    pub shared_secret: String,
}

/// What an ILP address must be, in the error of one that is not.
pub(crate) const ILP_ADDRESS_EXPECTED: &str = "must be an ILP address such as g.example.alice";

/// `^(g|private|example|peer|self|test[1-3]?|local)([.][a-zA-Z0-9_~-]+)+$`, at most 1023 long.
pub(crate) fn is_ilp_address(text: &str) -> bool {
    let mut parts = text.split('.');
    let scheme_ok = parts
        .next()
        .is_some_and(|scheme| scheme == "local" || ILP_SCHEMES.contains(&scheme));
    let mut segments = 0usize;
    let segments_ok = parts.all(|segment| {
        segments += 1;
        !segment.is_empty()
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'~' | b'-'))
    });
    text.len() <= ILP_ADDRESS_MAX_LEN && scheme_ok && segments_ok && segments > 0
}

fn ilp_address<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if is_ilp_address(&text) {
        Ok(text)
    } else {
        Err(FieldError::format(ILP_ADDRESS_EXPECTED, &text).into_de())
    }
}

/// What anyone may read of an incoming payment without a grant (`public-incoming-payment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicIncomingPayment {
    /// The total received so far, if the server shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_amount: Option<Amount>,
    /// The grant endpoint to ask for access to this payment.
    pub auth_server: String,
}

/// The answer to `GET /incoming-payments/{id}` (`anyOf` full view or public view).
///
/// The full view is tried first: it is the more specific (it needs `id`, `methods`, …), and the
/// public view would otherwise accept anything carrying an `authServer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnyIncomingPayment {
    /// A signed, authorized read: every field and the payment methods.
    Full(IncomingPaymentWithPaymentMethods),
    /// An unauthenticated read: the received amount and the authorization server.
    Public(PublicIncomingPayment),
}

/// The body of `POST /incoming-payments` (closed object: unknown fields are refused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateIncomingPaymentRequest {
    /// The receiving wallet address.
    pub wallet_address: String,
    /// The most the payment will accept (in the wallet address's asset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoming_amount: Option<Amount>,
    /// After this time no more money is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// Free-form data, e.g. an invoice reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ilp_addresses() {
        for ok in [
            "g.ilp.iwuyge987y.98y08y",
            "test3.a",
            "local.x~y_z-1",
            "private.a.b",
        ] {
            assert!(is_ilp_address(ok), "{ok}");
        }
        for bad in ["g", "g.", "g..a", "test4.a", "string", "G.a", "g.a b", ""] {
            assert!(!is_ilp_address(bad), "{bad}");
        }
    }
}
