//! The JavaScript API: the only place that knows about JS values.
//!
//! Every export converts its JS arguments to core types, calls the core, and converts the result
//! back; every core error becomes an `OpenPaymentsError` (see [`error`]). TypeScript declarations
//! are written next to each export (`typescript_custom_section`, `unchecked_*_type`) so that the
//! published `.d.ts` is exact, with no `any`.

pub mod amount;
pub mod client;
pub mod error;
pub mod resources;
pub mod signature;
pub mod wallet_address;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::resources::{from_deserializer, ResourceError};

/// Reads a core value out of a JS value, with the JSON path of the first bad field on error.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_deserializer(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e: ResourceError| error::to_js(&e))
}

/// Turns a core value into plain JS objects and arrays (never `Map`s), as `JSON.parse` would.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error::internal(&e.to_string()))
}
