//! GNAP objects of the authorization server [AS]: the grant request and its parts, the grant,
//! continuation and token rotation responses.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::common::FieldError;
use super::wallet_address::JsonWebKey;
use crate::amount::Amount;

/// Most access items one grant request may ask for (`maxItems` of `access`).
const MAX_ACCESS_ITEMS: usize = 3;

/// How the client identifies itself in a grant request (`client`, `oneOf`).
///
/// Guarantees: an object has exactly one of `walletAddress` and `jwk` and nothing else (both
/// object forms are closed); a plain string is the deprecated form of the wallet address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Client {
    /// `{"walletAddress": …}`: the client's keys are at `{walletAddress}/jwks.json`.
    WalletAddress {
        /// The client's wallet address.
        #[serde(rename = "walletAddress")]
        wallet_address: String,
    },
    /// `{"jwk": …}`: directed identity, the public key itself (non-interactive grants only).
    Jwk {
        /// The client's public key.
        jwk: JsonWebKey,
    },
    /// Deprecated: the wallet address as a plain string.
    Deprecated(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientFields {
    #[serde(default, rename = "walletAddress")]
    wallet_address: Option<String>,
    #[serde(default)]
    jwk: Option<JsonWebKey>,
}

/// The rule over a client object's members (shared with the schema walker): `walletAddress` or
/// `jwk`, not both (`Some` of the error), not neither (`None`: `walletAddress` is missing).
pub(crate) fn check_client(has_wallet: bool, has_jwk: bool) -> Result<(), Option<FieldError>> {
    match (has_wallet, has_jwk) {
        (true, true) => Err(Some(FieldError::Conflict(
            "a client has walletAddress or jwk, not both",
        ))),
        (false, false) => Err(None),
        _ => Ok(()),
    }
}

impl<'de> Deserialize<'de> for Client {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ClientVisitor;
        impl<'de> Visitor<'de> for ClientVisitor {
            type Value = Client;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a client object {walletAddress} or {jwk}, or a wallet address string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Client, E> {
                Ok(Client::Deprecated(v.to_owned()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Client, A::Error> {
                let f = ClientFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                check_client(f.wallet_address.is_some(), f.jwk.is_some()).map_err(|fault| {
                    match fault {
                        Some(err) => err.into_de(),
                        None => de::Error::missing_field("walletAddress"),
                    }
                })?;
                match (f.wallet_address, f.jwk) {
                    (Some(wallet_address), _) => Ok(Client::WalletAddress { wallet_address }),
                    (None, Some(jwk)) => Ok(Client::Jwk { jwk }),
                    // Refused by the rule above.
                    (None, None) => Err(de::Error::missing_field("walletAddress")),
                }
            }
        }
        deserializer.deserialize_any(ClientVisitor)
    }
}

/// What a client may do with a resource type (`actions` of an access item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessAction {
    /// Create resources.
    Create,
    /// Complete incoming payments.
    Complete,
    /// Read resources this client created.
    Read,
    /// Read every resource of the wallet address.
    ReadAll,
    /// List resources this client created.
    List,
    /// List every resource of the wallet address.
    ListAll,
}

impl AccessAction {
    const ALL: [Self; 6] = [
        Self::Create,
        Self::Complete,
        Self::Read,
        Self::ReadAll,
        Self::List,
        Self::ListAll,
    ];

    /// The action named `text` on the wire.
    pub(crate) fn from_wire(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.wire() == text)
    }

    fn wire(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Complete => "complete",
            Self::Read => "read",
            Self::ReadAll => "read-all",
            Self::List => "list",
            Self::ListAll => "list-all",
        }
    }
}

/// The resource types an access item is about (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessType {
    /// `incoming-payment`.
    IncomingPayment,
    /// `outgoing-payment`.
    OutgoingPayment,
    /// `quote`.
    Quote,
}

impl AccessType {
    /// The type named `text` on the wire.
    pub(crate) fn from_wire(text: &str) -> Option<Self> {
        match text {
            "incoming-payment" => Some(Self::IncomingPayment),
            "outgoing-payment" => Some(Self::OutgoingPayment),
            "quote" => Some(Self::Quote),
            _ => None,
        }
    }
}

