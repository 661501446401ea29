//! JS exports for exact money: `parseAmount`, `formatAmount`, `addAmounts`, `subtractAmounts`,
//! `compareAmounts`, `validateAmount`. Amount values cross the boundary as strings only.

use std::cmp::Ordering;

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::{error, from_js, to_js};
use crate::amount::{Amount, AmountError, WireAssetCode, WireAssetScale};

/// Intl caps fraction digits at 100; larger scales format without a locale only.
const INTL_MAX_FRACTION_DIGITS: u8 = 100;

#[wasm_bindgen(typescript_custom_section)]
const TS_AMOUNT: &str = r#"
/** An amount in minor units, exactly as on the Open Payments wire: `value` is a string of digits. */
export interface Amount {
  value: string;
  assetCode: string;
  /** Decimal places of the smallest unit, 0 to 255. */
  assetScale: number;
}

/** The asset a decimal text is parsed into. */
export interface AssetOptions {
  assetCode: string;
  assetScale: number;
}

/** How `formatAmount` shows an amount. Without `locale` the result is the plain decimal text. */
export interface FormatAmountOptions {
  /** A BCP 47 locale (or list); formats through `Intl.NumberFormat` from the exact decimal text. */
  locale?: string | string[];
  /** `"currency"` shows the asset code as a currency (symbol, code or name). Default `"decimal"`. */
  style?: "decimal" | "currency";
  currencyDisplay?: "symbol" | "narrowSymbol" | "code" | "name";
  useGrouping?: boolean;
}
"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssetOptions {
    asset_code: WireAssetCode,
    asset_scale: WireAssetScale,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct FormatOptions {
    locale: Option<Locales>,
    style: Option<Style>,
    currency_display: Option<CurrencyDisplay>,
    use_grouping: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Locales {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum Style {
    Decimal,
    Currency,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum CurrencyDisplay {
    Symbol,
    NarrowSymbol,
    Code,
    Name,
}

#[wasm_bindgen(inline_js = r#"
export function intlFormatDecimal(text, locales, style, currency, currencyDisplay, useGrouping, digits) {
  const options = { minimumFractionDigits: digits, maximumFractionDigits: digits };
  if (style === 'currency') { options.style = 'currency'; options.currency = currency; }
  if (currencyDisplay !== undefined) options.currencyDisplay = currencyDisplay;
  if (useGrouping !== undefined) options.useGrouping = useGrouping;
  // A string argument is formatted as an exact decimal (Intl.NumberFormat v3): no float.
  return new Intl.NumberFormat(locales, options).format(text);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = intlFormatDecimal)]
    #[allow(clippy::too_many_arguments)]
    fn intl_format_decimal(
        text: &str,
        locales: JsValue,
        style: Option<String>,
        currency: &str,
        currency_display: Option<String>,
        use_grouping: Option<bool>,
        digits: u8,
    ) -> Result<String, JsValue>;
}

fn amount_arg(value: JsValue) -> Result<Amount, JsValue> {
    from_js::<Amount>(value)
}

/// Parses a person's decimal text (`"12.34"`) into an amount of the asset, exactly or not at all.
#[wasm_bindgen(js_name = parseAmount, unchecked_return_type = "Amount")]
pub fn parse_amount(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AssetOptions")] asset: JsValue,
) -> Result<JsValue, JsValue> {
    let text = input.as_string().ok_or_else(|| {
        error::to_js(&AmountError::InvalidAmount {
            field: "value",
            reason: "it must be a string, not a number or other type (numbers are floating point)",
        })
    })?;
    let asset: AssetOptions = from_js(asset)?;
    let amount = Amount::parse_decimal(&text, &asset.asset_code.0, asset.asset_scale.0)
        .map_err(|e| error::to_js(&e))?;
    to_js(&amount)
}

/// Formats an amount: the exact decimal text (`"12.34"`), or with `locale` through
/// `Intl.NumberFormat` fed the exact decimal text (never a float).
#[wasm_bindgen(js_name = formatAmount)]
pub fn format_amount(
    #[wasm_bindgen(unchecked_param_type = "Amount")] amount: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FormatAmountOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    let amount = amount_arg(amount)?;
    let options: FormatOptions = match options {
        Some(v) if !v.is_undefined() && !v.is_null() => from_js(v)?,
        _ => FormatOptions::default(),
    };
    let text = amount.to_decimal_string();
    let Some(locales) = options.locale else {
        return Ok(text);
    };
    if amount.asset_scale() > INTL_MAX_FRACTION_DIGITS {
        return Err(error::with_code(
            "invalid_format_options",
            "locale formatting supports at most 100 decimal places; format this amount without a locale",
            Some("assetScale"),
        ));
    }
    let locales = match locales {
        Locales::One(one) => JsValue::from(one),
        Locales::Many(many) => many
            .into_iter()
            .map(JsValue::from)
            .collect::<js_sys::Array>()
            .into(),
    };
    let style = options.style.map(|s| match s {
        Style::Decimal => "decimal".to_owned(),
        Style::Currency => "currency".to_owned(),
    });
    let display = options.currency_display.map(|d| {
        match d {
            CurrencyDisplay::Symbol => "symbol",
            CurrencyDisplay::NarrowSymbol => "narrowSymbol",
            CurrencyDisplay::Code => "code",
            CurrencyDisplay::Name => "name",
        }
        .to_owned()
    });
    intl_format_decimal(
        &text,
        locales,
        style,
        amount.asset_code(),
        display,
        options.use_grouping,
        amount.asset_scale(),
    )
    .map_err(|e| {
        let reason = js_sys::Error::from(e).message();
        error::with_code(
            "invalid_format_options",
            &format!("Intl.NumberFormat refused the options: {reason}"),
            Some("locale"),
        )
    })
}

/// `a + b` for amounts of the same asset; overflow is an error.
#[wasm_bindgen(js_name = addAmounts, unchecked_return_type = "Amount")]
pub fn add_amounts(
    #[wasm_bindgen(unchecked_param_type = "Amount")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Amount")] b: JsValue,
) -> Result<JsValue, JsValue> {
    let sum = amount_arg(a)?
        .checked_add(&amount_arg(b)?)
        .map_err(|e| error::to_js(&e))?;
    to_js(&sum)
}

/// `a - b` for amounts of the same asset; a result below zero is an error.
#[wasm_bindgen(js_name = subtractAmounts, unchecked_return_type = "Amount")]
pub fn subtract_amounts(
    #[wasm_bindgen(unchecked_param_type = "Amount")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Amount")] b: JsValue,
) -> Result<JsValue, JsValue> {
    let diff = amount_arg(a)?
        .checked_sub(&amount_arg(b)?)
        .map_err(|e| error::to_js(&e))?;
    to_js(&diff)
}

/// `-1`, `0` or `1` as `a` is below, equal to or above `b`; different assets are an error.
#[wasm_bindgen(js_name = compareAmounts, unchecked_return_type = "-1 | 0 | 1")]
pub fn compare_amounts(
    #[wasm_bindgen(unchecked_param_type = "Amount")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Amount")] b: JsValue,
) -> Result<i32, JsValue> {
    let order = amount_arg(a)?
        .compare(&amount_arg(b)?)
        .map_err(|e| error::to_js(&e))?;
    Ok(match order {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    })
}

/// Checks a wire amount object (e.g. from a server response) and returns it normalised
/// (`value` without leading zeros). Throws with the code and field of the first problem.
#[wasm_bindgen(js_name = validateAmount, unchecked_return_type = "Amount")]
pub fn validate_amount(
    #[wasm_bindgen(unchecked_param_type = "unknown")] wire: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&amount_arg(wire)?)
}
