//! The JS-facing behaviour, compiled to wasm and run in Node (`wasm-pack test --node -- --test node`).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

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
