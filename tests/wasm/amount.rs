//! Amount and wallet-address exports as the facade calls them: an object's kind and its members
//! as tagged strings (what `src/js/facade/amount.ts` makes of `JSON.parse(JSON.stringify(x))`),
//! an answer out (the result's JSON text, or `!` + the error JSON with `code` and `field`). The
//! cases are written as JSON text and split here the way the facade splits them.

use super::answer::{assert_error, ok};
use open_payments_wasm::js::amount::{
    add_amounts, compare_amounts, decimal_amount, parse_amount, subtract_amounts, validate_amount,
};
use open_payments_wasm::js::wallet_address::resolve_wallet_address_url;
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

/// One JSON value as the facade tags it (`tag` in src/js/facade/amount.ts).
fn tag(value: Option<&Value>) -> String {
    match value {
        None => "-".to_owned(),
        Some(Value::Null) => "z".to_owned(),
        Some(Value::Bool(_)) => "t".to_owned(),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) if i.unsigned_abs() < (1 << 53) => format!("i{i}"),
            _ => format!("f{n}"),
        },
        Some(Value::String(s)) => format!("s{s}"),
        Some(Value::Array(_)) => "a".to_owned(),
        Some(Value::Object(_)) => "o".to_owned(),
    }
}

/// The kind of the JSON text's value, then each member of `names`.
fn parts(json: &str, names: &[&str]) -> Vec<String> {
    let value: Value = serde_json::from_str(json).unwrap();
    let mut out = vec![tag(Some(&value))];
    out.extend(
        names
            .iter()
            .map(|name| tag(value.as_object().and_then(|o| o.get(*name)))),
    );
    out
}

fn amount(json: &str) -> Vec<String> {
    parts(json, &["value", "assetCode", "assetScale"])
}

fn parse(text: &str, asset: &str) -> String {
    let p = parts(asset, &["assetCode", "assetScale"]);
    parse_amount(text, &p[0], &p[1], &p[2])
}

fn decimal(json: &str) -> String {
    let p = amount(json);
    decimal_amount(&p[0], &p[1], &p[2], &p[3])
}

fn validate(json: &str) -> String {
    let p = amount(json);
    validate_amount(&p[0], &p[1], &p[2], &p[3])
}

type Binary = fn(&str, &str, &str, &str, &str, &str, &str, &str) -> String;

fn binary(op: Binary, a: &str, b: &str) -> String {
    let (a, b) = (amount(a), amount(b));
    op(&a[0], &a[1], &a[2], &a[3], &b[0], &b[1], &b[2], &b[3])
}

fn add(a: &str, b: &str) -> String {
    binary(add_amounts, a, b)
}

fn sub(a: &str, b: &str) -> String {
    binary(subtract_amounts, a, b)
}

fn cmp(a: &str, b: &str) -> String {
    binary(compare_amounts, a, b)
}

