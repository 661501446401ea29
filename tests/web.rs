//! The JS-facing behaviour, compiled to wasm and run in headless Chromium
//! (`wasm-pack test --headless --chrome -- --test web`).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/answer.rs"]
mod answer;

#[path = "wasm/amount.rs"]
mod amount;

#[path = "wasm/resources.rs"]
mod resources;

#[path = "wasm/signature.rs"]
mod signature;

#[path = "wasm/client.rs"]
mod client;
