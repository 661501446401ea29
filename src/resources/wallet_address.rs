//! The wallet address server's documents [WA]: the wallet address, its key set, its DID document.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{asset_code, asset_scale, base64url};

/// The wallet address document (`GET {walletAddress}`, schema `wallet-address`).
///
/// Guarantees: every required field is present, `assetCode` follows the amount rules (3 to 12
/// uppercase letters or digits) and `assetScale` is 0..=255. The schema is open, so unknown extra
/// fields are accepted and dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletAddress {
    /// The wallet address URL (canonical form).
    pub id: String,
    /// A display name of the account holder, if the provider publishes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_name: Option<String>,
    /// The asset of the account, e.g. `USD`.
    #[serde(deserialize_with = "asset_code")]
    pub asset_code: String,
    /// Decimal places of the account's smallest unit.
    #[serde(deserialize_with = "asset_scale")]
    pub asset_scale: u8,
    /// The grant endpoint of the authorization server for this wallet address.
    pub auth_server: String,
    /// The base URL of the resource server for this wallet address.
    pub resource_server: String,
}

/// The only key algorithm of Open Payments keys (`alg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JwkAlgorithm {
    /// Ed25519 signatures.
    EdDSA,
}

/// The only key use (`use`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JwkUse {
    /// Signing.
    #[serde(rename = "sig")]
    Sig,
}

/// The only key type (`kty`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JwkKeyType {
    /// Octet key pair (RFC 8037).
    #[serde(rename = "OKP")]
    Okp,
}

/// The only curve (`crv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JwkCurve {
    /// Edwards curve 25519.
    Ed25519,
}

/// An Ed25519 public key as a JWK (schema `json-web-key`).
///
/// Guarantees: `alg` is `EdDSA`, `kty` is `OKP`, `crv` is `Ed25519`, `use` (if present) is `sig`
/// and `x` is base64url text without padding. The length of the decoded key is checked by the
/// signature code that uses it, not here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonWebKey {
    /// Key id; the `keyid` of HTTP message signatures made with this key.
    pub kid: String,
    /// Always `EdDSA`.
    pub alg: JwkAlgorithm,
    /// `sig` when given.
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<JwkUse>,
    /// Always `OKP`.
    pub kty: JwkKeyType,
    /// Always `Ed25519`.
    pub crv: JwkCurve,
    /// The public key, base64url without padding.
    #[serde(deserialize_with = "base64url")]
    pub x: String,
}

/// The keys bound to a wallet address (`GET {walletAddress}/jwks.json`, `json-web-key-set`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonWebKeySet {
    /// The keys; each one is valid as [`JsonWebKey`] says.
    pub keys: Vec<JsonWebKey>,
}

/// A DID document (`GET {walletAddress}/did.json`): any JSON object, kept as it is. `null` or
/// any other JSON value is refused (`invalid_type`): a plain `Map` would read `null` as `{}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct DidDocument(pub Map<String, Value>);

impl<'de> Deserialize<'de> for DidDocument {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(Self(map)),
            _ => Err(serde::de::Error::custom(
                "invalid type: a DID document must be a JSON object",
            )),
        }
    }
}
