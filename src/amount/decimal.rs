//! Decimal text and minor units: the wire `value` parser, a person's decimal text (`"12.34"`)
//! to minor units exactly (rust_decimal where its 28 digits suffice, an exact digit-string path
//! beyond), and minor units back to exact decimal text.

use rust_decimal::Decimal;

use super::AmountError;

/// The largest scale rust_decimal represents; larger scales use the exact digit-string path.
pub(super) const DECIMAL_MAX_SCALE: u8 = 28;
/// Digits rust_decimal holds exactly (its mantissa is 96 bits: 28 full decimal digits).
const DECIMAL_MAX_DIGITS: usize = 28;

/// Parses a wire `value`: one or more ASCII digits, nothing else, at most `u64::MAX`.
pub(super) fn parse_value(text: &str) -> Result<u64, AmountError> {
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

/// Decimal text under the same rules as amounts (`digits` or `digits.digits`) as an exact
/// fraction `(digits, fraction digit count)`: `"1.0825"` is `(10825, 4)`. `None` for text that
/// is not such a decimal or whose digits exceed `u128`. The sandbox reads its exchange rates
/// with it, so there is one decimal parser in the crate.
#[cfg(feature = "sandbox")]
pub(crate) fn decimal_fraction(text: &str) -> Option<(u128, u32)> {
    let (int, frac) = split_decimal(text).ok()?;
    let digits: u128 = format!("{int}{frac}").parse().ok()?;
    Some((digits, u32::try_from(frac.len()).ok()?))
}

/// Decimal text to minor units at `scale`, exactly or not at all.
pub(super) fn decimal_to_minor_units(input: &str, scale: u8) -> Result<u64, AmountError> {
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
pub(super) fn minor_units_to_decimal(value: u64, scale: u8) -> String {
    if scale <= DECIMAL_MAX_SCALE {
        return Decimal::from_i128_with_scale(i128::from(value), u32::from(scale)).to_string();
    }
    let digits = value.to_string();
    let scale = usize::from(scale);
    match digits.len().checked_sub(scale) {
        // Digits are ASCII, so every index is a char boundary.
        Some(int_len) if int_len > 0 => match digits.split_at_checked(int_len) {
            Some((int, frac)) => format!("{int}.{frac}"),
            None => digits,
        },
        _ => {
            let zeros = scale.saturating_sub(digits.len());
            format!("0.{}{digits}", "0".repeat(zeros))
        }
    }
}
