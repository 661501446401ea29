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
//! - [`merchant`]: payments and subscriptions as library calls: a checkout in two steps (start:
//!   consent URL, summary, sealed state; finish: hash checked, paid exactly once) and
//!   subscriptions (consent once, charge each interval, cancel).
//! - [`seal`]: AES-256-GCM sealed tokens (purpose-bound, expiring, key rotation) for the state
//!   a flow keeps between requests.
//! - [`error`]: the code and field every error of the crate carries.
//! - `sandbox` (feature `sandbox`): an in-memory account servicing entity (wallet address,
//!   authorization and resource servers) for tests and demos.
//!
//! The JavaScript API (the npm package) lives in `src/js/`: a TypeScript facade over raw wasm
//! exports, compiled only for `wasm32`. `ARCHITECTURE.md` in the repository describes the layers.
//!
//! # Three ways to use it
//!
//! **From JavaScript or TypeScript**: the npm package `open-payments-wasm` (browsers, Node, Deno,
//! Bun, Cloudflare Workers and other edge runtimes), with the official client's API:
//!
//! ```js
//! import { createAuthenticatedClient } from 'open-payments-wasm';
//!
//! const client = await createAuthenticatedClient({
//!   walletAddressUrl: 'https://wallet.example.com/shop',
//!   keyId: 'my-key-id',
//!   privateKey: process.env.OPEN_PAYMENTS_PRIVATE_KEY,
//! });
//! const wallet = await client.walletAddress.get({ url: 'https://wallet.example.com/alice' });
//! ```
//!
//! **From native Rust**: feature `native-client` brings [`client::OpenPaymentsClient`] a
//! `reqwest` transport that speaks `https` out of the box (rustls, the operating system's trust
//! store) and a tokio runtime. `examples/pay.rs` in the repository is a whole payment against the
//! sandbox (`cargo run --example pay --features sandbox,native-client`).
//!
//! ```toml
//! [dependencies]
//! open-payments-wasm = { version = "0.1", default-features = false, features = ["native-client"] }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! ```no_run
//! # #[cfg(all(feature = "native-client", not(target_arch = "wasm32")))]
//! # mod demo {
//! use open_payments_wasm::client::native::{ReqwestTransport, SystemRuntime};
//! use open_payments_wasm::client::{ClientConfig, OpenPaymentsClient};
//! use open_payments_wasm::signature::PrivateKey;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // The shop's key, registered at its wallet address (PEM or base64 PKCS#8).
//!     let key = PrivateKey::load(&std::env::var("OPEN_PAYMENTS_PRIVATE_KEY")?, "my-key-id")?;
//!     let client = OpenPaymentsClient::new(
//!         ReqwestTransport::new(Some(10_000))?, // 10 s per request
//!         ClientConfig::new(Box::new(SystemRuntime))
//!             .with_key(key, "https://wallet.example.com/shop"),
//!     );
//!     let alice = client.get_wallet_address("https://wallet.example.com/alice").await?;
//!     println!("{} pays in {}", alice.id, alice.asset_code);
//!     Ok(())
//! }
//! # }
//! # fn main() {}
//! ```
//!
//! Other roots of trust, a proxy or connection settings: build a `reqwest::Client` and pass it
//! to `ReqwestTransport::with_client`. A certificate that does not chain to a trusted root fails
//! with `client::ClientError::Tls` (code `tls_error`).
//!
//! **From Rust compiled to wasm32** (a `workers-rs` Worker, a Leptos or Yew front end): feature
//! `fetch-client` adds the module `open_payments_wasm::fetch` (wasm32 only), a transport over the
//! global `fetch` and a runtime over the JS host, for the same [`client::OpenPaymentsClient`] with
//! the same retries, timeouts and reconciliation:
//!
//! ```ignore
//! use open_payments_wasm::client::{ClientConfig, OpenPaymentsClient};
//! use open_payments_wasm::fetch::{FetchTransport, WebRuntime};
//!
//! let client = OpenPaymentsClient::new(
//!     FetchTransport::new(Some(10_000)),
//!     ClientConfig::new(Box::new(WebRuntime)),
//! );
//! let alice = client.get_wallet_address("https://wallet.example.com/alice").await?;
//! ```
//!
//! Without either feature the crate is the sans-I/O core: implement [`client::Transport`] and
//! [`client::Runtime`] for any HTTP client and executor.
//!
//! # Features
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `native-client` | `client::native`: `ReqwestTransport` (http and https) and `SystemRuntime` (tokio) |
//! | `fetch-client` | `fetch` (wasm32): `FetchTransport` and `WebRuntime` |
//! | `sandbox` | `sandbox`: the in-memory test servers, and the `open-payments-sandbox` binary |
//! | `js-client`, `js-public-client`, `js-resources`, `js-keys`, `js-verify`, `js-merchant` (default) | the npm package's exports (wasm32 only; a Rust program turns them off with `default-features = false`) |
//! | `fast-signing` (default) | Ed25519 with precomputed basepoint tables on wasm32 (twice as fast, 28 KB gzip more; native builds always have them) |
//! | `exact-json-numbers` (on with `js-resources`, `js-merchant`, `native-client`, `fetch-client`, `sandbox`) | numbers in JSON kept as is (metadata, DID documents) parse back to exactly the same `f64` (serde_json's `float_roundtrip`); the browser builds (lean, public) go without it: they never serialise a document again (the public client answers each body as received), so the exact parser would be 33 KB of dead weight |

pub mod amount;
pub mod client;
pub mod error;
mod json;
pub mod merchant;
mod percent;
pub mod resources;
pub mod seal;
pub mod signature;
pub mod wallet_address;

#[cfg(all(feature = "fetch-client", target_arch = "wasm32"))]
pub mod fetch;

#[cfg(feature = "sandbox")]
pub mod sandbox;

// The wasm-bindgen exports. Public only so the wasm test suites can call them; JS users see
// them as the package's functions, Rust users should use the core modules. (Its own `//!` docs
// are the module's docs: an outer doc here would make rustdoc resolve their links at the root.)
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod js;

pub use amount::{Amount, AmountError};
pub use error::ErrorCode;
pub use wallet_address::{resolve_wallet_address_url, WalletAddressUrlError};
