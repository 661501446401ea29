//! Who may call: unsigned requests, unregistered keys, tampered, stale, future and misaddressed
//! signatures, and replayed payment creations; each refused without changing the ledger.

use super::*;

#[test]
fn unsigned_resource_request_is_401_with_www_authenticate_and_changes_nothing() {
    let mut s = Sbx::new();
    let ip = s.incoming(Some(amount("2500", "USD", 2)));
    let q = s.quote(&ip, json!({}));
    let token = token_of(&s.outgoing_grant("shopper", None));
    let before = s.snapshot();
    let url = format!("{}/outgoing-payments", rs("bank-b"));
    let bytes =
        serde_json::to_vec(&json!({ "walletAddress": wallet("shopper"), "quoteId": q })).unwrap();
    let auth_header = format!("GNAP {token}");
    let r = s.state.handle(&request(
        "POST",
        &url,
        &[
            ("Authorization", auth_header.as_str()),
            ("Content-Type", "application/json"),
        ],
        &bytes,
    ));
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert_eq!(
        header(&r, "www-authenticate"),
        Some(format!("GNAP as_uri={}", auth("bank-b")).as_str())
    );
    // Unsigned reads are refused the same way.
    let r = s.state.handle(&request(
        "GET",
        &format!("{}/outgoing-payment-grant", rs("bank-b")),
        &[("Authorization", auth_header.as_str())],
        b"",
    ));
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(header(&r, "www-authenticate").is_some());
    // Without any token: 401 too, also with the header.
    let r = s.state.handle(&request("POST", &url, &[], &bytes));
    assert_eq!((r.status, code(&r)), (401, "unauthorized".to_owned()));
    assert!(header(&r, "www-authenticate").is_some());
    assert_eq!(s.snapshot(), before);
    // The quote is still usable by a properly signed request.
    assert_eq!(s.pay(&token, &q).status, 201);
}

#[test]
fn grant_request_signed_by_an_unregistered_key_is_refused() {
    let mut s = Sbx::new();
    let grant = json!({
        "access_token": { "access": [{ "type": "quote", "actions": ["create"] }] },
        "client": { "walletAddress": wallet("shop") }
    });
    let before = s.snapshot();
    let tokens = s.state.tokens.len();
    // Same kid as the registered key, another secret.
    let impostor = PrivateKey::generate("shop-key").unwrap();
    // A kid the wallet does not list at all.
    let unknown = PrivateKey::generate("other-key").unwrap();
    for key in [&impostor, &unknown] {
        let r = signed_by(
            &mut s.state,
            key,
            "POST",
            &auth("bank-a"),
            None,
            Some(&grant),
        );
        assert_eq!(
            (r.status, code(&r)),
            (401, "invalid_client".to_owned()),
            "{:?}",
            body(&r)
        );
    }
    // The registered key of another wallet does not sign for shop either.
    let alice_key = PrivateKey::generate("alice-key").unwrap();
    let jwk = serde_json::to_value(alice_key.public_jwk()).unwrap();
    assert_eq!(s.dev_post("wallets/alice/keys", jwk).status, 201);
    let before_alice = s.snapshot();
    let r = signed_by(
        &mut s.state,
        &alice_key,
        "POST",
        &auth("bank-a"),
        None,
        Some(&grant),
    );
    assert_eq!((r.status, code(&r)), (401, "invalid_client".to_owned()));
    assert_eq!(s.snapshot(), before_alice);
    assert_eq!(s.snapshot().grants, before.grants);
    assert_eq!(s.state.tokens.len(), tokens);
    // The registered key is accepted.
    let r = s.signed("POST", &auth("bank-a"), None, grant);
    assert_eq!(r.status, 200, "{:?}", body(&r));
}

