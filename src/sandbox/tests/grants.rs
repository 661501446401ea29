//! Grants: token scopes (403 outside them) and an interactive grant that issues its token only
//! after approval within the interaction's lifetime.

use super::*;

#[test]
fn wrong_token_scope_is_403() {
    let mut s = Sbx::new();
    let (ip, q, token) = s.payable_quote();
    let (create_only, qtoken) = s.create_only_tokens();
    let before = s.snapshot();
    let op_url = format!("{}/outgoing-payments", rs("bank-b"));
    // A quote token cannot create an outgoing payment.
    let r = s.signed(
        "POST",
        &op_url,
        Some(&qtoken),
        json!({ "walletAddress": wallet("shopper"), "quoteId": q }),
    );
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    // An outgoing-payment grant for shopper cannot pay from bob.
    let r = s.signed(
        "POST",
        &op_url,
        Some(&token),
        json!({ "walletAddress": wallet("bob"), "quoteId": q }),
    );
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    // An incoming-payment token without read cannot read or list.
    let r = s.signed("GET", &ip, Some(&create_only), Value::Null);
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    let list = format!(
        "{}/incoming-payments?wallet-address={}",
        rs("bank-a"),
        crate::sandbox::http::percent_encode(&wallet("shop"))
    );
    let r = s.signed("GET", &list, Some(&create_only), Value::Null);
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    // A quote token cannot read the grant's spent amounts.
    let r = s.signed(
        "GET",
        &format!("{}/outgoing-payment-grant", rs("bank-b")),
        Some(&qtoken),
        Value::Null,
    );
    assert_eq!(r.status, 403, "{:?}", body(&r));
    // A token of another ASE is not valid here at all (401, not 403).
    let r = s.signed(
        "POST",
        &format!("{}/quotes", rs("bank-a")),
        Some(&qtoken),
        json!({ "walletAddress": wallet("alice"), "receiver": ip, "method": "ilp", "debitAmount": amount("1", "USD", 2) }),
    );
    assert_eq!((r.status, code(&r)), (401, "invalid_token".to_owned()));
    assert_eq!(s.snapshot(), before);
    assert_eq!(s.pay(&token, &q).status, 201);
}

#[test]
fn an_interactive_grant_issues_one_token_only_after_approval_in_time() {
    let mut s = Sbx::new();
    let request = json!({
        "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create"], "identifier": wallet("shopper") }] },
        "client": { "walletAddress": wallet("shop") },
        "interact": { "start": ["redirect"], "finish": { "method": "redirect", "uri": "http://localhost/return", "nonce": "n" } }
    });
    let pending = |s: &mut Sbx| {
        let r = s.signed("POST", &auth("bank-b"), None, request.clone());
        assert_eq!(r.status, 200, "{:?}", body(&r));
        let p = body(&r);
        let id = p["interact"]["redirect"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        let uri = p["continue"]["uri"].as_str().unwrap().to_owned();
        let ctoken = token_of(&p["continue"]);
        (id, uri, ctoken)
    };
    let tokens = s.state.tokens.len();
    let (id, uri, ctoken) = pending(&mut s);
    // Before approval: a guessed interact_ref is unknown and no token exists.
    let r = s.signed(
        "POST",
        &uri,
        Some(&ctoken),
        json!({ "interact_ref": "guess" }),
    );
    assert_eq!(r.status, 404, "{:?}", body(&r));
    assert_eq!(s.state.tokens.len(), tokens);
    let d = s.dev_post(&format!("interactions/{id}/approve"), Value::Null);
    assert_eq!(d.status, 200, "{:?}", body(&d));
    let interact_ref = body(&d)["interactRef"].clone();
    assert_eq!(
        s.dev_post(&format!("interactions/{id}/deny"), Value::Null)
            .status,
        409
    );
    let r = s.signed(
        "POST",
        &uri,
        Some(&ctoken),
        json!({ "interact_ref": interact_ref }),
    );
    assert_eq!(r.status, 200, "{:?}", body(&r));
    assert!(body(&r)["access_token"]["value"].is_string());
    assert_eq!(s.state.tokens.len(), tokens + 1);
    // Continuing again issues nothing more.
    let r = s.signed(
        "POST",
        &uri,
        Some(&ctoken),
        json!({ "interact_ref": interact_ref }),
    );
    assert_eq!((r.status, code(&r)), (401, "request_denied".to_owned()));
    // A denied grant yields no token.
    let (id, uri, ctoken) = pending(&mut s);
    let d = s.dev_post(&format!("interactions/{id}/deny"), Value::Null);
    assert_eq!(
        (d.status, body(&d)["status"].as_str()),
        (200, Some("rejected"))
    );
    assert_eq!(
        s.dev_post(&format!("interactions/{id}/approve"), Value::Null)
            .status,
        409
    );
    let r = s.signed("POST", &uri, Some(&ctoken), Value::Null);
    assert_eq!(r.status, 401, "{:?}", body(&r));
    // An interaction left undecided past interactionLifetimeSeconds (600) cannot be approved.
    let (id, uri, ctoken) = pending(&mut s);
    s.advance(601);
    let d = s.dev_post(&format!("interactions/{id}/approve"), Value::Null);
    assert_eq!(
        (d.status, code(&d)),
        (410, "invalid_interaction".to_owned())
    );
    let r = s.signed("POST", &uri, Some(&ctoken), Value::Null);
    assert_eq!((r.status, code(&r)), (401, "request_denied".to_owned()));
    assert_eq!(s.state.tokens.len(), tokens + 1);
}
