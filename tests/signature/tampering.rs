//! Tampering: every rule a verifier enforces has a test that breaks it and expects that rule's
//! error code.

use super::support::*;

fn rejected(req: &Req, jwks: &Jwks) -> String {
    req.verify(jwks, CREATED + 5)
        .expect_err("the tampered request must be rejected")
}

#[test]
fn untouched_signed_request_verifies() {
    let (_, jwks, req) = fixture();
    req.verify(&jwks, CREATED + 5).unwrap();
    let get = Req::new(
        "GET",
        "https://wallet.example/incoming-payments/1",
        &[],
        None,
    );
    let key = PrivateKey::generate("k").unwrap();
    get.signed(&key, CREATED)
        .verify(&Jwks::new(vec![key.public_key()]).unwrap(), CREATED)
        .unwrap();
}

#[test]
fn changed_method_is_a_signature_mismatch() {
    let (_, jwks, mut req) = fixture();
    req.method = "PUT".into();
    assert_eq!(rejected(&req, &jwks), "signature_mismatch");
}

/// RFC 9421 §2.2.1: `@method` is the method as sent, case-sensitive and never normalised, so a
/// signature over `get` does not cover a `GET` request (nor the other way round).
#[test]
fn method_is_compared_case_sensitively() {
    let key = PrivateKey::generate("k").unwrap();
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    let url = "https://wallet.example/incoming-payments/1";
    let lower = Req::new("get", url, &[], None).signed(&key, CREATED);
    lower.verify(&jwks, CREATED).unwrap();
    let base = lower.with(|r| signature_base_for(r, "sig1")).unwrap();
    assert!(base.starts_with("\"@method\": get\n"), "{base}");
    let mut upper = lower.clone();
    upper.method = "GET".into();
    assert_eq!(rejected_at(&upper, &jwks, CREATED), "signature_mismatch");
    let mut upper_signed = Req::new("GET", url, &[], None).signed(&key, CREATED);
    upper_signed.verify(&jwks, CREATED).unwrap();
    upper_signed.method = "Get".into();
    assert_eq!(
        rejected_at(&upper_signed, &jwks, CREATED),
        "signature_mismatch"
    );
    // The fixture's POST, sent as `post`.
    let (_, jwks, mut req) = fixture();
    req.method = "post".into();
    assert_eq!(rejected(&req, &jwks), "signature_mismatch");
}

fn rejected_at(req: &Req, jwks: &Jwks, now: u64) -> String {
    req.verify(jwks, now)
        .expect_err("the request must be rejected")
}

#[test]
fn changed_url_path_or_query_or_host_is_a_signature_mismatch() {
    let (_, jwks, req) = fixture();
    for url in [
        "https://wallet.example/outgoing-payments?x=1",
        "https://wallet.example/incoming-payments?x=2",
        "https://wallet.example/incoming-payments",
        "https://evil.example/incoming-payments?x=1",
        "http://wallet.example/incoming-payments?x=1",
    ] {
        let mut t = req.clone();
        t.url = url.into();
        assert_eq!(rejected(&t, &jwks), "signature_mismatch", "{url}");
    }
}

#[test]
fn changed_authorization_header_is_a_signature_mismatch() {
    let (_, jwks, mut req) = fixture();
    req.set_header("Authorization", "GNAP ANOTHER-TOKEN");
    assert_eq!(rejected(&req, &jwks), "signature_mismatch");
}

#[test]
fn removed_covered_header_is_reported_by_name() {
    let (_, jwks, mut req) = fixture();
    req.headers.retain(|(n, _)| n != "Authorization");
    assert_eq!(rejected(&req, &jwks), "missing_covered_header");
}

#[test]
fn authorization_sent_but_not_covered_is_refused() {
    let key = PrivateKey::generate("key-1").unwrap();
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    let mut req = Req::new("GET", "https://wallet.example/x", &[], None).signed(&key, CREATED);
    req.set_header("Authorization", "GNAP added-later");
    assert_eq!(rejected(&req, &jwks), "missing_covered_component");
}

