//! Ed25519 keys for request signing: generate, import and export (PKCS#8 PEM and JWK), and the
//! public JWK / JWKS documents a wallet address publishes at `jwks.json` (the `get-wallet-address-keys` operation, schema `json-web-key-set`).
//!
//! The private key type [`PrivateKey`] is deliberately not `Serialize` and not `Clone`, prints as
//! `<redacted>` in `Debug`, and its secret bytes are zeroized when it is dropped. The secret only
//! leaves it through functions whose names say so ([`PrivateKey::to_pkcs8_pem`],
//! [`PrivateKey::export_private_jwk_including_secret`]).

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::error::ErrorCode;
use crate::json::Json;

/// Zeroizes the strings of a parsed JSON document that were copied out of its text (those with
/// escapes) before they are freed: a private JWK's `d` may be among them.
fn wipe(value: Json<'_>) {
    match value {
        Json::String(std::borrow::Cow::Owned(mut text)) => text.zeroize(),
        Json::Array(items) => items.into_iter().for_each(wipe),
        Json::Object(members) => members.into_iter().for_each(|(name, v)| {
            if let std::borrow::Cow::Owned(mut name) = name {
                name.zeroize();
            }
            wipe(v);
        }),
        _ => {}
    }
}

/// The only JWK `alg` Open Payments uses, and the one this crate writes.
pub const JWK_ALG: &str = "EdDSA";
/// The fully-specified name of the same algorithm (RFC 9864, section 2.2, which deprecates
/// `EdDSA` in JOSE): read as `EdDSA`, since browsers' WebCrypto now exports Ed25519 JWKs with it.
const JWK_ALG_FULLY_SPECIFIED: &str = "Ed25519";
/// JWK `kty` of Ed25519 keys (RFC 8037).
pub const JWK_KTY: &str = "OKP";
/// JWK `crv` of Ed25519 keys (RFC 8037).
pub const JWK_CRV: &str = "Ed25519";

mod pkcs8;
#[cfg(test)]
mod tests;

