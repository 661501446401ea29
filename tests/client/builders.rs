//! The request builders: method, URL, headers, body and signature of every operation.

use super::support::*;

#[test]
fn wallet_address_requests_are_plain_unsigned_gets() {
    let call = req::get_wallet_address(WALLET, opts()).unwrap();
    assert_eq!(call.request.method, Method::Get);
    assert_eq!(call.request.url, WALLET);
    assert_eq!(call.request.header("accept"), Some("application/json"));
    assert!(call.request.header("signature").is_none());
    assert!(call.request.body.is_none());
    let keys = req::get_wallet_address_keys(WALLET, opts()).unwrap();
    assert_eq!(keys.request.url, "https://wallet.example/alice/jwks.json");
    let did = req::get_did_document(WALLET, opts()).unwrap();
    assert_eq!(did.request.url, "https://wallet.example/alice/did.json");
    let wa = call.parse(&response(200, WALLET_DOC)).unwrap();
    assert_eq!(wa.auth_server, AS);
}

#[test]
fn use_http_rewrites_https_urls() {
    let call = req::get_wallet_address(WALLET, UrlOptions { use_http: true }).unwrap();
    assert_eq!(call.request.url, "http://wallet.example/alice");
}

#[test]
fn grant_request_is_a_signed_compact_json_post_without_token() {
    let key = key();
    let body = GrantRequest {
        access_token: Some(AccessTokenRequest {
            access: vec![AccessItem::IncomingPayment {
                actions: vec![AccessAction::Create, AccessAction::Read],
                identifier: None,
            }],
        }),
        client: Client::WalletAddress {
            wallet_address: "https://client.example/app".into(),
        },
        interact: None,
        subject: None,
    };
    let call = req::request_grant(AS, &body, signer(&key), opts()).unwrap();
    let r = &call.request;
    assert_eq!((r.method, r.url.as_str()), (Method::Post, AS));
    assert!(r.header("authorization").is_none());
    assert_eq!(
        std::str::from_utf8(r.body.as_deref().unwrap()).unwrap(),
        r#"{"access_token":{"access":[{"type":"incoming-payment","actions":["create","read"]}]},"client":{"walletAddress":"https://client.example/app"}}"#
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("content-digest").unwrap().starts_with("sha-512=:"));
    assert_eq!(
        verify(r, &key),
        [
            "@method",
            "@target-uri",
            "content-digest",
            "content-length",
            "content-type"
        ]
    );
}

#[test]
fn grant_request_with_both_limit_amounts_is_refused_before_sending() {
    let key = key();
    let body = GrantRequest {
        access_token: Some(AccessTokenRequest {
            access: vec![AccessItem::OutgoingPayment {
                actions: vec![AccessAction::Create],
                identifier: WALLET.into(),
                limits: Some(LimitsOutgoing {
                    receiver: None,
                    interval: None,
                    debit_amount: Some(amount(1).usd()),
                    receive_amount: Some(amount(1).usd()),
                }),
            }],
        }),
        client: Client::Deprecated(WALLET.into()),
        interact: None,
        subject: None,
    };
    let err = req::request_grant(AS, &body, signer(&key), opts()).unwrap_err();
    assert_eq!(err.code(), "conflicting_fields");
}

