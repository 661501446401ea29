//! Rust on wasm32: the crate's `OpenPaymentsClient` over `fetch::FetchTransport` and
//! `fetch::WebRuntime` (feature `fetch-client`), against the sandbox that `.ci/test` starts
//! (its base URL in `OP_SANDBOX_URL` at compile time): the whole payment scenario (discovery,
//! grants, incoming payment, quote, interactive grant with the finish hash checked, an outgoing
//! payment whose connection drops after the server committed (in Node), reconciled to exactly one
//! payment), retries of a network failure, the timeout (`OP_SILENT_URL`: a server that never answers) and
//! the caller's abort signal.

use open_payments_wasm::client::{
    interact_request, new_nonce, ClientConfig, ClientError, InteractFinishCheck,
    OpenPaymentsClient, Pagination, RetryPolicy,
};
use open_payments_wasm::fetch::{FetchTransport, WebRuntime};
use open_payments_wasm::resources::{
    AccessAction, AccessItem, AccessTokenRequest, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, GrantRequest, GrantResponse, LimitsOutgoing,
    PaymentMethod, WalletAddress,
};
use open_payments_wasm::signature::PrivateKey;
use open_payments_wasm::{Amount, ErrorCode};
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

fn base() -> &'static str {
    match option_env!("OP_SANDBOX_URL") {
        Some(url) => url,
        None => {
            panic!("OP_SANDBOX_URL (the sandbox's base URL) must be set when the tests are built")
        }
    }
}

async fn dev_get(path: &str) -> Value {
    let response = gloo_net::http::Request::get(&format!("{}{path}", base()))
        .send()
        .await
        .unwrap();
    assert!(response.ok(), "GET {path}: {}", response.status());
    response.json().await.unwrap()
}

async fn dev_post(path: &str, body: Value) -> Value {
    let response = gloo_net::http::Request::post(&format!("{}{path}", base()))
        .json(&body)
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(response.ok(), "POST {path}: {}", response.status());
    response.json().await.unwrap()
}

type Client = OpenPaymentsClient<FetchTransport>;

/// The sandbox's wallets, and a client signing as the shop with a key registered just now.
async fn start() -> (Value, Client) {
    let info = dev_get("/dev/info").await;
    let key = PrivateKey::generate("wasm-rust-key").unwrap();
    dev_post("/dev/wallets/shop/keys", json!(key.public_jwk())).await;
    let shop = info["wallets"]["shop"].as_str().unwrap().to_owned();
    let client = OpenPaymentsClient::new(
        FetchTransport::new(Some(10_000)),
        ClientConfig::new(Box::new(WebRuntime)).with_key(key, &shop),
    );
    (info, client)
}

