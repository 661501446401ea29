//! One-off payments: the money moves once whatever the finishes, the requests of a steady-state
//! checkout, cross-currency and fixed-send payments, every outcome that pays nothing, refused
//! states, a reconciled lost connection, and Debug output without secrets.

use super::support::*;

#[tokio::test]
async fn a_payment_moves_the_money_once_whatever_the_finishes() {
    let w = start().await;
    let (alice0, shop0) = (w.balance("alice").await, w.balance("shop").await);
    let consent = w
        .merchant
        .start_payment(&w.payment("alice", usd(1234)))
        .await
        .unwrap();
    assert_eq!(consent.summary.receive_amount, Some(usd(1234)));
    assert_eq!(consent.summary.debit_amount, Some(usd(1234)));
    assert_eq!(consent.summary.fee, Some(usd(0)));
    assert_eq!(
        consent.summary.shop.public_name.as_deref(),
        Some("Sandbox Shop")
    );
    assert!(consent.summary.expires_at.is_some());
    // The state is opaque: no token or URL readable in it.
    assert!(!consent.state.contains("http"));
    let query = w.consent(&consent.consent_url, true).await;
    let receipt = w
        .merchant
        .finish_payment(&consent.state, &query)
        .await
        .unwrap();
    assert_eq!(receipt.status, PaymentStatus::Paid);
    assert!(!receipt.reconciled);
    assert!(receipt.outgoing_payment_id.is_some());
    assert_eq!(receipt.receive_amount, usd(1234));
    assert_eq!(w.balance("alice").await, alice0 - 1234);
    assert_eq!(w.balance("shop").await, shop0 + 1234);
    // A reload of the finish URL: reconciled, nothing moves again.
    let again = w
        .merchant
        .finish_payment(&consent.state, &query)
        .await
        .unwrap();
    assert!(again.reconciled);
    assert_eq!(again.status, PaymentStatus::Paid);
    assert_eq!(again.outgoing_payment_id, None);
    assert_eq!(w.balance("alice").await, alice0 - 1234);

    // Concurrent finishes of one checkout (a double click, two instances): one pays.
    let consent = w
        .merchant
        .start_payment(&w.payment("alice", usd(500)))
        .await
        .unwrap();
    let query = w.consent(&consent.consent_url, true).await;
    let other = w
        .merchant
        .with_transport(w.merchant.client().transport().clone());
    let (a, b) = tokio::join!(
        w.merchant.finish_payment(&consent.state, &query),
        other.finish_payment(&consent.state, &query)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        [a.reconciled, b.reconciled].iter().filter(|r| !**r).count(),
        1
    );
    assert_eq!(
        (a.status, b.status),
        (PaymentStatus::Paid, PaymentStatus::Paid)
    );
    assert_eq!(w.balance("alice").await, alice0 - 1234 - 500);
    assert_eq!(w.balance("shop").await, shop0 + 1234 + 500);
}

#[tokio::test]
async fn steady_state_checkout_takes_six_requests() {
    let w = start().await;
    // The first checkout fetches both wallet addresses and the two reusable tokens.
    let consent = w
        .merchant
        .start_payment(&w.payment("alice", usd(100)))
        .await
        .unwrap();
    let query = w.consent(&consent.consent_url, true).await;
    w.merchant
        .finish_payment(&consent.state, &query)
        .await
        .unwrap();
    let cold = w.requests();
    let consent = w
        .merchant
        .start_payment(&w.payment("alice", usd(100)))
        .await
        .unwrap();
    let query = w.consent(&consent.consent_url, true).await;
    w.merchant
        .finish_payment(&consent.state, &query)
        .await
        .unwrap();
    let steady = w.requests();
    println!("requests per checkout: cold {cold}, steady {steady}");
    // Shopper wallet address, incoming payment, quote, grant, continuation, outgoing payment
    // (the shop's own wallet address is reused by the merchant).
    assert_eq!(steady, 6, "steady state");
    assert!(cold > steady);
}

