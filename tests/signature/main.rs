//! Request signing against published vectors (RFC 9421 B.2.6, RFC 9530, the Open Payments
//! examples, the GNAP interaction hash) and against tampering: every rule of RFC 9421 and the Open Payments signing profile that
//! a verifier enforces has a test that breaks it and expects that rule's error code.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod parser_properties;
mod support;
mod tampering;
mod vectors;
