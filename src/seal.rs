//! Sealed tokens: small JSON payloads encrypted and authenticated with AES-256-GCM under the
//! caller's keys, bound to a purpose and an expiry, so that state a server hands to a browser
//! (or keeps in a cookie) comes back exactly as it was sealed or not at all.
//!
//! The payment flows ([`crate::merchant`]) seal what `finish` needs (continuation URI and token,
//! nonces, quote) between the two requests of a checkout, and a subscription's grant between
//! charges. Nothing in a sealed token is readable or changeable without a key.
//!
//! Format (base64url, no padding): `version (1) | key id (4) | nonce (12) | ciphertext + tag (16)`.
//! The key id is the first 4 bytes of SHA-256 of the key, so opening picks the right key of a
//! rotated list without trying each. The additional data is a fixed prefix plus the purpose: a
//! token sealed for `"payment"` does not open as a `"subscription"`. The plaintext is
//! `{"exp": <unix seconds>, "data": <payload>}`; opening after `exp` fails with
//! [`SealError::Expired`].

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::ErrorCode;

const VERSION: u8 = 1;
const KEY_ID_LEN: usize = 4;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;
/// Tokens longer than this are refused before decoding (a checkout state is under 2 KB).
const MAX_TOKEN_CHARS: usize = 16 * 1024;
const AAD_PREFIX: &[u8] = b"open-payments-wasm/seal/v1/";

/// Why a token could not be sealed or opened.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SealError {
    /// A key is not 32 bytes (or not base64 of 32 bytes), or the list is empty.
    #[error("seal key {index}: {message}")]
    InvalidKey {
        /// The position of the key in the list given.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The token was altered, cut, sealed with a key not in the list, or for another purpose.
    #[error("the sealed state is not valid (altered, truncated, or sealed with another key or for another purpose)")]
    Tampered,
    /// The token was valid but its lifetime has passed.
    #[error("the sealed state expired at {expired_at} (unix seconds)")]
    Expired {
        /// When it expired, in unix seconds.
        expired_at: u64,
    },
    /// No secure random numbers for the nonce.
    #[error("no secure random source: {0}")]
    RandomUnavailable(String),
}

impl ErrorCode for SealError {
    fn code(&self) -> &str {
        match self {
            Self::InvalidKey { .. } => "invalid_seal_key",
            Self::Tampered => "tampered_state",
            Self::Expired { .. } => "state_expired",
            Self::RandomUnavailable(_) => "random_unavailable",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Self::InvalidKey { index, .. } => Some(format!("sealKeys[{index}]")),
            _ => None,
        }
    }
}

struct SealKey {
    id: [u8; KEY_ID_LEN],
    bytes: Zeroizing<[u8; 32]>,
}

/// The keys that seal and open tokens: the first seals, any opens (rotation: put the new key
/// first, keep the old one until the tokens it sealed have expired, then drop it).
///
/// `Debug` shows only how many keys there are; the key bytes are zeroed on drop.
pub struct SealKeys {
    keys: Vec<SealKey>,
}

impl std::fmt::Debug for SealKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealKeys([redacted; {}])", self.keys.len())
    }
}

impl SealKeys {
    /// Keys from raw 32-byte values (at least one).
    pub fn from_bytes(keys: &[[u8; 32]]) -> Result<Self, SealError> {
        if keys.is_empty() {
            return Err(SealError::InvalidKey {
                index: 0,
                message: "at least one key is needed".into(),
            });
        }
        Ok(Self {
            keys: keys
                .iter()
                .map(|k| {
                    let digest = Sha256::digest(k);
                    let mut id = [0u8; KEY_ID_LEN];
                    id.copy_from_slice(digest.get(..KEY_ID_LEN).unwrap_or(&[0; KEY_ID_LEN]));
                    SealKey {
                        id,
                        bytes: Zeroizing::new(*k),
                    }
                })
                .collect(),
        })
    }

