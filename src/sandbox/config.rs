//! The sandbox configuration: account servicing entities, their wallets (asset, starting balance,
//! client keys), exchange rates, the fee, and the timing knobs. Read from JSON (`--config FILE`)
//! or [`SandboxConfig::default`].

use serde::{Deserialize, Serialize};

use super::money::Ratio;
use crate::signature::{PublicJwk, PublicKey};

/// Why a configuration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The JSON text is not a configuration.
    #[error("invalid sandbox configuration JSON: {0}")]
    Json(String),
    /// A value breaks a rule of the sandbox.
    #[error("invalid sandbox configuration: {0}")]
    Invalid(String),
}

/// Path segments that cannot be ASE or wallet names (they are routes).
pub const RESERVED_NAMES: [&str; 4] = ["auth", "op", "dev", "interact"];

/// Wallet names that cannot be used in the [`Layout::Origins`] layout: there the resource server
/// lives at the root of the wallet origin, and these are its collections.
pub const RESOURCE_SERVER_ROUTES: [&str; 4] = [
    "incoming-payments",
    "outgoing-payments",
    "quotes",
    "outgoing-payment-grant",
];

/// Where the servers of each ASE live (`"layout"` in the JSON configuration, `--layout` of the
/// binary).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// One port for everything: wallets at `{base}/{ase}/{wallet}`, the authorization server at
    /// `{base}/{ase}/auth`, the resource server at `{base}/{ase}/op`.
    #[default]
    Paths,
    /// As production ASEs are laid out: each ASE has a wallet origin (its own port) serving its
    /// wallet addresses at `/{wallet}` and its resource server at the origin root
    /// (`resourceServer` = the wallet address's origin), and an authorization server origin of
    /// its own (grant requests at `/`). The development endpoints stay on the base URL.
    Origins,
}

/// The whole sandbox configuration (JSON, camelCase keys; every field but `ases` has a default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SandboxConfig {
    /// The account servicing entities, each served under `/{name}/` on the same port
    /// ([`Layout::Paths`]) or on origins of their own ([`Layout::Origins`]).
    pub ases: Vec<AseConfig>,
    /// Where each ASE's servers live; [`Layout::Paths`] by default.
    #[serde(default)]
    pub layout: Layout,
    /// Fixed exchange rates; the inverse pair is derived when only one direction is given.
    #[serde(default)]
    pub exchange_rates: Vec<ExchangeRate>,
    /// Fee on payments between different asset codes, in basis points of the debit amount
    /// (rounded up, charged to the sender). Same-asset payments carry no fee.
    #[serde(default = "default_fee")]
    pub fee_basis_points: u32,
    /// How long a quote can be paid, in seconds.
    #[serde(default = "default_quote_lifetime")]
    pub quote_lifetime_seconds: u64,
    /// `expires_in` of issued access tokens, in seconds.
    #[serde(default = "default_token_lifetime")]
    pub access_token_lifetime_seconds: u64,
    /// `continue.wait` of pending grants, in seconds (enforced on polling with `too_fast`).
    #[serde(default = "default_wait")]
    pub continue_wait_seconds: u64,
    /// How long an interaction can be decided (consent page, dev approve/deny), in seconds of
    /// the sandbox clock from the grant request; afterwards the page and the dev endpoints
    /// answer 410 and continuing the grant fails with 401 `request_denied`.
    #[serde(default = "default_interaction_lifetime")]
    pub interaction_lifetime_seconds: u64,
    /// Largest accepted request body in bytes; larger bodies get 413.
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
    /// Largest accepted age of a signature's `created`, in seconds.
    #[serde(default = "default_signature_age")]
    pub signature_max_age_seconds: u64,
}

fn default_fee() -> u32 {
    100
}
fn default_quote_lifetime() -> u64 {
    300
}
fn default_token_lifetime() -> u64 {
    600
}
fn default_wait() -> u64 {
    1
}
fn default_interaction_lifetime() -> u64 {
    600
}
fn default_max_body() -> usize {
    64 * 1024
}
fn default_signature_age() -> u64 {
    300
}

/// One account servicing entity: its own authorization and resource server under `/{name}/auth`
/// and `/{name}/op`, its wallets under `/{name}/{wallet}` ([`Layout::Paths`]); or its own wallet
/// origin and authorization server origin ([`Layout::Origins`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AseConfig {
    /// The path prefix, e.g. `bank-a`.
    pub name: String,
    /// Its wallets.
    pub wallets: Vec<WalletConfig>,
}

/// One wallet address of an ASE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WalletConfig {
    /// The last path segment; unique across the whole sandbox (dev endpoints use it).
    pub name: String,
    /// `publicName` of the wallet address document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_name: Option<String>,
    /// Asset code, e.g. `USD`.
    pub asset_code: String,
    /// Asset scale, e.g. 2.
    pub asset_scale: u8,
    /// Starting balance in minor units, as a decimal string.
    #[serde(default = "zero")]
    pub balance: String,
    /// Public keys of clients that identify themselves with this wallet address.
    #[serde(default)]
    pub keys: Vec<PublicJwk>,
}

fn zero() -> String {
    "0".to_owned()
}

