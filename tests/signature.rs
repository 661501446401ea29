//! Request signing against published vectors (RFC 9421 B.2.6, RFC 9530, the Open Payments
//! examples, the GNAP interaction hash) and against tampering: every rule of RFC 9421 and the Open Payments signing profile that
//! a verifier enforces has a test that breaks it and expects that rule's error code.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use open_payments_wasm::signature::{
    content_digest, interaction_hash, prepare_signature, sign_request, signature_base_for,
    verify_content_digest, verify_interaction_hash, verify_request, Jwks, OwnedHttpRequest,
    PrivateKey, VerifyOptions,
};
use open_payments_wasm::ErrorCode;
use serde_json::Value;

const RFC9421: &str = include_str!("vectors/rfc9421-b26-ed25519.json");
const RFC9530: &str = include_str!("vectors/rfc9530-content-digest.json");
const OP_EXAMPLES: &str = include_str!("vectors/op-request-signing-examples.json");
const GNAP_HASH: &str = include_str!("vectors/gnap-interaction-hash.json");

const CREATED: u64 = 1_700_000_000;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn rfc_key() -> PrivateKey {
    let v = json(RFC9421);
    PrivateKey::from_pkcs8_pem(
        v["key"]["private_key_pem_pkcs8"].as_str().unwrap(),
        "test-key-ed25519",
    )
    .unwrap()
}

/// A request that owns its parts, so tests can change any of them.
#[derive(Clone, Debug)]
struct Req(OwnedHttpRequest);

impl std::ops::Deref for Req {
    type Target = OwnedHttpRequest;
    fn deref(&self) -> &OwnedHttpRequest {
        &self.0
    }
}

impl std::ops::DerefMut for Req {
    fn deref_mut(&mut self) -> &mut OwnedHttpRequest {
        &mut self.0
    }
}

impl Req {
    fn new(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Self {
        Self(OwnedHttpRequest {
            method: method.into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).into(), (*v).into()))
                .collect(),
            body: body.map(|b| b.as_bytes().to_vec()),
        })
    }

    /// The request with the signature headers added (replacing any of the same name).
    fn signed(&self, key: &PrivateKey, created: u64) -> Self {
        let headers = self.with(|r| sign_request(r, key, created)).unwrap();
        let mut out = self.clone();
        for (name, value) in headers.to_pairs() {
            out.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            out.headers.push((name.into(), value.into()));
        }
        out
    }

    fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap()
            .1
            .clone()
    }

    fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
    }

    fn verify(&self, jwks: &Jwks, now: u64) -> Result<(), String> {
        self.with(|r| verify_request(r, jwks, &VerifyOptions::new(now)))
            .map(|_| ())
            .map_err(|e| e.code().to_owned())
    }
}

// ---------------------------------------------------------------- vectors

#[test]
fn rfc9421_b26_signature_base_and_signature_are_reproduced_byte_for_byte() {
    let v = json(RFC9421);
    let key = rfc_key();
    assert_eq!(key.public_jwk().x, v["key"]["jwk_private"]["x"]);
    let r = &v["request"];
    let url = format!(
        "https://{}{}{}",
        r["authority"].as_str().unwrap(),
        r["path"].as_str().unwrap(),
        r["query"].as_str().unwrap()
    );
    let mut headers: Vec<(String, String)> = r["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    headers.push((
        "Signature-Input".into(),
        v["expected_headers"]["Signature-Input"]
            .as_str()
            .unwrap()
            .into(),
    ));
    headers.push((
        "Signature".into(),
        v["expected_headers"]["Signature"].as_str().unwrap().into(),
    ));
    let req = Req(OwnedHttpRequest {
        method: "POST".into(),
        url,
        headers,
        body: Some(r["body"].as_str().unwrap().as_bytes().to_vec()),
    });
    let base = req.with(|r| signature_base_for(r, "sig-b26")).unwrap();
    assert_eq!(base, v["signature_base"].as_str().unwrap());
    assert_eq!(base.len(), 284);
    let signature = key.sign(base.as_bytes());
    use base64::Engine;
    assert_eq!(
        base64::engine::general_purpose::STANDARD.encode(signature),
        v["signature_base64"].as_str().unwrap()
    );
    // And the generic verifier accepts it (the RFC example is not an Open Payments request).
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    let mut options = VerifyOptions::new(1_618_884_473);
    options.label = "sig-b26".into();
    options.require_open_payments_components = false;
    let verified = req.with(|r| verify_request(r, &jwks, &options)).unwrap();
    assert_eq!(verified.key_id, "test-key-ed25519");
    // With the Open Payments rules on, the same request is refused for the rule it breaks.
    options.require_open_payments_components = true;
    let err = req
        .with(|r| verify_request(r, &jwks, &options))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.field().as_deref()),
        ("missing_covered_component", Some("@target-uri"))
    );
}

