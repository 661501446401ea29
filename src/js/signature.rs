//! JS exports for request signing: `generateKeyPair`, `loadPrivateKey`, `exportPublicJwk`,
//! `createJwks`, `signRequest`, `verifyRequest`, and the `Request`-object variants
//! `signWebRequest` / `verifyWebRequest`.
//!
//! The private key stays inside wasm memory in a `SigningKey` object; its secret only crosses to
//! JS through `exportPrivateJwk()` / `exportPrivateKeyPem()`. `JSON.stringify(key)` gives the
//! public JWK. Time defaults to `Date.now()`; the core takes it as a number.

use js_sys::{Array, Function, Object, Reflect, Uint8Array, JSON};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{error, from_js, to_js};
use crate::signature::{
    sign_request, verify_request, HttpRequest, JwkInput, Jwks, KeyError, OwnedHttpRequest,
    PrivateKey, VerifiedSignature, VerifyOptions,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_SIGNATURE: &str = r#"
/** A public Ed25519 key as Open Payments publishes it in `jwks.json`. */
export interface PublicJwk {
  kid: string;
  alg: "EdDSA";
  kty: "OKP";
  crv: "Ed25519";
  /** The 32-byte public key, unpadded base64url. */
  x: string;
  use?: "sig";
}

/** A private Ed25519 JWK, including the secret `d`. Treat it like a password. */
export interface PrivateJwk {
  kid: string;
  alg: "EdDSA";
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  /** The 32-byte secret seed, unpadded base64url. */
  d: string;
}

/** A private JWK as accepted by `loadPrivateKey` (`x`, `kid`, `alg`, `use` are checked when present). */
export interface PrivateJwkInput {
  kty: "OKP";
  crv: "Ed25519";
  d: string;
  x?: string;
  kid?: string;
  alg?: "EdDSA";
  use?: "sig";
}

/** A JSON Web Key Set document (`{"keys": [...]}`), as served at `jwks.json`. */
export interface JwksDocument {
  keys: PublicJwk[];
}

/** Header fields: a plain object, `[name, value]` pairs, or a `Headers` object. */
export type HeaderFields = Record<string, string> | Iterable<readonly [string, string]>;

/** A request to sign or verify. The body is the exact bytes sent (a string is sent as UTF-8). */
export interface SignableRequest {
  method: string;
  /** The absolute URL the request is sent to, with its query. */
  url: string;
  headers?: HeaderFields;
  body?: string | Uint8Array | null;
}

/** Options of `signRequest`. */
export interface SignOptions {
  /** Signature creation time in unix seconds; default `Date.now() / 1000`. */
  created?: number;
}

/** The headers to add to a signed request (they replace any of the same name). */
export interface SignatureHeaders {
  "Content-Type"?: "application/json";
  "Content-Length"?: string;
  "Content-Digest"?: string;
  "Signature-Input": string;
  "Signature": string;
}

/** Options of `verifyRequest`. */
export interface VerifyRequestOptions {
  /** The verifier's time in unix seconds; default `Date.now() / 1000`. */
  now?: number;
  /** Largest accepted age of `created`, in seconds; default 300. */
  maxAgeSeconds?: number;
  /** Accepted clock skew for a `created` in the future, in seconds; default 60. */
  clockSkewSeconds?: number;
}

/** What a valid signature vouched for. */
export interface VerifiedSignature {
  keyId: string;
  /** Unix seconds. */
  created: number;
  /** The covered components, in order, e.g. `["@method", "@target-uri", "authorization"]`. */
  components: string[];
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `SignOptions` (declared above): `{ created?: number }`.
    #[wasm_bindgen(typescript_type = "SignOptions")]
    pub type SignOptions;
    /// `VerifyRequestOptions` (declared above).
    #[wasm_bindgen(typescript_type = "VerifyRequestOptions")]
    pub type VerifyRequestOptions;
}

/// An Ed25519 signing key held in wasm memory. Call `free()` (or `using`) to zeroize it early.
/// `Debug` is the core key's: the secret shows as `<redacted>`.
#[wasm_bindgen]
#[derive(Debug)]
pub struct SigningKey {
    inner: PrivateKey,
}

#[wasm_bindgen]
impl SigningKey {
    /// The key id (`kid`; the `keyid` of signatures).
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> String {
        self.inner.key_id().to_owned()
    }

    /// The public JWK (no secret).
    #[wasm_bindgen(js_name = publicJwk, unchecked_return_type = "PublicJwk")]
    pub fn public_jwk(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.public_jwk())
    }

    /// `JSON.stringify(key)` shows the public JWK, never the secret.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "PublicJwk")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        self.public_jwk()
    }

    /// The private JWK including the secret `d`. Only call this to store the key.
    #[wasm_bindgen(js_name = exportPrivateJwk, unchecked_return_type = "PrivateJwk")]
    pub fn export_private_jwk(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.export_private_jwk_including_secret())
    }

    /// The secret as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the official client's format.
    #[wasm_bindgen(js_name = exportPrivateKeyPem)]
    pub fn export_private_key_pem(&self) -> String {
        self.inner.to_pkcs8_pem().as_str().to_owned()
    }
}

