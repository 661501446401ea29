//! The Open Payments client.
//!
//! - [`request`]: one builder per operation, giving the exact request to send (signed when the
//!   protocol requires it, at a `created` time passed in) and the parser of its response
//!   ([`response`]). Pure: no I/O, no clock, no JS types.
//! - [`OpenPaymentsClient`]: the same operations as async methods over a [`Transport`], with
//!   retries of idempotent requests and reconciliation of outgoing payments whose creation had
//!   an unknown outcome.
//! - [`interact`]: the `interact` block with a fresh nonce, and the interaction-finish check.
//! - `native` (feature `native-client`): a `reqwest` transport and a tokio runtime.
//!
//! The fetch transport for wasm lives in the JS binding layer.

mod api;
mod cache;
mod error;
pub mod interact;
#[cfg(all(feature = "native-client", not(target_arch = "wasm32")))]
pub mod native;
pub mod request;
pub mod response;
mod transport;

pub use api::{ClientConfig, Listed, Logger, OpenPaymentsClient, Pages};
pub use cache::{CachePolicy, WalletAddressCache};
pub use error::{ClientError, TransportError};
pub use interact::{interact_request, new_nonce, verify_interact_finish, InteractFinishCheck};
pub use request::{Call, HttpRequest, Method, Pagination, Signer, UrlOptions};
pub use response::{HttpResponse, ResponseBody};
pub use transport::{LocalBoxFuture, LogEvent, RetryPolicy, Runtime, Transport};
