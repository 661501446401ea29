//! Raw exports for exact money (facade: `src/js/facade/amount.ts`).
//!
//! Amounts cross member by member: the facade turns the caller's value into JSON text and parses
//! it back *in JS* (so getters, Proxies, `toJSON` and cycles are dealt with there, as for every
//! other argument), then hands over the object's kind and each of `value`, `assetCode` and
//! `assetScale` as a `Member` string. The wire rules themselves are the core's
//! (`crate::amount`), the same ones its serde deserializer applies to server responses, in the
//! same order, with the same codes and fields. Answers are written by hand: this module, with
//! `wallet_address`, is the lean browser build, which links no JSON library.

use std::cmp::Ordering;

use wasm_bindgen::prelude::*;

use super::{fail, Answer};
use crate::amount::{self as rules, Amount, AmountError};
use crate::resources::ResourceError;

/// One JSON value as the facade describes it: a tag character, then for strings and numbers
/// their text. `-` absent, `z` null, `t` a boolean, `i<digits>` a safe integer, `f<text>` any
/// other number, `s<text>` a string, `o` an object, `a` an array.
enum Member<'a> {
    Absent,
    Null,
    Bool,
    Int(i64),
    Float,
    Str(&'a str),
    Object,
    Array,
}

impl<'a> Member<'a> {
    fn read(tagged: &'a str) -> Self {
        let rest = tagged.get(1..).unwrap_or_default();
        match tagged.as_bytes().first() {
            Some(b'z') => Self::Null,
            Some(b't') => Self::Bool,
            Some(b'i') => rest.parse().map_or(Self::Float, Self::Int),
            Some(b'f') => Self::Float,
            Some(b's') => Self::Str(rest),
            Some(b'o') => Self::Object,
            Some(b'a') => Self::Array,
            _ => Self::Absent,
        }
    }

    /// What was found, in the words of the serde path's `invalid type` errors.
    fn describe(&self) -> &'static str {
        match self {
            Self::Absent => "nothing",
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Int(_) | Self::Float => "a number",
            Self::Str(_) => "a string",
            Self::Object => "an object",
            Self::Array => "an array",
        }
    }
}

/// Why a member was refused: a rule of the core, or a JSON kind that no rule takes.
enum Bad {
    Rule(AmountError),
    Type {
        field: &'static str,
        found: &'static str,
        expected: &'static str,
    },
    Missing(&'static str),
}

impl Bad {
    fn answer(self) -> Answer {
        match self {
            Self::Rule(err) => fail(&err),
            Self::Type {
                field,
                found,
                expected,
            } => fail(&ResourceError::new(
                "invalid_type",
                field,
                &format!("invalid type: {found}, expected {expected}"),
            )),
            Self::Missing(field) => fail(&ResourceError::new(
                "missing_field",
                field,
                &format!("missing field `{field}`"),
            )),
        }
    }
}

fn value_of(member: &Member<'_>) -> Result<u64, Bad> {
    match member {
        Member::Str(text) => rules::value_from_str(text).map_err(Bad::Rule),
        Member::Null | Member::Bool | Member::Int(_) | Member::Float => {
            Err(Bad::Rule(rules::value_not_a_string()))
        }
        other => Err(Bad::Type {
            field: "value",
            found: other.describe(),
            expected: rules::EXPECTING_VALUE,
        }),
    }
}

fn code_of<'a>(member: &Member<'a>) -> Result<&'a str, Bad> {
    match member {
        Member::Str(code) => rules::validate_asset_code(code)
            .map(|()| *code)
            .map_err(Bad::Rule),
        other => Err(Bad::Type {
            field: "assetCode",
            found: other.describe(),
            expected: rules::EXPECTING_ASSET_CODE,
        }),
    }
}

fn scale_of(member: &Member<'_>) -> Result<u8, Bad> {
    match member {
        Member::Int(n) => match u64::try_from(*n) {
            Ok(n) => rules::scale_from_u64(n),
            Err(_) => rules::scale_from_i64(*n),
        }
        .map_err(Bad::Rule),
        Member::Float => Err(Bad::Rule(rules::scale_not_an_integer())),
        Member::Str(text) => Err(Bad::Rule(rules::scale_from_string(text))),
        Member::Bool => Err(Bad::Rule(rules::scale_from_other("a boolean"))),
        Member::Null => Err(Bad::Rule(rules::scale_from_other("null"))),
        other => Err(Bad::Type {
            field: "assetScale",
            found: other.describe(),
            expected: "an integer from 0 to 255",
        }),
    }
}

/// Reads an amount object handed over as its kind (`top`) and three members. The first failure
/// among the present members, in the order a JSON object reader meets them (keys sorted:
/// `assetCode`, `assetScale`, `value`), wins; then the first absent one in declaration order:
/// what the serde path reports for the same object.
fn amount_of(top: &str, value: &str, code: &str, scale: &str) -> Result<Amount, Bad> {
    let (value, code, scale) = (Member::read(value), Member::read(code), Member::read(scale));
    object(top, rules::EXPECTING_AMOUNT)?;
    let checked_code = present(&code).map(code_of).transpose()?;
    let checked_scale = present(&scale).map(scale_of).transpose()?;
    let checked_value = present(&value).map(value_of).transpose()?;
    let value = checked_value.ok_or(Bad::Missing("value"))?;
    let code = checked_code.ok_or(Bad::Missing("assetCode"))?;
    let scale = checked_scale.ok_or(Bad::Missing("assetScale"))?;
    Amount::new(value, code, scale).map_err(Bad::Rule)
}