/// Generates a fresh Ed25519 key with the given key id (randomness from `crypto.getRandomValues`).
#[wasm_bindgen(js_name = generateKeyPair)]
pub fn generate_key_pair(
    #[wasm_bindgen(js_name = keyId)] key_id: &str,
) -> Result<SigningKey, JsValue> {
    PrivateKey::generate(key_id)
        .map(|inner| SigningKey { inner })
        .map_err(|e| error::to_js(&e))
}

/// Loads a private key from PKCS#8 PEM text or a private JWK (object or JSON text).
#[wasm_bindgen(js_name = loadPrivateKey)]
pub fn load_private_key(
    #[wasm_bindgen(js_name = pemOrJwk, unchecked_param_type = "string | PrivateJwkInput")]
    pem_or_jwk: JsValue,
    #[wasm_bindgen(js_name = keyId)] key_id: &str,
) -> Result<SigningKey, JsValue> {
    // JWK JSON goes through `JSON.parse` and serde-wasm-bindgen, keeping serde_json's parser out
    // of the wasm module.
    let jwk = match pem_or_jwk.as_string() {
        Some(text) if text.trim_start().starts_with('{') => JSON::parse(&text)
            .map_err(|_| error::to_js(&KeyError::InvalidJwk("the text is not JSON".to_owned())))?,
        Some(text) if text.trim_start().starts_with("-----BEGIN") => {
            return PrivateKey::from_pkcs8_pem(&text, key_id)
                .map(|inner| SigningKey { inner })
                .map_err(|e| error::to_js(&e));
        }
        Some(_) => return Err(error::to_js(&KeyError::UnrecognizedKeyFormat)),
        None if pem_or_jwk.is_object() => pem_or_jwk,
        None => {
            return Err(error::with_code(
                "invalid_type",
                "the key must be a PEM string or a JWK object",
                Some("pemOrJwk"),
            ))
        }
    };
    let jwk: JwkInput = from_js(jwk)?;
    PrivateKey::from_jwk_input(&jwk, key_id)
        .map(|inner| SigningKey { inner })
        .map_err(|e| error::to_js(&e))
}

/// The public JWK of a key.
#[wasm_bindgen(js_name = exportPublicJwk, unchecked_return_type = "PublicJwk")]
pub fn export_public_jwk(key: &SigningKey) -> Result<JsValue, JsValue> {
    key.public_jwk()
}

/// A JWKS document from signing keys and/or public JWKs (or a JWKS document), validating every
/// key and refusing a repeated `kid`.
#[wasm_bindgen(js_name = createJwks, unchecked_return_type = "JwksDocument")]
pub fn create_jwks(
    #[wasm_bindgen(unchecked_param_type = "Array<SigningKey | PublicJwk> | JwksDocument")]
    keys: JsValue,
) -> Result<JsValue, JsValue> {
    let jwks = read_jwks(&keys)?;
    to_js(&jwks.to_document())
}

/// Signs a request the Open Payments way and returns the headers to add to it.
#[wasm_bindgen(js_name = signRequest, unchecked_return_type = "SignatureHeaders")]
pub fn sign_request_js(
    #[wasm_bindgen(unchecked_param_type = "SignableRequest")] request: JsValue,
    key: &SigningKey,
    options: Option<SignOptions>,
) -> Result<JsValue, JsValue> {
    let parts = RequestParts::from_js(&request)?;
    let created = match option_number(options.as_deref(), "created")? {
        Some(created) => created,
        None => now_seconds(),
    };
    sign_parts(&parts, key, created)
}

