//! The JavaScript API: the only place that knows about JS values.
//!
//! Every export converts its JS arguments to core types, calls the core, and converts the result
//! back; every core error becomes an `OpenPaymentsError` (see [`error`]). TypeScript declarations
//! are written next to each export (`typescript_custom_section`, `unchecked_*_type`) so that the
//! published `.d.ts` is exact, with no `any`.

pub mod amount;
#[cfg(feature = "js-client")]
pub mod authenticated;
#[cfg(feature = "js-public-client")]
pub mod client;
pub mod error;
#[cfg(feature = "js-resources")]
pub mod resources;
#[cfg(feature = "js-keys")]
pub mod signature;
pub mod types;
pub mod wallet_address;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::resources::{from_value, ResourceError};

/// Reads a core value out of a JS value, with the JSON path of the first bad field on error.
///
/// The JS value is read into a `serde_json::Value` first, so every key of an object is seen
/// (closed request bodies refuse unknown fields as they do natively) and the same path-tracking
/// deserializer serves JS and Rust callers.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_value(&json_from_js(value)?).map_err(|e: ResourceError| error::to_js(&e))
}

/// A JS value (as `JSON.parse` would give) as a JSON value: strings, finite numbers, booleans,
/// `null`, arrays and plain objects (own enumerable string keys; members that are `undefined`
/// are left out, as `JSON.stringify` does).
///
/// Written out rather than through serde-wasm-bindgen's deserializer: that one's error messages
/// link core's float formatting and serde's `Unexpected` texts (about 8 KB of the browser
/// download), and the walk is short.
pub(crate) fn json_from_js(value: JsValue) -> Result<serde_json::Value, JsValue> {
    let mut path = String::new();
    json_at(&value, &mut path, 0)
}

/// Deeper than this is refused: JSON documents of Open Payments are a few levels deep, and a
/// cyclic object would otherwise recurse without end.
const MAX_DEPTH: usize = 64;

fn json_at(value: &JsValue, path: &mut String, depth: usize) -> Result<serde_json::Value, JsValue> {
    use js_sys::{Array, Object};
    use serde_json::{Map, Number, Value};
    use wasm_bindgen::JsCast;
    let bad = |path: &str, what: &str| {
        let at = if path.is_empty() { "." } else { path };
        error::to_js(&ResourceError::from_serde(
            at,
            &format!("invalid type: {what}, expected a JSON value"),
        ))
    };
    if depth > MAX_DEPTH {
        return Err(bad(path, "a value nested too deeply (or a cycle)"));
    }
    if value.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::String(s));
    }
    if let Some(n) = value.as_f64() {
        // Integral numbers in the exact range of f64 stay integers (as JSON.parse gives them).
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let number = if n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&n) {
            Some(Number::from(n as u64))
        } else if n.fract() == 0.0 && (-9_007_199_254_740_991.0..0.0).contains(&n) {
            Some(Number::from(n as i64))
        } else {
            Number::from_f64(n)
        };
        return number
            .map(Value::Number)
            .ok_or_else(|| bad(path, "a number that is not finite"));
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        let mut items = Vec::with_capacity(usize::try_from(array.length()).unwrap_or(0));
        for (i, item) in array.iter().enumerate() {
            let len = path.len();
            path.push('[');
            path.push_str(&i.to_string());
            path.push(']');
            items.push(json_at(&item, path, depth + 1)?);
            path.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    if value.is_object() && !value.is_function() {
        let mut map = Map::new();
        for entry in Object::entries(value.unchecked_ref::<Object>()).iter() {
            let pair: Array = entry.unchecked_into();
            let item = pair.get(1);
            if item.is_undefined() {
                continue;
            }
            let key = pair.get(0).as_string().unwrap_or_default();
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            let json = json_at(&item, path, depth + 1)?;
            path.truncate(len);
            map.insert(key, json);
        }
        return Ok(Value::Object(map));
    }
    let what = if value.is_undefined() {
        "undefined"
    } else if value.is_function() {
        "a function"
    } else if value.is_bigint() {
        "a bigint"
    } else {
        "a symbol"
    };
    Err(bad(path, what))
}

/// Turns a core value into plain JS objects and arrays (never `Map`s), as `JSON.parse` would.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error::internal(&e.to_string()))
}
