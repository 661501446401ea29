//! The shared helpers: parse, refuse (code and JSON path) and round-trip a document, and one valid
//! document per model that the tests change one member of.

pub(crate) use open_payments_wasm::resources::*;
pub(crate) use open_payments_wasm::ErrorCode;
pub(crate) use serde::de::DeserializeOwned;
pub(crate) use serde::Serialize;
pub(crate) use serde_json::{json, Value};

pub(crate) fn parse<T: DeserializeOwned>(value: &Value) -> Result<T, ResourceError> {
    from_json(&value.to_string())
}

pub(crate) fn refused<T: DeserializeOwned + std::fmt::Debug>(
    value: &Value,
) -> (String, Option<String>) {
    let err = parse::<T>(value).expect_err("should be refused");
    (err.code().to_owned(), err.field())
}

pub(crate) fn round_trips<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let parsed: T = parse(value).unwrap();
    assert_eq!(&serde_json::to_value(&parsed).unwrap(), value);
    parsed
}

pub(crate) fn usd(value: &str) -> Value {
    json!({"value": value, "assetCode": "USD", "assetScale": 2})
}

pub(crate) fn field(path: &str) -> Option<String> {
    Some(path.to_owned())
}

pub(crate) fn wallet_address() -> Value {
    json!({
        "id": "https://ilp.example/alice",
        "publicName": "Alice",
        "assetCode": "USD",
        "assetScale": 2,
        "authServer": "https://auth.example",
        "resourceServer": "https://ilp.example/op"
    })
}

pub(crate) fn incoming_payment() -> Value {
    json!({
        "id": "https://ilp.example/incoming-payments/1",
        "walletAddress": "https://ilp.example/alice",
        "completed": false,
        "incomingAmount": usd("2500"),
        "receivedAmount": usd("0"),
        "expiresAt": "2022-02-03T23:20:50.52Z",
        "metadata": {"externalRef": "INV-1", "nested": {"n": 1.5}},
        "createdAt": "2022-03-12T23:20:50.520+01:00",
        "methods": [{"type": "ilp", "ilpAddress": "g.ilp.abc", "sharedSecret": "1c7eaXa4rd2f_-"}]
    })
}

pub(crate) fn outgoing_payment() -> Value {
    json!({
        "id": "https://ilp.example/outgoing-payments/1",
        "walletAddress": "https://ilp.example/alice",
        "receiver": "https://ilp.example/incoming-payments/1",
        "receiveAmount": usd("2500"),
        "debitAmount": usd("2600"),
        "sentAmount": usd("0"),
        "createdAt": "2022-03-12T23:20:50Z"
    })
}

pub(crate) fn quote_request() -> Value {
    json!({
        "walletAddress": "https://ilp.example/alice",
        "receiver": "https://ilp.example/incoming-payments/1",
        "method": "ilp"
    })
}

pub(crate) fn with(mut base: Value, key: &str, value: Value) -> Value {
    base.as_object_mut().unwrap().insert(key.to_owned(), value);
    base
}