    /// Keys from base64 text (standard or URL-safe alphabet, padding optional), each 32 bytes
    /// once decoded: what `openssl rand -base64 32` prints.
    pub fn from_base64<S: AsRef<str>>(keys: &[S]) -> Result<Self, SealError> {
        let mut raw = Vec::with_capacity(keys.len());
        for (index, text) in keys.iter().enumerate() {
            let text = text.as_ref().trim();
            let normalised: String = text
                .trim_end_matches('=')
                .chars()
                .map(|c| match c {
                    '-' => '+',
                    '_' => '/',
                    c => c,
                })
                .collect();
            let padded = format!("{normalised}{}", "=".repeat((4 - normalised.len() % 4) % 4));
            let bytes =
                Zeroizing::new(STANDARD.decode(padded).map_err(|_| SealError::InvalidKey {
                    index,
                    message: "not base64".into(),
                })?);
            let key: [u8; 32] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| SealError::InvalidKey {
                    index,
                    message: format!("{} bytes; a key is 32 bytes", bytes.len()),
                })?;
            raw.push(key);
        }
        let keys = Self::from_bytes(&raw);
        for k in raw.iter_mut() {
            zeroize::Zeroize::zeroize(k);
        }
        keys
    }

    /// How many keys the list holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the list is empty (never, once constructed).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Seals `data` for `purpose` until `now + ttl_seconds`, with a fresh random nonce from
    /// `fill_random`.
    pub fn seal<T: Serialize>(
        &self,
        purpose: &str,
        data: &T,
        now: u64,
        ttl_seconds: u64,
        fill_random: impl FnOnce(&mut [u8]) -> Result<(), String>,
    ) -> Result<String, SealError> {
        let key = self.keys.first().ok_or(SealError::InvalidKey {
            index: 0,
            message: "at least one key is needed".into(),
        })?;
        let plain = Zeroizing::new(
            serde_json::to_vec(&Envelope {
                exp: now.saturating_add(ttl_seconds),
                data,
            })
            .map_err(|_| SealError::Tampered)?,
        );
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce).map_err(SealError::RandomUnavailable)?;
        let aad = aad(purpose);
        let cipher = cipher(key)?;
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::Tampered)?;
        let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&key.id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(URL_SAFE_NO_PAD.encode(out))
    }

    /// Opens a token sealed for `purpose` by any of the keys, if it has not expired at `now`.
    pub fn open<T: DeserializeOwned>(
        &self,
        purpose: &str,
        token: &str,
        now: u64,
    ) -> Result<T, SealError> {
        if token.len() > MAX_TOKEN_CHARS {
            return Err(SealError::Tampered);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(token.trim())
            .map_err(|_| SealError::Tampered)?;
        if bytes.len() < HEADER_LEN + TAG_LEN || bytes.first() != Some(&VERSION) {
            return Err(SealError::Tampered);
        }
        let (header, sealed) = bytes.split_at(HEADER_LEN);
        let key_id = header.get(1..1 + KEY_ID_LEN).ok_or(SealError::Tampered)?;
        let nonce: [u8; NONCE_LEN] = header
            .get(1 + KEY_ID_LEN..)
            .and_then(|n| n.try_into().ok())
            .ok_or(SealError::Tampered)?;
        let aad = aad(purpose);
        for key in self.keys.iter().filter(|k| k.id == key_id) {
            let Ok(plain) = cipher(key)?.decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            ) else {
                continue;
            };
            let plain = Zeroizing::new(plain);
            let text = std::str::from_utf8(&plain).map_err(|_| SealError::Tampered)?;
            let envelope: Envelope<T> =
                crate::resources::from_secret_json(text).map_err(|_| SealError::Tampered)?;
            if now >= envelope.exp {
                return Err(SealError::Expired {
                    expired_at: envelope.exp,
                });
            }
            return Ok(envelope.data);
        }
        Err(SealError::Tampered)
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    exp: u64,
    data: T,
}

fn aad(purpose: &str) -> Vec<u8> {
    let mut aad = AAD_PREFIX.to_vec();
    aad.extend_from_slice(purpose.as_bytes());
    aad
}

fn cipher(key: &SealKey) -> Result<Aes256Gcm, SealError> {
    Aes256Gcm::new_from_slice(key.bytes.as_slice()).map_err(|_| SealError::InvalidKey {
        index: 0,
        message: "a key is 32 bytes".into(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn random(buf: &mut [u8]) -> Result<(), String> {
        getrandom::fill(buf).map_err(|e| e.to_string())
    }

    #[test]
    fn round_trip_purpose_expiry_and_rotation() {
        let old = SealKeys::from_bytes(&[[1; 32]]).unwrap();
        let token = old.seal("payment", &("a", 5u8), 100, 60, random).unwrap();
        assert_eq!(
            old.open::<(String, u8)>("payment", &token, 159).unwrap(),
            ("a".into(), 5)
        );
        assert_eq!(
            old.open::<(String, u8)>("payment", &token, 160),
            Err(SealError::Expired { expired_at: 160 })
        );
        assert_eq!(
            old.open::<(String, u8)>("subscription", &token, 100),
            Err(SealError::Tampered)
        );
        // Rotation: the new key seals, the old one still opens.
        let rotated = SealKeys::from_bytes(&[[2; 32], [1; 32]]).unwrap();
        assert!(rotated.open::<(String, u8)>("payment", &token, 100).is_ok());
        let fresh = rotated.seal("payment", &1u8, 100, 60, random).unwrap();
        assert_eq!(
            old.open::<u8>("payment", &fresh, 100),
            Err(SealError::Tampered)
        );
    }

    #[test]
    fn every_flipped_bit_is_refused() {
        let keys = SealKeys::from_bytes(&[[7; 32]]).unwrap();
        let token = keys.seal("p", &"x", 0, 10, random).unwrap();
        let bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        for i in 0..bytes.len() * 8 {
            let mut b = bytes.clone();
            b[i / 8] ^= 1 << (i % 8);
            let t = URL_SAFE_NO_PAD.encode(&b);
            assert_eq!(
                keys.open::<String>("p", &t, 0),
                Err(SealError::Tampered),
                "bit {i}"
            );
        }
        for cut in 0..bytes.len() {
            let t = URL_SAFE_NO_PAD.encode(&bytes[..cut]);
            assert_eq!(keys.open::<String>("p", &t, 0), Err(SealError::Tampered));
        }
        assert_eq!(
            keys.open::<String>("p", "not base64 !", 0),
            Err(SealError::Tampered)
        );
    }

    #[test]
    fn keys_from_base64_and_their_errors() {
        let k = SealKeys::from_base64(&["AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="]).unwrap();
        assert_eq!(k.len(), 1);
        assert_eq!(format!("{k:?}"), "SealKeys([redacted; 1])");
        // URL-safe alphabet, no padding: the same key.
        let u = SealKeys::from_base64(&["AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"]).unwrap();
        let t = k.seal("p", &1u8, 0, 10, random).unwrap();
        assert_eq!(u.open::<u8>("p", &t, 0), Ok(1));
        let short = SealKeys::from_base64(&["AQEB"]).unwrap_err();
        assert_eq!(short.code(), "invalid_seal_key");
        assert_eq!(short.field().as_deref(), Some("sealKeys[0]"));
        let second = SealKeys::from_base64(&["AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", "!!"]);
        assert_eq!(second.unwrap_err().field().as_deref(), Some("sealKeys[1]"));
        assert!(SealKeys::from_base64::<&str>(&[]).is_err());
    }
}
