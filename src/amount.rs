//! Exact money: an unsigned integer count of minor units of one asset.
//!
//! An [`Amount`] is what Open Payments puts on the wire as
//! `{"value":"1234","assetCode":"USD","assetScale":2}`: `value` is a `u64` carried as a decimal
//! string, `assetScale` says how many of its digits are decimals (USD at scale 2: `1234` is 12.34).
//!
//! Guarantees:
//! - no floating point anywhere; a decimal string either converts to minor units exactly or is a
//!   typed error ([`AmountError::TooManyDecimals`]), never rounded;
//! - every scale 0..=255 and every `u64` value works: rust_decimal does the conversion where its
//!   28 digits suffice, an exact digit-string path does it where they do not;
//! - arithmetic and comparison only between amounts of the same asset (code and scale), checked
//!   for overflow and underflow.

use std::cmp::Ordering;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::error::{coded_message, ErrorCode};

/// The largest scale rust_decimal represents; larger scales use the exact digit-string path.
const DECIMAL_MAX_SCALE: u8 = 28;
/// Digits rust_decimal holds exactly (its mantissa is 96 bits: 28 full decimal digits).
const DECIMAL_MAX_DIGITS: usize = 28;
/// Longest asset code accepted (ISO 4217 codes have 3; token tickers such as `USDC` have more).
const ASSET_CODE_MAX_LEN: usize = 12;

/// Why an amount, an asset or a decimal string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AmountError {
    /// The text is not a plain non-negative number (sign, exponent, separator, whitespace, …).
    #[error("{field} is not a valid amount: {reason}")]
    InvalidAmount {
        /// The field the text came from.
        field: &'static str,
        /// What is wrong with it, for a person.
        reason: &'static str,
    },
    /// The decimal string has more decimal places than the asset's scale allows.
    #[error("{decimals} decimal places given but the asset has {asset_scale}: the amount would have to be rounded")]
    TooManyDecimals {
        /// Significant decimal places in the input.
        decimals: usize,
        /// The asset's scale.
        asset_scale: u8,
    },
    /// The amount, or the result of arithmetic, is above 18446744073709551615 minor units.
    #[error(
        "the amount is above the largest an amount can hold (18446744073709551615 minor units)"
    )]
    Overflow {
        /// The field the amount came from.
        field: &'static str,
    },
    /// A subtraction would go below zero.
    #[error("the result would be below zero")]
    Underflow,
    /// Two amounts of different assets (code or scale) were combined or compared.
    #[error("cannot combine {left} with {right}: amounts must have the same asset code and scale")]
    AssetMismatch {
        /// `CODE/scale` of the left operand.
        left: String,
        /// `CODE/scale` of the right operand.
        right: String,
    },
    /// `assetScale` is not an integer from 0 to 255.
    #[error("assetScale must be an integer from 0 to 255: {reason}")]
    InvalidAssetScale {
        /// What was given instead.
        reason: String,
    },
    /// `assetCode` is not 3 to 12 uppercase letters or digits starting with a letter.
    #[error("assetCode must be 3 to 12 uppercase letters or digits starting with a letter (an ISO 4217 code such as USD where one exists), got {got:?}")]
    InvalidAssetCode {
        /// The code given (cut to 32 characters).
        got: String,
    },
}

impl ErrorCode for AmountError {
    fn code(&self) -> &str {
        match self {
            Self::InvalidAmount { .. } => "invalid_amount",
            Self::TooManyDecimals { .. } => "too_many_decimals",
            Self::Overflow { .. } => "amount_overflow",
            Self::Underflow => "amount_underflow",
            Self::AssetMismatch { .. } => "asset_mismatch",
            Self::InvalidAssetScale { .. } => "invalid_asset_scale",
            Self::InvalidAssetCode { .. } => "invalid_asset_code",
        }
    }

