//! PKCS#8 (RFC 5958, RFC 8410) and PEM for [`PrivateKey`]: reading v1 and v2 `PRIVATE KEY`
//! blocks and DER, and writing the v1 PEM of the official client's `private.key`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use zeroize::Zeroizing;

use super::{KeyError, PrivateKey};

/// DER prefix of a PKCS#8 v1 Ed25519 private key (RFC 8410 §7): SEQUENCE { INTEGER 0,
/// AlgorithmIdentifier { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } }.
const PKCS8_V1_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
/// DER prefix of a PKCS#8 v2 (OneAsymmetricKey, RFC 5958) Ed25519 key that carries the public key.
pub(super) const PKCS8_V2_PREFIX: [u8; 16] = [
    0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
/// The `[1] publicKey` BIT STRING header that follows the seed in the v2 form.
pub(super) const PKCS8_V2_PUBLIC_KEY_HEADER: [u8; 3] = [0x81, 0x21, 0x00];
/// The AlgorithmIdentifier of Ed25519 (OID 1.3.101.112), used to tell "another algorithm" apart
/// from "not PKCS#8 at all" in errors.
const ED25519_ALGORITHM_ID: [u8; 7] = [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];

const PEM_LABEL: &str = "PRIVATE KEY";

impl PrivateKey {
    /// Reads a `-----BEGIN PRIVATE KEY-----` block (PKCS#8 v1, the official client's
    /// `private.key`, or v2 with the public key).
    pub fn from_pkcs8_pem(pem: &str, key_id: &str) -> Result<Self, KeyError> {
        let der = decode_pem(pem)?;
        Self::from_pkcs8_der(&der, key_id)
    }

    /// Reads PKCS#8 DER: the 48-byte v1 layout or the 83-byte v2 layout with the public key.
    pub fn from_pkcs8_der(der: &[u8], key_id: &str) -> Result<Self, KeyError> {
        let (prefix, rest) = der.split_at_checked(16).ok_or(KeyError::InvalidPkcs8)?;
        let (seed, tail) = rest.split_at_checked(32).ok_or(KeyError::InvalidPkcs8)?;
        let is_v1 = prefix == PKCS8_V1_PREFIX && tail.is_empty();
        let is_v2 = prefix == PKCS8_V2_PREFIX
            && tail.len() == 35
            && tail.starts_with(&PKCS8_V2_PUBLIC_KEY_HEADER);
        if !is_v1 && !is_v2 {
            let mentions_ed25519 = der
                .windows(ED25519_ALGORITHM_ID.len())
                .any(|w| w == ED25519_ALGORITHM_ID);
            let looks_like_pkcs8 = der.first() == Some(&0x30);
            return Err(if looks_like_pkcs8 && !mentions_ed25519 {
                KeyError::UnsupportedKeyAlgorithm
            } else {
                KeyError::InvalidPkcs8
            });
        }
        let mut seed_bytes = Zeroizing::new([0u8; 32]);
        seed_bytes.copy_from_slice(seed);
        let key = Self::from_seed(key_id, &seed_bytes)?;
        if is_v2 && tail.get(3..) != Some(key.signing.verifying_key().as_bytes().as_slice()) {
            return Err(KeyError::PublicKeyMismatch);
        }
        Ok(key)
    }

    /// The secret as PKCS#8 v1 PEM (`-----BEGIN PRIVATE KEY-----`), the format of the official
    /// client's `private.key`. The returned text is zeroized when dropped.
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        let mut der = Zeroizing::new([0u8; 48]);
        let (prefix, seed) = der.split_at_mut(16);
        prefix.copy_from_slice(&PKCS8_V1_PREFIX);
        seed.copy_from_slice(self.signing.as_bytes());
        let body = Zeroizing::new(STANDARD.encode(der.as_slice()));
        let mut pem = Zeroizing::new(String::with_capacity(body.len() + 64));
        pem.push_str("-----BEGIN PRIVATE KEY-----\n");
        // 48 bytes encode to exactly 64 characters: one PEM line.
        pem.push_str(&body);
        pem.push_str("\n-----END PRIVATE KEY-----\n");
        pem
    }
}

/// Decodes the body of the single `PRIVATE KEY` PEM block in `pem`.
fn decode_pem(pem: &str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let text = pem.trim();
    let rest = text
        .strip_prefix("-----BEGIN ")
        .ok_or(KeyError::InvalidPem("missing -----BEGIN line"))?;
    let (label, rest) = rest
        .split_once("-----")
        .ok_or(KeyError::InvalidPem("unterminated -----BEGIN line"))?;
    if label != PEM_LABEL {
        return Err(KeyError::UnsupportedPemType(label.to_owned()));
    }
    let (body, end) = rest
        .split_once("-----END ")
        .ok_or(KeyError::InvalidPem("missing -----END line"))?;
    if end != "PRIVATE KEY-----" {
        return Err(KeyError::InvalidPem(
            "the -----END line does not match the -----BEGIN line",
        ));
    }
    let compact: Zeroizing<String> =
        Zeroizing::new(body.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    if compact.contains(':') {
        // RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED`.
        return Err(KeyError::InvalidPem(
            "PEM headers (encrypted keys) are not supported",
        ));
    }
    STANDARD
        .decode(compact.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| KeyError::InvalidPem("the body is not base64"))
}
