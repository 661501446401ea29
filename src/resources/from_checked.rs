//! The typed models the client reads, built from a document the schema walker (`schema.rs`)
//! has already checked, without serde.
//!
//! Why: a serde `Deserialize` costs code per type (its visitor, instantiated against the
//! deserializer that names bad fields), about 100 KB of the wasm build for the models the
//! merchant flows read. The client checks each response against its schema anyway (the same rules
//! as the models, tested on every mutation of each document), so building the model from the
//! checked tree needs only field reads: every `None` below is a document the walker would have
//! refused, reported as an internal error by the caller. The models' `Deserialize` stays for
//! Rust callers who parse documents themselves (`crate::resources::from_json`); the tests of
//! `schema.rs` check that both build the same model.

use serde_json::{Map, Number, Value};

use super::common::{PaymentMethod, Timestamp};
use super::grant::{
    AccessAction, AccessItem, AccessToken, AccessTokenResponse, AccessType, Continue,
    ContinueAccessToken, Grant, GrantResponse, InteractResponse, Interval, LimitsOutgoing,
    PendingGrant, Subject, SubjectId, SubjectIdFormat,
};
use super::incoming_payment::PublicIncomingPayment;
use super::incoming_payment::{
    IlpPaymentMethod, IncomingPayment, IncomingPaymentWithPaymentMethods,
};
use super::outgoing_payment::{
    OutgoingPayment, OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts,
};
use super::pagination::{Page, PageInfo};
use super::quote::Quote;
use super::wallet_address::{
    DidDocument, JsonWebKey, JsonWebKeySet, JwkAlgorithm, JwkCurve, JwkKeyType, JwkUse,
    WalletAddress,
};
use crate::amount::{self, Amount};
use crate::json::{whole_number, Json};

/// A model built from a document its schema accepted.
pub(crate) trait FromChecked: Sized {
    /// The model of `value`; `None` only for a document the schema refuses.
    fn from_checked(value: &Json) -> Option<Self>;
}

fn string(value: &Json, name: &str) -> Option<String> {
    value.given(name)?.as_str().map(str::to_owned)
}

/// An optional string member: `Some(None)` when absent, `None` when of another type.
fn opt_string(value: &Json, name: &str) -> Option<Option<String>> {
    match value.given(name) {
        None => Some(None),
        Some(v) => v.as_str().map(|s| Some(s.to_owned())),
    }
}

/// An optional member of a model: `Some(None)` when absent.
fn opt<T>(value: &Json, name: &str, build: impl Fn(&Json) -> Option<T>) -> Option<Option<T>> {
    match value.given(name) {
        None => Some(None),
        Some(v) => build(v).map(Some),
    }
}

/// An asset scale: a whole number 0..=255 however it is written (`2`, `2.0`).
fn scale(value: &Json) -> Option<u8> {
    match value {
        Json::Number(n) => u8::try_from(whole_number(n)?).ok(),
        _ => None,
    }
}

fn timestamp(value: &Json) -> Option<Timestamp> {
    Timestamp::parse(value.as_str()?).ok()
}

fn array<T>(value: &Json, build: impl Fn(&Json) -> Option<T>) -> Option<Vec<T>> {
    match value {
        Json::Array(items) => items.iter().map(build).collect(),
        _ => None,
    }
}

impl FromChecked for Amount {
    fn from_checked(value: &Json) -> Option<Self> {
        let v = amount::value_from_str(value.given("value")?.as_str()?).ok()?;
        let scale = scale(value.given("assetScale")?)?;
        Amount::new(v, value.given("assetCode")?.as_str()?, scale).ok()
    }
}

/// A free-form object (`metadata`, `details`) as serde_json reads it: numbers through its own
/// number parser, a name given twice with its last value.
fn object(value: &Json) -> Option<Map<String, Value>> {
    match value {
        Json::Object(members) => members
            .iter()
            .map(|(name, v)| Some((name.to_string(), plain(v)?)))
            .collect(),
        _ => None,
    }
}