/// Verifies a signed request against a key set; returns what the signature covers, or throws an
/// `OpenPaymentsError` whose `code` names the rule that failed.
#[wasm_bindgen(js_name = verifyRequest, unchecked_return_type = "VerifiedSignature")]
pub fn verify_request_js(
    #[wasm_bindgen(unchecked_param_type = "SignableRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "JwksDocument | PublicJwk[]")] jwks: JsValue,
    options: Option<VerifyRequestOptions>,
) -> Result<JsValue, JsValue> {
    let parts = RequestParts::from_js(&request)?;
    verify_parts(&parts, &jwks, options.as_deref())
}

/// Signs a Web `Request` (its body is read from a clone); resolves to the headers to add.
#[wasm_bindgen(js_name = signWebRequest, unchecked_return_type = "SignatureHeaders")]
pub async fn sign_web_request(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    key: &SigningKey,
    options: Option<SignOptions>,
) -> Result<JsValue, JsValue> {
    let created = match option_number(options.as_deref(), "created")? {
        Some(created) => created,
        None => now_seconds(),
    };
    let parts = RequestParts::from_web_request(&request).await?;
    sign_parts(&parts, key, created)
}

/// Verifies a Web `Request` (its body is read from a clone).
#[wasm_bindgen(js_name = verifyWebRequest, unchecked_return_type = "VerifiedSignature")]
pub async fn verify_web_request(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "JwksDocument | PublicJwk[]")] jwks: JsValue,
    options: Option<VerifyRequestOptions>,
) -> Result<JsValue, JsValue> {
    let parts = RequestParts::from_web_request(&request).await?;
    verify_parts(&parts, &jwks, options.as_deref())
}

// ---------------------------------------------------------------- conversions

/// A request read out of JS values.
/// The request read from JS (a plain object or a Web `Request`).
struct RequestParts(OwnedHttpRequest);

impl RequestParts {
    fn from_js(request: &JsValue) -> Result<Self, JsValue> {
        if !request.is_object() {
            return Err(invalid_type("request", "the request must be an object"));
        }
        let method = string_member(request, "method")?;
        let url = string_member(request, "url")?;
        let headers = read_headers(&get(request, "headers")?)?;
        let body = read_body(&get(request, "body")?)?;
        Ok(Self(OwnedHttpRequest {
            method,
            url,
            headers,
            body,
        }))
    }

    async fn from_web_request(request: &JsValue) -> Result<Self, JsValue> {
        let method = string_member(request, "method")?;
        let url = string_member(request, "url")?;
        let headers = read_headers(&get(request, "headers")?)?;
        let has_body = !get(request, "body")?.is_null() && !get(request, "body")?.is_undefined();
        let body = if has_body {
            let copy = call_method(request, "clone", &[])?;
            let promise = call_method(&copy, "arrayBuffer", &[])?;
            let buffer = JsFuture::from(js_sys::Promise::resolve(&promise)).await?;
            Some(Uint8Array::new(&buffer).to_vec())
        } else {
            None
        };
        Ok(Self(OwnedHttpRequest {
            method,
            url,
            headers,
            body,
        }))
    }

