//! The authorization server: non-interactive and interactive grants, consent, polling, tokens, subjects, interaction lifetimes.

use super::harness::*;

#[tokio::test]
pub(crate) async fn non_interactive_grants_for_wallet_client_and_inline_jwk() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let r = s
        .signed(&key, "POST", &s.auth("bank-a"), None, Some(json!({
            "access_token": { "access": [{ "type": "incoming-payment", "actions": ["create", "read"] }, { "type": "quote", "actions": ["create"] }] },
            "client": { "walletAddress": s.wallet("shop") }
        })))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["access_token"]["value"].is_string());
    assert_eq!(r.body["access_token"]["expires_in"], 600);
    assert!(r.body["continue"]["uri"]
        .as_str()
        .unwrap()
        .starts_with(&s.auth("bank-a")));
    assert!(r.body.get("interact").is_none());
    // Directed identity: the key inline, not registered anywhere.
    let inline = PrivateKey::generate("inline-1").unwrap();
    let jwk = serde_json::to_value(inline.public_jwk()).unwrap();
    let r = s
        .signed(
            &inline,
            "POST",
            &s.auth("bank-b"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "quote", "actions": ["create", "read"] }] },
                "client": { "jwk": jwk }
            })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Inline jwk for an interactive grant is refused.
    let r = s
        .signed(&inline, "POST", &s.auth("bank-b"), None, Some(json!({
            "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create"], "identifier": s.wallet("bob") }] },
            "client": { "jwk": jwk },
            "interact": { "start": ["redirect"] }
        })))
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (400, Some("invalid_client"))
    );
    // A client wallet not on the sandbox.
    let r = s
        .signed(
            &key,
            "POST",
            &s.auth("bank-a"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "quote", "actions": ["create"] }] },
                "client": { "walletAddress": "https://elsewhere.example/app" }
            })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (400, Some("invalid_client"))
    );
    // Outgoing-payment without interact.
    let r = s
        .signed(&key, "POST", &s.auth("bank-a"), None, Some(json!({
            "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create"], "identifier": s.wallet("alice") }] },
            "client": { "walletAddress": s.wallet("shop") }
        })))
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
}

pub(crate) fn query_value(url: &str, name: &str) -> Option<String> {
    let u = reqwest::Url::parse(url).unwrap();
    u.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
pub(crate) async fn consent_form_approve_redirects_with_correct_hash_and_continue_issues_token() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let pending = s.pending_grant(&key).await;
    assert_eq!(pending.status, 200, "{:?}", pending.body);
    assert_eq!(pending.body["continue"]["wait"], 1);
    let redirect = pending.body["interact"]["redirect"].as_str().unwrap();
    let page = s.http.get(redirect).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&s.wallet("shop"))
            && html.contains("50.00 EUR")
            && html.contains("Approve")
            && html.contains("Deny")
    );
    // Submit the Approve form as a browser would.
    let r = s
        .http
        .post(redirect)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("http://localhost:9/return?order=7&hash="));
    let hash = query_value(&location, "hash").unwrap();
    let interact_ref = query_value(&location, "interact_ref").unwrap();
    verify_interaction_hash(
        "nonce-123",
        pending.body["interact"]["finish"].as_str().unwrap(),
        &interact_ref,
        &s.auth("bank-b"),
        &hash,
    )
    .unwrap();
    assert!(hash.ends_with('='), "padded standard base64: {hash}");
    // A second decision is refused.
    let again = s
        .http
        .post(redirect)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=deny")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 409);
    let uri = pending.body["continue"]["uri"].as_str().unwrap();
    let ctoken = pending.body["continue"]["access_token"]["value"]
        .as_str()
        .unwrap();
    // Wrong interact_ref, wrong continuation token.
    let r = s
        .signed(
            &key,
            "POST",
            uri,
            Some(ctoken),
            Some(json!({ "interact_ref": "nope" })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (404, Some("invalid_request"))
    );
    let r = s
        .signed(
            &key,
            "POST",
            uri,
            Some("WRONG"),
            Some(json!({ "interact_ref": interact_ref })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("invalid_continuation"))
    );
    // Polling a grant that has finish is refused.
    let r = s.signed(&key, "POST", uri, Some(ctoken), None).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("request_denied"))
    );
    let r = s
        .signed(
            &key,
            "POST",
            uri,
            Some(ctoken),
            Some(json!({ "interact_ref": interact_ref })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["access_token"]["access"][0]["identifier"],
        s.wallet("shopper")
    );
    // Continuing twice is refused.
    let r = s
        .signed(
            &key,
            "POST",
            uri,
            Some(ctoken),
            Some(json!({ "interact_ref": interact_ref })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("request_denied"))
    );
}

