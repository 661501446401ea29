//! The client core natively: every request builder (method, URL, headers, body, signature) and
//! response parser against canned responses, and the async client over a scripted transport
//! (retries, no retried POSTs, reconciliation of outgoing payments, redacted logs).
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use open_payments_wasm::client::request::{self as req};
use open_payments_wasm::client::*;
use open_payments_wasm::resources::*;
use open_payments_wasm::signature::{self, interaction_hash, Jwks, PrivateKey, VerifyOptions};
use open_payments_wasm::ErrorCode;

const NOW: u64 = 1_700_000_000;
const WALLET: &str = "https://wallet.example/alice";
const RS: &str = "https://wallet.example/op";
const AS: &str = "https://auth.wallet.example/";
const TOKEN: &str = "OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0";

fn key() -> PrivateKey {
    PrivateKey::from_seed("test-key", &[7u8; 32]).unwrap()
}

fn signer(key: &PrivateKey) -> Option<Signer<'_>> {
    Some(Signer { key, created: NOW })
}

fn opts() -> UrlOptions {
    UrlOptions::default()
}

/// Verifies a built request the way a server would: signature, digest, covered components.
fn verify(request: &HttpRequest, key: &PrivateKey) -> Vec<String> {
    let pairs: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut r = signature::HttpRequest::new(request.method.as_str(), &request.url, &pairs);
    if let Some(body) = &request.body {
        r = r.with_body(body);
    }
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    signature::verify_request(&r, &jwks, &VerifyOptions::new(NOW + 1))
        .unwrap()
        .components
}

fn amount(value: u64) -> amount_json::A {
    amount_json::A(value)
}

mod amount_json {
    pub struct A(pub u64);
    impl A {
        pub fn usd(&self) -> open_payments_wasm::Amount {
            open_payments_wasm::Amount::new(self.0, "USD", 2).unwrap()
        }
    }
}

fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    }
}

const WALLET_DOC: &str = r#"{"id":"https://wallet.example/alice","publicName":"Alice","assetCode":"USD","assetScale":2,"authServer":"https://auth.wallet.example/","resourceServer":"https://wallet.example/op"}"#;
const INCOMING: &str = r#"{"id":"https://wallet.example/op/incoming-payments/08394f02-7b7b-45e2-b645-51d04e7c330c","walletAddress":"https://wallet.example/alice","incomingAmount":{"value":"2500","assetCode":"USD","assetScale":2},"receivedAmount":{"value":"0","assetCode":"USD","assetScale":2},"completed":false,"expiresAt":"2022-02-03T23:20:50.52Z","metadata":{"externalRef":"INV2022-02-0137"},"createdAt":"2022-03-12T23:20:50.52Z","methods":[{"type":"ilp","ilpAddress":"g.ilp.iwuyge987y.98y08y","sharedSecret":"1c7eaXa4rd2fFOBl1iydvCT1tV5TbM3RW1WLCafu_JA"}]}"#;
const QUOTE: &str = r#"{"id":"https://wallet.example/op/quotes/q1","walletAddress":"https://wallet.example/alice","receiver":"https://bob.example/op/incoming-payments/i1","receiveAmount":{"value":"2500","assetCode":"USD","assetScale":2},"debitAmount":{"value":"2600","assetCode":"USD","assetScale":2},"method":"ilp","createdAt":"2022-03-12T23:20:50.52Z","expiresAt":"2022-03-12T23:25:50.52Z"}"#;

fn outgoing(id: &str, quote: &str) -> String {
    format!(
        r#"{{"id":"https://wallet.example/op/outgoing-payments/{id}","walletAddress":"https://wallet.example/alice","quoteId":"{quote}","failed":false,"receiver":"https://bob.example/op/incoming-payments/i1","receiveAmount":{{"value":"2500","assetCode":"USD","assetScale":2}},"debitAmount":{{"value":"2600","assetCode":"USD","assetScale":2}},"sentAmount":{{"value":"2500","assetCode":"USD","assetScale":2}},"createdAt":"2022-03-12T23:20:50.52Z"}}"#
    )
}

// ------------------------------------------------------------------ builders

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

// ------------------------------------------------------------------ parsers: errors

