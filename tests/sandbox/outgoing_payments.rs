//! Outgoing payments over HTTP: money moved across ASEs then read, listed and counted,
//! concurrency, the fault hook, replays. Single-use and expiring quotes and insufficient balance
//! are rules of the resource server tested in process (`src/sandbox/tests/payments.rs`).

use super::harness::*;

#[tokio::test]
pub(crate) async fn outgoing_payment_moves_money_cross_ase_and_is_read_listed_and_counted() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let ip = s
        .incoming(&key, "shop", Some(amount("2500", "USD", 2)))
        .await;
    let q = s
        .quote(&key, "shopper", json!({ "receiver": ip["id"] }))
        .await
        .body;
    let grant = s
        .outgoing_grant(&key, &s.wallet("shop"), "shopper", None)
        .await;
    let token = token_of(&grant);
    let (shopper0, shop0) = (s.balance("shopper").await, s.balance("shop").await);
    let r = pay_quote(&s, &key, &token, q["id"].as_str().unwrap()).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["failed"], false);
    assert_eq!(r.body["debitAmount"], amount("2273", "EUR", 2));
    assert_eq!(r.body["receiveAmount"], amount("2500", "USD", 2));
    assert_eq!(r.body["sentAmount"], amount("2273", "EUR", 2));
    assert_eq!(r.body["grantSpentDebitAmount"], amount("2273", "EUR", 2));
    assert_eq!(r.body["quoteId"], q["id"]);
    assert_eq!(s.balance("shopper").await, shopper0 - 2273);
    assert_eq!(s.balance("shop").await, shop0 + 2500);
    let itoken = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["read-all"] }]),
        )
        .await;
    let got = s
        .signed(&key, "GET", ip["id"].as_str().unwrap(), Some(&itoken), None)
        .await
        .body;
    assert_eq!(got["receivedAmount"], amount("2500", "USD", 2));
    assert_eq!(got["completed"], true);
    // Get and list the outgoing payment.
    let op = s
        .signed(
            &key,
            "GET",
            r.body["id"].as_str().unwrap(),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(op.status, 200);
    assert!(op.body.get("grantSpentDebitAmount").is_none());
    let list = format!(
        "{}/outgoing-payments?wallet-address={}&first=10",
        s.rs("bank-b"),
        s.wallet("shopper")
    );
    let l = s.signed(&key, "GET", &list, Some(&token), None).await;
    assert_eq!(l.body["result"].as_array().unwrap().len(), 1);
    // Spent amounts.
    let spent = s
        .signed(
            &key,
            "GET",
            &format!("{}/outgoing-payment-grant", s.rs("bank-b")),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(spent.status, 200);
    assert_eq!(spent.body["spentDebitAmount"], amount("2273", "EUR", 2));
    assert_eq!(spent.body["spentReceiveAmount"], amount("2500", "USD", 2));
}

#[tokio::test]
pub(crate) async fn outgoing_payment_from_incoming_payment_and_debit_amount() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let ip = s.incoming(&key, "bob", None).await;
    let grant = s
        .outgoing_grant(&key, &s.wallet("shop"), "alice", None)
        .await;
    let r = s
        .signed(&key, "POST", &format!("{}/outgoing-payments", s.rs("bank-a")), Some(&token_of(&grant)), Some(json!({
            "walletAddress": s.wallet("alice"), "incomingPayment": ip["id"], "debitAmount": amount("1000", "USD", 2)
        })))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert!(r.body.get("quoteId").is_none());
    assert_eq!(r.body["receiveAmount"], amount("891", "EUR", 2));
    assert_eq!(s.balance("alice").await, 100_000 - 1000);
    assert_eq!(s.balance("bob").await, 50_000 + 891);
}

#[tokio::test]
pub(crate) async fn concurrent_payments_never_overspend() {
    let s = start_over_http().await;
    let key = Arc::new(s.client_key("shop").await);
    let grant = s.outgoing_grant(&key, &s.wallet("shop"), "bob", None).await;
    let token = Arc::new(token_of(&grant));
    let ip = s.incoming(&key, "shop", None).await;
    let receiver = ip["id"].as_str().unwrap().to_owned();
    // bob has 500.00 EUR; 50 payments of 30.00 EUR: at most 16 can settle.
    let bob0 = s.balance("bob").await;
    let shop0 = s.balance("shop").await;
    // Each payment is its own request (metadata `n`): a byte-identical one signed in the same
    // second would be a replay, refused with 401.
    let mut tasks = Vec::new();
    for n in 0..50 {
        let (s, key, token, receiver) = (s.clone(), key.clone(), token.clone(), receiver.clone());
        tasks.push(tokio::spawn(async move {
            s.signed(&key, "POST", &format!("{}/outgoing-payments", s.rs("bank-b")), Some(&token), Some(json!({
                "walletAddress": s.wallet("bob"), "incomingPayment": receiver, "debitAmount": amount("3000", "EUR", 2),
                "metadata": { "n": n }
            })))
            .await
        }));
    }
    let mut settled = 0u64;
    let mut received = 0u64;
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 201, "{:?}", r.body);
        if r.body["failed"] == false {
            settled += 1;
            received += r.body["receiveAmount"]["value"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .unwrap();
        }
    }
    assert_eq!(settled, bob0 / 3000);
    assert_eq!(s.balance("bob").await, bob0 - settled * 3000);
    assert_eq!(s.balance("shop").await, shop0 + received);
}

