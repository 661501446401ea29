//! Property tests: decimal text and minor units convert both ways exactly, over the whole `u64`
//! range and every scale 0..=255, and arithmetic agrees with wide integer maths.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use open_payments_wasm::amount::Amount;
use open_payments_wasm::ErrorCode;
use proptest::prelude::*;

/// Values weighted towards the edges as well as uniform over the whole range.
fn value() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        0u64..1_000,
        (u64::MAX - 1_000)..=u64::MAX,
        (0u32..20).prop_map(|e| 10u64.pow(e)),
    ]
}

/// Reference conversion with big integers as digit strings, independent of the crate's code.
fn reference_text(value: u64, scale: u8) -> String {
    let digits = format!("{value:0>width$}", width = usize::from(scale) + 1);
    let split = digits.len() - usize::from(scale);
    if scale == 0 {
        digits
    } else {
        format!("{}.{}", &digits[..split], &digits[split..])
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn format_then_parse_gives_back_the_same_amount(value in value(), scale in any::<u8>()) {
        let amount = Amount::new(value, "XTS", scale).unwrap();
        let text = amount.to_decimal_string();
        prop_assert_eq!(&text, &reference_text(value, scale));
        prop_assert_eq!(Amount::parse_decimal(&text, "XTS", scale).unwrap(), amount);
    }

    #[test]
    fn trailing_zeros_never_change_the_value(value in value(), scale in 0u8..=40, extra in 1usize..8) {
        let text = Amount::new(value, "XTS", scale).unwrap().to_decimal_string();
        let padded = if scale == 0 { format!("{text}.{}", "0".repeat(extra)) } else { format!("{text}{}", "0".repeat(extra)) };
        prop_assert_eq!(Amount::parse_decimal(&padded, "XTS", scale).unwrap().value(), value);
    }

    #[test]
    fn one_more_significant_decimal_is_always_refused(value in value(), scale in 0u8..=60, last in 1u8..=9) {
        let text = Amount::new(value, "XTS", scale).unwrap().to_decimal_string();
        let longer = if scale == 0 { format!("{text}.{last}") } else { format!("{text}{last}") };
        let err = Amount::parse_decimal(&longer, "XTS", scale).unwrap_err();
        prop_assert_eq!(err.code(), "too_many_decimals");
    }

    #[test]
    fn parsing_agrees_with_wide_integer_maths(int in 0u128..1u128 << 70, frac in 0u32..1000, scale in 0u8..=30) {
        let text = format!("{int}.{frac:03}");
        let frac_digits = format!("{frac:03}");
        let significant = frac_digits.trim_end_matches('0').len();
        let result = Amount::parse_decimal(&text, "XTS", scale);
        if significant > usize::from(scale) {
            prop_assert_eq!(result.unwrap_err().code().to_owned(), "too_many_decimals");
        } else {
            // value = int * 10^scale + frac * 10^(scale - 3), computed in u128 where it fits.
            let expected = 10u128.checked_pow(u32::from(scale)).and_then(|p| int.checked_mul(p)).and_then(|a| {
                let f = if scale >= 3 { u128::from(frac).checked_mul(10u128.pow(u32::from(scale) - 3)) } else { Some(u128::from(frac) / 10u128.pow(3 - u32::from(scale))) };
                f.and_then(|f| a.checked_add(f))
            });
            match expected.and_then(|e| u64::try_from(e).ok()) {
                Some(v) => prop_assert_eq!(result.unwrap().value(), v),
                None => prop_assert_eq!(result.unwrap_err().code().to_owned(), "amount_overflow"),
            }
        }
    }

    #[test]
    fn addition_and_subtraction_are_exact_or_errors(a in value(), b in value(), scale in any::<u8>()) {
        let x = Amount::new(a, "XTS", scale).unwrap();
        let y = Amount::new(b, "XTS", scale).unwrap();
        match a.checked_add(b) {
            Some(sum) => prop_assert_eq!(x.checked_add(&y).unwrap().value(), sum),
            None => prop_assert_eq!(x.checked_add(&y).unwrap_err().code().to_owned(), "amount_overflow"),
        }
        match a.checked_sub(b) {
            Some(diff) => prop_assert_eq!(x.checked_sub(&y).unwrap().value(), diff),
            None => prop_assert_eq!(x.checked_sub(&y).unwrap_err().code().to_owned(), "amount_underflow"),
        }
        prop_assert_eq!(x.compare(&y).unwrap(), a.cmp(&b));
    }

    #[test]
    fn different_assets_never_combine(a in value(), b in value(), s1 in any::<u8>(), s2 in any::<u8>()) {
        prop_assume!(s1 != s2);
        let x = Amount::new(a, "XTS", s1).unwrap();
        let y = Amount::new(b, "XTS", s2).unwrap();
        prop_assert_eq!(x.checked_add(&y).unwrap_err().code().to_owned(), "asset_mismatch");
        prop_assert_eq!(x.compare(&y).unwrap_err().code().to_owned(), "asset_mismatch");
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,40}", scale in any::<u8>()) {
        let _ = Amount::parse_decimal(&text, "XTS", scale);
        let _ = Amount::from_wire(&text, "XTS", scale);
    }

    #[test]
    fn wire_form_round_trips(value in value(), scale in any::<u8>()) {
        let json = format!(r#"{{"value":"{value}","assetCode":"XTS","assetScale":{scale}}}"#);
        let amount: Amount = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(serde_json::to_string(&amount).unwrap(), json);
    }
}