/// Why a key could not be generated, imported or used. Codes are stable (see [`ErrorCode`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The platform random number generator failed (no key was made).
    #[error("the platform random number generator is unavailable: {0}")]
    RandomUnavailable(String),
    /// The key id is empty.
    #[error("the key id (kid) must not be empty")]
    EmptyKeyId,
    /// The text is neither PEM nor a JWK JSON object.
    #[error("the key is neither a PEM block nor a JWK JSON object")]
    UnrecognizedKeyFormat,
    /// The PEM armour or its base64 body is broken.
    #[error("the PEM text is malformed: {0}")]
    InvalidPem(&'static str),
    /// A PEM block of another type (`PUBLIC KEY`, `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, ...).
    #[error("expected a `-----BEGIN PRIVATE KEY-----` (PKCS#8) block, found `{0}`")]
    UnsupportedPemType(String),
    /// PKCS#8 DER for another algorithm than Ed25519 (RSA, EC, X25519, ...).
    #[error("the PKCS#8 key is not an Ed25519 key")]
    UnsupportedKeyAlgorithm,
    /// DER that is not a PKCS#8 Ed25519 private key in the v1 or v2 layout.
    #[error("the DER data is not a PKCS#8 Ed25519 private key")]
    InvalidPkcs8,
    /// The JWK JSON could not be read (not an object, a member of the wrong type, ...).
    #[error("the JWK is malformed: {0}")]
    InvalidJwk(String),
    /// A JWK, or one of its members, is not the JSON type it must be (code `invalid_jwk`, like
    /// [`Self::InvalidJwk`]; `field` is its JSON path, `""` for the document itself).
    #[error("{}invalid type: {found}, expected {expected}", if field.is_empty() { String::new() } else { format!("{field}: ") })]
    JwkType {
        /// JSON path of the value.
        field: String,
        /// What was found (`number`, `array`, …).
        found: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// A required JWK member is absent.
    #[error("the JWK has no `{0}` member")]
    MissingJwkMember(&'static str),
    /// `kty` is not `OKP`.
    #[error("the JWK key type must be \"OKP\", found {}", crate::error::quoted(&.0))]
    WrongKeyType(String),
    /// `crv` is not `Ed25519` (e.g. `X25519`, `Ed448`).
    #[error("the JWK curve must be \"Ed25519\", found {}", crate::error::quoted(&.0))]
    WrongCurve(String),
    /// `alg` is present and neither `EdDSA` nor `Ed25519` (RFC 9864).
    #[error("the JWK algorithm must be \"EdDSA\" (or \"Ed25519\"), found {}", crate::error::quoted(&.0))]
    WrongAlgorithm(String),
    /// `use` is present and not `sig`.
    #[error("the JWK use must be \"sig\", found {}", crate::error::quoted(&.0))]
    WrongKeyUse(String),
    /// `x` or `d` is not unpadded base64url.
    #[error("the JWK member `{0}` is not unpadded base64url")]
    InvalidBase64Url(&'static str),
    /// `x` or `d` does not decode to 32 bytes.
    #[error("the JWK member `{field}` must decode to 32 bytes, found {len}")]
    WrongKeyLength {
        /// `x` or `d`.
        field: &'static str,
        /// The decoded length.
        len: usize,
    },
    /// `x` is not a valid Ed25519 public key (not a curve point).
    #[error("the public key is not a valid Ed25519 point")]
    InvalidPublicKey,
    /// The public key given with a private key does not belong to it.
    #[error("the public key does not match the private key")]
    PublicKeyMismatch,
    /// The JWK's `kid` differs from the key id it was loaded with.
    #[error("the JWK kid {} differs from the key id {}", crate::error::quoted(.found), crate::error::quoted(.expected))]
    KeyIdMismatch {
        /// The key id asked for.
        expected: String,
        /// The `kid` in the JWK.
        found: String,
    },
    /// A JWKS lists the same `kid` twice, so a signature's `keyid` would be ambiguous.
    #[error("the key set has more than one key with kid {}", crate::error::quoted(&.0))]
    DuplicateKeyId(String),
}

impl ErrorCode for KeyError {
    fn code(&self) -> &str {
        match self {
            Self::RandomUnavailable(_) => "random_unavailable",
            Self::EmptyKeyId => "invalid_key_id",
            Self::UnrecognizedKeyFormat => "unrecognized_key_format",
            Self::InvalidPem(_) => "invalid_pem",
            Self::UnsupportedPemType(_) => "unsupported_pem_type",
            Self::UnsupportedKeyAlgorithm => "unsupported_key_algorithm",
            Self::InvalidPkcs8 => "invalid_pkcs8",
            Self::InvalidJwk(_) | Self::JwkType { .. } => "invalid_jwk",
            Self::MissingJwkMember(_) => "missing_jwk_member",
            Self::WrongKeyType(_) => "wrong_key_type",
            Self::WrongCurve(_) => "wrong_curve",
            Self::WrongAlgorithm(_) => "wrong_key_algorithm",
            Self::WrongKeyUse(_) => "wrong_key_use",
            Self::InvalidBase64Url(_) => "invalid_base64url",
            Self::WrongKeyLength { .. } => "wrong_key_length",
            Self::InvalidPublicKey => "invalid_public_key",
            Self::PublicKeyMismatch => "public_key_mismatch",
            Self::KeyIdMismatch { .. } => "key_id_mismatch",
            Self::DuplicateKeyId(_) => "duplicate_key_id",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Self::MissingJwkMember(f) | Self::InvalidBase64Url(f) => Some((*f).to_owned()),
            Self::WrongKeyLength { field, .. } => Some((*field).to_owned()),
            Self::WrongKeyType(_) => Some("kty".to_owned()),
            Self::WrongCurve(_) => Some("crv".to_owned()),
            Self::WrongAlgorithm(_) => Some("alg".to_owned()),
            Self::WrongKeyUse(_) => Some("use".to_owned()),
            Self::InvalidPublicKey | Self::PublicKeyMismatch => Some("x".to_owned()),
            Self::EmptyKeyId | Self::KeyIdMismatch { .. } | Self::DuplicateKeyId(_) => {
                Some("kid".to_owned())
            }
            Self::JwkType { field, .. } if !field.is_empty() => Some(field.clone()),
            _ => None,
        }
    }
}

/// A public Ed25519 JWK exactly as Open Payments publishes it (schema `json-web-key`):
/// `{kid, alg: "EdDSA", kty: "OKP", crv: "Ed25519", x, use: "sig"}`.
///
/// Deserializing only checks the JSON shape; use [`PublicKey::from_jwk`] to validate the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicJwk {
    /// Key id; a signature's `keyid` parameter names it.
    pub kid: String,
    /// Always `EdDSA`.
    pub alg: String,
    /// Always `OKP`.
    pub kty: String,
    /// Always `Ed25519`.
    pub crv: String,
    /// The 32-byte public key, unpadded base64url.
    pub x: String,
    /// `sig` when present.
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub key_use: Option<String>,
}

/// A JWK as received, every member optional, so that each problem gets its own error code when
/// it is validated ([`PublicKey::from_jwk_input`], [`PrivateKey::from_jwk_input`]). Unknown
/// members are ignored. `d` is zeroized on drop.
#[derive(Default, Deserialize)]
pub struct JwkInput {
    /// Key id.
    pub kid: Option<String>,
    /// Must be `EdDSA` when present.
    pub alg: Option<String>,
    /// Must be `OKP`.
    pub kty: Option<String>,
    /// Must be `Ed25519`.
    pub crv: Option<String>,
    /// Public key, unpadded base64url.
    pub x: Option<String>,
    /// Secret seed, unpadded base64url (private keys only).
    pub d: Option<String>,
    /// Must be `sig` when present.
    #[serde(rename = "use")]
    pub key_use: Option<String>,
}

impl fmt::Debug for JwkInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwkInput")
            .field("kid", &self.kid)
            .field("x", &self.x)
            .field("d", &self.d.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Drop for JwkInput {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl JwkInput {
    /// Reads one JWK from JSON text (see [`Self::read`]).
    fn parse(json: &str) -> Result<Self, KeyError> {
        let value = Json::parse(json).map_err(|e| KeyError::InvalidJwk(e.to_string()));
        let input = value
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|v| Self::read(v, ""));
        if let Ok(value) = value {
            wipe(value);
        }
        input
    }

    /// Reads the JWK `value` found at the JSON path `at` (`""` for the whole document): an
    /// object whose known members are strings or `null` (absent); other members are ignored, a
    /// name given twice means its last value (as serde_json's maps read it). Read with
    /// `crate::json` rather than serde, so that the wasm builds that load keys link no serde
    /// deserializer (about 10 KB gzip).
    pub(crate) fn read(value: &Json<'_>, at: &str) -> Result<Self, KeyError> {
        let wrong = |field: String, found: &Json<'_>, expected| KeyError::JwkType {
            field,
            found: found.type_name(),
            expected,
        };
        if !matches!(value, Json::Object(_)) {
            return Err(wrong(at.to_owned(), value, "a JWK object"));
        }
        let member = |name: &str| match value.given(name) {
            None => Ok(None),
            Some(Json::String(text)) => Ok(Some(text.to_string())),
            Some(other) => Err(wrong(
                if at.is_empty() {
                    name.to_owned()
                } else {
                    format!("{at}.{name}")
                },
                other,
                "a string",
            )),
        };
        Ok(Self {
            kid: member("kid")?,
            alg: member("alg")?,
            kty: member("kty")?,
            crv: member("crv")?,
            x: member("x")?,
            d: member("d")?,
            key_use: member("use")?,
        })
    }

    /// Reads a JSON array of JWKs found at the JSON path `at`.
    pub(crate) fn read_all(value: &Json<'_>, at: &str) -> Result<Vec<Self>, KeyError> {
        let Json::Array(items) = value else {
            return Err(KeyError::JwkType {
                field: at.to_owned(),
                found: value.type_name(),
                expected: "an array of JWKs",
            });
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Self::read(item, &format!("{at}[{i}]")))
            .collect()
    }

    /// Checks `kty`, `crv`, `alg` (`EdDSA` or `Ed25519`), `use` and decodes `x`, if present.
    fn check_ed25519(&self) -> Result<Option<VerifyingKey>, KeyError> {
        match self.kty.as_deref() {
            None => return Err(KeyError::MissingJwkMember("kty")),
            Some(JWK_KTY) => {}
            Some(other) => return Err(KeyError::WrongKeyType(other.to_owned())),
        }
        match self.crv.as_deref() {
            None => return Err(KeyError::MissingJwkMember("crv")),
            Some(JWK_CRV) => {}
            Some(other) => return Err(KeyError::WrongCurve(other.to_owned())),
        }
        if let Some(alg) = self
            .alg
            .as_deref()
            .filter(|a| *a != JWK_ALG && *a != JWK_ALG_FULLY_SPECIFIED)
        {
            return Err(KeyError::WrongAlgorithm(alg.to_owned()));
        }
        if let Some(u) = self.key_use.as_deref().filter(|u| *u != "sig") {
            return Err(KeyError::WrongKeyUse(u.to_owned()));
        }
        self.x.as_deref().map(decode_public_x).transpose()
    }
}

fn decode_key_bytes(field: &'static str, text: &str) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let bytes = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| KeyError::InvalidBase64Url(field))?,
    );
    let mut out = Zeroizing::new([0u8; 32]);
    if bytes.len() != out.len() {
        return Err(KeyError::WrongKeyLength {
            field,
            len: bytes.len(),
        });
    }
    out.copy_from_slice(&bytes);
    Ok(out)
}

fn decode_public_x(x: &str) -> Result<VerifyingKey, KeyError> {
    let bytes = decode_key_bytes("x", x)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::InvalidPublicKey)
}

