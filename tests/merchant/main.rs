//! The merchant flows (`open_payments_wasm::merchant`) against the sandbox ASE over real HTTP on
//! 127.0.0.1: a one-off payment with its balances, reloads and concurrent finishes paying once,
//! every typed outcome (denied, tampered state or hash, expired state or quote, insufficient
//! funds, unknown wallet), and a subscription charged, refused over its limit, charged again in
//! the next interval (sandbox clock moved, token rotated) and cancelled.
#![cfg(all(
    feature = "sandbox",
    feature = "native-client",
    not(target_arch = "wasm32")
))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod payments;
#[path = "../shared/sandbox.rs"]
mod shared;
mod subscriptions;
mod support;