#[test]
fn error_responses_carry_status_server_code_description_and_body() {
    let call =
        req::get_public_incoming_payment("https://rs.example/incoming-payments/x", opts()).unwrap();
    let err = call
        .parse(&response(
            404,
            r#"{"error":{"code":"404","description":"Not Found","details":{"id":"x"}}}"#,
        ))
        .unwrap_err();
    // The server's code verbatim, as the official client's `err.code`; ours by status in `reason`.
    assert_eq!(err.code(), "404");
    assert_eq!(err.reason(), "not_found");
    match &err {
        ClientError::Http {
            method,
            url,
            status,
            server_code,
            description,
            details,
            body,
        } => {
            assert_eq!(
                details.as_ref().and_then(|d| d.get("id")),
                Some(&serde_json::json!("x"))
            );
            assert_eq!(
                (method.as_str(), url.as_str(), *status),
                ("GET", "https://rs.example/incoming-payments/x", 404)
            );
            assert_eq!(server_code.as_deref(), Some("404"));
            assert_eq!(description.as_deref(), Some("Not Found"));
            assert!(body.as_deref().unwrap().contains("Not Found"));
        }
        other => panic!("{other:?}"),
    }
    // GNAP error without description: the server's code is the error's code, whether or not it
    // is one of the spec's (as the official client's `err.code`); `reason` says the status.
    let err = call
        .parse(&response(400, r#"{"error":{"code":"too_fast"}}"#))
        .unwrap_err();
    assert_eq!(err.code(), "too_fast");
    assert!(
        matches!(&err, ClientError::Http { server_code: Some(c), description: None, .. } if c == "too_fast")
    );
    let err = call
        .parse(&response(400, r#"{"error":{"code":"slow_down"}}"#))
        .unwrap_err();
    assert_eq!((err.code(), err.reason()), ("slow_down", "bad_request"));
    assert!(matches!(&err, ClientError::Http { server_code: Some(c), .. } if c == "slow_down"));
    // 500 without a body.
    let err = call.parse(&response(500, "")).unwrap_err();
    assert_eq!(err.code(), "server_error");
    assert!(matches!(
        &err,
        ClientError::Http {
            body: None,
            server_code: None,
            ..
        }
    ));
    assert_eq!(
        call.parse(&response(401, "")).unwrap_err().code(),
        "unauthorized"
    );
    assert_eq!(
        call.parse(&response(403, "")).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        call.parse(&response(418, "")).unwrap_err().code(),
        "http_error"
    );
}

#[test]
fn a_success_status_with_a_bad_body_is_an_invalid_response_naming_the_field() {
    let call = req::get_wallet_address(WALLET, opts()).unwrap();
    let err = call
        .parse(&response(200, r#"{"id":"x","assetCode":"USD","assetScale":300,"authServer":"a","resourceServer":"r"}"#))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_response");
    assert_eq!(err.field().as_deref(), Some("assetScale"));
    assert_eq!(
        call.parse(&response(200, "not json")).unwrap_err().code(),
        "invalid_response"
    );
}

// ------------------------------------------------------------------ interaction

#[test]
fn interact_block_has_a_fresh_nonce_and_the_finish_hash_is_checked() {
    let runtime = FakeRuntime::default();
    let a = new_nonce(&runtime).unwrap();
    let b = new_nonce(&runtime).unwrap();
    assert_eq!(a.len(), 32);
    assert_ne!(a, b);
    let interact = interact_request("https://app.example/return", &a);
    assert_eq!(
        serde_json::to_string(&interact).unwrap(),
        format!(
            r#"{{"start":["redirect"],"finish":{{"method":"redirect","uri":"https://app.example/return","nonce":"{a}"}}}}"#
        )
    );
    let hash = interaction_hash(&a, "finish", "ref", AS);
    let mut check = InteractFinishCheck {
        client_nonce: &a,
        finish_nonce: "finish",
        interact_ref: "ref",
        grant_endpoint: AS,
        hash: &hash,
    };
    verify_interact_finish(&check).unwrap();
    check.interact_ref = "other";
    assert_eq!(
        verify_interact_finish(&check).unwrap_err().code(),
        "interaction_hash_mismatch"
    );
}

// ------------------------------------------------------------------ the async client

#[derive(Default)]
struct FakeRuntime {
    sleeps: RefCell<Vec<u64>>,
    counter: RefCell<u8>,
}

impl Runtime for FakeRuntime {
    fn now_unix_seconds(&self) -> u64 {
        NOW
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        self.sleeps.borrow_mut().push(ms);
        Box::pin(async {})
    }
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
        let mut c = self.counter.borrow_mut();
        *c += 1;
        buf.fill(*c);
        Ok(())
    }
}

/// Answers from a script and records what was sent.
#[derive(Default, Clone)]
struct Scripted {
    answers: Rc<RefCell<VecDeque<Result<HttpResponse, TransportError>>>>,
    sent: Rc<RefCell<Vec<HttpRequest>>>,
}

impl Scripted {
    fn push(&self, answer: Result<HttpResponse, TransportError>) -> &Self {
        self.answers.borrow_mut().push_back(answer);
        self
    }
    fn sent(&self) -> Vec<(Method, String)> {
        self.sent
            .borrow()
            .iter()
            .map(|r| (r.method, r.url.clone()))
            .collect()
    }
}

impl Transport for Scripted {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.borrow_mut().push(request);
        let answer = self
            .answers
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(TransportError::Network("script exhausted".into())));
        Box::pin(async move { answer })
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

fn client(transport: &Scripted) -> OpenPaymentsClient<Scripted> {
    OpenPaymentsClient::new(
        transport.clone(),
        ClientConfig::new(Box::new(FakeRuntime::default()))
            .with_key(key(), "https://client.example/app"),
    )
}

#[test]
fn gets_are_retried_after_network_errors_and_5xx_with_growing_waits() {
    let t = Scripted::default();
    t.push(Err(TransportError::Network("reset".into())))
        .push(Ok(response(503, "")))
        .push(Ok(response(200, WALLET_DOC)));
    let c = client(&t);
    let wa = block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(wa.id, WALLET);
    assert_eq!(t.sent().len(), 3);
    assert_eq!(RetryPolicy::default().delay_ms(1), 100);
    assert_eq!(RetryPolicy::default().delay_ms(2), 200);
    assert_eq!(RetryPolicy::default().delay_ms(30), 2000);
}

#[test]
fn get_retries_are_bounded() {
    let t = Scripted::default();
    for _ in 0..5 {
        t.push(Ok(response(502, "")));
    }
    let err = block_on(client(&t).get_wallet_address(WALLET)).unwrap_err();
    assert_eq!(err.code(), "server_error");
    assert_eq!(t.sent().len(), 3, "one attempt and two retries");
}

#[test]
fn gets_are_not_retried_after_4xx_or_abort() {
    let t = Scripted::default();
    t.push(Ok(response(404, "")));
    assert_eq!(
        block_on(client(&t).get_wallet_address(WALLET))
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(t.sent().len(), 1);
    let t = Scripted::default();
    t.push(Err(TransportError::Aborted));
    assert_eq!(
        block_on(client(&t).get_wallet_address(WALLET))
            .unwrap_err()
            .code(),
        "aborted"
    );
    assert_eq!(t.sent().len(), 1);
}

#[test]
fn posts_are_never_retried_blindly() {
    let t = Scripted::default();
    t.push(Err(TransportError::Timeout(1000)));
    let q = CreateQuoteRequest::IncomingAmount {
        wallet_address: WALLET.into(),
        receiver: "https://bob.example/op/incoming-payments/i1".into(),
        method: PaymentMethod::Ilp,
    };
    let err = block_on(client(&t).create_quote(RS, TOKEN, &q)).unwrap_err();
    assert_eq!(err.code(), "timeout");
    assert_eq!(t.sent().len(), 1);
    let t = Scripted::default();
    t.push(Ok(response(503, "")));
    let err = block_on(client(&t).create_quote(RS, TOKEN, &q)).unwrap_err();
    assert_eq!(err.code(), "server_error");
    assert_eq!(t.sent().len(), 1);
}

fn from_quote() -> CreateOutgoingPaymentRequest {
    CreateOutgoingPaymentRequest::FromQuote {
        wallet_address: WALLET.into(),
        quote_id: "https://wallet.example/op/quotes/q1".into(),
        metadata: None,
    }
}

#[test]
fn outgoing_payment_after_a_dropped_connection_is_found_not_created_twice() {
    let t = Scripted::default();
    t.push(Err(TransportError::Network("connection reset".into())))
        .push(Ok(response(
            200,
            &format!(
                r#"{{"pagination":{{"endCursor":"o2","hasNextPage":true,"hasPreviousPage":false}},"result":[{}]}}"#,
                outgoing("o2", "https://wallet.example/op/quotes/other")
            ),
        )))
        .push(Ok(response(
            200,
            &format!(
                r#"{{"pagination":{{"hasNextPage":false,"hasPreviousPage":true}},"result":[{}]}}"#,
                outgoing("o1", "https://wallet.example/op/quotes/q1")
            ),
        )));
    let payment = block_on(client(&t).create_outgoing_payment(RS, TOKEN, &from_quote())).unwrap();
    assert_eq!(payment.id, "https://wallet.example/op/outgoing-payments/o1");
    let sent = t.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent.iter().filter(|(m, _)| *m == Method::Post).count(), 1);
    assert!(sent[2].1.contains("cursor=o2"));
}

fn outgoing_page(cursor: Option<&str>, next: bool, prev: bool, ids: &[&str]) -> HttpResponse {
    let items: Vec<String> = ids.iter().map(|id| outgoing(id, "q")).collect();
    let cursors = cursor.map_or(String::new(), |c| {
        format!(r#""startCursor":"{c}","endCursor":"{c}","#)
    });
    response(
        200,
        &format!(
            r#"{{"pagination":{{{cursors}"hasNextPage":{next},"hasPreviousPage":{prev}}},"result":[{}]}}"#,
            items.join(",")
        ),
    )
}

/// A transport answering three pages of outgoing payments o1, o2, o3 (cursors o1, o2).
fn three_pages() -> Scripted {
    let t = Scripted::default();
    t.push(Ok(outgoing_page(Some("o1"), true, false, &["o1"])))
        .push(Ok(outgoing_page(Some("o2"), true, true, &["o2"])))
        .push(Ok(outgoing_page(None, false, true, &["o3"])));
    t
}

/// A transport whose second page repeats the first page's cursor.
fn repeated_cursor() -> Scripted {
    let t = Scripted::default();
    t.push(Ok(outgoing_page(Some("o1"), true, false, &["o1"])))
        .push(Ok(outgoing_page(Some("o1"), true, true, &["o1"])));
    t
}

const ONE_PER_PAGE: Pagination = Pagination {
    first: Some(1),
    last: None,
    cursor: None,
};

#[test]
fn list_all_follows_cursors_forward_and_backward_and_refuses_a_loop() {
    let t = three_pages();
    let all =
        block_on(client(&t).list_all::<OutgoingPayment>(RS, TOKEN, WALLET, &ONE_PER_PAGE)).unwrap();
    let ids: Vec<&str> = all
        .iter()
        .map(|p| p.id.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(ids, ["o1", "o2", "o3"]);
    let urls: Vec<String> = t.sent().into_iter().map(|(_, url)| url).collect();
    assert!(!urls[0].contains("cursor="));
    assert!(urls[1].contains("cursor=o1") && urls[1].contains("first=1"));
    assert!(urls[2].contains("cursor=o2"));

    // Backward: `last` with the start cursors.
    let t = Scripted::default();
    t.push(Ok(outgoing_page(Some("o5"), false, true, &["o5"])))
        .push(Ok(outgoing_page(Some("o4"), true, false, &["o4"])));
    let last = Pagination {
        last: Some(1),
        cursor: Some("o6".into()),
        ..Pagination::default()
    };
    let all = block_on(client(&t).list_all::<OutgoingPayment>(RS, TOKEN, WALLET, &last)).unwrap();
    assert_eq!(all.len(), 2);
    assert!(t.sent()[1].1.contains("cursor=o5") && t.sent()[1].1.contains("last=1"));

    // A server that repeats a cursor would page forever: an error naming the field.
    let t = repeated_cursor();
    let err = block_on(client(&t).list_all::<OutgoingPayment>(RS, TOKEN, WALLET, &ONE_PER_PAGE))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_response");
    assert_eq!(err.field().as_deref(), Some("pagination.endCursor"));
    assert_eq!(t.sent().len(), 2);
}

#[test]
fn pages_are_fetched_one_at_a_time_as_they_are_asked_for() {
    let t = three_pages();
    let c = client(&t);
    let mut pages = c.pages::<OutgoingPayment>(RS, TOKEN, WALLET, &ONE_PER_PAGE);
    assert!(
        !format!("{pages:?}").contains(TOKEN),
        "the token is not in Debug"
    );
    let page = block_on(pages.next()).unwrap().unwrap();
    assert!(page[0].id.ends_with("/o1"));
    assert_eq!(
        t.sent().len(),
        1,
        "nothing is fetched before it is asked for"
    );
    // Stopping here costs nothing more; reading on follows the cursors to the end.
    let page = block_on(pages.next()).unwrap().unwrap();
    assert!(page[0].id.ends_with("/o2"));
    assert!(t.sent()[1].1.contains("cursor=o1"));
    let rest = block_on(pages.collect()).unwrap();
    assert_eq!(rest.len(), 1);
    assert!(rest[0].id.ends_with("/o3"));
    assert_eq!(t.sent().len(), 3);

    // An error (here: the server repeats a cursor) ends the pages: the next call reads nothing.
    let t = repeated_cursor();
    let c = client(&t);
    let mut pages = c.pages::<OutgoingPayment>(RS, TOKEN, WALLET, &ONE_PER_PAGE);
    assert!(block_on(pages.next()).unwrap().is_some());
    let err = block_on(pages.next()).unwrap_err();
    assert_eq!(err.field().as_deref(), Some("pagination.endCursor"));
    assert_eq!(block_on(pages.next()).unwrap(), None);
    assert_eq!(t.sent().len(), 2);
}

#[test]
fn outgoing_payment_not_found_after_a_timeout_is_created_once_more() {
    let t = Scripted::default();
    t.push(Err(TransportError::Timeout(5000)))
        .push(Ok(response(
            200,
            r#"{"pagination":{"hasNextPage":false,"hasPreviousPage":false},"result":[]}"#,
        )))
        .push(Ok(response(
            201,
            &outgoing("o9", "https://wallet.example/op/quotes/q1"),
        )));
    let payment = block_on(client(&t).create_outgoing_payment(RS, TOKEN, &from_quote())).unwrap();
    assert!(payment.id.ends_with("/o9"));
    let posts = t.sent().iter().filter(|(m, _)| *m == Method::Post).count();
    assert_eq!(posts, 2);
}

#[test]
fn outgoing_payment_with_a_server_answer_is_not_reconciled() {
    let t = Scripted::default();
    t.push(Ok(response(
        403,
        r#"{"error":{"code":"403","description":"Insufficient grant"}}"#,
    )));
    let err = block_on(client(&t).create_outgoing_payment(RS, TOKEN, &from_quote())).unwrap_err();
    assert_eq!((err.code(), err.reason()), ("403", "forbidden"));
    assert_eq!(t.sent().len(), 1);
}

#[test]
fn outgoing_payment_whose_listing_fails_returns_the_original_unknown_outcome() {
    let t = Scripted::default();
    t.push(Err(TransportError::Timeout(5000)))
        .push(Ok(response(403, "")));
    let err = block_on(client(&t).create_outgoing_payment(RS, TOKEN, &from_quote())).unwrap_err();
    assert_eq!(err.code(), "timeout");
    assert_eq!(
        t.sent().iter().filter(|(m, _)| *m == Method::Post).count(),
        1
    );
}

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
        logs.contains("request") && logs.contains("response"),
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

// ------------------------------------------------------------------ wallet address cache

/// A runtime whose clock the test moves.
struct Clock(Rc<std::cell::Cell<u64>>);

impl Runtime for Clock {
    fn now_unix_seconds(&self) -> u64 {
        self.0.get()
    }
    fn sleep(&self, _ms: u64) -> LocalBoxFuture<'static, ()> {
        Box::pin(async {})
    }
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
        buf.fill(7);
        Ok(())
    }
}

fn cached_client(
    t: &Scripted,
    now: &Rc<std::cell::Cell<u64>>,
    policy: CachePolicy,
) -> OpenPaymentsClient<Scripted> {
    OpenPaymentsClient::new(
        t.clone(),
        ClientConfig::new(Box::new(Clock(Rc::clone(now)))).with_wallet_address_cache(policy),
    )
}

fn with_cache_control(mut r: HttpResponse, value: &str) -> HttpResponse {
    r.headers.push(("Cache-Control".into(), value.into()));
    r
}

#[test]
fn wallet_address_cache_answers_repeat_gets_until_the_ttl_ends() {
    let t = Scripted::default();
    let now = Rc::new(std::cell::Cell::new(NOW));
    let c = cached_client(&t, &now, CachePolicy::default());
    t.push(Ok(response(200, WALLET_DOC)))
        .push(Ok(response(200, WALLET_DOC)));
    for _ in 0..3 {
        assert_eq!(block_on(c.get_wallet_address(WALLET)).unwrap().id, WALLET);
    }
    assert_eq!(t.sent().len(), 1, "one request for three gets");
    // A per-call client (another transport, same config) shares the cache.
    let t2 = Scripted::default();
    assert_eq!(
        block_on(c.with_transport(t2.clone()).get_wallet_address(WALLET))
            .unwrap()
            .id,
        WALLET
    );
    assert!(t2.sent().is_empty());
    now.set(NOW + 299);
    block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t.sent().len(), 1);
    now.set(NOW + 300);
    block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t.sent().len(), 2, "expired after five minutes");
}

#[test]
fn wallet_address_cache_respects_cache_control_errors_and_its_bound() {
    let t = Scripted::default();
    let now = Rc::new(std::cell::Cell::new(NOW));
    let c = cached_client(
        &t,
        &now,
        CachePolicy {
            ttl_seconds: 300,
            max_entries: 2,
        },
    );
    // max-age=10 shortens the lifetime; no-store is never kept; errors are never kept.
    t.push(Ok(with_cache_control(
        response(200, WALLET_DOC),
        "public, max-age=10",
    )));
    block_on(c.get_wallet_address(WALLET)).unwrap();
    now.set(NOW + 9);
    block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t.sent().len(), 1);
    now.set(NOW + 10);
    t.push(Ok(with_cache_control(
        response(200, WALLET_DOC),
        "no-store",
    )));
    block_on(c.get_wallet_address(WALLET)).unwrap();
    t.push(Ok(response(404, "")));
    assert!(block_on(c.get_wallet_address(WALLET)).is_err());
    t.push(Ok(response(200, WALLET_DOC)));
    block_on(c.get_wallet_address(WALLET)).unwrap();
    block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t.sent().len(), 4);
    // Bounded: a third URL evicts one entry, never grows past two.
    for url in ["https://wallet.example/b", "https://wallet.example/c"] {
        t.push(Ok(response(200, WALLET_DOC)));
        block_on(c.get_wallet_address(url)).unwrap();
    }
    let cache = WalletAddressCache::new(CachePolicy {
        ttl_seconds: 60,
        max_entries: 2,
    });
    let doc: WalletAddress = serde_json::from_str(WALLET_DOC).unwrap();
    for (i, url) in ["a", "b", "c"].iter().enumerate() {
        cache.put(url, NOW + i as u64, None, &doc);
    }
    assert_eq!(cache.len(), 2);
    assert!(
        cache.get("a", NOW + 2).is_none(),
        "the entry closest to expiry went first"
    );
    assert!(cache.get("c", NOW + 2).is_some());
    // Without a policy (the Rust default) nothing is cached.
    let t3 = Scripted::default();
    t3.push(Ok(response(200, WALLET_DOC)))
        .push(Ok(response(200, WALLET_DOC)));
    let plain = client(&t3);
    block_on(plain.get_wallet_address(WALLET)).unwrap();
    block_on(plain.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t3.sent().len(), 2);
}

#[test]
fn debug_of_a_response_shows_no_body_tokens_live_there() {
    let r = response(200, r#"{"access_token":{"value":"SECRET-TOKEN"}}"#);
    let shown = format!("{r:?}");
    assert!(
        !shown.contains("SECRET") && shown.contains("body_len"),
        "{shown}"
    );
}
