//! Grant limits: amounts per interval window, spent amounts, the duration/end interval form.

use super::harness::*;

#[tokio::test]
pub(crate) async fn grant_limits_are_enforced_per_interval_and_spent_amounts_reported() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let start_text = "2020-01-01T00:00:00Z";
    let grant = s
        .outgoing_grant(&key, &s.wallet("shop"), "shopper", Some(json!({ "debitAmount": amount("1500", "EUR", 2), "interval": format!("R/{start_text}/P1D") })))
        .await;
    let token = token_of(&grant);
    let ip = s.incoming(&key, "shop", None).await;
    let pay = |q: Value| {
        let s = &s;
        let key = &key;
        let token = token.clone();
        async move { pay_quote(s, key, &token, q["id"].as_str().unwrap()).await }
    };
    let q1 = s.fixed_send(&key, &ip, "1000").await;
    assert_eq!(pay(q1).await.status, 201);
    let q2 = s.fixed_send(&key, &ip, "600").await;
    let before = s.balances().await;
    let r = pay(q2.clone()).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(s.balances().await, before);
    let spent = s
        .signed(
            &key,
            "GET",
            &format!("{}/outgoing-payment-grant", s.rs("bank-b")),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(spent.body["spentDebitAmount"], amount("1000", "EUR", 2));
    assert_eq!(spent.body["spentReceiveAmount"], amount("1100", "USD", 2));
    // The next day window resets the totals (tokens expire after 600 s, so rotate first).
    let manage = grant["access_token"]["manage"].as_str().unwrap();
    let rotated = s.signed(&key, "POST", manage, Some(&token), None).await;
    let token2 = token_of(&rotated.body);
    s.advance(86_400).await;
    let rotated = s
        .signed(
            &key,
            "POST",
            rotated.body["access_token"]["manage"].as_str().unwrap(),
            Some(&token2),
            None,
        )
        .await;
    let token3 = token_of(&rotated.body);
    let spent = s
        .signed(
            &key,
            "GET",
            &format!("{}/outgoing-payment-grant", s.rs("bank-b")),
            Some(&token3),
            None,
        )
        .await;
    assert_eq!(spent.body["spentDebitAmount"], Value::Null);
    let q3 = s.fixed_send(&key, &ip, "600").await;
    assert_eq!(
        pay_quote(&s, &key, &token3, q3["id"].as_str().unwrap())
            .await
            .status,
        201
    );
    // A receiver limit.
    let other = s.incoming(&key, "shop", None).await;
    let g = s
        .outgoing_grant(
            &key,
            &s.wallet("shop"),
            "shopper",
            Some(json!({ "receiver": ip["id"] })),
        )
        .await;
    let q = s
        .quote(
            &key,
            "shopper",
            json!({ "receiver": other["id"], "debitAmount": amount("100", "EUR", 2) }),
        )
        .await
        .body;
    assert_eq!(
        pay_quote(&s, &key, &token_of(&g), q["id"].as_str().unwrap())
            .await
            .status,
        403
    );
}

/// An interactive outgoing-payment grant request from `shopper` with these limits.
pub(crate) async fn request_with_limits(s: &Sbx, key: &PrivateKey, limits: Value) -> Resp {
    s.signed(key, "POST", &s.auth("bank-b"), None, Some(json!({
        "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create"], "identifier": s.wallet("shopper"), "limits": limits }] },
        "client": { "walletAddress": s.wallet("shop") },
        "interact": { "start": ["redirect"] }
    })))
    .await
}

#[tokio::test]
pub(crate) async fn interval_duration_end_form_is_accepted_and_windows_end_at_end() {
    let s = start_with(SandboxConfig {
        access_token_lifetime_seconds: 10 * 86_400,
        ..SandboxConfig::default()
    })
    .await;
    let key = s.client_key("shop").await;
    // The AS spec example parses (its windows all lie in the past; the grant is still valid).
    let r = request_with_limits(
        &s,
        &key,
        json!({ "debitAmount": amount("500", "EUR", 2), "interval": "R-1/P1Y2M10DT2H30M/2022-05-11T15:30:00Z" }),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["interact"]["redirect"].is_string());
    // Texts that are no interval get a clear 400 invalid_request.
    for bad in [
        "R/P1D/P2D",
        "R/2030-01-02T00:00:00Z/2030-01-01T00:00:00Z",
        "R/P1X/2030-01-01T00:00:00Z",
    ] {
        let r = request_with_limits(&s, &key, json!({ "interval": bad })).await;
        assert_eq!(
            (r.status, r.body["error"]["code"].as_str()),
            (400, Some("invalid_request")),
            "{bad}: {:?}",
            r.body
        );
        assert!(r.body["error"]["description"]
            .as_str()
            .unwrap()
            .contains("R[n]/<duration>/<end>"));
    }
    // Day windows ending at 2030-01-01T00:00:00Z: limits reset at each UTC midnight.
    let grant = s
        .outgoing_grant(
            &key,
            &s.wallet("shop"),
            "shopper",
            Some(json!({ "debitAmount": amount("1500", "EUR", 2), "interval": "R/P1D/2030-01-01T00:00:00Z" })),
        )
        .await;
    let token = token_of(&grant);
    let ip = s.incoming(&key, "shop", None).await;
    let quote = |value: &'static str| {
        let s = &s;
        let key = &key;
        let receiver = ip["id"].clone();
        async move {
            s.quote(
                key,
                "shopper",
                json!({ "receiver": receiver, "debitAmount": amount(value, "EUR", 2) }),
            )
            .await
            .body["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let q = quote("1000").await;
    assert_eq!(pay_quote(&s, &key, &token, &q).await.status, 201);
    let q = quote("600").await;
    let r = pay_quote(&s, &key, &token, &q).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    s.advance(86_400).await;
    let q = quote("600").await;
    let r = pay_quote(&s, &key, &token, &q).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["grantSpentDebitAmount"], amount("600", "EUR", 2));
    // After `end` no window is open: payments under the grant are refused.
    let past = s
        .outgoing_grant(
            &key,
            &s.wallet("shop"),
            "shopper",
            Some(json!({ "debitAmount": amount("1500", "EUR", 2), "interval": "R/P1D/2020-01-01T00:00:00Z" })),
        )
        .await;
    let q = quote("100").await;
    let r = pay_quote(&s, &key, &token_of(&past), &q).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
}
