//! Subscriptions: charged within the interval's limit (sandbox clock moved, token rotated) until
//! cancelled, denied, a bad interval, a consent finished once.

use super::support::*;

#[tokio::test]
async fn a_subscription_charges_within_its_interval_limit_until_cancelled() {
    let w = start().await;
    let alice0 = w.balance("alice").await;
    let request = SubscriptionRequest {
        wallet_address: w.info.wallets["alice"].clone(),
        amount: usd(1000),
        amount_is: AmountIs::Receive,
        every: None,
        finish_url: "https://shop.example/subscribe/finish".into(),
        description: Some("Monthly box".into()),
    };
    let consent = w.merchant.start_subscription(&request).await.unwrap();
    let interval = consent.summary.interval.clone().unwrap();
    assert!(
        interval.starts_with("R/") && interval.ends_with("/P1M"),
        "{interval}"
    );
    assert_eq!(consent.summary.receive_amount, Some(usd(1000)));
    let q = w.consent(&consent.consent_url, true).await;
    let sub = w
        .merchant
        .finish_subscription(&consent.state, &q)
        .await
        .unwrap();
    assert_eq!(sub.interval, interval);
    // A consent state does not open as a subscription, nor the reverse.
    assert_eq!(
        w.merchant
            .charge_subscription(&consent.state, None)
            .await
            .unwrap_err()
            .code(),
        "tampered_state"
    );

    // Two charges fill the month; a third is over the limit and pays nothing.
    w.requests();
    let first = w
        .merchant
        .charge_subscription(&sub.sealed, Some(&usd(600)))
        .await
        .unwrap();
    println!("requests per subscription charge: {}", w.requests());
    let second = w
        .merchant
        .charge_subscription(&first.subscription.sealed, Some(&usd(400)))
        .await
        .unwrap();
    assert_eq!(w.balance("alice").await, alice0 - 1000);
    let over = w
        .merchant
        .charge_subscription(&second.subscription.sealed, Some(&usd(1)))
        .await
        .unwrap_err();
    assert_eq!(over.code(), "limit_exceeded");
    assert!(over.client_error().is_some_and(|e| e.status() == Some(403)));
    assert_eq!(w.balance("alice").await, alice0 - 1000);

    // Next month (the access token expired meanwhile: rotated on the way).
    w.advance(32 * 24 * 3600).await;
    let next = w
        .merchant
        .charge_subscription(&second.subscription.sealed, None)
        .await
        .unwrap();
    assert_eq!(next.receive_amount, usd(1000));
    assert_ne!(next.subscription.sealed, second.subscription.sealed);
    assert_eq!(w.balance("alice").await, alice0 - 2000);

    // Cancelled: no charge from any copy of the subscription.
    w.merchant
        .cancel_subscription(&next.subscription.sealed)
        .await
        .unwrap();
    w.merchant
        .cancel_subscription(&next.subscription.sealed)
        .await
        .unwrap();
    w.advance(32 * 24 * 3600).await;
    for sealed in [&next.subscription.sealed, &sub.sealed] {
        let e = w
            .merchant
            .charge_subscription(sealed, None)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "subscription_ended", "{e}");
    }
    assert_eq!(w.balance("alice").await, alice0 - 2000);
}

#[tokio::test]
async fn a_denied_subscription_and_a_bad_interval() {
    let w = start().await;
    let mut request = SubscriptionRequest {
        wallet_address: w.info.wallets["alice"].clone(),
        amount: usd(1000),
        amount_is: AmountIs::Send,
        every: Some("P7D".into()),
        finish_url: "https://shop.example/subscribe/finish".into(),
        description: None,
    };
    let consent = w.merchant.start_subscription(&request).await.unwrap();
    assert_eq!(consent.summary.debit_amount, Some(usd(1000)));
    let q = w.consent(&consent.consent_url, false).await;
    let e = w
        .merchant
        .finish_subscription(&consent.state, &q)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "consent_denied");
    request.every = Some("monthly".into());
    let e = w.merchant.start_subscription(&request).await.unwrap_err();
    assert_eq!(
        (e.code(), e.field().as_deref()),
        ("invalid_argument", Some("every"))
    );
}

#[tokio::test]
async fn a_subscription_consent_finishes_once() {
    let w = start().await;
    let request = SubscriptionRequest {
        wallet_address: w.info.wallets["alice"].clone(),
        amount: usd(100),
        amount_is: AmountIs::Receive,
        every: None,
        finish_url: "https://shop.example/subscribe/finish".into(),
        description: None,
    };
    let consent = w.merchant.start_subscription(&request).await.unwrap();
    let q = w.consent(&consent.consent_url, true).await;
    w.merchant
        .finish_subscription(&consent.state, &q)
        .await
        .unwrap();
    let e = w
        .merchant
        .finish_subscription(&consent.state, &q)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "already_finished");
}
