//! Published vectors reproduced byte for byte: RFC 9421 B.2.6, RFC 9530, the Open Payments
//! signing examples and the GNAP interaction hash.

use super::support::*;

const RFC9421: &str = include_str!("../vectors/rfc9421-b26-ed25519.json");
const RFC9530: &str = include_str!("../vectors/rfc9530-content-digest.json");
const OP_EXAMPLES: &str = include_str!("../vectors/op-request-signing-examples.json");
const GNAP_HASH: &str = include_str!("../vectors/gnap-interaction-hash.json");

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
