//! Keys and request signatures as the facade calls them: the request as plain parts (method,
//! URL, header pairs as JSON text, body bytes), answers as JSON text or `!` + the error JSON.

use wasm_bindgen_test::wasm_bindgen_test;

use super::answer::{error, ok};
use open_payments_wasm::js::signature::{
    create_jwks, generate_key, load_key_text, sign_request_raw, verify_request_raw,
    SigningKeyHandle,
};
use serde_json::{json, Value};

const RFC_PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";
const CREATED: u64 = 1_700_000_000;

/// A request as the facade passes it.
#[derive(Clone)]
struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

fn request() -> Request {
    Request {
        method: "POST".to_owned(),
        url: "https://wallet.example/incoming-payments?x=1".to_owned(),
        headers: vec![("Authorization".to_owned(), "GNAP token-1".to_owned())],
        body: Some(
            "{\"walletAddress\":\"https://wallet.example/alice\",\"note\":\"café\"}"
                .as_bytes()
                .to_vec(),
        ),
    }
}

fn headers_json(headers: &[(String, String)]) -> String {
    serde_json::to_string(headers).unwrap()
}

fn code(err: &Value) -> &str {
    err["code"].as_str().unwrap()
}

/// The JSON text of an array of the public JWKs of `keys`.
fn jwks(keys: &[&SigningKeyHandle]) -> String {
    let list: Vec<Value> = keys.iter().map(|k| ok(&k.public_jwk())).collect();
    serde_json::to_string(&list).unwrap()
}

/// Signs `request` at `created`; the headers to add, in order.
fn sign(request: &Request, key: &SigningKeyHandle, created: u64) -> Vec<(String, String)> {
    #[allow(clippy::cast_precision_loss)]
    let created = created as f64;
    let answer = sign_request_raw(
        key,
        request.method.clone(),
        request.url.clone(),
        &headers_json(&request.headers),
        request.body.clone(),
        created,
    );
    serde_json::from_value(ok(&answer)).unwrap()
}

/// Verifies `request` against `jwks` at `now`; the answer.
fn verify(request: &Request, jwks: &str, now: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let now = now as f64;
    verify_request_raw(
        request.method.clone(),
        request.url.clone(),
        &headers_json(&request.headers),
        request.body.clone(),
        jwks,
        now,
        None,
        None,
    )
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The request as received: its headers plus the signature headers.
fn with_headers(request: &Request, added: &[(String, String)]) -> Request {
    let mut out = request.clone();
    out.headers.extend_from_slice(added);
    out
}

/// The current time in unix seconds, as the facade computes it when no time is given.
fn now_seconds() -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let now = (js_sys::Date::now() / 1000.0).floor() as u64;
    now
}

#[wasm_bindgen_test]
fn sign_then_verify_round_trips() {
    let key = generate_key("key-1").unwrap();
    let jwks = ok(&create_jwks(&jwks(&[&key])));
    let keys = serde_json::to_string(&jwks["keys"]).unwrap();
    let added = sign(&request(), &key, CREATED);
    assert_eq!(header(&added, "Content-Type"), Some("application/json"));
    assert!(header(&added, "Signature-Input").unwrap().starts_with(
        "sig1=(\"@method\" \"@target-uri\" \"authorization\" \"content-digest\" \"content-length\" \"content-type\");keyid=\"key-1\";created=1700000000"
    ));
    let verified = ok(&verify(
        &with_headers(&request(), &added),
        &keys,
        CREATED + 1,
    ));
    assert_eq!(verified["keyId"].as_str(), Some("key-1"));
    assert_eq!(verified["created"].as_u64(), Some(1_700_000_000));
}

#[wasm_bindgen_test]
fn signed_now_verifies_now() {
    let key = generate_key("key-1").unwrap();
    let jwks = jwks(&[&key]);
    let added = sign(&request(), &key, now_seconds());
    ok(&verify(
        &with_headers(&request(), &added),
        &jwks,
        now_seconds(),
    ));
}

#[wasm_bindgen_test]
fn tampered_requests_are_rejected_with_their_code() {
    let key = generate_key("key-1").unwrap();
    let jwks = jwks(&[&key]);
    let added = sign(&request(), &key, CREATED);
    let signed = with_headers(&request(), &added);

    let mut tampered = signed.clone();
    tampered.method = "PUT".to_owned();
    let err = error(&verify(&tampered, &jwks, CREATED));
    assert_eq!(code(&err), "signature_mismatch");

    let mut tampered = signed.clone();
    tampered.body = Some(b"{}".to_vec());
    let err = error(&verify(&tampered, &jwks, CREATED));
    assert_eq!(code(&err), "content_digest_mismatch");

    let err = error(&verify(&signed, &jwks, CREATED + 3600));
    assert_eq!(code(&err), "signature_too_old");
    assert_eq!(err["field"].as_str(), Some("created"));

    let other = generate_key("key-1").unwrap();
    let err = error(&verify(&signed, &self::jwks(&[&other]), CREATED));
    assert_eq!(code(&err), "signature_mismatch");

    let err = error(&verify(&request(), &jwks, CREATED));
    assert_eq!(code(&err), "missing_signature");
}

#[wasm_bindgen_test]
fn key_import_and_export_round_trip() {
    let key = load_key_text(RFC_PEM, "test-key-ed25519").unwrap();
    assert_eq!(key.key_id(), "test-key-ed25519");
    assert_eq!(key.export_private_key_pem(), RFC_PEM);
    let public = ok(&key.public_jwk());
    assert_eq!(
        public["x"].as_str(),
        Some("JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs")
    );
    assert!(public.get("d").is_none(), "{public}");
    let private_jwk = key.export_private_jwk();
    assert!(private_jwk.contains("\"d\":\"n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU\""));
    let again = load_key_text(&private_jwk, "test-key-ed25519").unwrap();
    assert_eq!(again.export_private_key_pem(), RFC_PEM);
    let again_public = again.public_jwk();
    assert!(!again_public.contains("\"d\""), "{again_public}");
    assert!(again_public.contains("\"kty\":\"OKP\""), "{again_public}");

    let err = load_key_text(
        "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----",
        "k",
    )
    .unwrap_err();
    let err: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(code(&err), "unsupported_pem_type");
    let wrong_curve = json!({"kty": "OKP", "crv": "X25519", "d": "AA"}).to_string();
    let err: Value = serde_json::from_str(&load_key_text(&wrong_curve, "k").unwrap_err()).unwrap();
    assert_eq!(code(&err), "wrong_curve");
}