#[tokio::test]
pub(crate) async fn consent_deny_by_form_and_by_dev_endpoint() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let pending = s.pending_grant(&key).await;
    let redirect = pending.body["interact"]["redirect"].as_str().unwrap();
    let r = s
        .http
        .post(redirect)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=deny")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        query_value(&location, "result").as_deref(),
        Some("grant_rejected")
    );
    assert!(query_value(&location, "hash").is_none());
    // Dev endpoint deny on another grant; continuing a denied grant fails.
    let pending = s.pending_grant(&key).await;
    let id = interaction_id(&pending.body);
    let d = s
        .post(&s.dev(&format!("interactions/{id}/deny")), json!({}))
        .await;
    assert_eq!(d.status, 200);
    assert!(d.body["redirect"]
        .as_str()
        .unwrap()
        .contains("result=grant_rejected"));
    let d = s
        .post(&s.dev(&format!("interactions/{id}/approve")), json!({}))
        .await;
    assert_eq!(d.status, 409);
}

#[tokio::test]
pub(crate) async fn polling_grant_enforces_wait_then_returns_token() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let pending = s
        .signed(
            &key,
            "POST",
            &s.auth("bank-b"),
            None,
            Some(interactive_body(&s, false)),
        )
        .await;
    assert_eq!(pending.status, 200);
    let uri = pending.body["continue"]["uri"].as_str().unwrap();
    let ctoken = pending.body["continue"]["access_token"]["value"]
        .as_str()
        .unwrap();
    let r = s.signed(&key, "POST", uri, Some(ctoken), None).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (400, Some("too_fast"))
    );
    s.advance(2).await;
    let r = s.signed(&key, "POST", uri, Some(ctoken), None).await;
    assert_eq!(r.status, 200);
    assert!(r.body.get("access_token").is_none());
    assert_eq!(r.body["continue"]["wait"], 1);
    let id = interaction_id(&pending.body);
    let d = s
        .post(&s.dev(&format!("interactions/{id}/approve")), json!({}))
        .await;
    assert_eq!(d.status, 200);
    assert!(d.body.get("redirect").is_none());
    s.advance(2).await;
    let r = s.signed(&key, "POST", uri, Some(ctoken), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["access_token"]["value"].is_string());
}

#[tokio::test]
pub(crate) async fn token_rotation_revocation_and_grant_cancellation() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let grant = s
        .signed(&key, "POST", &s.auth("bank-a"), None, Some(json!({
            "access_token": { "access": [{ "type": "incoming-payment", "actions": ["create", "read", "list"] }] },
            "client": { "walletAddress": s.wallet("shop") }
        })))
        .await
        .body;
    let list = format!(
        "{}/incoming-payments?wallet-address={}",
        s.rs("bank-a"),
        s.wallet("shop")
    );
    let old = token_of(&grant);
    let manage = grant["access_token"]["manage"].as_str().unwrap();
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&old), None).await.status,
        200
    );
    // Rotate with the wrong token, then properly.
    let r = s.signed(&key, "POST", manage, Some("WRONG"), None).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("invalid_client"))
    );
    let rotated = s.signed(&key, "POST", manage, Some(&old), None).await;
    assert_eq!(rotated.status, 200);
    let new = token_of(&rotated.body);
    assert_ne!(new, old);
    let r = s.signed(&key, "GET", &list, Some(&old), None).await;
    assert_eq!(r.status, 401);
    assert!(r.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("GNAP as_uri="));
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&new), None).await.status,
        200
    );
    // Revoke.
    let new_manage = rotated.body["access_token"]["manage"].as_str().unwrap();
    assert_eq!(
        s.signed(&key, "DELETE", new_manage, Some(&new), None)
            .await
            .status,
        204
    );
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&new), None).await.status,
        401
    );
    assert_eq!(
        s.signed(&key, "POST", new_manage, Some(&new), None)
            .await
            .status,
        404
    );
    // Cancel a grant: its token stops working.
    let grant = s
        .signed(
            &key,
            "POST",
            &s.auth("bank-a"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "incoming-payment", "actions": ["list"] }] },
                "client": { "walletAddress": s.wallet("shop") }
            })),
        )
        .await
        .body;
    let t = token_of(&grant);
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&t), None).await.status,
        200
    );
    let uri = grant["continue"]["uri"].as_str().unwrap();
    let ct = grant["continue"]["access_token"]["value"].as_str().unwrap();
    assert_eq!(
        s.signed(&key, "DELETE", uri, Some(ct), None).await.status,
        204
    );
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&t), None).await.status,
        401
    );
    // Token expiry by the sandbox clock.
    let t = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["list"] }]),
        )
        .await;
    s.advance(601).await;
    let r = s.signed(&key, "GET", &list, Some(&t), None).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("invalid_token"))
    );
}

