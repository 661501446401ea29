//! The async client's retries (GETs only, bounded, growing waits; never a blind POST) and the
//! reconciliation of an outgoing payment whose outcome is unknown.

use super::support::*;

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