/// One access right of a grant (`access-item`: `oneOf` incoming, outgoing, quote, tagged by
/// `type`).
///
/// Guarantees: the actions are allowed for the type (`complete` only for incoming payments,
/// `list`/`list-all` not for quotes) and not repeated; an outgoing-payment item has an
/// `identifier`; only outgoing-payment items have `limits`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum AccessItem {
    /// `access-incoming`.
    IncomingPayment {
        /// Allowed: create, complete, read, read-all, list, list-all.
        actions: Vec<AccessAction>,
        /// The wallet address the access is limited to, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        identifier: Option<String>,
    },
    /// `access-outgoing`.
    OutgoingPayment {
        /// Allowed: create, read, read-all, list, list-all.
        actions: Vec<AccessAction>,
        /// The sending wallet address.
        identifier: String,
        /// Maxima the outgoing payments under the grant must stay within.
        #[serde(skip_serializing_if = "Option::is_none")]
        limits: Option<LimitsOutgoing>,
    },
    /// `access-quote`.
    Quote {
        /// Allowed: create, read, read-all.
        actions: Vec<AccessAction>,
    },
}

/// Every field any kind of access item may have.
#[derive(Deserialize)]
struct AccessItemFields {
    #[serde(rename = "type")]
    type_: AccessType,
    actions: Vec<AccessAction>,
    #[serde(default)]
    identifier: Option<String>,
    #[serde(default)]
    limits: Option<LimitsOutgoing>,
}

fn check_actions(type_: AccessType, actions: &[AccessAction]) -> Result<(), FieldError> {
    let allowed: &[AccessAction] = match type_ {
        AccessType::IncomingPayment => &[
            AccessAction::Create,
            AccessAction::Complete,
            AccessAction::Read,
            AccessAction::ReadAll,
            AccessAction::List,
            AccessAction::ListAll,
        ],
        AccessType::OutgoingPayment => &[
            AccessAction::Create,
            AccessAction::Read,
            AccessAction::ReadAll,
            AccessAction::List,
            AccessAction::ListAll,
        ],
        AccessType::Quote => &[
            AccessAction::Create,
            AccessAction::Read,
            AccessAction::ReadAll,
        ],
    };
    if let Some(bad) = actions.iter().find(|a| !allowed.contains(a)) {
        return Err(FieldError::format(
            "action not allowed for this access type",
            bad.wire(),
        ));
    }
    let repeated = actions
        .iter()
        .enumerate()
        .any(|(i, a)| actions.iter().skip(i + 1).any(|b| a == b));
    if repeated {
        return Err(FieldError::Conflict(
            "an action is listed twice (actions are unique items)",
        ));
    }
    Ok(())
}

/// What is wrong with an access item's members taken together.
pub(crate) enum AccessItemFault {
    /// A rule of the type's actions, identifier or limits.
    Rule(FieldError),
    /// An outgoing-payment item without `identifier`.
    MissingIdentifier,
}

/// The rules an access item's members follow together (beyond each member's own type): the
/// actions allowed for the type and not repeated, `limits` only for outgoing payments, an
/// `identifier` required for outgoing payments and refused for quotes. Shared by the typed model
/// and the schema walker (`schema_rules.rs`), which must refuse the same items.
pub(crate) fn check_access_item(
    type_: AccessType,
    actions: &[AccessAction],
    has_identifier: bool,
    has_limits: bool,
) -> Result<(), AccessItemFault> {
    check_actions(type_, actions).map_err(AccessItemFault::Rule)?;
    if has_limits && type_ != AccessType::OutgoingPayment {
        return Err(AccessItemFault::Rule(FieldError::Conflict(
            "only outgoing-payment access has limits",
        )));
    }
    match type_ {
        AccessType::OutgoingPayment if !has_identifier => Err(AccessItemFault::MissingIdentifier),
        AccessType::Quote if has_identifier => Err(AccessItemFault::Rule(FieldError::Conflict(
            "quote access has no identifier",
        ))),
        _ => Ok(()),
    }
}

impl<'de> Deserialize<'de> for AccessItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = AccessItemFields::deserialize(deserializer)?;
        let missing = || serde::de::Error::missing_field("identifier");
        check_access_item(
            f.type_,
            &f.actions,
            f.identifier.is_some(),
            f.limits.is_some(),
        )
        .map_err(|fault| match fault {
            AccessItemFault::Rule(err) => err.into_de(),
            AccessItemFault::MissingIdentifier => missing(),
        })?;
        match f.type_ {
            AccessType::IncomingPayment => Ok(Self::IncomingPayment {
                actions: f.actions,
                identifier: f.identifier,
            }),
            AccessType::OutgoingPayment => Ok(Self::OutgoingPayment {
                actions: f.actions,
                identifier: f.identifier.ok_or_else(missing)?,
                limits: f.limits,
            }),
            AccessType::Quote => Ok(Self::Quote { actions: f.actions }),
        }
    }
}

/// Maxima for outgoing payments under a grant (`limits-outgoing`).
///
/// The schema is `anyOf` three objects that differ only in which optional amount they require
/// (none, `debitAmount`, `receiveAmount`); since none is closed, one struct with every field
/// optional is exactly the set they accept, and it round-trips as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitsOutgoing {
    /// The only incoming payment URL payments may go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    /// The repeating interval the maxima apply to (else they apply in total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// Most to debit from the sender (per interval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debit_amount: Option<Amount>,
    /// Most the receivers may get (per interval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive_amount: Option<Amount>,
}