#[test]
fn body_without_covered_content_digest_is_refused() {
    let key = PrivateKey::generate("key-1").unwrap();
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    let mut req = Req::new("POST", "https://wallet.example/x", &[], None).signed(&key, CREATED);
    req.body = Some(BODY.as_bytes().to_vec());
    assert_eq!(rejected(&req, &jwks), "missing_covered_component");
}

#[test]
fn changed_body_fails_the_digest_and_a_recomputed_digest_fails_the_signature() {
    let (_, jwks, mut req) = fixture();
    req.body = Some(BODY.replace("2500", "9500").into_bytes());
    assert_eq!(rejected(&req, &jwks), "content_digest_mismatch");
    let digest = content_digest(req.body.as_deref().unwrap());
    req.set_header("Content-Digest", &digest);
    assert_eq!(rejected(&req, &jwks), "signature_mismatch");
}

#[test]
fn content_length_must_match_the_body() {
    let (_, jwks, mut req) = fixture();
    req.set_header("Content-Length", "3");
    assert_eq!(rejected(&req, &jwks), "content_length_mismatch");
}

#[test]
fn created_outside_the_window_is_refused() {
    let (_, jwks, req) = fixture();
    assert_eq!(
        req.verify(&jwks, CREATED + 301).unwrap_err(),
        "signature_too_old"
    );
    assert_eq!(
        req.verify(&jwks, CREATED - 61).unwrap_err(),
        "signature_created_in_future"
    );
    req.verify(&jwks, CREATED + 300).unwrap();
    req.verify(&jwks, CREATED - 60).unwrap();
    let mut options = VerifyOptions::new(CREATED + 3600);
    options.max_age_seconds = 7200;
    req.with(|r| verify_request(r, &jwks, &options)).unwrap();
}

#[test]
fn unknown_keyid_and_key_from_another_jwks_are_refused() {
    let (_, jwks, req) = fixture();
    let mut t = req.clone();
    let input = t
        .header("Signature-Input")
        .replace("keyid=\"key-1\"", "keyid=\"key-2\"");
    t.set_header("Signature-Input", &input);
    assert_eq!(rejected(&t, &jwks), "unknown_key_id");
    // Same kid, another key.
    let other = PrivateKey::generate("key-1").unwrap();
    let other_jwks = Jwks::new(vec![other.public_key()]).unwrap();
    assert_eq!(rejected(&req, &other_jwks), "signature_mismatch");
}

#[test]
fn duplicated_labels_and_headers_are_refused() {
    let (_, jwks, req) = fixture();
    let mut t = req.clone();
    let input = t.header("Signature-Input");
    t.set_header("Signature-Input", &format!("{input}, {input}"));
    assert_eq!(rejected(&t, &jwks), "duplicate_signature_label");
    // Two Signature field lines combine into one dictionary with sig1 twice.
    let mut t = req.clone();
    let sig = t.header("Signature");
    t.headers.push(("Signature".into(), sig));
    assert_eq!(rejected(&t, &jwks), "duplicate_signature_label");
}