#[test]
fn grant_responses_parse_as_pending_or_approved() {
    let key = key();
    let body = GrantRequest {
        access_token: Some(AccessTokenRequest {
            access: vec![AccessItem::Quote {
                actions: vec![AccessAction::Create],
            }],
        }),
        client: Client::Deprecated(WALLET.into()),
        interact: None,
        subject: None,
    };
    let call = req::request_grant(AS, &body, signer(&key), opts()).unwrap();
    let pending = call.parse(&response(200, r#"{"interact":{"redirect":"https://auth.example/4CF492MLVMSW9MKMXKHQ","finish":"4105340a-05eb-4290-8739-f9e2b463bfa7"},"continue":{"access_token":{"value":"33OMUKMKSKU80UPRY5NM"},"uri":"https://auth.example/continue/4CF492MLVMSW9MKMXKHQ","wait":30}}"#)).unwrap();
    assert!(matches!(pending, GrantResponse::Pending(_)));
    let approved = call.parse(&response(200, r#"{"access_token":{"value":"OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0","manage":"https://auth.example/token/dd17a202","expires_in":3600,"access":[{"type":"incoming-payment","actions":["create","read"],"identifier":"https://wallet.example/bob"}]},"continue":{"access_token":{"value":"33OMUKMKSKU80UPRY5NM"},"uri":"https://auth.example/continue/4CF492MLVMSW9MKMXKHQ"}}"#)).unwrap();
    assert!(matches!(approved, GrantResponse::Approved(_)));
}

#[test]
fn continue_carries_the_continuation_token_and_interact_ref() {
    let key = key();
    let uri = "https://auth.example/continue/4CF4";
    let body = ContinuationRequest {
        interact_ref: Some("ref-1".into()),
    };
    let call = req::continue_grant(uri, "ctoken", &body, signer(&key), opts()).unwrap();
    assert_eq!(call.request.header("authorization"), Some("GNAP ctoken"));
    assert_eq!(
        call.request.body.as_deref(),
        Some(&br#"{"interact_ref":"ref-1"}"#[..])
    );
    assert_eq!(
        verify(&call.request, &key),
        [
            "@method",
            "@target-uri",
            "authorization",
            "content-digest",
            "content-length",
            "content-type"
        ]
    );
    // Polling: no body at all.
    let poll = req::continue_grant(
        uri,
        "ctoken",
        &ContinuationRequest::default(),
        signer(&key),
        opts(),
    )
    .unwrap();
    assert!(poll.request.body.is_none());
    assert_eq!(
        verify(&poll.request, &key),
        ["@method", "@target-uri", "authorization"]
    );
    // A continuation-only answer is a grant without access token.
    let grant = call
        .parse(&response(200, r#"{"continue":{"access_token":{"value":"c"},"uri":"https://auth.example/continue/4CF4","wait":5}}"#))
        .unwrap();
    assert!(grant.access_token.is_none());
}

#[test]
fn cancel_revoke_and_rotate_are_signed_with_the_right_methods() {
    let key = key();
    let cancel =
        req::cancel_grant("https://auth.example/continue/x", "c", signer(&key), opts()).unwrap();
    assert_eq!(cancel.request.method, Method::Delete);
    assert_eq!(
        verify(&cancel.request, &key),
        ["@method", "@target-uri", "authorization"]
    );
    cancel.parse(&response(204, "")).unwrap();
    let revoke =
        req::revoke_token("https://auth.example/token/t", TOKEN, signer(&key), opts()).unwrap();
    assert_eq!(revoke.request.method, Method::Delete);
    revoke.parse(&response(204, "")).unwrap();
    let rotate =
        req::rotate_token("https://auth.example/token/t", TOKEN, signer(&key), opts()).unwrap();
    assert_eq!(rotate.request.method, Method::Post);
    assert!(rotate.request.body.is_none());
    let rotated = rotate.parse(&response(200, r#"{"access_token":{"value":"NEW","manage":"https://auth.example/token/u","access":[{"type":"quote","actions":["create"]}]}}"#)).unwrap();
    assert_eq!(rotated.access_token.value, "NEW");
}

#[test]
fn incoming_payment_operations() {
    let key = key();
    let body = CreateIncomingPaymentRequest {
        wallet_address: WALLET.into(),
        incoming_amount: Some(amount(2500).usd()),
        expires_at: None,
        metadata: None,
    };
    let create = req::create_incoming_payment(RS, TOKEN, &body, signer(&key), opts()).unwrap();
    assert_eq!(
        create.request.url,
        "https://wallet.example/op/incoming-payments"
    );
    assert_eq!(
        create.request.body.as_deref().unwrap(),
        br#"{"walletAddress":"https://wallet.example/alice","incomingAmount":{"value":"2500","assetCode":"USD","assetScale":2}}"#
    );
    verify(&create.request, &key);
    let created = create.parse(&response(201, INCOMING)).unwrap();
    assert_eq!(created.methods.len(), 1);

    let get = req::get_incoming_payment(&created.id, TOKEN, signer(&key), opts()).unwrap();
    assert_eq!(
        verify(&get.request, &key),
        ["@method", "@target-uri", "authorization"]
    );
    get.parse(&response(200, INCOMING)).unwrap();

    let public = req::get_public_incoming_payment(&created.id, opts()).unwrap();
    assert!(public.request.header("authorization").is_none());
    assert!(public.request.header("signature").is_none());
    let p = public
        .parse(&response(200, r#"{"receivedAmount":{"value":"0","assetCode":"USD","assetScale":2},"authServer":"https://auth.example"}"#))
        .unwrap();
    assert_eq!(p.auth_server, "https://auth.example");

    let complete =
        req::complete_incoming_payment(&created.id, TOKEN, signer(&key), opts()).unwrap();
    assert_eq!(complete.request.url, format!("{}/complete", created.id));
    assert!(complete.request.body.is_none());
    verify(&complete.request, &key);
}

#[test]
fn list_queries_carry_wallet_address_and_pagination() {
    let key = key();
    let pagination = Pagination {
        first: Some(10),
        last: None,
        cursor: Some("abc".into()),
    };
    let list =
        req::list_incoming_payments(RS, TOKEN, WALLET, &pagination, signer(&key), opts()).unwrap();
    assert_eq!(
        list.request.url,
        "https://wallet.example/op/incoming-payments?wallet-address=https%3A%2F%2Fwallet.example%2Falice&first=10&cursor=abc"
    );
    verify(&list.request, &key);
    let page = list
        .parse(&response(200, r#"{"pagination":{"startCursor":"a","endCursor":"b","hasNextPage":true,"hasPreviousPage":false},"result":[]}"#))
        .unwrap();
    assert!(page.pagination.has_next_page);
    let both = Pagination {
        first: Some(1),
        last: Some(1),
        cursor: None,
    };
    let err =
        req::list_outgoing_payments(RS, TOKEN, WALLET, &both, signer(&key), opts()).unwrap_err();
    assert_eq!(err.code(), "conflicting_fields");
    let big = Pagination {
        first: Some(101),
        ..Pagination::default()
    };
    let err =
        req::list_outgoing_payments(RS, TOKEN, WALLET, &big, signer(&key), opts()).unwrap_err();
    assert_eq!(err.code(), "invalid_value");
}

#[test]
fn quote_and_outgoing_payment_operations() {
    let key = key();
    let q = CreateQuoteRequest::FixedSend {
        wallet_address: WALLET.into(),
        receiver: "https://bob.example/op/incoming-payments/i1".into(),
        method: PaymentMethod::Ilp,
        debit_amount: amount(2600).usd(),
    };
    let create = req::create_quote(RS, TOKEN, &q, signer(&key), opts()).unwrap();
    assert_eq!(create.request.url, "https://wallet.example/op/quotes");
    assert_eq!(
        create.request.body.as_deref().unwrap(),
        br#"{"walletAddress":"https://wallet.example/alice","receiver":"https://bob.example/op/incoming-payments/i1","method":"ilp","debitAmount":{"value":"2600","assetCode":"USD","assetScale":2}}"#
    );
    let quote = create.parse(&response(201, QUOTE)).unwrap();
    req::get_quote(&quote.id, TOKEN, signer(&key), opts())
        .unwrap()
        .parse(&response(200, QUOTE))
        .unwrap();

    let body = CreateOutgoingPaymentRequest::FromQuote {
        wallet_address: WALLET.into(),
        quote_id: quote.id.clone(),
        metadata: None,
    };
    let op = req::create_outgoing_payment(RS, TOKEN, &body, signer(&key), opts()).unwrap();
    assert_eq!(
        op.request.url,
        "https://wallet.example/op/outgoing-payments"
    );
    verify(&op.request, &key);
    let created = op
        .parse(&response(201, &outgoing("o1", &quote.id)))
        .unwrap();
    assert_eq!(created.quote_id.as_deref(), Some(quote.id.as_str()));

    let spent = req::get_grant_spent_amounts(RS, TOKEN, signer(&key), opts()).unwrap();
    assert_eq!(
        spent.request.url,
        "https://wallet.example/op/outgoing-payment-grant"
    );
    let s = spent
        .parse(&response(200, r#"{"spentDebitAmount":{"value":"2600","assetCode":"USD","assetScale":2},"spentReceiveAmount":null}"#))
        .unwrap();
    assert!(s.spent_receive_amount.is_none());
}