fn plain(value: &Json) -> Option<Value> {
    Some(match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.parse::<Number>().ok()?),
        Json::String(s) => Value::String(s.to_string()),
        Json::Array(items) => Value::Array(items.iter().map(plain).collect::<Option<_>>()?),
        Json::Object(_) => Value::Object(object(value)?),
    })
}

impl FromChecked for WalletAddress {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            id: string(value, "id")?,
            public_name: opt_string(value, "publicName")?,
            asset_code: string(value, "assetCode")?,
            asset_scale: scale(value.given("assetScale")?)?,
            auth_server: string(value, "authServer")?,
            resource_server: string(value, "resourceServer")?,
        })
    }
}

impl FromChecked for IncomingPayment {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            id: string(value, "id")?,
            wallet_address: string(value, "walletAddress")?,
            completed: value.given("completed")?.as_bool()?,
            incoming_amount: opt(value, "incomingAmount", Amount::from_checked)?,
            received_amount: Amount::from_checked(value.given("receivedAmount")?)?,
            expires_at: opt(value, "expiresAt", timestamp)?,
            metadata: opt(value, "metadata", object)?,
            created_at: timestamp(value.given("createdAt")?)?,
        })
    }
}

impl FromChecked for IncomingPaymentWithPaymentMethods {
    fn from_checked(value: &Json) -> Option<Self> {
        let payment = IncomingPayment::from_checked(value)?;
        let method = |m: &Json| {
            Some(IlpPaymentMethod {
                type_: PaymentMethod::Ilp,
                ilp_address: string(m, "ilpAddress")?,
                shared_secret: string(m, "sharedSecret")?,
            })
        };
        Some(Self {
            id: payment.id,
            wallet_address: payment.wallet_address,
            completed: payment.completed,
            incoming_amount: payment.incoming_amount,
            received_amount: payment.received_amount,
            expires_at: payment.expires_at,
            metadata: payment.metadata,
            created_at: payment.created_at,
            methods: array(value.given("methods")?, method)?,
        })
    }
}

impl FromChecked for Quote {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            id: string(value, "id")?,
            wallet_address: string(value, "walletAddress")?,
            receiver: string(value, "receiver")?,
            receive_amount: Amount::from_checked(value.given("receiveAmount")?)?,
            debit_amount: Amount::from_checked(value.given("debitAmount")?)?,
            method: PaymentMethod::Ilp,
            expires_at: opt(value, "expiresAt", timestamp)?,
            created_at: timestamp(value.given("createdAt")?)?,
        })
    }
}

impl FromChecked for OutgoingPayment {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            id: string(value, "id")?,
            wallet_address: string(value, "walletAddress")?,
            quote_id: opt_string(value, "quoteId")?,
            failed: opt(value, "failed", |v| v.as_bool())?,
            receiver: string(value, "receiver")?,
            receive_amount: Amount::from_checked(value.given("receiveAmount")?)?,
            debit_amount: Amount::from_checked(value.given("debitAmount")?)?,
            sent_amount: Amount::from_checked(value.given("sentAmount")?)?,
            metadata: opt(value, "metadata", object)?,
            created_at: timestamp(value.given("createdAt")?)?,
        })
    }
}

impl FromChecked for OutgoingPaymentWithSpentAmounts {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(OutgoingPayment::from_checked(value)?.with_spent_amounts(
            opt(value, "grantSpentDebitAmount", Amount::from_checked)?,
            opt(value, "grantSpentReceiveAmount", Amount::from_checked)?,
        ))
    }
}

impl FromChecked for OutgoingPaymentGrantSpentAmounts {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            spent_receive_amount: opt(value, "spentReceiveAmount", Amount::from_checked)?,
            spent_debit_amount: opt(value, "spentDebitAmount", Amount::from_checked)?,
        })
    }
}

impl FromChecked for PageInfo {
    fn from_checked(info: &Json) -> Option<Self> {
        Some(Self {
            start_cursor: opt_string(info, "startCursor")?,
            end_cursor: opt_string(info, "endCursor")?,
            has_next_page: info.given("hasNextPage")?.as_bool()?,
            has_previous_page: info.given("hasPreviousPage")?.as_bool()?,
        })
    }
}