fn check_key_id(key_id: &str) -> Result<(), KeyError> {
    if key_id.is_empty() {
        Err(KeyError::EmptyKeyId)
    } else {
        Ok(())
    }
}

/// A validated Ed25519 public key with its key id.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key_id: String,
    key: VerifyingKey,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("key_id", &self.key_id)
            .field("x", &URL_SAFE_NO_PAD.encode(self.key.as_bytes()))
            .finish()
    }
}

impl PublicKey {
    /// Validates a public JWK: `kty` OKP, `crv` Ed25519, `alg` EdDSA (or absent), `use` sig (or
    /// absent), `x` 32 bytes of unpadded base64url that is a curve point, `kid` non-empty.
    pub fn from_jwk(jwk: &PublicJwk) -> Result<Self, KeyError> {
        let loose = JwkInput {
            kid: Some(jwk.kid.clone()),
            alg: Some(jwk.alg.clone()),
            kty: Some(jwk.kty.clone()),
            crv: Some(jwk.crv.clone()),
            x: Some(jwk.x.clone()),
            d: None,
            key_use: jwk.key_use.clone(),
        };
        Self::from_jwk_input(&loose)
    }

    /// Reads and validates a public JWK from JSON text (unknown members are ignored; a `d`
    /// member is ignored too, only the public part is kept).
    pub fn from_jwk_json(json: &str) -> Result<Self, KeyError> {
        Self::from_jwk_input(&JwkInput::parse(json)?)
    }

