//! Raw exports for keys and request signatures (facade: `src/js/facade/keys.ts`).
//!
//! A private key lives in wasm memory in a [`SigningKeyHandle`]; its secret only crosses to JS
//! through `exportPrivateJwk` / `exportPrivateKeyPem`. Requests cross as plain parts read by the
//! facade: method, URL, header pairs as JSON text, body bytes.

use wasm_bindgen::prelude::*;

use super::{error_of, fail, fail_with, ok, run, Answer};
use crate::json::Json;
use crate::signature::{sign_request, JwkInput, Jwks, OwnedHttpRequest, PrivateKey};
#[cfg(feature = "js-verify")]
use crate::signature::{verify_request, VerifiedSignature, VerifyOptions};

/// An Ed25519 signing key held in wasm memory (zeroized when freed). `Debug` is the core key's:
/// the secret shows as `<redacted>`.
#[wasm_bindgen]
#[derive(Debug)]
pub struct SigningKeyHandle {
    inner: PrivateKey,
}

impl SigningKeyHandle {
    /// The core key.
    #[cfg(feature = "js-client")]
    pub(crate) fn key(&self) -> &PrivateKey {
        &self.inner
    }
}

#[wasm_bindgen]
impl SigningKeyHandle {
    /// The key id (`kid`; the `keyid` of signatures).
    #[wasm_bindgen(js_name = keyId)]
    pub fn key_id(&self) -> String {
        self.inner.key_id().to_owned()
    }

    /// The public JWK (no secret), as JSON text.
    #[wasm_bindgen(js_name = publicJwk)]
    pub fn public_jwk(&self) -> Answer {
        ok(&self.inner.public_jwk())
    }

    /// The private JWK including the secret `d`, as JSON text. Only for storing the key.
    #[wasm_bindgen(js_name = exportPrivateJwk)]
    pub fn export_private_jwk(&self) -> Answer {
        ok(&self.inner.export_private_jwk_including_secret())
    }

    /// The secret as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the official client's format.
    #[wasm_bindgen(js_name = exportPrivateKeyPem)]
    pub fn export_private_key_pem(&self) -> String {
        self.inner.to_pkcs8_pem().as_str().to_owned()
    }

    /// The `Signature` header's value for a signature base (RFC 9421 §2.5) that the core
    /// prepared, for a client whose requests the facade signs (`newHostSigningClient`).
    #[wasm_bindgen(js_name = signatureFor)]
    pub fn signature_for(&self, base: &str) -> String {
        crate::signature::signature_header(&self.inner.sign(base.as_bytes()))
    }
}

fn handle(key: Result<PrivateKey, crate::signature::KeyError>) -> Result<SigningKeyHandle, String> {
    key.map(|inner| SigningKeyHandle { inner })
        .map_err(|e| error_of(&e))
}

/// Generates a fresh Ed25519 key (randomness from `crypto.getRandomValues`).
#[wasm_bindgen(js_name = generateKey)]
pub fn generate_key(key_id: &str) -> Result<SigningKeyHandle, String> {
    handle(PrivateKey::generate(key_id))
}

/// Loads a key from PKCS#8 PEM text or the JSON text of a private JWK.
#[wasm_bindgen(js_name = loadKeyText)]
pub fn load_key_text(text: &str, key_id: &str) -> Result<SigningKeyHandle, String> {
    handle(PrivateKey::load(text, key_id))
}

/// Loads a key from PKCS#8 DER bytes.
#[wasm_bindgen(js_name = loadKeyDer)]
pub fn load_key_der(der: &[u8], key_id: &str) -> Result<SigningKeyHandle, String> {
    handle(PrivateKey::from_pkcs8_der(der, key_id))
}

/// A JWKS document from the JSON text of an array of public JWKs, validating every key and
/// refusing a repeated `kid`.
#[wasm_bindgen(js_name = createJwks)]
pub fn create_jwks(keys: &str) -> Answer {
    run(|| {
        Jwks::from_jwk_inputs(&jwk_inputs(keys)?)
            .map(|jwks| jwks.to_document())
            .map_err(|e| fail(&e))
    })
}

/// The error for header pairs that are not `[name, value]` pairs of strings.
fn bad_headers() -> Answer {
    fail_with(
        "invalid_type",
        "headers must be [name, value] pairs of strings",
        Some("headers"),
    )
}

/// The JWKs of the JSON text of an array of them, read leniently (see [`JwkInput`]).
fn jwk_inputs(json: &str) -> Result<Vec<JwkInput>, Answer> {
    let value = Json::parse(json).map_err(|e| fail_with("invalid_json", &e.to_string(), None))?;
    JwkInput::read_all(&value, "").map_err(|e| fail(&e))
}

/// A request from its parts; `headers` is the JSON text of `[name, value]` pairs.
fn request(
    method: String,
    url: String,
    headers: &str,
    body: Option<Vec<u8>>,
) -> Result<OwnedHttpRequest, Answer> {
    let Ok(Json::Array(pairs)) = Json::parse(headers) else {
        return Err(bad_headers());
    };
    let headers = pairs
        .iter()
        .map(Json::string_pair)
        .collect::<Option<_>>()
        .ok_or_else(bad_headers)?;
    Ok(OwnedHttpRequest {
        method,
        url,
        headers,
        body,
    })
}

/// Signs a request the Open Payments way at `created` (unix seconds); answers the headers to
/// add as `[name, value]` pairs, in order.
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request_raw(
    key: &SigningKeyHandle,
    method: String,
    url: String,
    headers: &str,
    body: Option<Vec<u8>>,
    created: f64,
) -> Answer {
    run(|| {
        let request = request(method, url, headers, body)?;
        let headers = request
            .with(|r| sign_request(r, &key.inner, seconds(created)))
            .map_err(|e| fail(&e))?;
        Ok(headers
            .to_pairs()
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect::<Vec<_>>())
    })
}

/// Whole seconds from a JS number the facade checked (a non-negative safe integer); anything
/// else saturates rather than wraps.
fn seconds(n: f64) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let s = n.max(0.0) as u64;
    s
}

#[cfg(feature = "js-verify")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Verified {
    key_id: String,
    created: u64,
    components: Vec<String>,
}

/// Verifies a signed request against a key set (JSON text of an array of public JWKs) at `now`
/// (unix seconds); answers what the signature covers.
#[cfg(feature = "js-verify")]
#[wasm_bindgen(js_name = verifyRequest)]
#[allow(clippy::too_many_arguments)]
pub fn verify_request_raw(
    method: String,
    url: String,
    headers: &str,
    body: Option<Vec<u8>>,
    jwks: &str,
    now: f64,
    max_age_seconds: Option<f64>,
    clock_skew_seconds: Option<f64>,
) -> Answer {
    run(|| {
        let request = request(method, url, headers, body)?;
        let jwks = Jwks::from_jwk_inputs(&jwk_inputs(jwks)?).map_err(|e| fail(&e))?;
        let mut options = VerifyOptions::new(seconds(now));
        if let Some(max_age) = max_age_seconds {
            options.max_age_seconds = seconds(max_age);
        }
        if let Some(skew) = clock_skew_seconds {
            options.max_future_seconds = seconds(skew);
        }
        let VerifiedSignature {
            key_id,
            created,
            components,
        } = request
            .with(|r| verify_request(r, &jwks, &options))
            .map_err(|e| fail(&e))?;
        Ok(Verified {
            key_id,
            created,
            components,
        })
    })
}
