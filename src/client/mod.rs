//! The Open Payments client.
//!
//! - [`request`]: one builder per operation, giving the exact request to send (signed when the
//!   protocol requires it, at a `created` time passed in) and the parser of its response
//!   ([`response`]). Pure: no I/O, no clock, no JS types.
//! - [`OpenPaymentsClient`]: the same operations as async methods over a [`Transport`], with
//!   retries of idempotent requests and reconciliation of outgoing payments whose creation had
//!   an unknown outcome.
//! - [`interact`]: the `interact` block with a fresh nonce, and the interaction-finish check.
//! - `native` (feature `native-client`, native targets): a `reqwest` transport (http and https,
//!   the system's trust store) and a tokio runtime.
//!
//! For Rust code compiled to wasm32, `open_payments_wasm::fetch` (feature `fetch-client`) has a
//! transport over the global `fetch` and a runtime over the JS host; the npm package has its own,
//! in the JS binding layer.

mod api;
mod cache;
mod config;
mod driver;
mod error;
pub mod interact;
#[cfg(all(feature = "native-client", not(target_arch = "wasm32")))]
pub mod native;
mod pages;
pub mod request;
pub mod response;
mod transport;

pub use crate::resources::Pagination;
pub use api::{OpenPaymentsClient, PublicDocument};
pub use cache::{CachePolicy, WalletAddressCache};
pub use config::{ClientConfig, Logger};
pub use error::{ClientError, ServerDetails, TransportError};
pub use interact::{interact_request, new_nonce, verify_interact_finish, InteractFinishCheck};
pub use pages::{Listed, Pages};
pub use request::{Call, HttpRequest, Method, Signer, SigningKey, UrlOptions};
pub use response::{HttpResponse, ResponseBody};
pub use transport::{LocalBoxFuture, LogEvent, LogKind, RetryPolicy, Runtime, Transport};