/// Reads asset options (`{assetCode, assetScale}`) handed over as their kind and two members.
fn asset_of<'a>(top: &str, code: &'a str, scale: &str) -> Result<(&'a str, u8), Bad> {
    let (code, scale) = (Member::read(code), Member::read(scale));
    object(top, "asset options {assetCode, assetScale}")?;
    let checked_code = present(&code).map(code_of).transpose()?;
    let checked_scale = present(&scale).map(scale_of).transpose()?;
    let code = checked_code.ok_or(Bad::Missing("assetCode"))?;
    let scale = checked_scale.ok_or(Bad::Missing("assetScale"))?;
    Ok((code, scale))
}

/// `Ok` when the value handed over is an object.
fn object(top: &str, expected: &'static str) -> Result<(), Bad> {
    match Member::read(top) {
        Member::Object => Ok(()),
        other => Err(Bad::Type {
            field: "",
            found: other.describe(),
            expected,
        }),
    }
}

fn present<'m, 'a>(member: &'m Member<'a>) -> Option<&'m Member<'a>> {
    match member {
        Member::Absent => None,
        other => Some(other),
    }
}

/// The wire JSON of an amount. `assetCode` holds only `A-Z0-9` (checked when the amount was
/// made), so it needs no escaping.
fn amount_json(amount: &Amount) -> Answer {
    format!(
        "{{\"value\":\"{}\",\"assetCode\":\"{}\",\"assetScale\":{}}}",
        amount.value(),
        amount.asset_code(),
        amount.asset_scale()
    )
}

fn answer_amount(result: Result<Amount, AmountError>) -> Answer {
    match result {
        Ok(amount) => amount_json(&amount),
        Err(err) => fail(&err),
    }
}

/// Parses a person's decimal text into an amount of the asset, exactly or not at all.
#[wasm_bindgen(js_name = parseAmount)]
pub fn parse_amount(text: &str, top: &str, code: &str, scale: &str) -> Answer {
    match asset_of(top, code, scale) {
        Ok((code, scale)) => answer_amount(Amount::parse_decimal(text, code, scale)),
        Err(bad) => bad.answer(),
    }
}

/// The exact decimal text of an amount (`"12.34"`), with its asset, for the facade to show
/// (with `Intl.NumberFormat` fed the text, never a float, when a locale is asked for):
/// `{"text","code","scale"}`.
#[wasm_bindgen(js_name = decimalAmount)]
pub fn decimal_amount(top: &str, value: &str, code: &str, scale: &str) -> Answer {
    match amount_of(top, value, code, scale) {
        Ok(amount) => {
            // The decimal text is digits and at most one dot; the code is A-Z0-9.
            format!(
                "{{\"text\":\"{}\",\"code\":\"{}\",\"scale\":{}}}",
                amount.to_decimal_string(),
                amount.asset_code(),
                amount.asset_scale()
            )
        }
        Err(bad) => bad.answer(),
    }
}

/// Applies `op` to two amounts, each handed over as its kind and three members.
fn binary(
    a: [&str; 4],
    b: [&str; 4],
    op: impl FnOnce(&Amount, &Amount) -> Result<Answer, AmountError>,
) -> Answer {
    let [at, av, ac, as_] = a;
    let [bt, bv, bc, bs] = b;
    match (amount_of(at, av, ac, as_), amount_of(bt, bv, bc, bs)) {
        (Ok(a), Ok(b)) => op(&a, &b).unwrap_or_else(|err| fail(&err)),
        (Err(bad), _) | (_, Err(bad)) => bad.answer(),
    }
}

/// The exports on two amounts: each amount is its kind and three members (eight strings).
macro_rules! binary_exports {
    ($($(#[doc = $doc:literal])* $js:ident => $name:ident($op:expr);)*) => {$(
        $(#[doc = $doc])*
        #[wasm_bindgen(js_name = $js)]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            a_top: &str,
            a_value: &str,
            a_code: &str,
            a_scale: &str,
            b_top: &str,
            b_value: &str,
            b_code: &str,
            b_scale: &str,
        ) -> Answer {
            binary(
                [a_top, a_value, a_code, a_scale],
                [b_top, b_value, b_code, b_scale],
                $op,
            )
        }
    )*};
}

binary_exports! {
    /// `a + b` for amounts of the same asset; overflow is an error.
    addAmounts => add_amounts(|a, b| a.checked_add(b).map(|sum| amount_json(&sum)));
    /// `a - b` for amounts of the same asset; a result below zero is an error.
    subtractAmounts => subtract_amounts(|a, b| a.checked_sub(b).map(|diff| amount_json(&diff)));
    /// `-1`, `0` or `1` as `a` is below, equal to or above `b`; different assets are an error.
    compareAmounts => compare_amounts(|a, b| {
        a.compare(b).map(|order| {
            match order {
                Ordering::Less => "-1",
                Ordering::Equal => "0",
                Ordering::Greater => "1",
            }
            .to_owned()
        })
    });
}

/// Checks a wire amount and answers it normalised (`value` without leading zeros).
#[wasm_bindgen(js_name = validateAmount)]
pub fn validate_amount(top: &str, value: &str, code: &str, scale: &str) -> Answer {
    match amount_of(top, value, code, scale) {
        Ok(amount) => amount_json(&amount),
        Err(bad) => bad.answer(),
    }
}
