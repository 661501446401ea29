//! The crate's client against the sandbox ASE over real HTTP on 127.0.0.1, in both sandbox
//! layouts: the paths layout (every ASE under one port) and the origins layout (each ASE on a
//! wallet origin that is also its resource server, and an authorization server origin of its
//! own, as production ASEs are laid out).
//!
//! - `scenario`: the whole payment (discovery, grants, incoming payment, three kinds of quote,
//!   interactive outgoing-payment grant with the finish hash verified, payment, balances,
//!   completion, listings, token rotation and revocation), once per layout, with every URL the
//!   servers hand out checked against the layout;
//! - `consent_page`: the consent page's form posts to the layout's authorization server;
//! - `origins`: what only the origins layout has (one listener per part, grant endpoints at an
//!   origin root, CORS alike on every listener, routes that cannot be wallet names);
//! - `reconcile`: an outgoing payment whose connection dropped after commit is paid once;
//! - `grants`: server errors reported as such, grant cancellation.
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

mod consent_page;
mod grants;
mod origins;
mod reconcile;
mod scenario;
#[path = "../shared/sandbox.rs"]
mod shared;
mod support;
