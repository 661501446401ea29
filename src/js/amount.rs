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

/**
 * Formats an amount: the exact decimal text (`"12.34"`), or with `locale` through
 * `Intl.NumberFormat` fed the exact decimal text (never a float).
 */
export function formatAmount(amount: Amount, options?: FormatAmountOptions): string;
"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssetOptions {
    asset_code: WireAssetCode,
    asset_scale: WireAssetScale,
}

/// `formatAmount` options, read field by field: a serde model with an untagged locale enum
/// costs about 8 KB of wasm for four optional fields.
struct FormatOptions {
    locale: Option<JsValue>,
    style: Option<String>,
    currency_display: Option<String>,
    use_grouping: Option<bool>,
}

impl FormatOptions {
    fn from_js(options: Option<JsValue>) -> Result<Self, JsValue> {
        let none = Self {
            locale: None,
            style: None,
            currency_display: None,
            use_grouping: None,
        };
        let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else {
            return Ok(none);
        };
        if !options.is_object() {
            return Err(error::with_code(
                "invalid_type",
                "options must be an object",
                None,
            ));
        }
        let get = |key: &str| {
            js_sys::Reflect::get(&options, &JsValue::from_str(key))
                .ok()
                .filter(|v| !v.is_undefined())
        };
        let one_of = |key: &'static str, allowed: &[&str]| -> Result<Option<String>, JsValue> {
            match get(key) {
                None => Ok(None),
                Some(v) => match v.as_string() {
                    Some(s) if allowed.contains(&s.as_str()) => Ok(Some(s)),
                    _ => Err(error::with_code(
                        "invalid_value",
                        &format!("{key} must be one of: {}", allowed.join(", ")),
                        Some(key),
                    )),
                },
            }
        };
        let locale = match get("locale") {
            None => None,
            Some(v) if v.is_string() => Some(v),
            Some(v)
                if js_sys::Array::is_array(&v)
                    && js_sys::Array::from(&v).every(&mut |l, _, _| l.is_string()) =>
            {
                Some(v)
            }
            Some(_) => {
                return Err(error::with_code(
                    "invalid_type",
                    "locale must be a string or an array of strings",
                    Some("locale"),
                ))
            }
        };
        let use_grouping = match get("useGrouping") {
            None => None,
            Some(v) => Some(v.as_bool().ok_or_else(|| {
                error::with_code(
                    "invalid_type",
                    "useGrouping must be a boolean",
                    Some("useGrouping"),
                )
            })?),
        };
        Ok(Self {
            locale,
            style: one_of("style", &["decimal", "currency"])?,
            currency_display: one_of(
                "currencyDisplay",
                &["symbol", "narrowSymbol", "code", "name"],
            )?,
            use_grouping,
        })
    }
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

/// Reads an amount from the JS value (see [`from_js`]: the error names the bad field).
fn amount_arg(value: JsValue) -> Result<Amount, JsValue> {
    from_js(value)
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
/// (Declared in `TS_AMOUNT`, since wasm-bindgen cannot mark a typed parameter optional.)
#[wasm_bindgen(js_name = formatAmount, skip_typescript)]
pub fn format_amount(amount: JsValue, options: Option<JsValue>) -> Result<String, JsValue> {
    let amount = amount_arg(amount)?;
    let options = FormatOptions::from_js(options)?;
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
    intl_format_decimal(
        &text,
        locales,
        options.style,
        amount.asset_code(),
        options.currency_display,
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
