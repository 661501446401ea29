//! Unit tests of [`Amount`](super::Amount): decimal text, formatting, checked arithmetic, asset
//! codes and the wire form.

use super::*;

fn usd(value: u64) -> Amount {
    Amount::new(value, "USD", 2).unwrap()
}

fn parse_err(input: &str, scale: u8) -> String {
    Amount::parse_decimal(input, "USD", scale)
        .unwrap_err()
        .code()
        .to_owned()
}

#[test]
fn decimal_text_converts_exactly_to_minor_units() {
    assert_eq!(
        Amount::parse_decimal("12.34", "USD", 2).unwrap().value(),
        1234
    );
    assert_eq!(Amount::parse_decimal("12", "USD", 2).unwrap().value(), 1200);
    assert_eq!(
        Amount::parse_decimal("12.3", "USD", 2).unwrap().value(),
        1230
    );
    assert_eq!(
        Amount::parse_decimal("12.340", "USD", 2).unwrap().value(),
        1234
    );
    assert_eq!(Amount::parse_decimal("0.005", "ETH", 3).unwrap().value(), 5);
    assert_eq!(Amount::parse_decimal("007", "JPY", 0).unwrap().value(), 7);
    assert_eq!(Amount::parse_decimal("0", "USD", 255).unwrap().value(), 0);
}

#[test]
fn more_decimals_than_the_scale_is_refused_never_rounded() {
    assert_eq!(parse_err("12.345", 2), "too_many_decimals");
    assert_eq!(parse_err("0.5", 0), "too_many_decimals");
    assert_eq!(
        parse_err("0.0000000000000000000000000000001", 30),
        "too_many_decimals"
    );
}

#[test]
fn signs_exponents_separators_and_whitespace_are_refused() {
    for input in [
        "", "+1", "-1", "1e3", "1E3", "1,000", "1_000", "1'000", " 1", "1 ", "1\t", ".5", "5.",
        "1.2.3", "abc", "0x10", "١٢", "NaN", "Infinity",
    ] {
        assert_eq!(parse_err(input, 2), "invalid_amount", "input {input:?}");
    }
}

#[test]
fn values_above_u64_max_overflow_at_every_size() {
    assert_eq!(
        Amount::parse_decimal("18446744073709551615", "XYZ", 0)
            .unwrap()
            .value(),
        u64::MAX
    );
    assert_eq!(parse_err("18446744073709551616", 0), "amount_overflow");
    assert_eq!(parse_err("184467440737095516.16", 2), "amount_overflow");
    assert_eq!(parse_err("1", 20), "amount_overflow");
    assert_eq!(parse_err("1", 255), "amount_overflow");
    assert_eq!(
        parse_err("99999999999999999999999999999999999", 0),
        "amount_overflow"
    );
}

#[test]
fn high_scales_beyond_rust_decimal_work_exactly() {
    let a =
        Amount::parse_decimal("0.000000000000000000000000000000000000012345", "XYZ", 42).unwrap();
    assert_eq!(a.value(), 12345);
    assert_eq!(
        a.to_decimal_string(),
        "0.000000000000000000000000000000000000012345"
    );
    let max = Amount::new(u64::MAX, "XYZ", 255).unwrap();
    let text = max.to_decimal_string();
    assert_eq!(text.len(), 2 + 255);
    assert_eq!(Amount::parse_decimal(&text, "XYZ", 255).unwrap(), max);
}

#[test]
fn formatting_shows_every_decimal_of_the_scale() {
    assert_eq!(usd(1234).to_decimal_string(), "12.34");
    assert_eq!(usd(1000).to_decimal_string(), "10.00");
    assert_eq!(usd(5).to_decimal_string(), "0.05");
    assert_eq!(Amount::new(7, "JPY", 0).unwrap().to_decimal_string(), "7");
    assert_eq!(usd(1234).to_string(), "12.34 USD");
    assert_eq!(usd(1234).to_decimal(), Some(Decimal::new(1234, 2)));
    assert_eq!(Amount::new(1, "XYZ", 29).unwrap().to_decimal(), None);
}

