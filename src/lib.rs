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
//! - [`error`]: the code and field every error of the crate carries.
//!
//! The JavaScript API lives in `src/js/` and is compiled only for `wasm32`.

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
