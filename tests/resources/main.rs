//! One test per rule of the Open Payments data model (the schemas of the three Open Payments OpenAPI files, and their error bodies), each asserting the
//! error code and the JSON path of the field at fault.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod grants;
mod pages_and_errors;
mod payments;
mod schema_table;
mod support;
mod wallet_addresses;
