//! Amount and wallet-address exports as JS sees them: strings in, plain objects out, and
//! `OpenPaymentsError`s (real `Error`s with `code` and `field`) for every bad input.

use js_sys::{Object, Reflect, JSON};
use open_payments_wasm::js::amount::{
    add_amounts, compare_amounts, format_amount, parse_amount, subtract_amounts, validate_amount,
};
use open_payments_wasm::js::wallet_address::resolve_wallet_address_url;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn asset(code: &str, scale: u32) -> JsValue {
    json(&format!(r#"{{"assetCode":"{code}","assetScale":{scale}}}"#))
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

/// Asserts `err` is an `OpenPaymentsError` (a real `Error`) with this code and field.
fn assert_error(err: JsValue, code: &str, field: Option<&str>) {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {err:?}"
    );
    let proto = Object::get_prototype_of(&err);
    let ctor = get(&proto.into(), "constructor");
    assert_eq!(
        get(&ctor, "name").as_string().as_deref(),
        Some("OpenPaymentsError")
    );
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("OpenPaymentsError")
    );
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some(code),
        "{err:?}"
    );
    assert_eq!(get(&err, "field").as_string().as_deref(), field, "{err:?}");
    let message = err.unchecked_ref::<js_sys::Error>().message();
    assert!(!String::from(message).is_empty());
}

#[wasm_bindgen_test]
fn parse_amount_returns_the_wire_object_with_a_string_value() {
    let amount = parse_amount("12.34".into(), asset("USD", 2)).unwrap();
    assert_eq!(
        JSON::stringify(&amount).unwrap().as_string().unwrap(),
        r#"{"value":"1234","assetCode":"USD","assetScale":2}"#
    );
    let big = parse_amount("184467440737095516.15".into(), asset("USD", 2)).unwrap();
    assert_eq!(
        get(&big, "value").as_string().as_deref(),
        Some("18446744073709551615")
    );
}

