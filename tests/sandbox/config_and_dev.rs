//! The configuration file and the development endpoints.

use super::harness::*;

#[tokio::test]
pub(crate) async fn config_file_defines_wallets_keys_and_rates() {
    let key = PrivateKey::generate("app-1").unwrap();
    let jwk = serde_json::to_value(key.public_jwk()).unwrap();
    let text = json!({
        "ases": [
            { "name": "north", "wallets": [
                { "name": "app", "assetCode": "USD", "assetScale": 2, "keys": [jwk] },
                { "name": "payer", "assetCode": "USD", "assetScale": 2, "balance": "700" }
            ] },
            { "name": "south", "wallets": [ { "name": "payee", "assetCode": "MXN", "assetScale": 2 } ] }
        ],
        "exchangeRates": [ { "from": "USD", "to": "MXN", "rate": "17.5" } ],
        "feeBasisPoints": 0,
        "continueWaitSeconds": 0
    })
    .to_string();
    let config = SandboxConfig::from_json(&text).unwrap();
    assert!(SandboxConfig::from_json(r#"{"ases":[{"name":"auth","wallets":[]}]}"#).is_err());
    assert!(SandboxConfig::from_json(r#"{"ases":[],"bogus":1}"#).is_err());
    let s = start_with(config).await;
    // The key came from the config file: no dev registration needed.
    let token = s
        .grant_token(
            &key,
            &s.wallet("app"),
            "south",
            json!([{ "type": "incoming-payment", "actions": ["create"] }]),
        )
        .await;
    let ip = s
        .signed(
            &key,
            "POST",
            &format!("{}/incoming-payments", s.rs("south")),
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("payee") })),
        )
        .await;
    assert_eq!(ip.status, 201);
    let qt = s
        .grant_token(
            &key,
            &s.wallet("app"),
            "north",
            json!([{ "type": "quote", "actions": ["create"] }]),
        )
        .await;
    let q = s
        .signed(&key, "POST", &format!("{}/quotes", s.rs("north")), Some(&qt), Some(json!({
            "walletAddress": s.wallet("payer"), "receiver": ip.body["id"], "method": "ilp", "debitAmount": amount("200", "USD", 2)
        })))
        .await;
    assert_eq!(q.body["receiveAmount"], amount("3500", "MXN", 2));
    assert_eq!(s.balance("payer").await, 700);
}

#[tokio::test]
pub(crate) async fn dev_clock_refuses_out_of_range_offsets() {
    const CENTURY: i64 = 3_155_760_000;
    let s = start().await;
    for bad in [
        json!(-1_000_000_000_000_000_000i64),
        json!(1_000_000_000_000_000_000i64),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(CENTURY + 1),
        json!(-CENTURY - 1),
        json!(-1e18),
        json!(1.5),
        json!("60"),
        Value::Null,
    ] {
        let r = s
            .post(&s.dev("clock"), json!({ "advanceSeconds": bad }))
            .await;
        assert_eq!(r.status, 400, "{bad}: {:?}", r.body);
        assert_eq!(r.body["error"]["code"], "invalid_request", "{bad}");
        let clock = s.get(&s.dev("clock")).await;
        assert_eq!(clock.body["offsetSeconds"], 0, "{bad}");
    }
    // Within ±100 years the clock moves, and the total offset stays within that bound too.
    s.advance(CENTURY).await;
    let r = s
        .post(&s.dev("clock"), json!({ "advanceSeconds": 1 }))
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    s.advance(-2 * CENTURY).await;
    let clock = s.get(&s.dev("clock")).await;
    assert_eq!(clock.body["offsetSeconds"], -CENTURY);
    assert!(clock.body["nowText"].as_str().unwrap().starts_with("19"));
    s.advance(CENTURY).await;
    assert_eq!(s.get(&s.dev("clock")).await.body["offsetSeconds"], 0);
}
