//! Amount text and wire objects against digit-string oracles, beyond tests/amount_properties.rs.

use super::support::*;

/// Decimal text to minor units with digit strings only (no rust_decimal, no integer parsing of
/// the whole text): the code of the refusal, or the value.
fn decimal_oracle(text: &str, scale: u8) -> Result<u64, &'static str> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err("invalid_amount");
    }
    let mut parts = text.split('.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    if parts.next().is_some() || int.is_empty() || frac == Some("") {
        return Err("invalid_amount");
    }
    let frac = frac.unwrap_or_default().trim_end_matches('0');
    if frac.len() > usize::from(scale) {
        return Err("too_many_decimals");
    }
    let digits = format!("{int}{frac}{}", "0".repeat(usize::from(scale) - frac.len()));
    let significant = digits.trim_start_matches('0');
    if significant.len() > 20 {
        return Err("amount_overflow");
    }
    // At most 20 digits: exact in u128.
    let value = significant
        .bytes()
        .fold(0u128, |n, d| n * 10 + u128::from(d - b'0'));
    u64::try_from(value).map_err(|_| "amount_overflow")
}

/// Decimal-ish text: well formed with long runs of zeros, corrupted by one character, or anything.
fn decimal_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => ("0{0,40}[0-9]{1,22}", proptest::option::of("[0-9]{0,30}0{0,40}"))
            .prop_map(|(i, f)| f.map_or(i.clone(), |f| format!("{i}.{f}"))),
        2 => ("[0-9]{1,12}", any::<usize>(), "[-+eE,_' .a\\x00\\u{660}\\u{e9}]|\\PC", any::<bool>()).prop_map(|(t, at, c, delete)| {
            let i = at % (t.len() + 1);
            if delete { format!("{}{}", &t[..i], t.get(i + 1..).unwrap_or("")) } else { format!("{}{c}{}", &t[..i], &t[i..]) }
        }),
        1 => "[0-9.]{0,12}",
        1 => "\\PC{0,12}",
    ]
}

/// A JSON member value for an amount field: right, wrong type, edge numbers written in the many
/// ways JSON allows (`2.0`, `2e0`, `-0`, `1e400`), near-miss strings.
fn member_json() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[0-9]{0,22}\"",
        "\"[A-Z][A-Z0-9]{2,11}\"",
        "\"[ !#-\\[\\]-~]{0,14}\"",
        any::<u8>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (
            0u16..300,
            prop_oneof![
                Just(".0"),
                Just(".5"),
                Just("e0"),
                Just("E1"),
                Just(".000"),
                Just("e-1")
            ]
        )
            .prop_map(|(n, s)| format!("{n}{s}")),
        Just("-0".to_owned()),
        Just("-0.0".to_owned()),
        Just("1e300".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("[\"1\"]".to_owned()),
    ]
}

/// What the wire rules say of one member (src/amount.rs), the JSON read by serde_json.
fn member_rule(name: &str, raw: &str) -> Option<&'static str> {
    let v: Value = serde_json::from_str(raw).unwrap();
    match (name, &v) {
        ("value", Value::String(s)) => {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                Some("invalid_amount")
            } else {
                decimal_oracle(s, 0).err()
            }
        }
        ("value", Value::Null | Value::Bool(_) | Value::Number(_)) => Some("invalid_amount"),
        ("assetCode", Value::String(s)) => {
            let ok = (3..=12).contains(&s.len())
                && s.as_bytes()[0].is_ascii_uppercase()
                && s.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            (!ok).then_some("invalid_asset_code")
        }
        ("assetScale", Value::Number(n)) => {
            let ok = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => u <= 255,
                (None, Some(i), _) => (0..=255).contains(&i),
                (None, None, Some(f)) => f.fract() == 0.0 && (0.0..=255.0).contains(&f),
                _ => false,
            };
            (!ok).then_some("invalid_asset_scale")
        }
        ("assetScale", Value::Null | Value::Bool(_) | Value::String(_)) => {
            Some("invalid_asset_scale")
        }
        _ => Some("invalid_type"),
    }
}