    /// Validates a public key read leniently (see [`JwkInput`]); a `d` member is ignored.
    pub fn from_jwk_input(jwk: &JwkInput) -> Result<Self, KeyError> {
        let key = jwk
            .check_ed25519()?
            .ok_or(KeyError::MissingJwkMember("x"))?;
        let key_id = jwk.kid.clone().ok_or(KeyError::MissingJwkMember("kid"))?;
        check_key_id(&key_id)?;
        Ok(Self { key_id, key })
    }

    /// The key id (`kid`).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The 32 raw public key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.key.as_bytes()
    }

    /// The JWK Open Payments publishes for this key, with `use: "sig"`.
    pub fn to_jwk(&self) -> PublicJwk {
        PublicJwk {
            kid: self.key_id.clone(),
            alg: JWK_ALG.to_owned(),
            kty: JWK_KTY.to_owned(),
            crv: JWK_CRV.to_owned(),
            x: URL_SAFE_NO_PAD.encode(self.key.as_bytes()),
            key_use: Some("sig".to_owned()),
        }
    }

    /// Checks an Ed25519 signature over `message` (RFC 8032, strict: rejects non-canonical
    /// signatures and small-order keys).
    pub fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let signature = ed25519_dalek::Signature::from_bytes(signature);
        self.key.verify_strict(message, &signature).is_ok()
    }
}

