//! The sandbox ASE driven over real HTTP on 127.0.0.1 by a signing test client, one module per
//! part of the protocol: grants, consent, continuation, tokens, every resource server endpoint,
//! money movement, limits, strictness, concurrency, the fault hook and the dev endpoints. Each
//! test starts its own sandbox on a free port (`harness.rs`).
#![cfg(all(feature = "sandbox", not(target_arch = "wasm32")))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod config_and_dev;
mod grants;
mod harness;
mod incoming_payments;
mod limits;
mod outgoing_payments;
mod quotes;
mod requests;
#[path = "../shared/sandbox.rs"]
mod shared;
mod wallet_addresses;