#[test]
fn malformed_and_missing_structured_fields_are_refused() {
    let (_, jwks, req) = fixture();
    let cases: &[(&str, &str, &str)] = &[
        (
            "Signature-Input",
            "sig1=(\"@method\"",
            "malformed_signature_header",
        ),
        (
            "Signature-Input",
            "sig1=\"@method\";keyid=\"key-1\";created=1700000000",
            "malformed_signature_header",
        ),
        (
            "Signature",
            "sig1=:not base64:",
            "malformed_signature_header",
        ),
        ("Signature", "sig1=:AAAA:", "invalid_signature_value"),
        ("Signature", "sig1=(\"x\")", "invalid_signature_value"),
        ("Signature", "sig2=:AAAA:", "missing_signature_label"),
        (
            "Signature-Input",
            "sig2=(\"@method\");keyid=\"key-1\";created=1700000000",
            "missing_signature_label",
        ),
    ];
    for (header, value, code) in cases {
        let mut t = req.clone();
        t.set_header(header, value);
        assert_eq!(&rejected(&t, &jwks), code, "{header}: {value}");
    }
    let mut t = req.clone();
    t.headers.retain(|(n, _)| n != "Signature");
    assert_eq!(rejected(&t, &jwks), "missing_signature");
    let mut t = req.clone();
    t.headers.retain(|(n, _)| n != "Content-Digest");
    assert_eq!(rejected(&t, &jwks), "missing_content_digest");
}

#[test]
fn signature_input_rules_each_have_their_code() {
    let (_, jwks, req) = fixture();
    let input = req.header("Signature-Input");
    let cases: &[(String, &str)] = &[
        (
            input.replace("\"@method\"", "\"@METHOD\""),
            "invalid_covered_component",
        ),
        (
            input.replace("\"@method\"", "\"@method\";req"),
            "invalid_covered_component",
        ),
        (
            input.replace("\"@method\"", "method"),
            "invalid_covered_component",
        ),
        (
            input.replace("(\"@method\"", "(\"@method\" \"@method\""),
            "duplicate_covered_component",
        ),
        (
            input.replace("\"@method\" ", ""),
            "missing_covered_component",
        ),
        (
            input.replace(" \"content-type\"", ""),
            "missing_covered_component",
        ),
        (
            input.replace(";created=1700000000", ""),
            "missing_signature_parameter",
        ),
        (
            input.replace(";keyid=\"key-1\"", ""),
            "missing_signature_parameter",
        ),
        (
            input.replace("created=1700000000", "created=\"1700000000\""),
            "invalid_signature_parameter",
        ),
        (
            input.replace("created=1700000000", "created=-1"),
            "invalid_signature_parameter",
        ),
        (
            input.replace("keyid=\"key-1\"", "keyid=key1"),
            "invalid_signature_parameter",
        ),
        (
            format!("{input};alg=\"rsa-pss-sha512\""),
            "unsupported_signature_algorithm",
        ),
        (format!("{input};expires=1700000001"), "signature_expired"),
        (
            input.replace("(\"@method\"", "(\"@status\" \"@method\""),
            "unsupported_component",
        ),
        // Parameters changed after signing: the rebuilt base differs.
        (format!("{input};nonce=\"abc\""), "signature_mismatch"),
    ];
    for (value, code) in cases {
        let mut t = req.clone();
        t.set_header("Signature-Input", value);
        assert_eq!(&rejected(&t, &jwks), code, "{value}");
    }
}

#[test]
fn header_values_with_line_breaks_cannot_forge_base_lines() {
    let key = PrivateKey::generate("k").unwrap();
    let req = Req::new(
        "GET",
        "https://a.example/",
        &[("Authorization", "GNAP x\n\"@method\": POST")],
        None,
    );
    let err = req.with(|r| sign_request(r, &key, CREATED)).unwrap_err();
    assert_eq!(err.code(), "invalid_header_value");
    let err = req.with(|r| sign_request(r, &key, u64::MAX)).unwrap_err();
    assert!(err.code() == "invalid_header_value" || err.code() == "invalid_created");
    let ok = Req::new("GET", "https://a.example/", &[], None);
    assert_eq!(
        ok.with(|r| sign_request(r, &key, u64::MAX))
            .unwrap_err()
            .code(),
        "invalid_created"
    );
    let bad_kid = PrivateKey::generate("clé").unwrap();
    assert_eq!(
        ok.with(|r| sign_request(r, &bad_kid, CREATED))
            .unwrap_err()
            .code(),
        "invalid_key_id"
    );
}
