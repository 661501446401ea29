//! Strictness on the wire: a body changed in transit after signing, malformed JSON bytes and an
//! oversized body get the right status and change nothing. Who may call (unsigned, stale, future,
//! tampered, misaddressed signatures, tokens of another scope or ASE) and what bodies are valid
//! are rules tested in process (`src/sandbox/tests/{signatures,grants,requests}.rs`).

use super::harness::*;

#[tokio::test]
pub(crate) async fn strict_requests_get_the_right_status_and_change_nothing() {
    let s = start_over_http_with(SandboxConfig {
        max_body_bytes: 4096,
        ..SandboxConfig::default()
    })
    .await;
    let key = s.client_key("shop").await;
    let (_ip, q, grant) = s.shop_sale(&key, "100").await;
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
    // Malformed JSON as it arrives on the socket.
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
    // Nothing moved, the quote is still usable.
    assert_eq!(s.balances().await, before);
    assert_eq!(
        pay_quote(&s, &key, &token, q["id"].as_str().unwrap())
            .await
            .status,
        201
    );
}
