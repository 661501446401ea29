//! Rust on wasm32 (feature `fetch-client`): the crate's client over the global `fetch` against
//! the sandbox, in Node (`wasm-pack test --node --features fetch-client
//! -- --test fetch_node`, with `OP_SANDBOX_URL` set; see `.ci/test`).
#![cfg(all(target_arch = "wasm32", feature = "fetch-client"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "wasm/fetch_client.rs"]
mod fetch_client;