proptest! {
    #![proptest_config(config(3000))]

    /// `parse_decimal` on decimal-ish text (leading and trailing zeros, corruptions, anything),
    /// at every scale, against the digit-string oracle.
    #[test]
    fn parse_decimal_agrees_with_a_digit_string_oracle(text in decimal_text(), scale in any::<u8>()) {
        let got = Amount::parse_decimal(&text, "XTS", scale);
        match (decimal_oracle(&text, scale), got) {
            (Ok(v), Ok(a)) => prop_assert_eq!(a.value(), v),
            (Err(code), Err(e)) => {
                prop_assert_eq!(e.code(), code, "{:?} at scale {}: {}", text, scale, e);
                prop_assert_eq!(e.field(), Some("value".to_owned()));
            }
            (want, got) => prop_assert!(false, "{text:?} at scale {scale}: oracle {want:?}, got {got:?}"),
        }
    }

    /// `from_wire`: digits only, leading zeros allowed, at most u64::MAX.
    #[test]
    fn from_wire_agrees_with_the_oracle(text in prop_oneof!["0{0,30}[0-9]{1,21}", "\\PC{0,10}", "[0-9+.e-]{0,8}"]) {
        let want = if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            Err("invalid_amount")
        } else {
            decimal_oracle(&text, 0)
        };
        match (want, Amount::from_wire(&text, "XTS", 2)) {
            (Ok(v), Ok(a)) => prop_assert_eq!(a.value(), v),
            (Err(code), Err(e)) => prop_assert_eq!(e.code(), code),
            (want, got) => prop_assert!(false, "{text:?}: oracle {want:?}, got {got:?}"),
        }
    }

    /// Asset codes: 3 to 12 of A-Z0-9 starting with a letter, nothing else (not lowercase, not
    /// other scripts' letters or digits).
    #[test]
    fn asset_codes_follow_the_rule(code in prop_oneof!["[A-Z][A-Z0-9]{0,13}", "[A-Za-z0-9]{0,6}", "\\PC{0,6}"]) {
        let want = (3..=12).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_uppercase())
            && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        prop_assert_eq!(validate_asset_code(&code).is_ok(), want, "{:?}", code);
    }

    /// rust_decimal's view (scales up to 28) is the same number as the exact text, and `Display`
    /// is the text and the code.
    #[test]
    fn decimal_views_agree(value in any::<u64>(), scale in any::<u8>()) {
        let amount = Amount::new(value, "XTS", scale).unwrap();
        let text = amount.to_decimal_string();
        match amount.to_decimal() {
            Some(d) => prop_assert_eq!(d.to_string(), text.clone()),
            None => prop_assert!(scale > 28),
        }
        prop_assert_eq!(amount.to_string(), format!("{text} XTS"));
    }

    /// A wire amount object with members written as any JSON (numbers as `2.0`, `2e0`, `-0`,
    /// strings, wrong types) and in any order: the first bad member in key order (serde_json's
    /// map is sorted), then the first missing one, with its code and field.
    #[test]
    fn wire_amounts_from_any_json_members(
        members in proptest::collection::vec((prop_oneof![Just("value"), Just("assetCode"), Just("assetScale"), Just("other")], member_json()), 0..5),
    ) {
        let mut map = Map::new();
        for (name, raw) in &members {
            map.insert((*name).to_owned(), serde_json::from_str(raw).unwrap());
        }
        let text = format!("{{{}}}", members.iter().map(|(n, r)| format!("{n:?}:{r}")).collect::<Vec<_>>().join(","));
        // A repeated member: serde_json keeps the last one; read as the map above.
        let last = |name: &str| members.iter().rev().find(|(n, _)| *n == name).map(|(_, r)| r.as_str());
        let mut want: Option<(&str, &str)> = None;
        for name in ["assetCode", "assetScale", "value"] {
            if let Some(code) = last(name).and_then(|raw| member_rule(name, raw)) {
                want = Some((code, name));
                break;
            }
        }
        if want.is_none() {
            want = ["value", "assetCode", "assetScale"].into_iter().find(|n| !map.contains_key(*n)).map(|n| ("missing_field", n));
        }
        let got = resources::from_json::<Amount>(&text);
        match (want, got) {
            (None, Ok(a)) => {
                prop_assert_eq!(Ok(a.value()), decimal_oracle(map["value"].as_str().unwrap(), 0));
                prop_assert_eq!(a.asset_code(), map["assetCode"].as_str().unwrap());
                prop_assert_eq!(f64::from(a.asset_scale()), map["assetScale"].as_f64().unwrap());
            }
            (Some((code, field)), Err(e)) => {
                prop_assert_eq!(e.code(), code, "{}: {}", text, e);
                prop_assert_eq!(e.field(), Some(field.to_owned()), "{}", text);
            }
            (want, got) => prop_assert!(false, "{text}: expected {want:?}, got {got:?}"),
        }
    }
}
