//! Quotes: fixed send, fixed receive, for an incoming amount; rates and fees; who may read them.

use super::harness::*;

#[tokio::test]
pub(crate) async fn quotes_fixed_send_fixed_receive_and_incoming_amount_with_rate_and_fee() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let open = s.incoming(&key, "shop", None).await;
    let receiver = open["id"].as_str().unwrap();
    // Fixed send: 10.00 EUR, 1 % fee (0.10) -> 9.90 EUR * 10/9 = 11.00 USD.
    let q = s
        .quote(
            &key,
            "shopper",
            json!({ "receiver": receiver, "debitAmount": amount("1000", "EUR", 2) }),
        )
        .await;
    assert_eq!(q.status, 201, "{:?}", q.body);
    assert_eq!(q.body["debitAmount"], amount("1000", "EUR", 2));
    assert_eq!(q.body["receiveAmount"], amount("1100", "USD", 2));
    assert_eq!(q.body["method"], "ilp");
    assert!(q.body["expiresAt"].is_string());
    // Fixed receive: 10.00 USD -> net 9.00 EUR -> debit ceil(900 / 0.99) = 910 (fee 10).
    let q = s
        .quote(
            &key,
            "shopper",
            json!({ "receiver": receiver, "receiveAmount": amount("1000", "USD", 2) }),
        )
        .await;
    assert_eq!(q.status, 201, "{:?}", q.body);
    assert_eq!(q.body["receiveAmount"], amount("1000", "USD", 2));
    assert_eq!(q.body["debitAmount"], amount("910", "EUR", 2));
    // Incoming amount: 25.00 USD expected.
    let fixed = s
        .incoming(&key, "shop", Some(amount("2500", "USD", 2)))
        .await;
    let q = s
        .quote(&key, "shopper", json!({ "receiver": fixed["id"] }))
        .await;
    assert_eq!(q.status, 201);
    assert_eq!(q.body["receiveAmount"], amount("2500", "USD", 2));
    assert_eq!(q.body["debitAmount"], amount("2273", "EUR", 2));
    // No amount and no incomingAmount; both amounts; wrong debit asset; scale-9 receiver.
    assert_eq!(
        s.quote(&key, "shopper", json!({ "receiver": receiver }))
            .await
            .status,
        400
    );
    assert_eq!(
        s.quote(&key, "shopper", json!({ "receiver": receiver, "debitAmount": amount("1", "EUR", 2), "receiveAmount": amount("1", "USD", 2) })).await.status,
        400
    );
    assert_eq!(
        s.quote(
            &key,
            "shopper",
            json!({ "receiver": receiver, "debitAmount": amount("100", "USD", 2) })
        )
        .await
        .status,
        400
    );
    let eth = s.incoming(&key, "dave", None).await;
    let q = s
        .quote(
            &key,
            "alice",
            json!({ "receiver": eth["id"], "debitAmount": amount("10000", "USD", 2) }),
        )
        .await;
    // 100.00 USD - 1.00 fee = 99.00 USD * 0.0004 = 0.0396 ETH = 39 600 000 at scale 9.
    assert_eq!(q.body["receiveAmount"], amount("39600000", "ETH", 9));
    // Same asset: no fee.
    let q = s
        .quote(
            &key,
            "alice",
            json!({ "receiver": receiver, "debitAmount": amount("500", "USD", 2) }),
        )
        .await;
    assert_eq!(q.body["receiveAmount"], amount("500", "USD", 2));
    // Get the quote.
    let token = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "quote", "actions": ["read"] }]),
        )
        .await;
    let g = s
        .signed(
            &key,
            "GET",
            q.body["id"].as_str().unwrap(),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(g.status, 200);
    assert_eq!(g.body, q.body);
}

/// A quote grant's token for a directed-identity (inline jwk) client on bank-b.
pub(crate) async fn inline_quote_token(s: &Sbx, key: &PrivateKey, actions: Value) -> String {
    let jwk = serde_json::to_value(key.public_jwk()).unwrap();
    let r = s
        .signed(
            key,
            "POST",
            &s.auth("bank-b"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "quote", "actions": actions }] },
                "client": { "jwk": jwk }
            })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    token_of(&r.body)
}

/// A fixed-send quote from `shopper` to `receiver`; its id.
pub(crate) async fn quote_with(s: &Sbx, key: &PrivateKey, token: &str, receiver: &Value) -> String {
    let r = s
        .signed(
            key,
            "POST",
            &format!("{}/quotes", s.rs("bank-b")),
            Some(token),
            Some(json!({
                "walletAddress": s.wallet("shopper"), "receiver": receiver, "method": "ilp",
                "debitAmount": amount("100", "EUR", 2)
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
pub(crate) async fn quote_read_covers_own_quotes_read_all_covers_every_quote_for_inline_jwk_clients(
) {
    let s = start().await;
    let shop = s.client_key("shop").await;
    let ip = s.incoming(&shop, "shop", None).await;
    // Two directed-identity clients (inline keys) on bank-b.
    let a = PrivateKey::generate("inline-a").unwrap();
    let b = PrivateKey::generate("inline-b").unwrap();
    let token_a = inline_quote_token(&s, &a, json!(["create", "read"])).await;
    let token_b = inline_quote_token(&s, &b, json!(["create", "read"])).await;
    let token_a_all = inline_quote_token(&s, &a, json!(["read-all"])).await;
    let qa = quote_with(&s, &a, &token_a, &ip["id"]).await;
    let qb = quote_with(&s, &b, &token_b, &ip["id"]).await;
    assert_eq!(
        s.signed(&a, "GET", &qa, Some(&token_a), None).await.status,
        200
    );
    assert_eq!(
        s.signed(&a, "GET", &qb, Some(&token_a), None).await.status,
        403
    );
    assert_eq!(
        s.signed(&b, "GET", &qa, Some(&token_b), None).await.status,
        403
    );
    for q in [&qa, &qb] {
        let r = s.signed(&a, "GET", q, Some(&token_a_all), None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(&r.body["id"], q.as_str());
    }
}