    fn field(&self) -> Option<String> {
        let field = match self {
            Self::InvalidAmount { field, .. } | Self::Overflow { field } => field,
            Self::TooManyDecimals { .. } | Self::Underflow | Self::AssetMismatch { .. } => "value",
            Self::InvalidAssetScale { .. } => "assetScale",
            Self::InvalidAssetCode { .. } => "assetCode",
        };
        Some((*field).to_owned())
    }
}

/// A non-negative amount of money in minor units of one asset.
///
/// Fields are private so that every `Amount` holds a valid asset code; read them with
/// [`Amount::value`], [`Amount::asset_code`] and [`Amount::asset_scale`]. There is deliberately
/// no `PartialOrd`: amounts of different assets have no order, use [`Amount::compare`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Amount {
    value: u64,
    asset_code: String,
    asset_scale: u8,
}

impl Amount {
    /// An amount of `value` minor units; fails only when `asset_code` is not a valid code.
    pub fn new(value: u64, asset_code: &str, asset_scale: u8) -> Result<Self, AmountError> {
        validate_asset_code(asset_code)?;
        Ok(Self {
            value,
            asset_code: asset_code.to_owned(),
            asset_scale,
        })
    }

    /// Zero of the given asset.
    pub fn zero(asset_code: &str, asset_scale: u8) -> Result<Self, AmountError> {
        Self::new(0, asset_code, asset_scale)
    }

    /// Builds an amount from the three wire fields as text and number, with the wire rules:
    /// `value` is digits only (no sign, space, point or exponent) and fits in a `u64`.
    pub fn from_wire(value: &str, asset_code: &str, asset_scale: u8) -> Result<Self, AmountError> {
        Self::new(parse_value(value)?, asset_code, asset_scale)
    }

    /// Converts a person's decimal text (`"12.34"`) to minor units of the asset, exactly.
    ///
    /// Accepted: digits with at most one `.` that has digits on both sides. Refused with
    /// [`AmountError::InvalidAmount`]: empty text, signs, exponents, thousands separators,
    /// whitespace. More significant decimals than `asset_scale` is
    /// [`AmountError::TooManyDecimals`] (`"12.345"` at scale 2), never rounded; trailing zeros
    /// beyond the scale are exact and accepted (`"12.340"` at scale 2 is 1234).
    ///
    /// ```
    /// use open_payments_wasm::amount::Amount;
    /// let a = Amount::parse_decimal("12.34", "USD", 2)?;
    /// assert_eq!(a.value(), 1234);
    /// assert!(Amount::parse_decimal("12.345", "USD", 2).is_err());
    /// # Ok::<(), open_payments_wasm::AmountError>(())
    /// ```
    pub fn parse_decimal(
        input: &str,
        asset_code: &str,
        asset_scale: u8,
    ) -> Result<Self, AmountError> {
        validate_asset_code(asset_code)?;
        let value = decimal_to_minor_units(input, asset_scale)?;
        Self::new(value, asset_code, asset_scale)
    }

    /// The amount in minor units.
    pub fn value(&self) -> u64 {
        self.value
    }

    /// The asset code, e.g. `USD`.
    pub fn asset_code(&self) -> &str {
        &self.asset_code
    }

    /// The number of decimal places of the asset's smallest unit.
    pub fn asset_scale(&self) -> u8 {
        self.asset_scale
    }

    /// True when `other` has the same asset code and scale, i.e. the two can be combined.
    pub fn same_asset(&self, other: &Amount) -> bool {
        self.asset_code == other.asset_code && self.asset_scale == other.asset_scale
    }

    /// The exact decimal text with all `asset_scale` decimals: 1234 USD/2 is `"12.34"`,
    /// 5 at scale 3 is `"0.005"`, 7 at scale 0 is `"7"`.
    pub fn to_decimal_string(&self) -> String {
        minor_units_to_decimal(self.value, self.asset_scale)
    }

    /// The amount as a rust_decimal [`Decimal`], when the scale fits in one (scale ≤ 28).
    pub fn to_decimal(&self) -> Option<Decimal> {
        (self.asset_scale <= DECIMAL_MAX_SCALE).then(|| {
            Decimal::from_i128_with_scale(i128::from(self.value), u32::from(self.asset_scale))
        })
    }