#[tokio::test]
async fn cross_currency_payment_shows_both_amounts_and_no_fee_guess() {
    let w = start().await;
    let (eur0, usd0) = (w.balance("shopper").await, w.balance("shop").await);
    let consent = w
        .merchant
        .start_payment(&w.payment("shopper", usd(1000)))
        .await
        .unwrap();
    let debit = consent.summary.debit_amount.clone().unwrap();
    assert_eq!(debit.asset_code(), "EUR");
    assert_eq!(consent.summary.fee, None);
    let query = w.consent(&consent.consent_url, true).await;
    let receipt = w
        .merchant
        .finish_payment(&consent.state, &query)
        .await
        .unwrap();
    assert_eq!(receipt.debit_amount, debit);
    assert_eq!(w.balance("shopper").await, eur0 - debit.value());
    assert_eq!(w.balance("shop").await, usd0 + 1000);
}

#[tokio::test]
async fn fixed_send_payment_completes_the_incoming_payment() {
    let w = start().await;
    let mut request = w.payment("alice", usd(700));
    request.amount_is = AmountIs::Send;
    let consent = w.merchant.start_payment(&request).await.unwrap();
    assert_eq!(consent.summary.debit_amount, Some(usd(700)));
    let query = w.consent(&consent.consent_url, true).await;
    let receipt = w
        .merchant
        .finish_payment(&consent.state, &query)
        .await
        .unwrap();
    assert_eq!(receipt.debit_amount, usd(700));
    assert_eq!(receipt.status, PaymentStatus::Paid);
}

#[tokio::test]
async fn outcomes_that_pay_nothing_are_typed() {
    let w = start().await;
    let alice0 = w.balance("alice").await;
    let code = |e: MerchantError| e.code().to_owned();

    // Denied.
    let c = w
        .merchant
        .start_payment(&w.payment("alice", usd(100)))
        .await
        .unwrap();
    let q = w.consent(&c.consent_url, false).await;
    assert_eq!(
        code(w.merchant.finish_payment(&c.state, &q).await.unwrap_err()),
        "consent_denied"
    );

    // A forged hash: refused before the grant is continued, so the real one still works.
    let c = w
        .merchant
        .start_payment(&w.payment("alice", usd(100)))
        .await
        .unwrap();
    let q = w.consent(&c.consent_url, true).await;
    let mut forged = q.clone();
    forged.hash = Some("AAAA".into());
    assert_eq!(
        code(
            w.merchant
                .finish_payment(&c.state, &forged)
                .await
                .unwrap_err()
        ),
        "tampered_hash"
    );
    let mut other_ref = q.clone();
    other_ref.interact_ref = Some("someone-elses".into());
    assert_eq!(
        code(
            w.merchant
                .finish_payment(&c.state, &other_ref)
                .await
                .unwrap_err()
        ),
        "tampered_hash"
    );
    assert_eq!(
        code(
            w.merchant
                .finish_payment(&c.state, &FinishQuery::default())
                .await
                .unwrap_err()
        ),
        "missing_consent_result"
    );
    // A tampered state, or one sealed by another shop's key.
    let mut bad = c.state.clone().into_bytes();
    let mid = bad.len() / 2;
    bad[mid] = if bad[mid] == b'A' { b'B' } else { b'A' };
    let bad = String::from_utf8(bad).unwrap();
    assert_eq!(
        code(w.merchant.finish_payment(&bad, &q).await.unwrap_err()),
        "tampered_state"
    );
    assert_eq!(w.balance("alice").await, alice0);
    assert_eq!(
        w.merchant
            .finish_payment(&c.state, &q)
            .await
            .unwrap()
            .status,
        PaymentStatus::Paid
    );
    assert_eq!(w.balance("alice").await, alice0 - 100);

    // Unknown wallet, bad address, wrong asset, zero, bad finish URL.
    let mut r = w.payment("alice", usd(100));
    r.wallet_address = format!("{}/bank-a/nobody", w.info.base_url);
    assert_eq!(
        code(w.merchant.start_payment(&r).await.unwrap_err()),
        "unknown_wallet"
    );
    r.wallet_address = "not a wallet".into();
    assert!(w.merchant.start_payment(&r).await.is_err());
    let r = w.payment("alice", Amount::new(100, "EUR", 2).unwrap());
    let e = w.merchant.start_payment(&r).await.unwrap_err();
    assert_eq!(
        (e.code(), e.field().as_deref()),
        ("asset_mismatch", Some("amount"))
    );
    assert_eq!(
        code(
            w.merchant
                .start_payment(&w.payment("alice", usd(0)))
                .await
                .unwrap_err()
        ),
        "invalid_argument"
    );
    let mut r = w.payment("alice", usd(1));
    r.finish_url = "/relative".into();
    assert_eq!(
        w.merchant
            .start_payment(&r)
            .await
            .unwrap_err()
            .field()
            .as_deref(),
        Some("finishUrl")
    );

    // Insufficient funds: dave (ETH) has nothing.
    let c = w
        .merchant
        .start_payment(&w.payment("dave", usd(100)))
        .await
        .unwrap();
    let q = w.consent(&c.consent_url, true).await;
    assert_eq!(
        code(w.merchant.finish_payment(&c.state, &q).await.unwrap_err()),
        "insufficient_funds"
    );

    // The quote expired between consent and finish (sandbox quotes live 300 s).
    let c = w
        .merchant
        .start_payment(&w.payment("alice", usd(100)))
        .await
        .unwrap();
    let q = w.consent(&c.consent_url, true).await;
    w.advance(301).await;
    assert_eq!(
        code(w.merchant.finish_payment(&c.state, &q).await.unwrap_err()),
        "quote_expired"
    );
    assert_eq!(w.balance("alice").await, alice0 - 100);
}

