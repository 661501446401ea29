//! Strictness: malformed or unauthorised requests get the right status and change nothing.

use super::harness::*;

#[tokio::test]
pub(crate) async fn strict_requests_get_the_right_status_and_change_nothing() {
    let s = start_with(SandboxConfig {
        max_body_bytes: 4096,
        ..SandboxConfig::default()
    })
    .await;
    let key = s.client_key("shop").await;
    let stranger = PrivateKey::generate("shop-key").unwrap();
    let (ip, q, grant) = s.shop_sale(&key, "100").await;
    let token = token_of(&grant);
    let url = format!("{}/outgoing-payments", s.rs("bank-b"));
    let body = json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"] });
    let before = s.balances().await;
    let code = |r: &Resp| {
        r.body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // Unsigned.
    let r = Sbx::finish(
        s.http
            .post(&url)
            .header("Authorization", format!("GNAP {token}"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(r.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .contains(&s.auth("bank-b")));
    // Signed by a key with the right kid but another secret.
    let r = s
        .signed(&stranger, "POST", &url, Some(&token), Some(body.clone()))
        .await;
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(r.body["error"]["description"]
        .as_str()
        .unwrap()
        .contains("signature_mismatch"));
    // Stale and future signatures.
    let r = s
        .send_signed(&key, "POST", &url, Some(&token), Some(&body), -1000)
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    assert!(r.body["error"]["description"]
        .as_str()
        .unwrap()
        .contains("signature_too_old"));
    let r = s
        .send_signed(&key, "POST", &url, Some(&token), Some(&body), 1000)
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    // Body changed after signing (digest mismatch).
    let auth = format!("GNAP {token}");
    let headers = [("Authorization", auth.as_str())];
    let bytes = serde_json::to_vec(&body).unwrap();
    let signed = sign_request(
        &HttpRequest::new("POST", &url, &headers).with_body(&bytes),
        &key,
        u64::try_from(real_now()).unwrap(),
    )
    .unwrap();
    let mut tampered = bytes.clone();
    tampered.push(b' ');
    let mut b = s.http.post(&url).header("Authorization", &auth);
    for (n, v) in signed.to_pairs() {
        if n != "Content-Length" {
            b = b.header(n, v);
        }
    }
    let r = Sbx::finish(b.body(tampered).send().await.unwrap()).await;
    assert_eq!(r.status, 401);
    // Missing token, unknown token.
    let r = s.signed(&key, "POST", &url, None, Some(body.clone())).await;
    assert_eq!((r.status, code(&r)), (401, "unauthorized".to_owned()));
    let r = s
        .signed(&key, "POST", &url, Some("NOT-A-TOKEN"), Some(body.clone()))
        .await;
    assert_eq!((r.status, code(&r)), (401, "invalid_token".to_owned()));
    // Token of another ASE.
    let other = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "quote", "actions": ["create"] }]),
        )
        .await;
    assert_eq!(
        s.signed(&key, "POST", &url, Some(&other), Some(body.clone()))
            .await
            .status,
        401
    );
    // Wrong scope: a quote token on bank-b for an outgoing payment; and another sender wallet.
    let qt = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-b",
            json!([{ "type": "quote", "actions": ["create"] }]),
        )
        .await;
    let r = s
        .signed(&key, "POST", &url, Some(&qt), Some(body.clone()))
        .await;
    assert_eq!(r.status, 403);
    let r = s
        .signed(
            &key,
            "POST",
            &url,
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("bob"), "quoteId": q["id"] })),
        )
        .await;
    assert_eq!(r.status, 403);
    // Malformed JSON, wrong types, unknown fields, both forms at once.
    for bad in [
        json!("not an object"),
        json!({ "walletAddress": 5, "quoteId": q["id"] }),
        json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"], "extra": 1 }),
        json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"], "incomingPayment": ip["id"], "debitAmount": amount("1", "EUR", 2) }),
        json!({ "walletAddress": s.wallet("shopper"), "incomingPayment": ip["id"], "debitAmount": { "value": "-1", "assetCode": "EUR", "assetScale": 2 } }),
    ] {
        let r = s
            .signed(&key, "POST", &url, Some(&token), Some(bad.clone()))
            .await;
        assert_eq!(
            (r.status, code(&r)),
            (400, "invalid_request".to_owned()),
            "{bad}"
        );
    }
    let raw = b"{\"walletAddress\":".to_vec();
    let signed = sign_request(
        &HttpRequest::new("POST", &url, &headers).with_body(&raw),
        &key,
        u64::try_from(real_now()).unwrap(),
    )
    .unwrap();
    let mut b = s.http.post(&url).header("Authorization", &auth);
    for (n, v) in signed.to_pairs() {
        if n != "Content-Length" {
            b = b.header(n, v);
        }
    }
    let r = Sbx::finish(b.body(raw).send().await.unwrap()).await;
    assert_eq!((r.status, code(&r)), (400, "invalid_request".to_owned()));
    // Oversized body.
    let big = json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"], "metadata": { "pad": "x".repeat(5000) } });
    let r = s.signed(&key, "POST", &url, Some(&token), Some(big)).await;
    assert_eq!((r.status, code(&r)), (413, "payload_too_large".to_owned()));
    // Grant request signed with a wrong key: AS error code.
    let r = s
        .signed(
            &stranger,
            "POST",
            &s.auth("bank-a"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "quote", "actions": ["create"] }] },
                "client": { "walletAddress": s.wallet("shop") }
            })),
        )
        .await;
    assert_eq!((r.status, code(&r)), (401, "invalid_client".to_owned()));
    let r = s.post(&s.auth("bank-a"), json!({ "client": 5 })).await;
    assert_eq!(r.status, 400);
    // Nothing moved, the quote is still usable.
    assert_eq!(s.balances().await, before);
    assert_eq!(
        pay_quote(&s, &key, &token, q["id"].as_str().unwrap())
            .await
            .status,
        201
    );
}
