//! The resource checks as the facade calls them: `parseResource(kind, json)` answers the
//! normalised document, or `!` + the error JSON with the code and JSON path of the first bad field.

use wasm_bindgen_test::wasm_bindgen_test;

use super::answer::{error, ok};
use open_payments_wasm::js::resources::parse_resource;

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

/// `JSON.stringify(JSON.parse(text))`: the compact text, members in their order.
fn compact(text: &str) -> String {
    js_sys::JSON::stringify(&js_sys::JSON::parse(text).unwrap())
        .unwrap()
        .into()
}

/// Asserts `answer` is an error with this `code` and `field`.
fn assert_refused(answer: &str, code: &str, field: Option<&str>) {
    let err = error(answer);
    assert_eq!(err["code"].as_str(), Some(code), "{answer}");
    assert_eq!(err["field"].as_str(), field, "{answer}");
}

#[wasm_bindgen_test]
fn parse_incoming_payment_returns_the_plain_object_without_unknown_fields() {
    let parsed = ok(&parse_resource("parseIncomingPayment", INCOMING_PAYMENT));
    assert!(parsed.get("somethingNew").is_none(), "{parsed}");
    assert_eq!(parsed["receivedAmount"]["value"].as_str(), Some("0"));
    assert_eq!(
        parsed["createdAt"].as_str(),
        Some("2022-03-12T23:20:50.52Z")
    );
    assert_eq!(parsed["methods"].as_array().map(Vec::len), Some(1));
    assert_eq!(parsed["metadata"].to_string(), r#"{"externalRef":"INV-1"}"#);
}

#[wasm_bindgen_test]
fn parse_incoming_payment_throws_with_the_code_and_path_of_a_bad_amount() {
    let bad = INCOMING_PAYMENT.replace(r#""value": "2500""#, r#""value": "25.00""#);
    assert_refused(
        &parse_resource("parseIncomingPayment", &bad),
        "invalid_amount",
        Some("incomingAmount.value"),
    );
    let bad = INCOMING_PAYMENT.replace(
        r#""receivedAmount": {"value": "0", "assetCode": "USD", "assetScale": 2}"#,
        r#""receivedAmount": {"value": "0", "assetCode": "USD", "assetScale": 256}"#,
    );
    assert_refused(
        &parse_resource("parseIncomingPayment", &bad),
        "invalid_asset_scale",
        Some("receivedAmount.assetScale"),
    );
}

#[wasm_bindgen_test]
fn parse_incoming_payment_reports_missing_fields_and_wrong_types() {
    let missing = INCOMING_PAYMENT.replace(r#""createdAt": "2022-03-12T23:20:50.52Z","#, "");
    assert_refused(
        &parse_resource("parseIncomingPayment", &missing),
        "missing_field",
        Some("createdAt"),
    );
    let wrong = INCOMING_PAYMENT.replace(r#""completed": false"#, r#""completed": "no""#);
    assert_refused(
        &parse_resource("parseIncomingPayment", &wrong),
        "invalid_type",
        Some("completed"),
    );
    let timestamp = INCOMING_PAYMENT.replace("2022-03-12T23:20:50.52Z", "yesterday");
    assert_refused(
        &parse_resource("parseIncomingPayment", &timestamp),
        "invalid_timestamp",
        Some("createdAt"),
    );
    let secret = INCOMING_PAYMENT.replace("1c7eaXa4rd2f", "not/base64url=");
    assert_refused(
        &parse_resource("parseIncomingPayment", &secret),
        "invalid_format",
        Some("methods[0].sharedSecret"),
    );
}

#[wasm_bindgen_test]
fn create_quote_args_refuse_unknown_fields_and_both_amounts() {
    let base = r#"{"walletAddress": "https://ilp.example/alice", "receiver": "https://ilp.example/incoming-payments/1", "method": "ilp""#;
    let amount = r#"{"value": "100", "assetCode": "USD", "assetScale": 2}"#;
    ok(&parse_resource(
        "parseCreateQuoteArgs",
        &format!("{base}}}"),
    ));
    assert_refused(
        &parse_resource("parseCreateQuoteArgs", &format!(r#"{base}, "foo": 1}}"#)),
        "unknown_field",
        Some("foo"),
    );
    let both = format!(r#"{base}, "debitAmount": {amount}, "receiveAmount": {amount}}}"#);
    assert_refused(
        &parse_resource("parseCreateQuoteArgs", &both),
        "conflicting_fields",
        None,
    );
}

#[wasm_bindgen_test]
fn grant_responses_and_spent_amounts_keep_their_shape() {
    let pending = r#"{"interact": {"redirect": "https://auth.example/i", "finish": "f"}, "continue": {"access_token": {"value": "c"}, "uri": "https://auth.example/c", "wait": 5}}"#;
    let parsed = parse_resource("parseGrantResponse", pending);
    ok(&parsed);
    assert_eq!(compact(&parsed), compact(pending));
    let spent = ok(&parse_resource(
        "parseOutgoingPaymentGrantSpentAmounts",
        r#"{"spentReceiveAmount": null, "spentDebitAmount": null}"#,
    ));
    assert!(spent["spentDebitAmount"].is_null(), "{spent}");
    assert!(spent.get("spentDebitAmount").is_some(), "{spent}");
}

#[wasm_bindgen_test]
fn an_unknown_parser_is_an_internal_error() {
    assert_refused(
        &parse_resource("parseNothing", "{}"),
        "internal_error",
        None,
    );
}
