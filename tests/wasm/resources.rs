use wasm_bindgen_test::wasm_bindgen_test;

use open_payments_wasm::js::resources::{
    parse_create_quote_args, parse_grant_response, parse_incoming_payment,
    parse_outgoing_payment_grant_spent_amounts,
};
use wasm_bindgen::{JsCast, JsValue};

const INCOMING_PAYMENT: &str = r#"{
  "id": "https://ilp.example/incoming-payments/1",
  "walletAddress": "https://ilp.example/alice",
  "completed": false,
  "incomingAmount": {"value": "2500", "assetCode": "USD", "assetScale": 2},
  "receivedAmount": {"value": "0", "assetCode": "USD", "assetScale": 2},
  "metadata": {"externalRef": "INV-1"},
  "createdAt": "2022-03-12T23:20:50.52Z",
  "methods": [{"type": "ilp", "ilpAddress": "g.ilp.abc", "sharedSecret": "1c7eaXa4rd2f"}],
  "somethingNew": true
}"#;

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().into()
}

/// Asserts `result` threw an `Error` with this `code` and `field`.
fn assert_thrown(result: Result<JsValue, JsValue>, code: &str, field: Option<&str>) {
    let thrown = result.expect_err("should throw");
    assert!(
        thrown.is_instance_of::<js_sys::Error>(),
        "not an Error: {thrown:?}"
    );
    assert_eq!(get(&thrown, "code").as_string().as_deref(), Some(code));
    assert_eq!(get(&thrown, "field").as_string().as_deref(), field);
}

#[wasm_bindgen_test]
fn parse_incoming_payment_returns_the_plain_object_without_unknown_fields() {
    let parsed = parse_incoming_payment(json(INCOMING_PAYMENT)).unwrap();
    assert!(get(&parsed, "somethingNew").is_undefined());
    assert_eq!(
        get(&get(&parsed, "receivedAmount"), "value")
            .as_string()
            .as_deref(),
        Some("0")
    );
    assert_eq!(
        get(&parsed, "createdAt").as_string().as_deref(),
        Some("2022-03-12T23:20:50.52Z")
    );
    let methods = js_sys::Array::from(&get(&parsed, "methods"));
    assert_eq!(methods.length(), 1);
    assert_eq!(
        stringify(&get(&parsed, "metadata")),
        r#"{"externalRef":"INV-1"}"#
    );
}

#[wasm_bindgen_test]
fn parse_incoming_payment_throws_with_the_code_and_path_of_a_bad_amount() {
    let bad = INCOMING_PAYMENT.replace(r#""value": "2500""#, r#""value": "25.00""#);
    assert_thrown(
        parse_incoming_payment(json(&bad)),
        "invalid_amount",
        Some("incomingAmount.value"),
    );
    let bad = INCOMING_PAYMENT.replace(
        r#""receivedAmount": {"value": "0", "assetCode": "USD", "assetScale": 2}"#,
        r#""receivedAmount": {"value": "0", "assetCode": "USD", "assetScale": 256}"#,
    );
    assert_thrown(
        parse_incoming_payment(json(&bad)),
        "invalid_asset_scale",
        Some("receivedAmount.assetScale"),
    );
}

#[wasm_bindgen_test]
fn parse_incoming_payment_reports_missing_fields_and_wrong_types() {
    let missing = INCOMING_PAYMENT.replace(r#""createdAt": "2022-03-12T23:20:50.52Z","#, "");
    assert_thrown(
        parse_incoming_payment(json(&missing)),
        "missing_field",
        Some("createdAt"),
    );
    let wrong = INCOMING_PAYMENT.replace(r#""completed": false"#, r#""completed": "no""#);
    assert_thrown(
        parse_incoming_payment(json(&wrong)),
        "invalid_type",
        Some("completed"),
    );
    let timestamp = INCOMING_PAYMENT.replace("2022-03-12T23:20:50.52Z", "yesterday");
    assert_thrown(
        parse_incoming_payment(json(&timestamp)),
        "invalid_timestamp",
        Some("createdAt"),
    );
    let secret = INCOMING_PAYMENT.replace("1c7eaXa4rd2f", "not/base64url=");
    assert_thrown(
        parse_incoming_payment(json(&secret)),
        "invalid_format",
        Some("methods[0].sharedSecret"),
    );
}

#[wasm_bindgen_test]
fn create_quote_args_refuse_unknown_fields_and_both_amounts() {
    let base = r#"{"walletAddress": "https://ilp.example/alice", "receiver": "https://ilp.example/incoming-payments/1", "method": "ilp""#;
    let amount = r#"{"value": "100", "assetCode": "USD", "assetScale": 2}"#;
    assert!(parse_create_quote_args(json(&format!("{base}}}"))).is_ok());
    assert_thrown(
        parse_create_quote_args(json(&format!(r#"{base}, "foo": 1}}"#))),
        "unknown_field",
        Some("foo"),
    );
    let both = format!(r#"{base}, "debitAmount": {amount}, "receiveAmount": {amount}}}"#);
    assert_thrown(
        parse_create_quote_args(json(&both)),
        "conflicting_fields",
        None,
    );
}

#[wasm_bindgen_test]
fn grant_responses_and_spent_amounts_keep_their_shape() {
    let pending = r#"{"interact": {"redirect": "https://auth.example/i", "finish": "f"}, "continue": {"access_token": {"value": "c"}, "uri": "https://auth.example/c", "wait": 5}}"#;
    let parsed = parse_grant_response(json(pending)).unwrap();
    assert_eq!(stringify(&parsed), stringify(&json(pending)));
    let spent = parse_outgoing_payment_grant_spent_amounts(json(
        r#"{"spentReceiveAmount": null, "spentDebitAmount": null}"#,
    ))
    .unwrap();
    assert!(get(&spent, "spentDebitAmount").is_null());
}