#[wasm_bindgen_test]
fn parse_amount_refuses_bad_text_with_codes() {
    assert_error(
        parse_amount("12.345".into(), asset("USD", 2)).unwrap_err(),
        "too_many_decimals",
        Some("value"),
    );
    assert_error(
        parse_amount("0.5".into(), asset("JPY", 0)).unwrap_err(),
        "too_many_decimals",
        Some("value"),
    );
    assert_error(
        parse_amount("-1".into(), asset("USD", 2)).unwrap_err(),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        parse_amount("1e3".into(), asset("USD", 2)).unwrap_err(),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        parse_amount("1,000".into(), asset("USD", 2)).unwrap_err(),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        parse_amount(JsValue::from_f64(12.5), asset("USD", 2)).unwrap_err(),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        parse_amount("99999999999999999999".into(), asset("USD", 2)).unwrap_err(),
        "amount_overflow",
        Some("value"),
    );
    assert_error(
        parse_amount("1".into(), asset("usd", 2)).unwrap_err(),
        "invalid_asset_code",
        Some("assetCode"),
    );
    assert_error(
        parse_amount("1".into(), asset("USD", 256)).unwrap_err(),
        "invalid_asset_scale",
        Some("assetScale"),
    );
    assert_error(
        parse_amount("1".into(), json(r#"{"assetCode":"USD"}"#)).unwrap_err(),
        "missing_field",
        Some("assetScale"),
    );
}

#[wasm_bindgen_test]
fn format_amount_is_exact_plain_and_with_a_locale() {
    let a = json(r#"{"value":"123456789","assetCode":"USD","assetScale":2}"#);
    assert_eq!(format_amount(a.clone(), None).unwrap(), "1234567.89");
    let en = json(r#"{"locale":"en-US"}"#);
    assert_eq!(format_amount(a.clone(), Some(en)).unwrap(), "1,234,567.89");
    let cur = json(r#"{"locale":"en-US","style":"currency"}"#);
    assert_eq!(format_amount(a, Some(cur)).unwrap(), "$1,234,567.89");
    // Above 2^53: a float would lose the last digits; the exact decimal string does not.
    let max = json(r#"{"value":"18446744073709551615","assetCode":"EUR","assetScale":2}"#);
    let de = json(r#"{"locale":"de-DE"}"#);
    assert_eq!(
        format_amount(max, Some(de)).unwrap(),
        "184.467.440.737.095.516,15"
    );
}

#[wasm_bindgen_test]
fn format_amount_refuses_bad_options_and_amounts() {
    let a = json(r#"{"value":"1","assetCode":"USD","assetScale":2}"#);
    assert_error(
        format_amount(a.clone(), Some(json(r#"{"locale":"not a locale!!"}"#))).unwrap_err(),
        "invalid_format_options",
        Some("locale"),
    );
    assert_error(
        format_amount(a, Some(json(r#"{"locale":"en","style":"percent"}"#))).unwrap_err(),
        "invalid_value",
        Some("style"),
    );
    let numeric = json(r#"{"value":1,"assetCode":"USD","assetScale":2}"#);
    assert_error(
        format_amount(numeric, None).unwrap_err(),
        "invalid_amount",
        Some("value"),
    );
}

#[wasm_bindgen_test]
fn arithmetic_is_checked_and_same_asset_only() {
    let one = json(r#"{"value":"1","assetCode":"USD","assetScale":2}"#);
    let two = json(r#"{"value":"2","assetCode":"USD","assetScale":2}"#);
    let max = json(r#"{"value":"18446744073709551615","assetCode":"USD","assetScale":2}"#);
    let eur = json(r#"{"value":"1","assetCode":"EUR","assetScale":2}"#);
    let sum = add_amounts(one.clone(), two.clone()).unwrap();
    assert_eq!(get(&sum, "value").as_string().as_deref(), Some("3"));
    let diff = subtract_amounts(two.clone(), one.clone()).unwrap();
    assert_eq!(get(&diff, "value").as_string().as_deref(), Some("1"));
    assert_eq!(compare_amounts(one.clone(), two.clone()).unwrap(), -1);
    assert_eq!(compare_amounts(two.clone(), one.clone()).unwrap(), 1);
    assert_eq!(compare_amounts(one.clone(), one.clone()).unwrap(), 0);
    assert_error(
        add_amounts(max, one.clone()).unwrap_err(),
        "amount_overflow",
        Some("value"),
    );
    assert_error(
        subtract_amounts(one.clone(), two).unwrap_err(),
        "amount_underflow",
        Some("value"),
    );
    assert_error(
        add_amounts(one.clone(), eur.clone()).unwrap_err(),
        "asset_mismatch",
        Some("value"),
    );
    assert_error(
        compare_amounts(one, eur).unwrap_err(),
        "asset_mismatch",
        Some("value"),
    );
}

#[wasm_bindgen_test]
fn validate_amount_checks_every_wire_rule() {
    let ok = validate_amount(json(r#"{"value":"0042","assetCode":"USD","assetScale":2}"#)).unwrap();
    assert_eq!(get(&ok, "value").as_string().as_deref(), Some("42"));
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
        assert_error(validate_amount(json(text)).unwrap_err(), code, Some(field));
    }
    assert_error(
        validate_amount(json("[1]")).unwrap_err(),
        "invalid_type",
        None,
    );
}

#[wasm_bindgen_test]
fn wallet_addresses_resolve_or_fail_with_a_code() {
    assert_eq!(
        resolve_wallet_address_url("$wallet.example/alice").unwrap(),
        "https://wallet.example/alice"
    );
    assert_eq!(
        resolve_wallet_address_url("$wallet.example").unwrap(),
        "https://wallet.example/.well-known/pay"
    );
    assert_error(
        resolve_wallet_address_url("http://wallet.example/alice").unwrap_err(),
        "insecure_wallet_address",
        Some("walletAddress"),
    );
    assert_error(
        resolve_wallet_address_url("alice@wallet").unwrap_err(),
        "invalid_wallet_address",
        Some("walletAddress"),
    );
}