#[tokio::test]
pub(crate) async fn fault_hook_commits_then_drops_the_connection() {
    let s = start_over_http().await;
    let key = s.client_key("shop").await;
    let (ip, q, grant) = s.shop_sale(&key, "100").await;
    let token = token_of(&grant);
    let f = s
        .post(
            &s.dev("faults"),
            json!({ "dropConnectionAfterCommit": "outgoing-payment", "times": 1 }),
        )
        .await;
    assert_eq!(f.status, 200);
    let before = s.balance("shopper").await;
    let url = format!("{}/outgoing-payments", s.rs("bank-b"));
    let body = json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"] });
    let err = s
        .send_signed(&key, "POST", &url, Some(&token), Some(&body), 0)
        .await;
    assert!(err.is_err(), "the client must see a connection error");
    // The payment was committed: money moved and it is listed.
    assert_eq!(s.balance("shopper").await, before - 100);
    let list = format!(
        "{}/outgoing-payments?wallet-address={}",
        s.rs("bank-b"),
        s.wallet("shopper")
    );
    let l = s.signed(&key, "GET", &list, Some(&token), None).await;
    assert_eq!(l.body["result"][0]["quoteId"], q["id"]);
    // Only once.
    let q2 = s.fixed_send(&key, &ip, "100").await;
    assert_eq!(
        pay_quote(&s, &key, &token, q2["id"].as_str().unwrap())
            .await
            .status,
        201
    );
}

/// The `Signature` header's `sig1` value of a signed request.
pub(crate) fn signature_of(signed: &Signed) -> String {
    signed
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("signature"))
        .unwrap()
        .1
        .clone()
}

#[tokio::test]
pub(crate) async fn replayed_outgoing_payment_is_refused_and_moves_money_once() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let ip = s.incoming(&key, "bob", None).await;
    let grant = s
        .outgoing_grant(&key, &s.wallet("shop"), "alice", None)
        .await;
    let token = token_of(&grant);
    let url = format!("{}/outgoing-payments", s.rs("bank-a"));
    let body = json!({
        "walletAddress": s.wallet("alice"), "incomingPayment": ip["id"], "debitAmount": amount("1000", "USD", 2)
    });
    let alice0 = s.balance("alice").await;
    let created = s.now();
    let signed = Signed::new(&key, "POST", &url, Some(&token), Some(&body), created);
    let first = s.send(&signed).await.unwrap();
    assert_eq!(first.status, 201, "{:?}", first.body);
    // The identical request again (a replay, or a client resending its POST): 401, nothing moves.
    for _ in 0..2 {
        let again = s.send(&signed).await.unwrap();
        assert_eq!(again.status, 401, "{:?}", again.body);
        assert_eq!(again.body["error"]["code"], "invalid_signature");
        let description = again.body["error"]["description"].as_str().unwrap();
        assert!(
            description.starts_with("signature_replayed:"),
            "{description}"
        );
        assert!(again.headers.contains_key("www-authenticate"));
    }
    // Another spelling of the same Signature header (an extra member) is the same signature.
    let mut respelt = Signed::new(&key, "POST", &url, Some(&token), Some(&body), created);
    let value = format!("{}, sig2=:AAAA:", signature_of(&respelt));
    for (n, v) in &mut respelt.headers {
        if n.eq_ignore_ascii_case("signature") {
            v.clone_from(&value);
        }
    }
    let again = s.send(&respelt).await.unwrap();
    assert_eq!(again.status, 401, "{:?}", again.body);
    assert_eq!(s.balance("alice").await, alice0 - 1000);
    // The same payment signed afresh (another `created`) is a new request and is accepted.
    let fresh = Signed::new(&key, "POST", &url, Some(&token), Some(&body), created - 1);
    assert_eq!(s.send(&fresh).await.unwrap().status, 201);
    assert_eq!(s.balance("alice").await, alice0 - 2000);
    // Reads are idempotent and clients retry them: an identical signed GET is answered again.
    let get = Signed::new(
        &key,
        "GET",
        first.body["id"].as_str().unwrap(),
        Some(&token),
        None,
        created,
    );
    for _ in 0..2 {
        assert_eq!(s.send(&get).await.unwrap().status, 200);
    }
}