#[tokio::test]
pub(crate) async fn subject_grant_is_interactive_and_returns_the_subject() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let pending = s
        .signed(&key, "POST", &s.auth("bank-b"), None, Some(json!({
            "subject": { "sub_ids": [{ "id": s.wallet("shopper"), "format": "uri" }] },
            "client": { "walletAddress": s.wallet("shop") },
            "interact": { "start": ["redirect"], "finish": { "method": "redirect", "uri": "http://localhost/back", "nonce": "n1" } }
        })))
        .await;
    assert_eq!(pending.status, 200, "{:?}", pending.body);
    let id = interaction_id(&pending.body);
    let d = s
        .post(&s.dev(&format!("interactions/{id}/approve")), json!({}))
        .await;
    let r = s
        .signed(
            &key,
            "POST",
            pending.body["continue"]["uri"].as_str().unwrap(),
            pending.body["continue"]["access_token"]["value"].as_str(),
            Some(json!({ "interact_ref": d.body["interactRef"] })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["subject"]["sub_ids"][0]["id"], s.wallet("shopper"));
    assert!(r.body.get("access_token").is_none());
}

#[tokio::test]
pub(crate) async fn interactions_expire_after_the_interaction_lifetime() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let request = |finish: bool| {
        let s = &s;
        let key = &key;
        async move {
            let r = s
                .signed(
                    key,
                    "POST",
                    &s.auth("bank-b"),
                    None,
                    Some(interactive_body(s, finish)),
                )
                .await;
            assert_eq!(r.status, 200, "{:?}", r.body);
            r.body
        }
    };
    let with_finish = request(true).await;
    let polling = request(false).await;
    let approved_in_time = request(true).await;
    let d = s
        .post(
            &s.dev(&format!(
                "interactions/{}/approve",
                interaction_id(&approved_in_time)
            )),
            json!({}),
        )
        .await;
    assert_eq!(d.status, 200);
    // Still open shortly before the default 600 s. The sandbox clock is real time (whole
    // seconds) plus the offset, so the requests above may already have used up a second or two.
    s.advance(590).await;
    let redirect = with_finish["interact"]["redirect"].as_str().unwrap();
    assert_eq!(s.http.get(redirect).send().await.unwrap().status(), 200);
    s.advance(10).await;
    // The consent page (GET and the form POST) says it expired.
    let page = s.http.get(redirect).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 410);
    assert!(page.text().await.unwrap().contains("expired"));
    let r = s
        .http
        .post(redirect)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 410);
    // The dev endpoints too.
    for decision in ["approve", "deny"] {
        let d = s
            .post(
                &s.dev(&format!(
                    "interactions/{}/{decision}",
                    interaction_id(&with_finish)
                )),
                json!({}),
            )
            .await;
        assert_eq!(
            (d.status, d.body["error"]["code"].as_str()),
            (410, Some("invalid_interaction")),
            "{:?}",
            d.body
        );
        assert!(d.body["error"]["description"]
            .as_str()
            .unwrap()
            .contains("expired"));
    }
    // Continuing (with an interact_ref or by polling) fails with 401 request_denied.
    for (pending, body) in [
        (&with_finish, Some(json!({ "interact_ref": "anything" }))),
        (&polling, None),
    ] {
        let r = s
            .signed(
                &key,
                "POST",
                pending["continue"]["uri"].as_str().unwrap(),
                pending["continue"]["access_token"]["value"].as_str(),
                body,
            )
            .await;
        assert_eq!(
            (r.status, r.body["error"]["code"].as_str()),
            (401, Some("request_denied")),
            "{:?}",
            r.body
        );
    }
    // A grant approved in time can still be continued.
    let r = s
        .signed(
            &key,
            "POST",
            approved_in_time["continue"]["uri"].as_str().unwrap(),
            approved_in_time["continue"]["access_token"]["value"].as_str(),
            Some(json!({ "interact_ref": d.body["interactRef"] })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["access_token"]["value"].is_string());
}

#[tokio::test]
pub(crate) async fn interaction_lifetime_is_configurable() {
    let s = start_with(SandboxConfig {
        interaction_lifetime_seconds: 30,
        ..SandboxConfig::default()
    })
    .await;
    let key = s.client_key("shop").await;
    let pending = s.pending_grant(&key).await;
    s.advance(30).await;
    let d = s
        .post(
            &s.dev(&format!(
                "interactions/{}/approve",
                interaction_id(&pending.body)
            )),
            json!({}),
        )
        .await;
    assert_eq!(d.status, 410, "{:?}", d.body);
}
