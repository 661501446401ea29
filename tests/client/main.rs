//! The client core natively: every request builder (method, URL, headers, body, signature) and
//! response parser against canned responses, and the async client over a scripted transport
//! (retries, no retried POSTs, reconciliation of outgoing payments, redacted logs).
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod builders;
mod cache;
mod calls;
mod pages;
mod responses;
mod retries;
mod support;