/// A JSON Web Key Set: the public keys a client's wallet address publishes (`{"keys": [...]}`).
///
/// Every key is validated when the set is made, and key ids are unique, so a signature's `keyid`
/// picks at most one key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Jwks {
    keys: Vec<PublicKey>,
}

/// The wire form of a JWKS document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwksDocument {
    /// The keys, in order.
    pub keys: Vec<PublicJwk>,
}

impl Jwks {
    /// A key set from validated keys; fails on a repeated `kid`.
    pub fn new(keys: Vec<PublicKey>) -> Result<Self, KeyError> {
        for (i, key) in keys.iter().enumerate() {
            if keys.iter().take(i).any(|k| k.key_id == key.key_id) {
                return Err(KeyError::DuplicateKeyId(key.key_id.clone()));
            }
        }
        Ok(Self { keys })
    }

    /// Reads and validates a JWKS document (`{"keys": [...]}`) from JSON text.
    pub fn from_json(json: &str) -> Result<Self, KeyError> {
        let value = Json::parse(json).map_err(|e| KeyError::InvalidJwk(e.to_string()))?;
        let keys = match &value {
            Json::Object(_) => match value.get("keys") {
                Some(keys) => JwkInput::read_all(keys, "keys"),
                None => Err(KeyError::InvalidJwk("missing field `keys`".to_owned())),
            },
            other => Err(KeyError::JwkType {
                field: String::new(),
                found: other.type_name(),
                expected: "a JWKS document",
            }),
        };
        wipe(value);
        Self::from_jwk_inputs(&keys?)
    }

    /// A key set from JWKs read leniently; validates each and refuses a repeated `kid`.
    pub fn from_jwk_inputs(keys: &[JwkInput]) -> Result<Self, KeyError> {
        let keys = keys
            .iter()
            .map(PublicKey::from_jwk_input)
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(keys)
    }

    /// The key whose `kid` is `key_id`, if any.
    pub fn find(&self, key_id: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.key_id == key_id)
    }

    /// The keys, in order.
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// The document to serve at `jwks.json`.
    pub fn to_document(&self) -> JwksDocument {
        JwksDocument {
            keys: self.keys.iter().map(PublicKey::to_jwk).collect(),
        }
    }
}

/// A private JWK including the secret `d`. Only [`PrivateKey::export_private_jwk_including_secret`]
/// makes one; `d` is zeroized when it is dropped. Handle it like the key itself.
#[derive(Serialize)]
pub struct PrivateJwk {
    /// Key id.
    pub kid: String,
    /// Always `EdDSA`.
    pub alg: &'static str,
    /// Always `OKP`.
    pub kty: &'static str,
    /// Always `Ed25519`.
    pub crv: &'static str,
    /// The public key, unpadded base64url.
    pub x: String,
    /// The 32-byte secret seed, unpadded base64url.
    pub d: String,
}

impl fmt::Debug for PrivateJwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateJwk")
            .field("kid", &self.kid)
            .field("x", &self.x)
            .field("d", &"<redacted>")
            .finish()
    }
}

