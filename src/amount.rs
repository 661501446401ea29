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

mod decimal;
#[cfg(test)]
mod tests;

#[cfg(feature = "sandbox")]
pub(crate) use decimal::decimal_fraction;
use decimal::{decimal_to_minor_units, minor_units_to_decimal, parse_value, DECIMAL_MAX_SCALE};

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
    #[error("assetCode must be 3 to 12 uppercase letters or digits starting with a letter (an ISO 4217 code such as USD where one exists), got {}", crate::error::quoted(.got))]
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
                f.write_str(EXPECTING_AMOUNT)
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
                f.write_str(EXPECTING_VALUE)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireValue, E> {
                value_from_str(v).map(WireValue).map_err(|e| coded(&e))
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
            coded(&value_not_a_string())
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
                f.write_str(EXPECTING_ASSET_CODE)
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
        impl Visitor<'_> for V {
            type Value = WireAssetScale;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer from 0 to 255")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireAssetScale, E> {
                scale_from_u64(v).map(WireAssetScale).map_err(|e| coded(&e))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireAssetScale, E> {
                scale_from_i64(v).map(WireAssetScale).map_err(|e| coded(&e))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<WireAssetScale, E> {
                // JS numbers arrive as f64: accept exactly-integral values in range only.
                if v.fract() == 0.0 && (0.0..=255.0).contains(&v) {
                    // In range and integral, so the cast is exact.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Ok(WireAssetScale(v as u8))
                } else {
                    Err(coded(&scale_not_an_integer()))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireAssetScale, E> {
                Err(coded(&scale_from_string(v)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<WireAssetScale, E> {
                Err(coded(&scale_from_other("a boolean")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<WireAssetScale, E> {
                Err(coded(&scale_from_other("null")))
            }
        }
        deserializer.deserialize_any(V)
    }
}

// The wire rules of each member, shared by the serde visitors above and by readers that get the
// members one by one with their JSON kind (the JS boundary, `src/js/amount.rs`).

/// What a reader expected of `value`, of `assetCode` and of the amount itself (error texts).
pub(crate) const EXPECTING_VALUE: &str = "a string of digits";
/// See [`EXPECTING_VALUE`].
pub(crate) const EXPECTING_ASSET_CODE: &str = "an asset code string";
/// See [`EXPECTING_VALUE`].
pub(crate) const EXPECTING_AMOUNT: &str = "an amount object {value, assetCode, assetScale}";

/// `value` given as a number, boolean or null: amounts are strings on the wire.
pub(crate) fn value_not_a_string() -> AmountError {
    AmountError::InvalidAmount {
        field: "value",
        reason: "it must be a string of digits, not a number or other type (numbers lose precision above 2^53)",
    }
}

/// `value` given as a string: the digits as a `u64`.
pub(crate) fn value_from_str(text: &str) -> Result<u64, AmountError> {
    parse_value(text)
}

/// `assetScale` given as a non-negative integer.
pub(crate) fn scale_from_u64(v: u64) -> Result<u8, AmountError> {
    u8::try_from(v).map_err(|_| AmountError::InvalidAssetScale {
        reason: format!("{v} is above 255"),
    })
}

/// `assetScale` given as a negative integer (or any `i64`).
pub(crate) fn scale_from_i64(v: i64) -> Result<u8, AmountError> {
    u8::try_from(v).map_err(|_| AmountError::InvalidAssetScale {
        reason: format!("{v} is outside 0..=255"),
    })
}

/// `assetScale` given as a number with a fraction, or too large to be an exact integer.
pub(crate) fn scale_not_an_integer() -> AmountError {
    AmountError::InvalidAssetScale {
        reason: "a number with a fraction or outside 0..=255".to_owned(),
    }
}

/// `assetScale` given as a string.
pub(crate) fn scale_from_string(v: &str) -> AmountError {
    AmountError::InvalidAssetScale {
        reason: format!(
            "got the string {}, not a number",
            crate::error::quoted(&v.chars().take(16).collect::<String>())
        ),
    }
}

/// `assetScale` given as another scalar (`"a boolean"`, `"null"`).
pub(crate) fn scale_from_other(got: &str) -> AmountError {
    AmountError::InvalidAssetScale {
        reason: format!("got {got}"),
    }
}
