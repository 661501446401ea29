//! Amount and wallet-address exports as the facade calls them: JSON text and strings in, an
//! answer out (the result's JSON text, or `!` + the error JSON with `code` and `field`).

use super::answer::{assert_error, ok};
use open_payments_wasm::js::amount::{
    add_amounts, compare_amounts, decimal_amount, parse_amount, subtract_amounts, validate_amount,
};
use open_payments_wasm::js::wallet_address::resolve_wallet_address_url;
use wasm_bindgen_test::wasm_bindgen_test;

fn asset(code: &str, scale: u32) -> String {
    format!(r#"{{"assetCode":"{code}","assetScale":{scale}}}"#)
}

#[wasm_bindgen_test]
fn parse_amount_returns_the_wire_object_with_a_string_value() {
    assert_eq!(
        parse_amount("12.34", &asset("USD", 2)),
        r#"{"value":"1234","assetCode":"USD","assetScale":2}"#
    );
    let big = ok(&parse_amount("184467440737095516.15", &asset("USD", 2)));
    assert_eq!(big["value"].as_str(), Some("18446744073709551615"));
}

#[wasm_bindgen_test]
fn parse_amount_refuses_bad_text_with_codes() {
    assert_error(
        &parse_amount("12.345", &asset("USD", 2)),
        "too_many_decimals",
        Some("value"),
    );
    assert_error(
        &parse_amount("0.5", &asset("JPY", 0)),
        "too_many_decimals",
        Some("value"),
    );
    assert_error(
        &parse_amount("-1", &asset("USD", 2)),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        &parse_amount("1e3", &asset("USD", 2)),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        &parse_amount("1,000", &asset("USD", 2)),
        "invalid_amount",
        Some("value"),
    );
    assert_error(
        &parse_amount("99999999999999999999", &asset("USD", 2)),
        "amount_overflow",
        Some("value"),
    );
    assert_error(
        &parse_amount("1", &asset("usd", 2)),
        "invalid_asset_code",
        Some("assetCode"),
    );
    assert_error(
        &parse_amount("1", &asset("USD", 256)),
        "invalid_asset_scale",
        Some("assetScale"),
    );
    assert_error(
        &parse_amount("1", r#"{"assetCode":"USD"}"#),
        "missing_field",
        Some("assetScale"),
    );
}

#[wasm_bindgen_test]
fn decimal_amount_is_the_exact_text_with_its_asset() {
    let a = ok(&decimal_amount(
        r#"{"value":"123456789","assetCode":"USD","assetScale":2}"#,
    ));
    assert_eq!(a["text"].as_str(), Some("1234567.89"));
    assert_eq!(a["code"].as_str(), Some("USD"));
    assert_eq!(a["scale"].as_u64(), Some(2));
    // Above 2^53: a float would lose the last digits; the exact decimal string does not.
    let max = ok(&decimal_amount(
        r#"{"value":"18446744073709551615","assetCode":"EUR","assetScale":2}"#,
    ));
    assert_eq!(max["text"].as_str(), Some("184467440737095516.15"));
    assert_eq!(max["code"].as_str(), Some("EUR"));
}

#[wasm_bindgen_test]
fn decimal_amount_refuses_bad_amounts() {
    assert_error(
        &decimal_amount(r#"{"value":1,"assetCode":"USD","assetScale":2}"#),
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
    assert_eq!(ok(&add_amounts(one, two))["value"].as_str(), Some("3"));
    assert_eq!(ok(&subtract_amounts(two, one))["value"].as_str(), Some("1"));
    assert_eq!(compare_amounts(one, two), "-1");
    assert_eq!(compare_amounts(two, one), "1");
    assert_eq!(compare_amounts(one, one), "0");
    assert_error(&add_amounts(max, one), "amount_overflow", Some("value"));
    assert_error(
        &subtract_amounts(one, two),
        "amount_underflow",
        Some("value"),
    );
    assert_error(&add_amounts(one, eur), "asset_mismatch", Some("value"));
    assert_error(&compare_amounts(one, eur), "asset_mismatch", Some("value"));
}

#[wasm_bindgen_test]
fn validate_amount_checks_every_wire_rule() {
    let normalised = ok(&validate_amount(
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
        assert_error(&validate_amount(text), code, Some(field));
    }
    assert_error(&validate_amount("[1]"), "invalid_type", None);
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
