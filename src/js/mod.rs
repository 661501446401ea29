//! The JavaScript API: the only place that knows about JS values.
//!
//! Every export converts its JS arguments to core types, calls the core, and converts the result
//! back; every core error becomes an `OpenPaymentsError` (see [`error`]). TypeScript declarations
//! are written next to each export (`typescript_custom_section`, `unchecked_*_type`) so that the
//! published `.d.ts` is exact, with no `any`.

pub mod amount;
#[cfg(feature = "js-client")]
pub mod client;
pub mod error;
#[cfg(feature = "js-resources")]
pub mod resources;
#[cfg(feature = "js-keys")]
pub mod signature;
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
#[cfg_attr(
    not(any(feature = "js-resources", feature = "js-keys")),
    allow(dead_code)
)]
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_value(&json_from_js(value)?).map_err(|e: ResourceError| error::to_js(&e))
}

/// A JS value (as `JSON.parse` would give) as a JSON value.
#[cfg_attr(
    not(any(feature = "js-resources", feature = "js-keys")),
    allow(dead_code)
)]
pub(crate) fn json_from_js(value: JsValue) -> Result<serde_json::Value, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        let message = e.to_string();
        error::to_js(&ResourceError::from_serde(".", &message))
    })
}

/// Turns a core value into plain JS objects and arrays (never `Map`s), as `JSON.parse` would.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error::internal(&e.to_string()))
}