fn asset(code: &str, scale: u32) -> String {
    format!(r#"{{"assetCode":"{code}","assetScale":{scale}}}"#)
}

#[wasm_bindgen_test]
fn parse_amount_returns_the_wire_object_with_a_string_value() {
    assert_eq!(
        parse("12.34", &asset("USD", 2)),
        r#"{"value":"1234","assetCode":"USD","assetScale":2}"#
    );
    let big = ok(&parse("184467440737095516.15", &asset("USD", 2)));
    assert_eq!(big["value"].as_str(), Some("18446744073709551615"));
}

#[wasm_bindgen_test]
fn parse_amount_refuses_bad_text_with_codes() {
    assert_error(
        &parse("12.345", &asset("USD", 2)),
        "too_many_decimals",
        Some("value"),
    );
    assert_error(
        &parse("0.5", &asset("JPY", 0)),
        "too_many_decimals",
        Some("value"),
    );
    assert_error(
        &parse("-1", &asset("USD", 2)),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        &parse("1e3", &asset("USD", 2)),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        &parse("1,000", &asset("USD", 2)),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        &parse("99999999999999999999", &asset("USD", 2)),
        "amount_overflow",
        Some("value"),
    );
    assert_error(
        &parse("1", &asset("usd", 2)),
        "invalid_asset_code",
        Some("assetCode"),
    );
    assert_error(
        &parse("1", &asset("USD", 256)),
        "invalid_asset_scale",
        Some("assetScale"),
    );
    assert_error(
        &parse("1", r#"{"assetCode":"USD"}"#),
        "missing_field",
        Some("assetScale"),
    );
}

#[wasm_bindgen_test]
fn decimal_amount_is_the_exact_text_with_its_asset() {
    let a = ok(&decimal(
        r#"{"value":"123456789","assetCode":"USD","assetScale":2}"#,
    ));
    assert_eq!(a["text"].as_str(), Some("1234567.89"));
    assert_eq!(a["code"].as_str(), Some("USD"));
    assert_eq!(a["scale"].as_u64(), Some(2));
    // Above 2^53: a float would lose the last digits; the exact decimal string does not.
    let max = ok(&decimal(
        r#"{"value":"18446744073709551615","assetCode":"EUR","assetScale":2}"#,
    ));
    assert_eq!(max["text"].as_str(), Some("184467440737095516.15"));
    assert_eq!(max["code"].as_str(), Some("EUR"));
}

#[wasm_bindgen_test]
fn decimal_amount_refuses_bad_amounts() {
    assert_error(
        &decimal(r#"{"value":1,"assetCode":"USD","assetScale":2}"#),
        "invalid_amount",
        Some("value"),
    );
}

#[wasm_bindgen_test]
fn arithmetic_is_checked_and_same_asset_only() {
    let one = r#"{"value":"1","assetCode":"USD","assetScale":2}"#;
    let two = r#"{"value":"2","assetCode":"USD","assetScale":2}"#;
    let max = r#"{"value":"18446744073709551615","assetCode":"USD","assetScale":2}"#;
    let eur = r#"{"value":"1","assetCode":"EUR","assetScale":2}"#;
    assert_eq!(ok(&add(one, two))["value"].as_str(), Some("3"));
    assert_eq!(ok(&sub(two, one))["value"].as_str(), Some("1"));
    assert_eq!(cmp(one, two), "-1");
    assert_eq!(cmp(two, one), "1");
    assert_eq!(cmp(one, one), "0");
    assert_error(&add(max, one), "amount_overflow", Some("value"));
    assert_error(&sub(one, two), "amount_underflow", Some("value"));
    assert_error(&add(one, eur), "asset_mismatch", Some("value"));
    assert_error(&cmp(one, eur), "asset_mismatch", Some("value"));
}

#[wasm_bindgen_test]
fn validate_amount_checks_every_wire_rule() {
    let normalised = ok(&validate(
        r#"{"value":"0042","assetCode":"USD","assetScale":2}"#,
    ));
    assert_eq!(normalised["value"].as_str(), Some("42"));
    let cases = [
        (
            r#"{"value":"4.2","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
            "value",
        ),
        (
            r#"{"value":" 42","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
            "value",
        ),
        (
            r#"{"value":"","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
            "value",
        ),
        (
            r#"{"value":"18446744073709551616","assetCode":"USD","assetScale":2}"#,
            "amount_overflow",
            "value",
        ),
        (
            r#"{"value":"1","assetCode":"USD","assetScale":1.5}"#,
            "invalid_asset_scale",
            "assetScale",
        ),
        (
            r#"{"value":"1","assetCode":"USD","assetScale":-1}"#,
            "invalid_asset_scale",
            "assetScale",
        ),
        (
            r#"{"value":"1","assetCode":"US","assetScale":2}"#,
            "invalid_asset_code",
            "assetCode",
        ),
        (
            r#"{"value":"1","assetScale":2}"#,
            "missing_field",
            "assetCode",
        ),
    ];
    for (text, code, field) in cases {
        assert_error(&validate(text), code, Some(field));
    }
    assert_error(&validate("[1]"), "invalid_type", None);
    // Wrong kinds: a number for `value` is an amount error, an object is a type error; members
    // are checked in key order (assetCode, assetScale, value), then the missing ones.
    assert_error(
        &validate(r#"{"value":{},"assetCode":"USD","assetScale":2}"#),
        "invalid_type",
        Some("value"),
    );
    assert_error(
        &validate(r#"{"value":5,"assetCode":5,"assetScale":"2"}"#),
        "invalid_type",
        Some("assetCode"),
    );
    assert_error(
        &validate(r#"{"value":5,"assetScale":"2"}"#),
        "invalid_asset_scale",
        Some("assetScale"),
    );
    assert_error(
        &validate(r#"{"value":true,"assetCode":"USD","assetScale":2}"#),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        &validate(r#"{"assetCode":"USD"}"#),
        "missing_field",
        Some("value"),
    );
}

#[wasm_bindgen_test]
fn wallet_addresses_resolve_or_fail_with_a_code() {
    assert_eq!(
        ok(&resolve_wallet_address_url("$wallet.example/alice")),
        "https://wallet.example/alice"
    );
    assert_eq!(
        ok(&resolve_wallet_address_url("$wallet.example")),
        "https://wallet.example/.well-known/pay"
    );
    assert_error(
        &resolve_wallet_address_url("http://wallet.example/alice"),
        "insecure_wallet_address",
        Some("walletAddress"),
    );
    assert_error(
        &resolve_wallet_address_url("alice@wallet"),
        "invalid_wallet_address",
        Some("walletAddress"),
    );
}