/// An ISO 8601 repeating interval (`R[n]/start/duration` and the other two forms), kept as text.
///
/// Guarantees only the outer shape: `R`, an optional repetition count (`-1` allowed), then two
/// non-empty parts separated by `/`, one of them a duration starting with `P` or both
/// date-times. Reading its calendar meaning is left to the code that enforces limits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Interval(String);

impl Interval {
    /// Checks the shape of `text` and keeps it.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let mut parts = text.split('/');
        let count_ok = parts
            .next()
            .and_then(|r| r.strip_prefix('R'))
            .is_some_and(|n| {
                let digits = n.strip_prefix('-').unwrap_or(n);
                n.is_empty() || (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            });
        let (first, second) = (parts.next(), parts.next());
        let rest_ok = parts.next().is_none()
            && first.is_some_and(|p| !p.is_empty())
            && second.is_some_and(|p| !p.is_empty());
        if count_ok && rest_ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(FieldError::format(
                "must be an ISO 8601 repeating interval such as R/2016-08-24T08:00:00Z/P1D",
                text,
            ))
        }
    }

    /// The exact text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(FieldError::into_de)
    }
}

/// The `access_token` object of a grant request: the access asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenRequest {
    /// One to three access items, each valid as [`AccessItem`] says.
    #[serde(deserialize_with = "access_request_items")]
    pub access: Vec<AccessItem>,
}

/// The rule over how many access items a grant request asks for (shared with the schema walker).
pub(crate) fn check_access_count(items: usize) -> Result<(), FieldError> {
    if items > MAX_ACCESS_ITEMS {
        Err(FieldError::Conflict(
            "a grant request asks for at most 3 access items",
        ))
    } else {
        Ok(())
    }
}

fn access_request_items<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<AccessItem>, D::Error> {
    let items = Vec::<AccessItem>::deserialize(deserializer)?;
    check_access_count(items.len()).map_err(FieldError::into_de)?;
    Ok(items)
}

/// The only way to start an interaction (`interact.start`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InteractStart {
    /// Send the user's browser to `interact.redirect`.
    Redirect,
}

/// The only way to learn the interaction finished (`interact.finish.method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InteractFinishMethod {
    /// The authorization server redirects the browser to `finish.uri`.
    Redirect,
}

/// Interaction the client supports (`interact-request`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractRequest {
    /// How the interaction starts.
    pub start: Vec<InteractStart>,
    /// How the client learns it finished; all three fields together or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish: Option<InteractFinish>,
}

/// `interact.finish` of a grant request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractFinish {
    /// Always `redirect`.
    pub method: InteractFinishMethod,
    /// Where the user's browser is sent after the interaction.
    pub uri: String,
    /// The client's unguessable nonce, first input of the interaction hash.
    pub nonce: String,
}

/// What the client asks to learn about the resource owner (`subject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Exactly one subject identifier.
    #[serde(deserialize_with = "one_sub_id")]
    pub sub_ids: Vec<SubjectId>,
}

/// Why a `sub_ids` of another length than one is refused (here and by the schema walker).
pub(crate) const ONE_SUB_ID: &str = "sub_ids has exactly one entry";

fn one_sub_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<SubjectId>, D::Error> {
    let ids = Vec::<SubjectId>::deserialize(deserializer)?;
    if ids.len() == 1 {
        Ok(ids)
    } else {
        Err(FieldError::Conflict(ONE_SUB_ID).into_de())
    }
}

/// The format of a subject identifier: only `uri`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectIdFormat {
    /// A URI, e.g. a wallet address.
    Uri,
}

/// One subject identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectId {
    /// The identifier, e.g. the wallet address whose control is to be proven.
    pub id: String,
    /// Always `uri`.
    pub format: SubjectIdFormat,
}

/// The body of a grant request to the authorization server (`post-request`).
///
/// The schema is `anyOf` "with access token" and "with subject" (the latter needs `interact`);
/// both overlap, so this is one struct that guarantees at least one of them holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantRequest {
    /// The access asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<AccessTokenRequest>,
    /// Who the client is.
    pub client: Client,
    /// The interaction the client supports (needed for interactive grants).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interact: Option<InteractRequest>,
    /// What to learn about the resource owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
}

#[derive(Deserialize)]
struct GrantRequestFields {
    #[serde(default)]
    access_token: Option<AccessTokenRequest>,
    client: Client,
    #[serde(default)]
    interact: Option<InteractRequest>,
    #[serde(default)]
    subject: Option<Subject>,
}

