//! Property tests of the parsers: structured fields and signature headers (src/signature/), amount
//! text and wire objects beyond tests/amount_properties.rs, and the JSON paths of resource errors
//! (src/resources/json_path.rs through `resources::from_json`). No input may panic; what can round-trip
//! does: signatures verify, re-serialised structured fields and resources parse to themselves, and
//! an error's `field` is a path into the input (exactly the path of a field made bad on purpose).
//! Case counts are bounded so the file runs in a few seconds in a debug build.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod amounts;
mod json_paths;
mod signatures;
mod support;