/// A fixed rate: one major unit of `from` buys `rate` major units of `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangeRate {
    /// Sender asset code.
    pub from: String,
    /// Receiver asset code.
    pub to: String,
    /// Positive decimal text, e.g. `"0.9"` (parsed exactly, never as a float).
    pub rate: String,
}

fn wallet(name: &str, public_name: &str, code: &str, scale: u8, balance: &str) -> WalletConfig {
    WalletConfig {
        name: name.to_owned(),
        public_name: Some(public_name.to_owned()),
        asset_code: code.to_owned(),
        asset_scale: scale,
        balance: balance.to_owned(),
        keys: Vec::new(),
    }
}

fn rate(from: &str, to: &str, rate: &str) -> ExchangeRate {
    ExchangeRate {
        from: from.to_owned(),
        to: to.to_owned(),
        rate: rate.to_owned(),
    }
}

impl Default for SandboxConfig {
    /// Two ASEs: `bank-a` (alice USD, shop USD, carol ETH scale 9) and `bank-b` (bob EUR,
    /// shopper EUR, dave ETH scale 9); USD→EUR 0.9, USD→ETH 0.0004, EUR→ETH 0.00045; 1 % fee
    /// on cross-asset payments.
    fn default() -> Self {
        Self {
            ases: vec![
                AseConfig {
                    name: "bank-a".to_owned(),
                    wallets: vec![
                        wallet("alice", "Alice", "USD", 2, "100000"),
                        wallet("shop", "Sandbox Shop", "USD", 2, "0"),
                        wallet("carol", "Carol", "ETH", 9, "5000000000"),
                    ],
                },
                AseConfig {
                    name: "bank-b".to_owned(),
                    wallets: vec![
                        wallet("bob", "Bob", "EUR", 2, "50000"),
                        wallet("shopper", "Sandbox Shopper", "EUR", 2, "100000"),
                        wallet("dave", "Dave", "ETH", 9, "0"),
                    ],
                },
            ],
            layout: Layout::Paths,
            exchange_rates: vec![
                rate("USD", "EUR", "0.9"),
                rate("USD", "ETH", "0.0004"),
                rate("EUR", "ETH", "0.00045"),
            ],
            fee_basis_points: default_fee(),
            quote_lifetime_seconds: default_quote_lifetime(),
            access_token_lifetime_seconds: default_token_lifetime(),
            continue_wait_seconds: default_wait(),
            interaction_lifetime_seconds: default_interaction_lifetime(),
            max_body_bytes: default_max_body(),
            signature_max_age_seconds: default_signature_age(),
        }
    }
}

fn valid_segment(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !RESERVED_NAMES.contains(&name)
}

impl SandboxConfig {
    /// Reads a configuration from JSON text and checks it.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let config: Self =
            serde_json::from_str(json).map_err(|e| ConfigError::Json(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks names (URL-safe, unique, not reserved; in the origins layout not a resource server
    /// route either), balances, keys, rates and the fee.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: String| Err(ConfigError::Invalid(m));
        let mut names: Vec<&str> = Vec::new();
        for ase in &self.ases {
            if !valid_segment(&ase.name) || names.contains(&ase.name.as_str()) {
                return bad(format!("bad or repeated ASE name {:?}", ase.name));
            }
            names.push(&ase.name);
        }
        let mut wallets: Vec<&str> = Vec::new();
        for w in self.ases.iter().flat_map(|a| a.wallets.iter()) {
            if !valid_segment(&w.name) || wallets.contains(&w.name.as_str()) {
                return bad(format!("bad or repeated wallet name {:?}", w.name));
            }
            wallets.push(&w.name);
            if self.layout == Layout::Origins && RESOURCE_SERVER_ROUTES.contains(&w.name.as_str()) {
                return bad(format!(
                    "wallet name {:?} is a resource server route in the origins layout",
                    w.name
                ));
            }
            if crate::amount::Amount::from_wire(&w.balance, &w.asset_code, w.asset_scale).is_err() {
                return bad(format!("bad balance or asset for wallet {:?}", w.name));
            }
            for key in &w.keys {
                if let Err(e) = PublicKey::from_jwk(key) {
                    return bad(format!("bad key for wallet {:?}: {e}", w.name));
                }
            }
        }
        for r in &self.exchange_rates {
            if Ratio::parse_decimal(&r.rate).is_none() {
                return bad(format!("bad rate {:?} for {}->{}", r.rate, r.from, r.to));
            }
        }
        if self.fee_basis_points >= 10_000 {
            return bad("feeBasisPoints must be below 10000".to_owned());
        }
        Ok(())
    }

    /// The rate from `from` to `to` (1 for the same code; the inverse of a configured pair).
    pub(crate) fn rate(&self, from: &str, to: &str) -> Option<Ratio> {
        if from == to {
            return Some(Ratio::ONE);
        }
        self.exchange_rates.iter().find_map(|r| {
            if r.from == from && r.to == to {
                Ratio::parse_decimal(&r.rate)
            } else if r.from == to && r.to == from {
                Ratio::parse_decimal(&r.rate).map(Ratio::inverse)
            } else {
                None
            }
        })
    }
}