    fn with<R>(&self, f: impl FnOnce(&HttpRequest<'_>) -> R) -> R {
        self.0.with(f)
    }
}

fn sign_parts(parts: &RequestParts, key: &SigningKey, created: u64) -> Result<JsValue, JsValue> {
    let headers = parts
        .with(|r| sign_request(r, &key.inner, created))
        .map_err(|e| error::to_js(&e))?;
    let out = Object::new();
    for (name, value) in headers.to_pairs() {
        Reflect::set(&out, &JsValue::from_str(name), &JsValue::from_str(value))?;
    }
    Ok(out.into())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifiedJs {
    key_id: String,
    created: u64,
    components: Vec<String>,
}

fn verify_parts(
    parts: &RequestParts,
    jwks: &JsValue,
    options: Option<&JsValue>,
) -> Result<JsValue, JsValue> {
    let jwks = read_jwks(jwks)?;
    let mut verify_options = VerifyOptions::new(match option_number(options, "now")? {
        Some(now) => now,
        None => now_seconds(),
    });
    if let Some(max_age) = option_number(options, "maxAgeSeconds")? {
        verify_options.max_age_seconds = max_age;
    }
    if let Some(skew) = option_number(options, "clockSkewSeconds")? {
        verify_options.max_future_seconds = skew;
    }
    let VerifiedSignature {
        key_id,
        created,
        components,
    } = parts
        .with(|r| verify_request(r, &jwks, &verify_options))
        .map_err(|e| error::to_js(&e))?;
    to_js(&VerifiedJs {
        key_id,
        created,
        components,
    })
}

/// Reads a JWKS from a document, an array of public JWKs, or an array of `SigningKey`s (through
/// their `toJSON`, which is the public JWK).
fn read_jwks(value: &JsValue) -> Result<Jwks, JsValue> {
    let array = if Array::is_array(value) {
        Array::from(value)
    } else if value.is_object() {
        let keys = get(value, "keys")?;
        if !Array::is_array(&keys) {
            return Err(error::with_code(
                "missing_field",
                "the JWKS has no `keys` array",
                Some("keys"),
            ));
        }
        Array::from(&keys)
    } else {
        return Err(invalid_type(
            "jwks",
            "the key set must be a JWKS document or an array of keys",
        ));
    };
    let mut inputs: Vec<JwkInput> = Vec::new();
    for item in array.iter() {
        let to_json = get(&item, "toJSON")?;
        let item = match to_json.dyn_ref::<Function>() {
            Some(f) => f.call0(&item)?,
            None => item,
        };
        inputs.push(from_js(item)?);
    }
    Jwks::from_jwk_inputs(&inputs).map_err(|e| error::to_js(&e))
}

fn read_headers(value: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !value.is_object() {
        return Err(invalid_type(
            "headers",
            "headers must be an object, pairs or Headers",
        ));
    }
    let entries: Vec<JsValue> = match js_sys::try_iter(value)? {
        Some(iter) => iter.collect::<Result<_, _>>()?,
        None => Object::entries(value.unchecked_ref()).iter().collect(),
    };
    entries
        .iter()
        .map(|pair| {
            let name = Reflect::get_u32(pair, 0)?.as_string();
            let value = Reflect::get_u32(pair, 1)?.as_string();
            match (name, value) {
                (Some(n), Some(v)) => Ok((n, v)),
                _ => Err(invalid_type(
                    "headers",
                    "header names and values must be strings",
                )),
            }
        })
        .collect()
}

fn read_body(value: &JsValue) -> Result<Option<Vec<u8>>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else if let Some(text) = value.as_string() {
        Ok(Some(text.into_bytes()))
    } else if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        Ok(Some(bytes.to_vec()))
    } else {
        Err(invalid_type(
            "body",
            "the body must be a string or a Uint8Array",
        ))
    }
}

fn get(target: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
}

fn string_member(target: &JsValue, name: &'static str) -> Result<String, JsValue> {
    get(target, name)?
        .as_string()
        .ok_or_else(|| invalid_type(name, &format!("`{name}` must be a string")))
}

fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(target, name)?
        .dyn_into()
        .map_err(|_| invalid_type("request", &format!("the request has no {name}() method")))?;
    function.apply(target, &args.iter().collect::<Array>())
}

/// A non-negative whole number of seconds from an options object, if given.
fn option_number(options: Option<&JsValue>, name: &'static str) -> Result<Option<u64>, JsValue> {
    let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(None);
    };
    let value = get(options, name)?;
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n)
            if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 =>
        {
            // Exact: a safe integer converts to u64 without loss.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(Some(n as u64))
        }
        _ => Err(error::with_code(
            "invalid_value",
            &format!("`{name}` must be a non-negative whole number of seconds"),
            Some(name),
        )),
    }
}

fn now_seconds() -> u64 {
    let millis = js_sys::Date::now();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let seconds = (millis / 1000.0).floor().max(0.0) as u64;
    seconds
}

fn invalid_type(field: &str, message: &str) -> JsValue {
    error::with_code("invalid_type", message, Some(field))
}