    /// `self + other`; same asset only, overflow is an error.
    pub fn checked_add(&self, other: &Amount) -> Result<Amount, AmountError> {
        self.require_same_asset(other)?;
        let value = self
            .value
            .checked_add(other.value)
            .ok_or(AmountError::Overflow { field: "value" })?;
        Ok(self.with_value(value))
    }

    /// `self - other`; same asset only, a result below zero is an error.
    pub fn checked_sub(&self, other: &Amount) -> Result<Amount, AmountError> {
        self.require_same_asset(other)?;
        let value = self
            .value
            .checked_sub(other.value)
            .ok_or(AmountError::Underflow)?;
        Ok(self.with_value(value))
    }

    /// Orders two amounts of the same asset; different assets are an error, not an order.
    pub fn compare(&self, other: &Amount) -> Result<Ordering, AmountError> {
        self.require_same_asset(other)?;
        Ok(self.value.cmp(&other.value))
    }

    fn with_value(&self, value: u64) -> Amount {
        Amount {
            value,
            asset_code: self.asset_code.clone(),
            asset_scale: self.asset_scale,
        }
    }

    fn require_same_asset(&self, other: &Amount) -> Result<(), AmountError> {
        if self.same_asset(other) {
            Ok(())
        } else {
            Err(AmountError::AssetMismatch {
                left: format!("{}/{}", self.asset_code, self.asset_scale),
                right: format!("{}/{}", other.asset_code, other.asset_scale),
            })
        }
    }
}

impl fmt::Display for Amount {
    /// `12.34 USD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.asset_code)
    }
}

/// Checks an asset code: 3 to 12 ASCII uppercase letters or digits, starting with a letter.
///
/// The spec only says "an ISO 4217 code should be used whenever possible"; this accepts every
/// ISO 4217 code and common ticker codes (`USDC`) and refuses lowercase, empty and free text,
/// which in practice are always mistakes.
pub fn validate_asset_code(code: &str) -> Result<(), AmountError> {
    let bytes = code.as_bytes();
    let well_formed = (3..=ASSET_CODE_MAX_LEN).contains(&bytes.len())
        && bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if well_formed {
        Ok(())
    } else {
        Err(AmountError::InvalidAssetCode {
            got: code.chars().take(32).collect(),
        })
    }
}

/// Parses a wire `value`: one or more ASCII digits, nothing else, at most `u64::MAX`.
fn parse_value(text: &str) -> Result<u64, AmountError> {
    let field = "value";
    if text.is_empty() {
        return Err(AmountError::InvalidAmount {
            field,
            reason: "it is empty",
        });
    }
    if let Some(reason) = text.bytes().find_map(|b| non_digit_reason(b, false)) {
        return Err(AmountError::InvalidAmount { field, reason });
    }
    digits_to_u64(text, field)
}

/// Why byte `b` cannot stand in an amount (`None` when it can); `.` is allowed where `point_ok`.
fn non_digit_reason(b: u8, point_ok: bool) -> Option<&'static str> {
    match b {
        b'0'..=b'9' => None,
        b'.' if point_ok => None,
        b'.' => Some("minor units are whole numbers: a decimal point is not allowed"),
        b'+' | b'-' => Some("signs are not allowed"),
        b'e' | b'E' => Some("exponents are not allowed"),
        b',' | b'_' | b'\'' => Some("thousands separators are not allowed"),
        _ if b.is_ascii_whitespace() || b >= 0x80 => {
            Some("whitespace and non-ASCII characters are not allowed")
        }
        _ => Some("only the digits 0-9 are allowed"),
    }
}

/// Digits (already checked) to `u64`, leading zeros allowed, overflow an error.
fn digits_to_u64(digits: &str, field: &'static str) -> Result<u64, AmountError> {
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(0);
    }
    significant
        .parse::<u64>()
        .map_err(|_| AmountError::Overflow { field })
}