#[test]
fn tampered_stale_future_and_misaddressed_signatures_are_401_and_change_nothing() {
    let mut s = Sbx::new();
    let (_, q, token) = s.payable_quote();
    let url = format!("{}/outgoing-payments", rs("bank-b"));
    let bytes =
        serde_json::to_vec(&json!({ "walletAddress": wallet("shopper"), "quoteId": q })).unwrap();
    let now = s.state.now();
    let before = s.snapshot();
    let description = |r: &Reply| {
        body(r)["error"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // Older than signatureMaxAgeSeconds (300), and from the future.
    let r = s.state.handle(&signed_req(
        &s.key,
        "POST",
        &url,
        Some(&token),
        &bytes,
        now - 1000,
    ));
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(
        description(&r).contains("signature_too_old"),
        "{:?}",
        body(&r)
    );
    let r = s.state.handle(&signed_req(
        &s.key,
        "POST",
        &url,
        Some(&token),
        &bytes,
        now + 1000,
    ));
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    // The body changed after signing: Content-Digest no longer matches.
    let mut req = signed_req(&s.key, "POST", &url, Some(&token), &bytes, now);
    req.body.push(b' ');
    let r = s.state.handle(&req);
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    // Addressed to another host than the one signed for (@target-uri differs).
    let mut req = signed_req(&s.key, "POST", &url, Some(&token), &bytes, now);
    for (name, value) in &mut req.headers {
        if name == "host" {
            *value = "localhost:4000".to_owned();
        }
    }
    let r = s.state.handle(&req);
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    // Another method than the one signed (a list request replayed from a signed create).
    let mut req = signed_req(&s.key, "POST", &url, Some(&token), &bytes, now);
    req.method = "GET".to_owned();
    let r = s.state.handle(&req);
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert_eq!(s.snapshot(), before);
    // Signed right, it goes through.
    let r = s
        .state
        .handle(&signed_req(&s.key, "POST", &url, Some(&token), &bytes, now));
    assert_eq!(r.status, 201, "{:?}", body(&r));
}

#[test]
fn replayed_payment_is_refused_and_the_replay_memory_stays_bounded() {
    let mut s = Sbx::new();
    let (_, q, token) = s.payable_quote();
    let url = format!("{}/outgoing-payments", rs("bank-b"));
    let bytes =
        serde_json::to_vec(&json!({ "walletAddress": wallet("shopper"), "quoteId": q })).unwrap();
    let req = signed_req(&s.key, "POST", &url, Some(&token), &bytes, s.state.now());
    assert_eq!(s.state.handle(&req).status, 201);
    assert_eq!(s.state.seen_signatures.len(), 1);
    let description = |r: &Reply| {
        body(r)["error"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let before = s.snapshot();
    let r = s.state.handle(&req);
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(description(&r).starts_with("signature_replayed:"), "{r:?}");
    assert_eq!(s.snapshot(), before);
    // Once the signature is older than signatureMaxAgeSeconds it cannot verify any more, and
    // the sandbox forgets it.
    s.advance(301);
    let r = s.state.handle(&req);
    assert!(description(&r).contains("signature_too_old"), "{r:?}");
    let (_, q2, token2) = s.payable_quote();
    assert_eq!(s.pay(&token2, &q2).status, 201);
    assert_eq!(s.state.seen_signatures.len(), 1);
    // Never more than MAX_REMEMBERED_SIGNATURES: the entry expiring first makes room.
    let limit = crate::sandbox::state::MAX_REMEMBERED_SIGNATURES;
    let far = s.state.now() + 1_000_000;
    for i in 1..limit {
        s.state
            .seen_signatures
            .insert(format!("fake-{i}").into_bytes(), far);
    }
    assert_eq!(s.state.seen_signatures.len(), limit);
    let (_, q3, token3) = s.payable_quote();
    assert_eq!(s.pay(&token3, &q3).status, 201);
    assert_eq!(s.state.seen_signatures.len(), limit);
    assert_eq!(
        s.state
            .seen_signatures
            .values()
            .filter(|until| **until < far)
            .count(),
        1,
        "the newest signature is remembered, the one expiring first was dropped"
    );
}
