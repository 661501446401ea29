//! Incoming payments: create, read (own, all), public view, complete, list both ways.

use super::harness::*;

#[tokio::test]
pub(crate) async fn incoming_payments_create_get_public_complete_and_paginate_both_ways() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let token = s
        .grant_token(&key, &s.wallet("shop"), "bank-a", json!([{ "type": "incoming-payment", "actions": ["create", "read", "list", "complete"], "identifier": s.wallet("shop") }]))
        .await;
    let coll = format!("{}/incoming-payments", s.rs("bank-a"));
    let created = s
        .signed(
            &key,
            "POST",
            &coll,
            Some(&token),
            Some(json!({
                "walletAddress": s.wallet("shop"),
                "incomingAmount": amount("2500", "USD", 2),
                "expiresAt": "2099-01-01T00:00:00Z",
                "metadata": { "externalRef": "INV-1" }
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let p = &created.body;
    assert_eq!(p["receivedAmount"], amount("0", "USD", 2));
    assert_eq!(p["metadata"]["externalRef"], "INV-1");
    assert_eq!(p["methods"][0]["type"], "ilp");
    let id = p["id"].as_str().unwrap();
    // Authenticated get, public get.
    let full = s.signed(&key, "GET", id, Some(&token), None).await;
    assert_eq!((full.status, &full.body["id"]), (200, &p["id"]));
    let public = s.get(id).await;
    assert_eq!(public.status, 200);
    assert_eq!(
        public.body,
        json!({ "receivedAmount": amount("0", "USD", 2), "authServer": s.auth("bank-a") })
    );
    // Wrong asset, unknown wallet, identifier mismatch.
    let r = s.signed(&key, "POST", &coll, Some(&token), Some(json!({ "walletAddress": s.wallet("shop"), "incomingAmount": amount("1", "EUR", 2) }))).await;
    assert_eq!(r.status, 400);
    let r = s
        .signed(
            &key,
            "POST",
            &coll,
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("alice") })),
        )
        .await;
    assert_eq!(r.status, 403);
    // Without an amount; then 5 more for paging (7 in all).
    let r = s
        .signed(
            &key,
            "POST",
            &coll,
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("shop") })),
        )
        .await;
    assert_eq!(r.status, 201);
    assert!(r.body.get("incomingAmount").is_none());
    for _ in 0..5 {
        s.signed(
            &key,
            "POST",
            &coll,
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("shop") })),
        )
        .await;
    }
    let list = |q: &str| format!("{coll}?wallet-address={}{q}", s.wallet("shop"));
    let (harness, signer, bearer) = (&s, &key, &token);
    let get = |q: String| {
        let url = list(&q);
        async move {
            harness
                .signed(signer, "GET", &url, Some(bearer), None)
                .await
        }
    };
    let page1 = get("&first=3".into()).await.body;
    assert_eq!(page1["result"].as_array().unwrap().len(), 3);
    assert_eq!(page1["pagination"]["hasNextPage"], true);
    assert_eq!(page1["pagination"]["hasPreviousPage"], false);
    let end = page1["pagination"]["endCursor"].as_str().unwrap();
    let page2 = get(format!("&first=3&cursor={end}")).await.body;
    assert_eq!(page2["result"].as_array().unwrap().len(), 3);
    assert_eq!(page2["pagination"]["hasPreviousPage"], true);
    let end2 = page2["pagination"]["endCursor"].as_str().unwrap();
    let page3 = get(format!("&first=3&cursor={end2}")).await.body;
    assert_eq!(page3["result"].as_array().unwrap().len(), 1);
    assert_eq!(page3["pagination"]["hasNextPage"], false);
    // The oldest is the first created one.
    assert_eq!(page3["result"][0]["id"], p["id"]);
    // Backwards from page 3.
    let start = page3["pagination"]["startCursor"].as_str().unwrap();
    let back = get(format!("&last=3&cursor={start}")).await.body;
    assert_eq!(back["result"], page2["result"]);
    assert_eq!(back["pagination"]["hasPreviousPage"], true);
    assert_eq!(get("&first=3&last=2".into()).await.status, 400);
    assert_eq!(get("&first=0".into()).await.status, 400);
    // Complete.
    let done = s
        .signed(&key, "POST", &format!("{id}/complete"), Some(&token), None)
        .await;
    assert_eq!(done.status, 200);
    assert_eq!(done.body["completed"], true);
    assert!(done.body.get("methods").is_none());
    let after = s.signed(&key, "GET", id, Some(&token), None).await;
    assert_eq!(after.body["methods"], json!([]));
    assert_eq!(
        s.signed(&key, "GET", &format!("{coll}/nope"), Some(&token), None)
            .await
            .status,
        404
    );
}

/// Creates an incoming payment on `wallet` with the given token (signed by `key`).
pub(crate) async fn create_incoming_with(
    s: &Sbx,
    key: &PrivateKey,
    token: &str,
    wallet: &str,
) -> Value {
    let r = s
        .signed(
            key,
            "POST",
            &format!("{}/incoming-payments", s.rs(s.ase_of(wallet))),
            Some(token),
            Some(json!({ "walletAddress": s.wallet(wallet) })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body
}

/// The ids of a list page.
pub(crate) fn listed_ids(r: &Resp) -> Vec<String> {
    r.body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
pub(crate) async fn read_and_list_cover_own_resources_read_all_and_list_all_cover_the_wallet() {
    let s = start().await;
    let key_a = s.client_key("shop").await;
    let key_b = s.client_key("alice").await;
    let all = ["create", "read", "list", "read-all", "list-all"];
    let token_a = s
        .grant_token(
            &key_a,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["create", "read", "list"] }]),
        )
        .await;
    let token_b = s
        .grant_token(
            &key_b,
            &s.wallet("alice"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["create", "read", "list"] }]),
        )
        .await;
    let token_all = s
        .grant_token(
            &key_a,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": all }]),
        )
        .await;
    // Both clients create incoming payments on the same wallet (`shop`).
    let mine = create_incoming_with(&s, &key_a, &token_a, "shop").await;
    let theirs = create_incoming_with(&s, &key_b, &token_b, "shop").await;
    let mine_id = mine["id"].as_str().unwrap();
    let theirs_id = theirs["id"].as_str().unwrap();
    // `read`: own payment yes, the other client's payment 403.
    let r = s.signed(&key_a, "GET", mine_id, Some(&token_a), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = s
        .signed(&key_a, "GET", theirs_id, Some(&token_a), None)
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = s.signed(&key_b, "GET", mine_id, Some(&token_b), None).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    // `read-all` (same client A, another grant): both.
    for id in [mine_id, theirs_id] {
        let r = s.signed(&key_a, "GET", id, Some(&token_all), None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["id"], id);
        assert!(r.body["methods"].is_array());
    }
    // `list`: only own; `list-all`: both (newest first).
    let list = format!(
        "{}/incoming-payments?wallet-address={}",
        s.rs("bank-a"),
        s.wallet("shop")
    );
    let r = s.signed(&key_a, "GET", &list, Some(&token_a), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(listed_ids(&r), vec![mine_id.to_owned()]);
    let r = s.signed(&key_b, "GET", &list, Some(&token_b), None).await;
    assert_eq!(listed_ids(&r), vec![theirs_id.to_owned()]);
    let r = s.signed(&key_a, "GET", &list, Some(&token_all), None).await;
    assert_eq!(
        listed_ids(&r),
        vec![theirs_id.to_owned(), mine_id.to_owned()]
    );
}