#[test]
fn arithmetic_is_checked_and_same_asset_only() {
    assert_eq!(usd(1).checked_add(&usd(2)).unwrap(), usd(3));
    assert_eq!(usd(3).checked_sub(&usd(2)).unwrap(), usd(1));
    assert_eq!(
        usd(u64::MAX).checked_add(&usd(1)).unwrap_err().code(),
        "amount_overflow"
    );
    assert_eq!(
        usd(1).checked_sub(&usd(2)).unwrap_err().code(),
        "amount_underflow"
    );
    let eur = Amount::new(1, "EUR", 2).unwrap();
    let usd3 = Amount::new(1, "USD", 3).unwrap();
    assert_eq!(
        usd(1).checked_add(&eur).unwrap_err().code(),
        "asset_mismatch"
    );
    assert_eq!(
        usd(1).checked_sub(&usd3).unwrap_err().code(),
        "asset_mismatch"
    );
    assert_eq!(usd(1).compare(&eur).unwrap_err().code(), "asset_mismatch");
    assert_eq!(usd(1).compare(&usd(2)).unwrap(), Ordering::Less);
}

#[test]
fn asset_codes_follow_the_documented_rule() {
    for ok in ["USD", "EUR", "USDC", "XRP", "A1B"] {
        assert!(validate_asset_code(ok).is_ok(), "{ok}");
    }
    for bad in [
        "",
        "US",
        "usd",
        "Usd",
        "1AB",
        "U$D",
        "USD ",
        "ABCDEFGHIJKLM",
        "ÜSD",
    ] {
        let err = validate_asset_code(bad).unwrap_err();
        assert_eq!(err.code(), "invalid_asset_code", "{bad}");
        assert_eq!(err.field().as_deref(), Some("assetCode"));
    }
}

#[test]
fn wire_form_round_trips_exactly() {
    let json = r#"{"value":"1234","assetCode":"USD","assetScale":2}"#;
    let a: Amount = serde_json::from_str(json).unwrap();
    assert_eq!(a, usd(1234));
    assert_eq!(serde_json::to_string(&a).unwrap(), json);
    let max = r#"{"value":"18446744073709551615","assetCode":"USD","assetScale":255}"#;
    let a: Amount = serde_json::from_str(max).unwrap();
    assert_eq!(serde_json::to_string(&a).unwrap(), max);
}

fn wire_err(json: &str) -> String {
    serde_json::from_str::<Amount>(json)
        .unwrap_err()
        .to_string()
}

#[test]
fn wire_form_rejections_carry_their_code() {
    let cases = [
        (
            r#"{"value":"12a","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
        ),
        (
            r#"{"value":"-1","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
        ),
        (
            r#"{"value":"+1","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
        ),
        (
            r#"{"value":" 1","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
        ),
        (
            r#"{"value":"1.5","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
        ),
        (
            r#"{"value":"","assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
        ),
        (
            r#"{"value":1234,"assetCode":"USD","assetScale":2}"#,
            "invalid_amount",
        ),
        (
            r#"{"value":"18446744073709551616","assetCode":"USD","assetScale":2}"#,
            "amount_overflow",
        ),
        (
            r#"{"value":"1","assetCode":"USD","assetScale":256}"#,
            "invalid_asset_scale",
        ),
        (
            r#"{"value":"1","assetCode":"USD","assetScale":-1}"#,
            "invalid_asset_scale",
        ),
        (
            r#"{"value":"1","assetCode":"USD","assetScale":2.5}"#,
            "invalid_asset_scale",
        ),
        (
            r#"{"value":"1","assetCode":"USD","assetScale":"2"}"#,
            "invalid_asset_scale",
        ),
        (
            r#"{"value":"1","assetCode":"usd","assetScale":2}"#,
            "invalid_asset_code",
        ),
        (
            r#"{"value":"1","assetCode":"","assetScale":2}"#,
            "invalid_asset_code",
        ),
    ];
    for (json, code) in cases {
        let msg = wire_err(json);
        assert!(msg.starts_with(&format!("{code}: ")), "{json} gave {msg}");
    }
    assert!(wire_err(r#"{"value":"1","assetScale":2}"#).contains("missing field `assetCode`"));
}

#[test]
fn from_wire_applies_the_wire_rules() {
    assert_eq!(Amount::from_wire("0042", "USD", 2).unwrap(), usd(42));
    assert_eq!(
        Amount::from_wire("4.2", "USD", 2).unwrap_err().code(),
        "invalid_amount"
    );
}