/// Splits decimal text into its integer and fraction digits, refusing everything but
/// `digits` or `digits.digits`.
fn split_decimal(input: &str) -> Result<(&str, &str), AmountError> {
    let field = "value";
    if input.is_empty() {
        return Err(AmountError::InvalidAmount {
            field,
            reason: "it is empty",
        });
    }
    if let Some(reason) = input.bytes().find_map(|b| non_digit_reason(b, true)) {
        return Err(AmountError::InvalidAmount { field, reason });
    }
    let (int, frac) = input.split_once('.').unwrap_or((input, ""));
    if frac.contains('.') {
        return Err(AmountError::InvalidAmount {
            field,
            reason: "more than one decimal point",
        });
    }
    if int.is_empty() || (input.contains('.') && frac.is_empty()) {
        return Err(AmountError::InvalidAmount {
            field,
            reason: "a decimal point needs digits on both sides",
        });
    }
    Ok((int, frac))
}

/// Decimal text to minor units at `scale`, exactly or not at all.
fn decimal_to_minor_units(input: &str, scale: u8) -> Result<u64, AmountError> {
    let (int, frac) = split_decimal(input)?;
    let frac = frac.trim_end_matches('0');
    if frac.len() > usize::from(scale) {
        return Err(AmountError::TooManyDecimals {
            decimals: frac.len(),
            asset_scale: scale,
        });
    }
    if int.len() + frac.len() <= DECIMAL_MAX_DIGITS {
        decimal_path(int, frac, scale)
    } else {
        digit_string_path(int, frac, scale)
    }
}

/// The rust_decimal conversion, for inputs of at most 28 significant digits (already validated;
/// `frac` has no trailing zeros).
fn decimal_path(int: &str, frac: &str, scale: u8) -> Result<u64, AmountError> {
    let overflow = AmountError::Overflow { field: "value" };
    let text = if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    };
    let decimal = Decimal::from_str_exact(&text)
        .map_err(|_| AmountError::InvalidAmount {
            field: "value",
            reason: "not a decimal number",
        })?
        .normalize();
    // After normalize() the decimal's scale is its count of significant decimals, which
    // decimal_to_minor_units already checked is at most `scale`.
    let shift = u32::from(scale).saturating_sub(decimal.scale());
    let mantissa = u128::try_from(decimal.mantissa()).map_err(|_| overflow.clone())?;
    if mantissa == 0 {
        return Ok(0);
    }
    let factor = 10u128.checked_pow(shift).ok_or(overflow.clone())?;
    let minor = mantissa.checked_mul(factor).ok_or(overflow.clone())?;
    u64::try_from(minor).map_err(|_| overflow)
}

/// The exact digit-string conversion, for inputs longer than rust_decimal holds.
fn digit_string_path(int: &str, frac: &str, scale: u8) -> Result<u64, AmountError> {
    let int = int.trim_start_matches('0');
    if int.is_empty() && frac.trim_start_matches('0').is_empty() {
        return Ok(0);
    }
    let pad = usize::from(scale).saturating_sub(frac.len());
    // u64::MAX has 20 digits: anything longer is an overflow, without building huge strings.
    if int.len() + frac.len() + pad > 20 && !int.is_empty() {
        return Err(AmountError::Overflow { field: "value" });
    }
    let mut digits = String::with_capacity(int.len() + frac.len() + pad);
    digits.push_str(int);
    digits.push_str(frac);
    digits.extend(std::iter::repeat_n('0', pad));
    digits_to_u64(&digits, "value")
}