async fn grant(client: &Client, wallet: &WalletAddress, access: AccessItem) -> String {
    let request = GrantRequest {
        access_token: Some(AccessTokenRequest {
            access: vec![access],
        }),
        client: client.client_identity().unwrap(),
        interact: None,
        subject: None,
    };
    match client
        .request_grant(&wallet.auth_server, &request)
        .await
        .unwrap()
    {
        GrantResponse::Approved(grant) => grant.access_token.unwrap().value,
        GrantResponse::Pending(p) => panic!("expected a non-interactive grant: {p:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_payment_from_alice_to_bob_with_the_rust_client_over_fetch() {
    let (info, client) = start().await;
    let alice = client
        .get_wallet_address(info["wallets"]["alice"].as_str().unwrap())
        .await
        .unwrap();
    let bob = client
        .get_wallet_address(info["wallets"]["bob"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        (alice.asset_code.as_str(), bob.asset_code.as_str()),
        ("USD", "EUR")
    );

    let incoming_token = grant(
        &client,
        &bob,
        AccessItem::IncomingPayment {
            actions: vec![AccessAction::Create, AccessAction::Read],
            identifier: None,
        },
    )
    .await;
    let incoming = client
        .create_incoming_payment(
            &bob.resource_server,
            &incoming_token,
            &CreateIncomingPaymentRequest {
                wallet_address: bob.id.clone(),
                incoming_amount: Some(Amount::new(1000, "EUR", 2).unwrap()),
                expires_at: None,
                metadata: None,
            },
        )
        .await
        .unwrap();

    let quote_token = grant(
        &client,
        &alice,
        AccessItem::Quote {
            actions: vec![AccessAction::Create, AccessAction::Read],
        },
    )
    .await;
    let quote = client
        .create_quote(
            &alice.resource_server,
            &quote_token,
            &CreateQuoteRequest::IncomingAmount {
                wallet_address: alice.id.clone(),
                receiver: incoming.id.clone(),
                method: PaymentMethod::Ilp,
            },
        )
        .await
        .unwrap();
    assert_eq!(quote.receive_amount.value(), 1000);

    // The interactive grant: the sandbox approves, the finish hash is checked in Rust.
    let nonce = new_nonce(client.config().runtime()).unwrap();
    let request = GrantRequest {
        access_token: Some(AccessTokenRequest {
            access: vec![AccessItem::OutgoingPayment {
                actions: vec![AccessAction::Create, AccessAction::Read, AccessAction::List],
                identifier: alice.id.clone(),
                limits: Some(LimitsOutgoing {
                    receiver: None,
                    interval: None,
                    debit_amount: Some(quote.debit_amount.clone()),
                    receive_amount: None,
                }),
            }],
        }),
        client: client.client_identity().unwrap(),
        interact: Some(interact_request("http://127.0.0.1/return", &nonce)),
        subject: None,
    };
    let GrantResponse::Pending(pending) = client
        .request_grant(&alice.auth_server, &request)
        .await
        .unwrap()
    else {
        panic!("outgoing-payment grants need interaction");
    };
    let id = pending.interact.redirect.rsplit('/').next().unwrap();
    let approved = dev_post(&format!("/dev/interactions/{id}/approve"), json!({})).await;
    let check = InteractFinishCheck {
        client_nonce: &nonce,
        finish_nonce: &pending.interact.finish,
        interact_ref: approved["interactRef"].as_str().unwrap(),
        grant_endpoint: &alice.auth_server,
        hash: approved["hash"].as_str().unwrap(),
    };
    let token = client
        .continue_grant_after_interaction(
            &pending.continue_.uri,
            &pending.continue_.access_token.value,
            &check,
        )
        .await
        .unwrap()
        .access_token
        .unwrap()
        .value;

    // In Node: the server commits the payment, then drops the connection; fetch rejects, the
    // outcome is unknown, and the client finds the payment instead of paying again. Not in
    // browsers: Chromium itself resends a POST whose reused connection closed before any
    // response byte, so the sandbox answers that copy 401 `signature_replayed` (the payment is
    // still made once) and the client never sees the unknown outcome to reconcile.
    let in_browser = js_sys::Reflect::has(&js_sys::global(), &"document".into()).unwrap_or(false);
    if !in_browser {
        dev_post(
            "/dev/faults",
            json!({"dropConnectionAfterCommit": "outgoing-payment", "times": 1}),
        )
        .await;
    }
    let payment = client
        .create_outgoing_payment(
            &alice.resource_server,
            &token,
            &CreateOutgoingPaymentRequest::FromQuote {
                wallet_address: alice.id.clone(),
                quote_id: quote.id.clone(),
                metadata: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(payment.quote_id.as_deref(), Some(quote.id.as_str()));
    let page = client
        .list_outgoing_payments(
            &alice.resource_server,
            &token,
            &alice.id,
            &Pagination::default(),
        )
        .await
        .unwrap();
    // The sandbox outlives this test (Node, then the browsers): count this quote's payments.
    let for_quote = page
        .result
        .iter()
        .filter(|p| p.quote_id.as_deref() == Some(quote.id.as_str()))
        .count();
    assert_eq!(for_quote, 1, "exactly one payment for the quote");

    let paid = client
        .get_incoming_payment(&incoming.id, &incoming_token)
        .await
        .unwrap();
    assert_eq!(paid.received_amount.value(), 1000);
}

#[wasm_bindgen_test]
async fn a_network_failure_is_retried_then_reported() {
    let client = OpenPaymentsClient::new(
        FetchTransport::new(Some(5_000)),
        ClientConfig::new(Box::new(WebRuntime)).with_retry(RetryPolicy {
            max_retries: 2,
            base_delay_ms: 10,
            max_delay_ms: 20,
        }),
    );
    // Nothing listens on port 1 (and browsers refuse it): fetch rejects each time.
    let started = js_sys::Date::now();
    let err = client
        .get_wallet_address("http://127.0.0.1:1/alice")
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Network { .. }),
        "expected a network error, got {err:?}"
    );
    assert_eq!(err.code(), "network_error");
    // Two waits between the three attempts (10 ms, then 20 ms), through WebRuntime's timer.
    assert!(js_sys::Date::now() - started >= 30.0);
}

#[wasm_bindgen_test]
async fn a_request_longer_than_the_timeout_is_a_timeout() {
    // A server that accepts connections and never answers (`OP_SILENT_URL`, from .ci/test).
    let silent = match option_env!("OP_SILENT_URL") {
        Some(url) => url,
        None => panic!(
            "OP_SILENT_URL (a server that never answers) must be set when the tests are built"
        ),
    };
    let client = OpenPaymentsClient::new(
        FetchTransport::new(Some(200)),
        ClientConfig::new(Box::new(WebRuntime)).with_retry(RetryPolicy {
            max_retries: 1,
            base_delay_ms: 10,
            max_delay_ms: 10,
        }),
    );
    let started = js_sys::Date::now();
    let err = client
        .get_wallet_address(&format!("{silent}/alice"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Timeout {
                timeout_ms: 200,
                ..
            }
        ),
        "expected a timeout, got {err:?}"
    );
    assert_eq!(err.code(), "timeout");
    assert!(err.outcome_unknown());
    // Two attempts of 200 ms each (a GET is retried after a timeout).
    assert!(js_sys::Date::now() - started >= 400.0);
}

#[wasm_bindgen_test]
async fn the_callers_abort_signal_aborts_the_request() {
    let transport =
        FetchTransport::new(Some(5_000)).with_abort_signal(web_sys::AbortSignal::abort());
    let client = OpenPaymentsClient::new(transport, ClientConfig::new(Box::new(WebRuntime)));
    let info = dev_get("/dev/info").await;
    let err = client
        .get_wallet_address(info["wallets"]["alice"].as_str().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Aborted { .. }), "{err:?}");
    assert_eq!(err.code(), "aborted");
}

#[wasm_bindgen_test]
async fn a_signature_left_to_the_transport_is_never_sent_missing() {
    // The fetch transport does not sign: a client that leaves signatures to its transport gets
    // its signed requests refused before anything is sent (nothing listens on port 1 anyway).
    let client = OpenPaymentsClient::new(
        FetchTransport::new(Some(5_000)),
        ClientConfig::new(Box::new(WebRuntime))
            .with_transport_signature("kms-key", "http://127.0.0.1:1/shop"),
    );
    let err = client
        .get_quote("http://127.0.0.1:1/op/quotes/q1", "token")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request_not_sent", "{err:?}");
    assert!(err.to_string().contains("add_signature"), "{err}");
}
