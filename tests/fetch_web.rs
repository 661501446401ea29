//! Rust on wasm32 (feature `fetch-client`): the crate's client over the global `fetch` against
//! the sandbox, in headless browsers (`wasm-pack test --headless --chrome --features fetch-client
//! -- --test fetch_web`, with `OP_SANDBOX_URL` set; see `.ci/test`).
#![cfg(all(target_arch = "wasm32", feature = "fetch-client"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/fetch_client.rs"]
mod fetch_client;