#[test]
fn open_payments_signing_examples_are_reproduced_and_verify() {
    let v = json(OP_EXAMPLES);
    let key = rfc_key();
    let jwks = Jwks::from_json(&format!(r#"{{"keys":[{}]}}"#, v["key"]["jwk_public"])).unwrap();
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let r = &case["request"];
        let all: Vec<(String, String)> = r["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        // The caller supplies only Authorization; the signer adds the content headers.
        let supplied: Vec<(&str, &str)> = all
            .iter()
            .filter(|(n, _)| n == "Authorization")
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let req = Req::new(
            r["method"].as_str().unwrap(),
            r["url"].as_str().unwrap(),
            &supplied,
            r["body"].as_str(),
        );
        let prepared = req
            .with(|r| prepare_signature(r, "test-key-ed25519", CREATED))
            .unwrap();
        assert_eq!(
            prepared.signature_base,
            case["signature_base"].as_str().unwrap(),
            "{name}"
        );
        let signed = req.signed(&key, CREATED);
        for (header, expected) in case["expected"]
            .as_object()
            .unwrap()
            .iter()
            .chain(r["headers"].as_object().unwrap())
        {
            assert_eq!(
                signed.header(header),
                expected.as_str().unwrap(),
                "{name}: {header}"
            );
        }
        signed
            .verify(&jwks, CREATED + 1)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn rfc9530_examples_create_sha512_and_verify_both_algorithms() {
    let v = json(RFC9530);
    for case in v["cases"].as_array().unwrap() {
        let body = case["body"].as_str().unwrap().as_bytes();
        let digests = case["content_digest"].as_object().unwrap();
        if let Some(sha512) = digests.get("sha-512") {
            assert_eq!(content_digest(body), sha512.as_str().unwrap());
        }
        for value in digests.values() {
            verify_content_digest(value.as_str().unwrap(), body).unwrap();
            let err = verify_content_digest(value.as_str().unwrap(), b"tampered").unwrap_err();
            assert_eq!(err.code(), "content_digest_mismatch");
        }
        let both: Vec<&str> = digests.values().map(|d| d.as_str().unwrap()).collect();
        verify_content_digest(&both.join(", "), body).unwrap();
    }
    assert_eq!(
        verify_content_digest("md5=:AAAA:", b"").unwrap_err().code(),
        "unsupported_digest_algorithm"
    );
    assert_eq!(
        verify_content_digest("sha-512=abc", b"")
            .unwrap_err()
            .code(),
        "invalid_content_digest"
    );
    assert_eq!(
        verify_content_digest("sha-512=:AA==:, sha-512=:AA==:", b"")
            .unwrap_err()
            .code(),
        "invalid_content_digest"
    );
}

#[test]
fn gnap_interaction_hash_matches_both_encodings_of_the_vector() {
    let v = json(GNAP_HASH);
    let i = &v["inputs"];
    let args = [
        &i["client_nonce"],
        &i["finish_nonce"],
        &i["interact_ref"],
        &i["grant_endpoint_url"],
    ]
    .map(|x| x.as_str().unwrap());
    let [a, b, c, d] = args;
    let e = &v["expected"];
    assert_eq!(
        interaction_hash(a, b, c, d),
        e["standard_base64_padded_as_emitted_by_rafiki"]
            .as_str()
            .unwrap()
    );
    for accepted in [
        e["standard_base64_padded_as_emitted_by_rafiki"]
            .as_str()
            .unwrap(),
        e["base64url_no_padding_as_in_docs_and_gnap_example"]
            .as_str()
            .unwrap(),
        "x+gguKWTj8rQf7d7i3w3UhzvuJ5bpOlKyAlVpLxBffY",
    ] {
        verify_interaction_hash(a, b, c, d, accepted).unwrap();
    }
    let err = verify_interaction_hash(
        a,
        b,
        c,
        "https://server.example.com/tx/",
        e["base64url_no_padding_as_in_docs_and_gnap_example"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(err.unwrap_err().code(), "interaction_hash_mismatch");
    assert_eq!(
        verify_interaction_hash(a, b, c, d, "not base64!")
            .unwrap_err()
            .code(),
        "invalid_interaction_hash"
    );
    assert_eq!(
        verify_interaction_hash(a, b, c, d, "AAAA")
            .unwrap_err()
            .code(),
        "invalid_interaction_hash"
    );
}

// ---------------------------------------------------------------- tampering

const BODY: &str = r#"{"walletAddress":"https://wallet.example/alice","incomingAmount":{"value":"2500","assetCode":"USD","assetScale":2},"metadata":{"note":"café ☕"}}"#;

fn fixture() -> (PrivateKey, Jwks, Req) {
    let key = PrivateKey::generate("key-1").unwrap();
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    let req = Req::new(
        "POST",
        "https://wallet.example/incoming-payments?x=1",
        &[
            (
                "Authorization",
                "GNAP OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0",
            ),
            ("Accept", "application/json"),
        ],
        Some(BODY),
    )
    .signed(&key, CREATED);
    (key, jwks, req)
}

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

mod parser_properties {
    use super::*;
    use proptest::prelude::*;

    fn mutate(text: &str, at: usize, insert: char, delete: bool) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        let at = at % (chars.len() + 1);
        if delete && at < chars.len() {
            chars.remove(at);
        } else {
            chars.insert(at, insert);
        }
        chars.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn arbitrary_signature_headers_never_panic_and_never_verify(input in "\\PC{0,120}", sig in "\\PC{0,120}") {
            let (_, jwks, mut req) = fixture();
            req.set_header("Signature-Input", &input);
            req.set_header("Signature", &sig);
            prop_assert!(req.verify(&jwks, CREATED).is_err());
        }

        #[test]
        fn one_character_edits_of_valid_headers_never_panic(
            which in 0usize..4, at in 0usize..300, insert in any::<char>(), delete in any::<bool>()
        ) {
            let (_, jwks, mut req) = fixture();
            let name = ["Signature-Input", "Signature", "Content-Digest", "Authorization"][which];
            let value = mutate(&req.header(name), at, insert, delete);
            let changed = value != req.header(name);
            req.set_header(name, &value);
            let result = req.verify(&jwks, CREATED);
            // An edit may only verify if the structured field still means the same thing
            // (e.g. optional whitespace after a comma); otherwise it must be a typed error.
            if let Ok(()) = result {
                prop_assert!(changed);
            }
        }

        #[test]
        fn content_digest_parser_never_panics(header in "\\PC{0,200}", body in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = verify_content_digest(&header, &body);
        }
    }
}