impl<T: FromChecked> FromChecked for Page<T> {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            pagination: PageInfo::from_checked(value.given("pagination")?)?,
            result: array(value.given("result")?, T::from_checked)?,
        })
    }
}

fn continue_(value: &Json) -> Option<Continue> {
    Some(Continue {
        access_token: ContinueAccessToken {
            value: string(value.given("access_token")?, "value")?,
        },
        uri: string(value, "uri")?,
        wait: opt(value, "wait", |v| v.as_u64())?,
    })
}

fn access_item(value: &Json) -> Option<AccessItem> {
    let actions = array(value.given("actions")?, |a| {
        AccessAction::from_wire(a.as_str()?)
    })?;
    let limits = |l: &Json| {
        Some(LimitsOutgoing {
            receiver: opt_string(l, "receiver")?,
            interval: opt(l, "interval", |i| Interval::parse(i.as_str()?).ok())?,
            debit_amount: opt(l, "debitAmount", Amount::from_checked)?,
            receive_amount: opt(l, "receiveAmount", Amount::from_checked)?,
        })
    };
    Some(
        match AccessType::from_wire(value.given("type")?.as_str()?)? {
            AccessType::IncomingPayment => AccessItem::IncomingPayment {
                actions,
                identifier: opt_string(value, "identifier")?,
            },
            AccessType::OutgoingPayment => AccessItem::OutgoingPayment {
                actions,
                identifier: string(value, "identifier")?,
                limits: opt(value, "limits", limits)?,
            },
            AccessType::Quote => AccessItem::Quote { actions },
        },
    )
}

fn access_token(value: &Json) -> Option<AccessToken> {
    Some(AccessToken {
        value: string(value, "value")?,
        manage: string(value, "manage")?,
        expires_in: opt(value, "expires_in", |v| v.as_u64())?,
        access: array(value.given("access")?, access_item)?,
    })
}

fn subject(value: &Json) -> Option<Subject> {
    let id = |s: &Json| {
        Some(SubjectId {
            id: string(s, "id")?,
            format: SubjectIdFormat::Uri,
        })
    };
    Some(Subject {
        sub_ids: array(value.given("sub_ids")?, id)?,
    })
}

impl FromChecked for Grant {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            access_token: opt(value, "access_token", access_token)?,
            subject: opt(value, "subject", subject)?,
            continue_: continue_(value.given("continue")?)?,
        })
    }
}

impl FromChecked for GrantResponse {
    fn from_checked(value: &Json) -> Option<Self> {
        match value.given("interact") {
            Some(interact) => Some(Self::Pending(PendingGrant {
                interact: InteractResponse {
                    redirect: string(interact, "redirect")?,
                    finish: string(interact, "finish")?,
                },
                continue_: continue_(value.given("continue")?)?,
            })),
            None => Grant::from_checked(value).map(Self::Approved),
        }
    }
}

impl FromChecked for AccessTokenResponse {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            access_token: access_token(value.given("access_token")?)?,
        })
    }
}

impl FromChecked for JsonWebKeySet {
    fn from_checked(value: &Json) -> Option<Self> {
        let key = |k: &Json| {
            Some(JsonWebKey {
                kid: string(k, "kid")?,
                alg: JwkAlgorithm::EdDSA,
                use_: opt(k, "use", |_| Some(JwkUse::Sig))?,
                kty: JwkKeyType::Okp,
                crv: JwkCurve::Ed25519,
                x: string(k, "x")?,
            })
        };
        Some(Self {
            keys: array(value.given("keys")?, key)?,
        })
    }
}

impl FromChecked for DidDocument {
    fn from_checked(value: &Json) -> Option<Self> {
        object(value).map(Self)
    }
}

impl FromChecked for PublicIncomingPayment {
    fn from_checked(value: &Json) -> Option<Self> {
        Some(Self {
            received_amount: opt(value, "receivedAmount", Amount::from_checked)?,
            auth_server: string(value, "authServer")?,
        })
    }
}
