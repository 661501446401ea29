//! # open-payments-wasm
//!
//! An [Open Payments](https://openpayments.dev) client SDK: a pure Rust core that compiles to
//! WebAssembly for browsers and edge runtimes (the npm package) and runs natively in Rust programs.
//!
//! - [`amount`]: exact money in minor units (no floats), decimal text in and out, checked arithmetic.
//! - [`resources`]: serde models of every schema of the Open Payments OpenAPI files.
//! - [`signature`]: Ed25519 keys, Content-Digest and RFC 9421 request signing and verification,
//!   the GNAP interaction-finish hash.
//! - [`wallet_address`]: turning `$wallet.example/alice` or a URL into the wallet address URL.
//! - [`client`]: the Open Payments client: request builders and response parsers (sans-I/O) and
//!   an async client over a [`client::Transport`] (a native one with the `native-client`
//!   feature), with retries, a wallet address cache and exactly-once outgoing payments.
//! - [`error`]: the code and field every error of the crate carries.
//! - `sandbox` (feature `sandbox`): an in-memory account servicing entity (wallet address,
//!   authorization and resource servers) for tests and demos.
//!
//! The JavaScript API (the npm package) lives in `src/js/`: a TypeScript facade over raw wasm
//! exports, compiled only for `wasm32`. `ARCHITECTURE.md` in the repository describes the layers.

pub mod amount;
pub mod client;
pub mod error;
pub mod resources;
pub mod signature;
pub mod wallet_address;

/// The in-memory sandbox account servicing entity (test server), native only.
#[cfg(feature = "sandbox")]
pub mod sandbox;

/// The wasm-bindgen exports. Public only so the wasm test suites can call them; JS users see
/// them as the package's functions, Rust users should use the core modules.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod js;

pub use amount::{Amount, AmountError};
pub use error::ErrorCode;
pub use wallet_address::{resolve_wallet_address_url, WalletAddressUrlError};
