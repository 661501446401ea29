//! The async client's calls: redacted logs, keys, external signing, continuing after interaction.

use super::support::*;

#[test]
fn logger_never_sees_tokens_or_keys() {
    let t = Scripted::default();
    t.push(Ok(response(200, QUOTE)));
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = Rc::clone(&seen);
    let config = ClientConfig::new(Box::new(FakeRuntime::default()))
        .with_key(key(), "https://client.example/app")
        .with_logger(Box::new(move |e: &LogEvent| {
            sink.borrow_mut().push(format!("{e:?}"))
        }));
    let c = OpenPaymentsClient::new(t.clone(), config);
    block_on(c.get_quote("https://wallet.example/op/quotes/q1", TOKEN)).unwrap();
    let logs = seen.borrow().join("\n");
    assert!(
        logs.contains("kind: Request") && logs.contains("kind: Response"),
        "{logs}"
    );
    assert!(logs.contains("GNAP [redacted]"), "{logs}");
    assert!(!logs.contains(TOKEN), "{logs}");
    let pem = key().to_pkcs8_pem();
    let secret_line = pem.lines().nth(1).unwrap();
    assert!(!logs.contains(secret_line));
    // The request's own Debug is redacted too.
    assert!(!format!("{:?}", t.sent.borrow()[0]).contains(TOKEN));
    assert!(!format!("{:?}", c.config()).contains(secret_line));
}

#[test]
fn operations_needing_a_key_fail_without_one() {
    let t = Scripted::default();
    let c = OpenPaymentsClient::new(
        t.clone(),
        ClientConfig::new(Box::new(FakeRuntime::default())),
    );
    let err = block_on(c.get_quote("https://wallet.example/op/quotes/q1", TOKEN)).unwrap_err();
    assert_eq!(err.code(), "no_signing_key");
    assert!(t.sent().is_empty());
}

#[test]
fn external_signing_leaves_signing_to_the_transport() {
    let t = Scripted::default();
    let c = OpenPaymentsClient::new(
        t.clone(),
        ClientConfig::new(Box::new(FakeRuntime::default()))
            .with_external_signing("https://client.example/app"),
    );
    assert_eq!(
        serde_json::to_value(c.client_identity().unwrap()).unwrap(),
        serde_json::json!({ "walletAddress": "https://client.example/app" })
    );
    let err = block_on(c.get_quote("https://wallet.example/op/quotes/q1", TOKEN)).unwrap_err();
    // The script has no answer: what matters is what was handed to the transport.
    assert_eq!(err.code(), "network_error");
    let sent = t.sent.borrow();
    let request = sent.first().unwrap();
    let names: Vec<&str> = request.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Accept", "Authorization"], "token, no signature");
    drop(sent);
    t.sent.borrow_mut().clear();
    let body = CreateQuoteRequest::FixedSend {
        wallet_address: WALLET.to_owned(),
        receiver: "https://wallet.example/op/incoming-payments/ip1".to_owned(),
        method: PaymentMethod::Ilp,
        debit_amount: amount(500).usd(),
    };
    let _ = block_on(c.create_quote("https://wallet.example/op", TOKEN, &body));
    let sent = t.sent.borrow();
    let names: Vec<&str> = sent[0].headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["Accept", "Authorization", "Content-Type", "Content-Length"],
        "a complete unsigned POST: the transport adds the signature over it"
    );
}

#[test]
fn transport_signature_leaves_only_the_ed25519_signature_to_the_transport() {
    let body = CreateQuoteRequest::FixedSend {
        wallet_address: WALLET.to_owned(),
        receiver: "https://wallet.example/op/incoming-payments/ip1".to_owned(),
        method: PaymentMethod::Ilp,
        debit_amount: amount(500).usd(),
    };
    // The same calls through a client that signs with the key, and one whose transport signs.
    let signed_here = Scripted::default();
    let c = client(&signed_here);
    let _ = block_on(c.get_quote("https://wallet.example/op/quotes/q1", TOKEN));
    let _ = block_on(c.create_quote("https://wallet.example/op", TOKEN, &body));
    let _ = block_on(c.get_wallet_address(WALLET));
    let t = Scripted::default();
    let c = OpenPaymentsClient::new(
        t.clone(),
        ClientConfig::new(Box::new(FakeRuntime::default()))
            .with_transport_signature("test-key", "https://client.example/app"),
    );
    assert_eq!(
        serde_json::to_value(c.client_identity().unwrap()).unwrap(),
        serde_json::json!({ "walletAddress": "https://client.example/app" })
    );
    let _ = block_on(c.get_quote("https://wallet.example/op/quotes/q1", TOKEN));
    let _ = block_on(c.create_quote("https://wallet.example/op", TOKEN, &body));
    let _ = block_on(c.get_wallet_address(WALLET));
    let expected = signed_here.sent.borrow();
    let mut sent = t.sent.borrow_mut();
    // The script has no answers: the GETs are retried, alike in both clients.
    assert_eq!(sent.len(), expected.len());
    assert!(sent.iter().any(|r| r.method == Method::Post));
    for (request, expected) in sent.iter_mut().zip(expected.iter()) {
        if !request.must_be_signed() {
            assert_eq!(
                request.signature_base, None,
                "unsigned requests have nothing to sign"
            );
            assert_eq!(request, expected);
            continue;
        }
        let base = request.signature_base.clone().unwrap();
        assert!(request.header("signature").is_none());
        assert!(request.header("signature-input").is_some());
        // Debug shows that a base is there, never the token it contains.
        assert!(!format!("{request:?}").contains(TOKEN));
        request.add_signature(&key().sign(base.as_bytes()));
        assert_eq!(request.signature_base, None);
        assert_eq!(request, expected, "signed as the client signs with the key");
        assert_eq!(verify(request, &key()), verify(expected, &key()));
    }
}

#[test]
fn continuing_after_interaction_checks_the_hash_first() {
    let t = Scripted::default();
    let c = client(&t);
    let check = InteractFinishCheck {
        client_nonce: "n",
        finish_nonce: "f",
        interact_ref: "r",
        grant_endpoint: AS,
        hash: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    };
    let err = block_on(c.continue_grant_after_interaction(
        "https://auth.example/continue/x",
        "c",
        &check,
    ))
    .unwrap_err();
    assert_eq!(err.code(), "interaction_hash_mismatch");
    assert!(
        t.sent().is_empty(),
        "nothing is sent when the hash is wrong"
    );
}