/// Minor units to exact decimal text with `scale` decimals.
fn minor_units_to_decimal(value: u64, scale: u8) -> String {
    if scale <= DECIMAL_MAX_SCALE {
        return Decimal::from_i128_with_scale(i128::from(value), u32::from(scale)).to_string();
    }
    let digits = value.to_string();
    let scale = usize::from(scale);
    match digits.len().checked_sub(scale) {
        Some(int_len) if int_len > 0 => {
            let (int, frac) = digits.split_at(int_len);
            format!("{int}.{frac}")
        }
        _ => {
            let zeros = scale.saturating_sub(digits.len());
            format!("0.{}{digits}", "0".repeat(zeros))
        }
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Amount", 3)?;
        s.serialize_field("value", &self.value.to_string())?;
        s.serialize_field("assetCode", &self.asset_code)?;
        s.serialize_field("assetScale", &self.asset_scale)?;
        s.end()
    }
}

/// The wire object; each field's own deserializer enforces the wire rules with a coded error.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireAmount {
    value: WireValue,
    asset_code: WireAssetCode,
    asset_scale: WireAssetScale,
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only an object is an amount: serde's derive would also take `["1","USD",2]`.
        struct ObjectOnly;
        impl<'de> Visitor<'de> for ObjectOnly {
            type Value = WireAmount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount object {value, assetCode, assetScale}")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<WireAmount, A::Error> {
                WireAmount::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        let wire = deserializer.deserialize_map(ObjectOnly)?;
        Ok(Amount {
            value: wire.value.0,
            asset_code: wire.asset_code.0,
            asset_scale: wire.asset_scale.0,
        })
    }
}

pub(crate) struct WireValue(pub(crate) u64);
pub(crate) struct WireAssetCode(pub(crate) String);
pub(crate) struct WireAssetScale(pub(crate) u8);

fn coded<E: de::Error>(err: &AmountError) -> E {
    E::custom(coded_message(err))
}

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = WireValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string of digits")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireValue, E> {
                parse_value(v).map(WireValue).map_err(|e| coded(&e))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<WireValue, E> {
                Err(not_a_string())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<WireValue, E> {
                Err(not_a_string())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<WireValue, E> {
                Err(not_a_string())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<WireValue, E> {
                Err(not_a_string())
            }
            fn visit_unit<E: de::Error>(self) -> Result<WireValue, E> {
                Err(not_a_string())
            }
        }
        fn not_a_string<E: de::Error>() -> E {
            coded(&AmountError::InvalidAmount {
                field: "value",
                reason: "it must be a string of digits, not a number or other type (numbers lose precision above 2^53)",
            })
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for WireAssetCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = WireAssetCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an asset code string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireAssetCode, E> {
                validate_asset_code(v)
                    .map(|()| WireAssetCode(v.to_owned()))
                    .map_err(|e| coded(&e))
            }
        }
        deserializer.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for WireAssetScale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        fn bad<E: de::Error>(reason: String) -> E {
            coded(&AmountError::InvalidAssetScale { reason })
        }
        impl Visitor<'_> for V {
            type Value = WireAssetScale;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer from 0 to 255")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireAssetScale, E> {
                u8::try_from(v)
                    .map(WireAssetScale)
                    .map_err(|_| bad(format!("{v} is above 255")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireAssetScale, E> {
                u8::try_from(v)
                    .map(WireAssetScale)
                    .map_err(|_| bad(format!("{v} is outside 0..=255")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<WireAssetScale, E> {
                // JS numbers arrive as f64: accept exactly-integral values in range only.
                if v.fract() == 0.0 && (0.0..=255.0).contains(&v) {
                    // In range and integral, so the cast is exact.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Ok(WireAssetScale(v as u8))
                } else {
                    Err(bad("a number with a fraction or outside 0..=255".to_owned()))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireAssetScale, E> {
                Err(bad(format!(
                    "got the string {:?}, not a number",
                    v.chars().take(16).collect::<String>()
                )))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<WireAssetScale, E> {
                Err(bad("got a boolean".to_owned()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<WireAssetScale, E> {
                Err(bad("got null".to_owned()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
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
        let a = Amount::parse_decimal("0.000000000000000000000000000000000000012345", "XYZ", 42)
            .unwrap();
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
}