/// The rule over what a grant request asks for (shared with the schema walker): an
/// `access_token`, or a `subject` together with `interact`.
pub(crate) fn check_grant_request(
    has_access_token: bool,
    has_subject: bool,
    has_interact: bool,
) -> Result<(), FieldError> {
    if has_access_token || (has_subject && has_interact) {
        Ok(())
    } else {
        Err(FieldError::Conflict(
            "a grant request needs access_token, or subject together with interact",
        ))
    }
}

impl<'de> Deserialize<'de> for GrantRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = GrantRequestFields::deserialize(deserializer)?;
        check_grant_request(
            f.access_token.is_some(),
            f.subject.is_some(),
            f.interact.is_some(),
        )
        .map_err(FieldError::into_de)?;
        Ok(Self {
            access_token: f.access_token,
            client: f.client,
            interact: f.interact,
            subject: f.subject,
        })
    }
}

/// The body of a continuation request (`POST {continue.uri}`); no `interact_ref` means polling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContinuationRequest {
    /// The reference received on the interaction finish redirect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interact_ref: Option<String>,
}

/// Where to send the user and the server's finish nonce (`interact-response`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractResponse {
    /// The URL to send the user's browser to.
    pub redirect: String,
    /// The server's nonce, second input of the interaction hash.
    pub finish: String,
}

/// How to continue a grant (`continue`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Continue {
    /// The continuation token.
    pub access_token: ContinueAccessToken,
    /// The continuation URL.
    pub uri: String,
    /// Seconds to wait before calling `uri`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<u64>,
}

/// The continuation token (`continue.access_token`). `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContinueAccessToken {
    /// Sent as `Authorization: GNAP <value>` to the continuation URL.
    pub value: String,
}

impl std::fmt::Debug for ContinueAccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContinueAccessToken")
            .field("value", &"<redacted>")
            .finish()
    }
}

/// An access token for the resource server (`access_token`). `Debug` does not show the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    /// Sent as `Authorization: GNAP <value>`; opaque.
    pub value: String,
    /// The management URL to rotate or revoke the token.
    pub manage: String,
    /// Seconds until the token expires, if the server says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    /// The access actually granted.
    pub access: Vec<AccessItem>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"<redacted>")
            .field("manage", &self.manage)
            .field("expires_in", &self.expires_in)
            .field("access", &self.access)
            .finish()
    }
}

/// A grant awaiting interaction (pending grant response).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingGrant {
    /// Where to send the user.
    pub interact: InteractResponse,
    /// How to continue once the user is back.
    #[serde(rename = "continue")]
    pub continue_: Continue,
}

/// A grant with what was granted: the approved grant response and the continuation response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The access token, when access was granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<AccessToken>,
    /// The subject information, when it was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    /// How to continue (or cancel) the grant.
    #[serde(rename = "continue")]
    pub continue_: Continue,
}

/// The answer to a grant request (`oneOf` pending with `interact`, approved with `access_token`).
///
/// Told apart by which key is present, so a broken `interact` is an error rather than being
/// mistaken for an approved grant. Guarantees: a pending grant has no access token, an approved
/// one has its access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum GrantResponse {
    /// Interaction needed.
    Pending(PendingGrant),
    /// Approved at once; `access_token` is always `Some`.
    Approved(Grant),
}

#[derive(Deserialize)]
struct GrantResponseFields {
    #[serde(default)]
    interact: Option<InteractResponse>,
    #[serde(default)]
    access_token: Option<AccessToken>,
    #[serde(default)]
    subject: Option<Subject>,
    #[serde(rename = "continue")]
    continue_: Continue,
}

/// Why a grant response with both `interact` and `access_token` is refused (here and by the
/// schema walker).
pub(crate) const PENDING_OR_APPROVED: &str =
    "a grant response is pending (interact) or approved (access_token), not both";

impl<'de> Deserialize<'de> for GrantResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = GrantResponseFields::deserialize(deserializer)?;
        match (f.interact, f.access_token) {
            (Some(interact), None) => Ok(Self::Pending(PendingGrant {
                interact,
                continue_: f.continue_,
            })),
            (None, Some(access_token)) => Ok(Self::Approved(Grant {
                access_token: Some(access_token),
                subject: f.subject,
                continue_: f.continue_,
            })),
            (Some(_), Some(_)) => Err(FieldError::Conflict(PENDING_OR_APPROVED).into_de()),
            (None, None) => Err(serde::de::Error::missing_field("access_token")),
        }
    }
}

/// The answer to a token rotation (`POST {access_token.manage}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenResponse {
    /// The new token; the old one no longer works.
    pub access_token: AccessToken,
}
