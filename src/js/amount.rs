//! Raw exports for exact money (facade: `src/js/facade/amount.ts`). Amounts cross as JSON text
//! of the wire object (`{"value": "1234", "assetCode": "USD", "assetScale": 2}`); values are
//! always strings of digits, never numbers.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::{answer, fail, read, run, Answer};
use crate::amount::{Amount, AmountError, WireAssetCode, WireAssetScale};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssetOptions {
    asset_code: WireAssetCode,
    asset_scale: WireAssetScale,
}

/// Parses a person's decimal text into an amount of the asset (JSON text), exactly or not at all.
#[wasm_bindgen(js_name = parseAmount)]
pub fn parse_amount(text: &str, asset: &str) -> Answer {
    run(|| {
        let asset: AssetOptions = read(asset)?;
        Amount::parse_decimal(text, &asset.asset_code.0, asset.asset_scale.0).map_err(|e| fail(&e))
    })
}

/// What `formatAmount` needs to format an amount: its exact decimal text, code and scale.
#[derive(Serialize)]
struct Decimal<'a> {
    text: String,
    code: &'a str,
    scale: u8,
}

/// The exact decimal text of an amount (`"12.34"`), with its asset, for the facade to show
/// (with `Intl.NumberFormat` fed the text, never a float, when a locale is asked for).
#[wasm_bindgen(js_name = decimalAmount)]
pub fn decimal_amount(amount: &str) -> Answer {
    match read::<Amount>(amount) {
        Ok(amount) => super::ok(&Decimal {
            text: amount.to_decimal_string(),
            code: amount.asset_code(),
            scale: amount.asset_scale(),
        }),
        Err(answer) => answer,
    }
}

/// Applies `op` to two amounts given as JSON text.
fn binary<T: Serialize>(
    a: &str,
    b: &str,
    op: impl FnOnce(&Amount, &Amount) -> Result<T, AmountError>,
) -> Answer {
    match (read::<Amount>(a), read::<Amount>(b)) {
        (Ok(a), Ok(b)) => answer(op(&a, &b)),
        (Err(answer), _) | (_, Err(answer)) => answer,
    }
}

/// `a + b` for amounts of the same asset; overflow is an error.
#[wasm_bindgen(js_name = addAmounts)]
pub fn add_amounts(a: &str, b: &str) -> Answer {
    binary(a, b, Amount::checked_add)
}

/// `a - b` for amounts of the same asset; a result below zero is an error.
#[wasm_bindgen(js_name = subtractAmounts)]
pub fn subtract_amounts(a: &str, b: &str) -> Answer {
    binary(a, b, Amount::checked_sub)
}

/// `-1`, `0` or `1` as `a` is below, equal to or above `b`; different assets are an error.
#[wasm_bindgen(js_name = compareAmounts)]
pub fn compare_amounts(a: &str, b: &str) -> Answer {
    binary(a, b, |a, b| {
        a.compare(b).map(|order| match order {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        })
    })
}

/// Checks a wire amount and answers it normalised (`value` without leading zeros).
#[wasm_bindgen(js_name = validateAmount)]
pub fn validate_amount(wire: &str) -> Answer {
    run(|| read::<Amount>(wire))
}
