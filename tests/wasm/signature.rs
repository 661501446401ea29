use wasm_bindgen_test::wasm_bindgen_test;

use js_sys::{Object, Reflect, JSON};
use open_payments_wasm::js::signature::{
    create_jwks, export_public_jwk, generate_key_pair, load_private_key, sign_request_js,
    verify_request_js, SignOptions, VerifyRequestOptions,
};
use wasm_bindgen::{JsCast, JsValue};

const RFC_PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";
const CREATED: u64 = 1_700_000_000;

fn parse(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap()
}

fn code(err: &JsValue) -> String {
    get(err, "code").as_string().unwrap()
}

fn sign_options(created: u64) -> Option<SignOptions> {
    Some(parse(&format!(r#"{{"created":{created}}}"#)).unchecked_into())
}

fn verify_options(now: u64) -> Option<VerifyRequestOptions> {
    Some(parse(&format!(r#"{{"now":{now}}}"#)).unchecked_into())
}

fn request() -> JsValue {
    parse(
        r#"{"method":"POST","url":"https://wallet.example/incoming-payments?x=1",
            "headers":{"Authorization":"GNAP token-1"},
            "body":"{\"walletAddress\":\"https://wallet.example/alice\",\"note\":\"café\"}"}"#,
    )
}

/// The request as received: its headers plus the signature headers.
fn with_headers(request: &JsValue, added: &JsValue) -> JsValue {
    let headers = Object::assign(&Object::new(), get(request, "headers").unchecked_ref());
    let headers = Object::assign(&headers, added.unchecked_ref());
    let out = Object::assign(&Object::new(), request.unchecked_ref());
    Reflect::set(&out, &JsValue::from_str("headers"), &headers).unwrap();
    out.into()
}

#[wasm_bindgen_test]
fn sign_then_verify_round_trips() {
    let key = generate_key_pair("key-1").unwrap();
    let jwks = create_jwks(js_sys::Array::of1(&export_public_jwk(&key).unwrap()).into()).unwrap();
    let added = sign_request_js(request(), &key, sign_options(CREATED)).unwrap();
    assert_eq!(
        get(&added, "Content-Type").as_string().unwrap(),
        "application/json"
    );
    assert!(get(&added, "Signature-Input").as_string().unwrap().starts_with(
        "sig1=(\"@method\" \"@target-uri\" \"authorization\" \"content-digest\" \"content-length\" \"content-type\");keyid=\"key-1\";created=1700000000"
    ));
    let verified = verify_request_js(
        with_headers(&request(), &added),
        jwks,
        verify_options(CREATED + 1),
    )
    .unwrap();
    assert_eq!(get(&verified, "keyId").as_string().unwrap(), "key-1");
    assert_eq!(get(&verified, "created").as_f64().unwrap(), 1_700_000_000.0);
}

#[wasm_bindgen_test]
fn default_time_is_now_and_verifies_now() {
    let key = generate_key_pair("key-1").unwrap();
    let jwks: JsValue = js_sys::Array::of1(&export_public_jwk(&key).unwrap()).into();
    let added = sign_request_js(request(), &key, None).unwrap();
    verify_request_js(with_headers(&request(), &added), jwks, None).unwrap();
}

#[wasm_bindgen_test]
fn tampered_requests_are_rejected_with_their_code() {
    let key = generate_key_pair("key-1").unwrap();
    let jwks: JsValue = js_sys::Array::of1(&export_public_jwk(&key).unwrap()).into();
    let added = sign_request_js(request(), &key, sign_options(CREATED)).unwrap();
    let signed = with_headers(&request(), &added);

    let tampered = Object::assign(&Object::new(), signed.unchecked_ref());
    Reflect::set(
        &tampered,
        &JsValue::from_str("method"),
        &JsValue::from_str("PUT"),
    )
    .unwrap();
    let err =
        verify_request_js(tampered.into(), jwks.clone(), verify_options(CREATED)).unwrap_err();
    assert_eq!(code(&err), "signature_mismatch");
    assert!(err.is_instance_of::<js_sys::Error>());

    let tampered = Object::assign(&Object::new(), signed.unchecked_ref());
    Reflect::set(
        &tampered,
        &JsValue::from_str("body"),
        &JsValue::from_str("{}"),
    )
    .unwrap();
    let err =
        verify_request_js(tampered.into(), jwks.clone(), verify_options(CREATED)).unwrap_err();
    assert_eq!(code(&err), "content_digest_mismatch");

    let err = verify_request_js(signed.clone(), jwks.clone(), verify_options(CREATED + 3600))
        .unwrap_err();
    assert_eq!(code(&err), "signature_too_old");
    assert_eq!(get(&err, "field").as_string().unwrap(), "created");

    let other = generate_key_pair("key-1").unwrap();
    let other_jwks: JsValue = js_sys::Array::of1(&export_public_jwk(&other).unwrap()).into();
    let err = verify_request_js(signed, other_jwks, verify_options(CREATED)).unwrap_err();
    assert_eq!(code(&err), "signature_mismatch");

    let err = verify_request_js(request(), jwks, verify_options(CREATED)).unwrap_err();
    assert_eq!(code(&err), "missing_signature");
}

#[wasm_bindgen_test]
fn key_import_and_export_round_trip() {
    let key = load_private_key(JsValue::from_str(RFC_PEM), "test-key-ed25519").unwrap();
    assert_eq!(key.key_id(), "test-key-ed25519");
    assert_eq!(key.export_private_key_pem(), RFC_PEM);
    let public = export_public_jwk(&key).unwrap();
    assert_eq!(
        get(&public, "x").as_string().unwrap(),
        "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"
    );
    assert!(get(&public, "d").is_undefined());
    // JSON.stringify(key) is the public JWK only.
    let text = JSON::stringify(&key.export_private_jwk().unwrap())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(text.contains("\"d\":\"n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU\""));
    let private_jwk = key.export_private_jwk().unwrap();
    let again = load_private_key(private_jwk, "test-key-ed25519").unwrap();
    assert_eq!(again.export_private_key_pem(), RFC_PEM);
    let key_json = JSON::stringify(&JsValue::from(again))
        .unwrap()
        .as_string()
        .unwrap();
    assert!(!key_json.contains("\"d\""), "{key_json}");
    assert!(key_json.contains("\"kty\":\"OKP\""), "{key_json}");

    let err = load_private_key(
        JsValue::from_str("-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----"),
        "k",
    )
    .unwrap_err();
    assert_eq!(code(&err), "unsupported_pem_type");
    let err = load_private_key(parse(r#"{"kty":"OKP","crv":"X25519","d":"AA"}"#), "k").unwrap_err();
    assert_eq!(code(&err), "wrong_curve");
    let err = load_private_key(JsValue::from_f64(1.0), "k").unwrap_err();
    assert_eq!(code(&err), "invalid_type");
}
