//! What the sandbox's ledger holds: wallets and their balances, grants, access tokens, incoming
//! payments, quotes and outgoing payments; and the random ids and tokens it issues.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::http::Reply;
use crate::amount::Amount;
use crate::resources::time::format_rfc3339;
use crate::resources::{AccessItem, InteractFinish, Subject, Timestamp};
use crate::signature::PublicKey;

/// A wallet address and its account.
#[derive(Debug, Clone)]
pub(crate) struct Wallet {
    pub(crate) name: String,
    pub(crate) ase: String,
    pub(crate) url: String,
    pub(crate) public_name: Option<String>,
    pub(crate) asset_code: String,
    pub(crate) asset_scale: u8,
    pub(crate) balance: u64,
    pub(crate) keys: Vec<PublicKey>,
}

impl Wallet {
    pub(crate) fn amount(&self, value: u64) -> Option<Amount> {
        Amount::new(value, &self.asset_code, self.asset_scale).ok()
    }
}

/// How a grant's client proves who it is.
#[derive(Debug, Clone)]
pub(crate) enum ClientId {
    /// A sandbox wallet address; its current keys are used.
    Wallet(String),
    /// An inline key (directed identity).
    Key(PublicKey),
}

impl ClientId {
    /// A stable text identifying the client (for `read` vs `read-all`).
    pub(crate) fn id(&self) -> String {
        match self {
            Self::Wallet(url) => url.clone(),
            Self::Key(key) => format!("jwk:{}", key.to_jwk().x),
        }
    }
}

/// Where a grant is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantStatus {
    Pending,
    Approved,
    Denied,
    Finalized,
    Revoked,
}

/// The interaction of an interactive grant.
#[derive(Debug, Clone)]
pub(crate) struct Interaction {
    pub(crate) id: String,
    pub(crate) finish: Option<InteractFinish>,
    pub(crate) finish_nonce: String,
    pub(crate) interact_ref: Option<String>,
    /// Sandbox unix seconds from which the interaction can no longer be decided.
    pub(crate) expires_at: i64,
}

impl GrantRec {
    /// Whether the grant still waits for a decision whose interaction has expired at `now`.
    pub(crate) fn interaction_expired(&self, now: i64) -> bool {
        self.status == GrantStatus::Pending
            && self
                .interaction
                .as_ref()
                .is_some_and(|i| now >= i.expires_at)
    }
}

/// Totals spent under a grant in one interval window.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spent {
    pub(crate) debit: Option<Amount>,
    pub(crate) receive: Option<Amount>,
}

/// A grant. `Debug` leaves the continuation token out.
#[derive(Clone)]
pub(crate) struct GrantRec {
    pub(crate) id: String,
    pub(crate) ase: String,
    pub(crate) client: ClientId,
    pub(crate) access: Vec<AccessItem>,
    pub(crate) subject: Option<Subject>,
    pub(crate) status: GrantStatus,
    pub(crate) interaction: Option<Interaction>,
    pub(crate) continue_token: String,
    pub(crate) next_poll_ms: i64,
    /// Spent totals per interval window start (0 without an interval).
    pub(crate) spent: BTreeMap<i64, Spent>,
}

/// An access token. `Debug` leaves the token out.
#[derive(Clone)]
pub(crate) struct TokenRec {
    pub(crate) value: String,
    pub(crate) manage_id: String,
    pub(crate) grant_id: String,
    pub(crate) expires_at: i64,
}

impl std::fmt::Debug for GrantRec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GrantRec")
            .field("id", &self.id)
            .field("ase", &self.ase)
            .field("client", &self.client)
            .field("access", &self.access)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for TokenRec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRec")
            .field("manage_id", &self.manage_id)
            .field("grant_id", &self.grant_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// An incoming payment.
#[derive(Debug, Clone)]
pub(crate) struct IncomingRec {
    pub(crate) url: String,
    pub(crate) uuid: String,
    pub(crate) ase: String,
    pub(crate) wallet: String,
    pub(crate) client: String,
    pub(crate) incoming_amount: Option<Amount>,
    pub(crate) received: Amount,
    pub(crate) completed: bool,
    pub(crate) expires_at: Option<(i64, Timestamp)>,
    pub(crate) metadata: Option<Map<String, Value>>,
    pub(crate) created_at: Timestamp,
    pub(crate) shared_secret: String,
}

/// A quote.
#[derive(Debug, Clone)]
pub(crate) struct QuoteRec {
    pub(crate) url: String,
    pub(crate) ase: String,
    pub(crate) wallet: String,
    pub(crate) client: String,
    pub(crate) receiver: String,
    pub(crate) debit: Amount,
    pub(crate) receive: Amount,
    pub(crate) expires_at: i64,
    pub(crate) expires_at_text: Timestamp,
    pub(crate) created_at: Timestamp,
    pub(crate) used: bool,
}

/// An outgoing payment.
#[derive(Debug, Clone)]
pub(crate) struct OutgoingRec {
    pub(crate) url: String,
    pub(crate) uuid: String,
    pub(crate) ase: String,
    pub(crate) wallet: String,
    pub(crate) client: String,
    pub(crate) quote_id: Option<String>,
    pub(crate) failed: bool,
    pub(crate) receiver: String,
    pub(crate) receive: Amount,
    pub(crate) debit: Amount,
    pub(crate) sent: Amount,
    pub(crate) metadata: Option<Map<String, Value>>,
    pub(crate) created_at: Timestamp,
}

/// Random bytes; on failure of the platform generator the sandbox refuses the request.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], Reply> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| Reply::empty(500))?;
    Ok(out)
}

/// A random UUID v4 text.
pub(crate) fn uuid() -> Result<String, Reply> {
    let mut b: [u8; 16] = random_bytes()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or_default(),
        hex.get(8..12).unwrap_or_default(),
        hex.get(12..16).unwrap_or_default(),
        hex.get(16..20).unwrap_or_default(),
        hex.get(20..32).unwrap_or_default()
    ))
}

/// A random opaque token (uppercase hex, 20 bytes).
pub(crate) fn token() -> Result<String, Reply> {
    let b: [u8; 20] = random_bytes()?;
    Ok(b.iter().map(|x| format!("{x:02X}")).collect())
}

/// A timestamp for unix seconds.
pub(crate) fn timestamp(secs: i64) -> Result<Timestamp, Reply> {
    Timestamp::parse(&format_rfc3339(secs)).map_err(|_| Reply::empty(500))
}