impl Drop for PrivateJwk {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

/// An Ed25519 private key with its key id: the client's signing identity.
///
/// Not `Serialize`, not `Clone`; `Debug` shows only the key id and public key; the secret is
/// zeroized on drop (ed25519-dalek's `zeroize` feature).
pub struct PrivateKey {
    key_id: String,
    signing: SigningKey,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("key_id", &self.key_id)
            .field(
                "x",
                &URL_SAFE_NO_PAD.encode(self.signing.verifying_key().as_bytes()),
            )
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl PrivateKey {
    /// A second owner of the same key, for the JS layer: the `SigningKey` object and a client
    /// made from it each hold (and zeroize on drop) their own copy, so freeing one never
    /// invalidates the other. Deliberately not `Clone`: copies of a secret are made on purpose.
    #[cfg(all(target_arch = "wasm32", feature = "js-client"))]
    pub(crate) fn duplicate(&self) -> Self {
        let seed = Zeroizing::new(self.signing.to_bytes());
        Self {
            key_id: self.key_id.clone(),
            signing: SigningKey::from_bytes(&seed),
        }
    }

    /// Generates a fresh key from the platform's random number generator (`getrandom`; in wasm,
    /// `crypto.getRandomValues`). Randomness is only drawn when this is called.
    pub fn generate(key_id: &str) -> Result<Self, KeyError> {
        check_key_id(key_id)?;
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut_slice())
            .map_err(|e| KeyError::RandomUnavailable(e.to_string()))?;
        Self::from_seed(key_id, &seed)
    }

    /// A key from its 32-byte secret seed (RFC 8032 private key).
    pub fn from_seed(key_id: &str, seed: &[u8; 32]) -> Result<Self, KeyError> {
        check_key_id(key_id)?;
        Ok(Self {
            key_id: key_id.to_owned(),
            signing: SigningKey::from_bytes(seed),
        })
    }

    /// Loads a key from either a PKCS#8 PEM block or a private JWK JSON object, whichever
    /// `text` is. A JWK's `kid`, if it has one, must equal `key_id`.
    pub fn load(text: &str, key_id: &str) -> Result<Self, KeyError> {
        let trimmed = text.trim_start();
        if trimmed.starts_with("-----BEGIN") {
            Self::from_pkcs8_pem(text, key_id)
        } else if trimmed.starts_with('{') {
            Self::from_jwk_json(text, key_id)
        } else {
            Err(KeyError::UnrecognizedKeyFormat)
        }
    }

    /// Reads a private JWK (`kty` OKP, `crv` Ed25519, `d`, and optionally `x`, `kid`, `alg`,
    /// `use`). When `x` is present it must be the key's public key; when `kid` is present it must
    /// equal `key_id`.
    pub fn from_jwk_json(json: &str, key_id: &str) -> Result<Self, KeyError> {
        Self::from_jwk_input(&JwkInput::parse(json)?, key_id)
    }

    /// Validates a private JWK read leniently (see [`JwkInput`] and [`Self::from_jwk_json`]).
    pub fn from_jwk_input(jwk: &JwkInput, key_id: &str) -> Result<Self, KeyError> {
        let public = jwk.check_ed25519()?;
        let d = jwk.d.as_deref().ok_or(KeyError::MissingJwkMember("d"))?;
        let seed = decode_key_bytes("d", d)?;
        if let Some(kid) = jwk.kid.as_deref().filter(|k| *k != key_id) {
            return Err(KeyError::KeyIdMismatch {
                expected: key_id.to_owned(),
                found: kid.to_owned(),
            });
        }
        let key = Self::from_seed(key_id, &seed)?;
        if public.is_some_and(|p| p != key.signing.verifying_key()) {
            return Err(KeyError::PublicKeyMismatch);
        }
        Ok(key)
    }

    /// The key id (`kid`, the `keyid` of signatures).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            key_id: self.key_id.clone(),
            key: self.signing.verifying_key(),
        }
    }

    /// The public JWK to publish in the wallet address's `jwks.json` (no secret).
    pub fn public_jwk(&self) -> PublicJwk {
        self.public_key().to_jwk()
    }

    /// Ed25519 signature over `message` (no prehash, RFC 8032).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// The private JWK including the secret `d`. Named so that exporting the secret is always a
    /// deliberate, greppable act.
    pub fn export_private_jwk_including_secret(&self) -> PrivateJwk {
        PrivateJwk {
            kid: self.key_id.clone(),
            alg: JWK_ALG,
            kty: JWK_KTY,
            crv: JWK_CRV,
            x: URL_SAFE_NO_PAD.encode(self.signing.verifying_key().as_bytes()),
            d: URL_SAFE_NO_PAD.encode(self.signing.as_bytes()),
        }
    }
}