#[tokio::test]
async fn an_expired_or_foreign_state_is_refused() {
    let w = start_with(
        MerchantSettings {
            state_ttl_seconds: 0,
            ..MerchantSettings::default()
        },
        KEY,
    )
    .await;
    let c = w
        .merchant
        .start_payment(&w.payment("alice", usd(100)))
        .await
        .unwrap();
    let q = w.consent(&c.consent_url, true).await;
    let e = w.merchant.finish_payment(&c.state, &q).await.unwrap_err();
    assert_eq!(e.code(), "state_expired");
    // Another shop (another key) cannot open it either.
    let other = start_with(MerchantSettings::default(), [7; 32]).await;
    let e = other
        .merchant
        .finish_payment(&c.state, &q)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "tampered_state");
}

#[test]
fn debug_output_holds_no_secret() {
    let keys = SealKeys::from_bytes(&[KEY]).unwrap();
    let client = OpenPaymentsClient::new(
        ReqwestTransport::new(None).unwrap(),
        ClientConfig::new(Box::new(SystemRuntime)),
    );
    let m = Merchant::new(client, keys, MerchantSettings::default());
    let text = format!("{m:?}");
    assert!(text.contains("redacted"), "{text}");
    assert!(!text.contains("42, 42"), "{text}");
}

#[tokio::test]
async fn a_connection_lost_after_the_payment_is_reconciled_not_resent() {
    let w = start().await;
    let alice0 = w.balance("alice").await;
    let c = w
        .merchant
        .start_payment(&w.payment("alice", usd(250)))
        .await
        .unwrap();
    let q = w.consent(&c.consent_url, true).await;
    w.dev(
        "/dev/faults",
        json!({ "dropConnectionAfterCommit": "outgoing-payment", "times": 1 }),
    )
    .await;
    let receipt = w.merchant.finish_payment(&c.state, &q).await.unwrap();
    assert_eq!(receipt.status, PaymentStatus::Paid);
    assert!(receipt.outgoing_payment_id.is_some());
    assert_eq!(w.balance("alice").await, alice0 - 250);
}
