//! The sandbox in both layouts, driven by the crate's client over real HTTP on 127.0.0.1: the
//! whole payment scenario (wallet addresses, grants, incoming payment, quote, interactive
//! outgoing-payment grant approved through the dev endpoint or the consent page's form, continue,
//! outgoing payment, balances, token rotation and revocation) runs unchanged in the paths layout
//! (every ASE under one port) and in the origins layout (each ASE on a wallet origin that is also
//! its resource server, and an authorization server origin of its own, as production ASEs are
//! laid out). The origins-only checks: `resourceServer` is the wallet address's origin, the
//! authorization server is another origin, every URL the servers hand out follows the layout,
//! CORS is the same on every listener and the base URL serves only `/dev/*`.
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
mod origins;
mod payment_scenario;
#[path = "../shared/sandbox.rs"]
mod shared;
mod support;
