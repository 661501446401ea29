//! The sandbox account servicing entity: an in-memory wallet address server, authorization server
//! (GNAP) and resource server that speak Open Payments 1.3.0 over real HTTP on 127.0.0.1, verify
//! every signature like a real ASE, and move money between in-memory accounts. Native only, behind
//! the `sandbox` feature; started by `cargo run --features sandbox --bin open-payments-sandbox --
//! --port 4000 [--layout origins]` or from a program with [`spawn`] / [`serve`] (tokio tasks on
//! listeners of 127.0.0.1); [`spawn_with_in_process`] also answers an [`InProcess`] handle that
//! reaches the same servers without a socket, for tests of protocol rules.
//!
//! # URLs
//!
//! Two layouts ([`Layout`], `"layout"` in the configuration JSON, `--layout` of the binary).
//!
//! ## `paths` (the default)
//!
//! All ASEs share one port; each lives under its own path prefix (`bank-a`, `bank-b` by default):
//!
//! | URL | what |
//! | --- | --- |
//! | `{base}/{ase}/{wallet}` | wallet address document (CORS `*`, `OPTIONS` answered); 302 to `index.html` when `Accept` ranks `text/html` above `application/json` (browsers), JSON otherwise (also without `Accept` and for `*/*`) |
//! | `{base}/{ase}/{wallet}/index.html` | a small HTML page describing the wallet (public name, asset, servers) |
//! | `{base}/{ase}/{wallet}/jwks.json` | the wallet's registered client keys |
//! | `{base}/{ase}/{wallet}/did.json` | 500, "DID document not yet implemented" |
//! | `{base}/{ase}/auth` | `authServer`: grant requests; `/continue/{id}`, `/token/{id}` |
//! | `{base}/{ase}/auth/interact/{id}` | consent page (GET: HTML with Approve / Deny forms; POST form field `decision=approve\|deny`); 410 HTML once the interaction expired |
//! | `{base}/{ase}/op` | `resourceServer`: `/incoming-payments`, `/quotes`, `/outgoing-payments`, `/outgoing-payment-grant` |
//!//! ## `origins` (as production ASEs are laid out)
//!
//! Each ASE gets two listeners on `127.0.0.1`, ports picked by the OS: a wallet origin `{wo}` that
//! serves its wallet addresses and is its resource server (`resourceServer` = the wallet
//! address's origin, no path, as in the resource server OpenAPI's `servers`), and an authorization
//! server origin `{ao}` (`authServer`, no path). Code written for production wallets
//! (resource server = `new URL(walletAddress).origin`) runs unchanged. The base URL `{base}`
//! serves only the development endpoints; [`SandboxInfo`] (`GET {base}/dev/info`) lists every
//! origin. Wallet names cannot be one of [`RESOURCE_SERVER_ROUTES`] in this layout.
//!
//! | URL | what |
//! | --- | --- |
//! | `{wo}/{wallet}` (`.../index.html`, `.../jwks.json`, `.../did.json`) | wallet address document and its files, as above |
//! | `{wo}/incoming-payments`, `{wo}/incoming-payments/{id}`, `{wo}/incoming-payments/{id}/complete` | resource server: incoming payments |
//! | `{wo}/quotes`, `{wo}/quotes/{id}` | resource server: quotes |
//! | `{wo}/outgoing-payments`, `{wo}/outgoing-payments/{id}` | resource server: outgoing payments |
//! | `{wo}/outgoing-payment-grant` | resource server: amounts spent under the token's grant |
//! | `{ao}` (requests reach `/`) | `authServer`: grant requests |
//! | `{ao}/continue/{id}`, `{ao}/token/{id}` | grant continuation and cancellation, token rotation and revocation |
//! | `{ao}/interact/{id}` | consent page (the form posts to `/interact/{id}` of the same origin) |
//! | `{base}/dev/...` | development endpoints (below) |
//!
//! Every URL the servers hand out (ids of incoming payments, quotes and outgoing payments,
//! `continue.uri`, `access_token.manage`, `interact.redirect`, `WWW-Authenticate: GNAP as_uri`,
//! the interaction-finish hash's grant endpoint) follows the layout. Signatures are verified
//! against `http://{Host header}{path}[?query]` on every listener; a grant request at an origin
//! root verifies whether the client signed `http://127.0.0.1:PORT` (as the `authServer` text is
//! written) or `http://127.0.0.1:PORT/` (as `fetch` normalizes it). Every listener answers
//! `OPTIONS` with 204 and sends the same CORS headers.
//!
//! Clients identify themselves with a sandbox wallet address (the sandbox looks its keys up
//! in-process and fetches no other host) or, for non-interactive grants, with an inline `jwk`.
//!
//! # Development endpoints (not part of Open Payments; no signatures)
//!
//! | endpoint | body | effect / answer |
//! | --- | --- | --- |
//! | `GET /dev/info` | – | the [`SandboxInfo`] JSON (also printed by the binary at start) |
//! | `POST /dev/wallets/{name}/keys` | a public Ed25519 JWK | registers (or replaces, same `kid`) a client key of wallet `{name}`; 201 with its JWKS |
//! | `GET /dev/balances` | – | `{"balances": {"<wallet name>": amount, ...}}` |
//! | `GET /dev/balances/{name}` | – | the wallet's balance as an Open Payments amount |
//! | `GET /dev/clock` | – | `{"now": unix seconds, "nowText", "offsetSeconds"}` of the sandbox clock |
//! | `POST /dev/clock` | `{"advanceSeconds": N}` | moves the sandbox clock (quote and token expiry, signature age, intervals, `wait`); `N` a whole number of seconds, the total offset within ±100 years of real time (400 `invalid_request` otherwise, the clock unchanged) |
//! | `POST /dev/faults` | `{"dropConnectionAfterCommit": "outgoing-payment", "times": N}` | the next N outgoing-payment creates commit, then the TCP connection is closed without a response |
//! | `POST /dev/interactions/{id}/approve` | – | approves the interaction `{id}` (last segment of `interact.redirect`); 200 `{"status","redirect","interactRef","hash"}`; 409 if already decided, 410 `invalid_interaction` if expired |
//! | `POST /dev/interactions/{id}/deny` | – | denies it; 200 `{"status":"rejected","redirect"}` (`result=grant_rejected`) |
//!
//! # Behaviour worth knowing
//!
//! - Money: amounts are exact integers; cross-asset payments pay `feeBasisPoints` of the debit
//!   (rounded up) and convert the rest at the configured rate (rounded down), see `money.rs`.
//!   An outgoing payment debits the sender and credits the receiving incoming payment (any ASE)
//!   in one critical section; on insufficient balance, or a receiver that is completed, expired or
//!   would be overpaid, it is stored with `failed: true`, `sentAmount` 0 and nothing moves (the
//!   quote is used up either way). `sentAmount` of a settled payment equals its `debitAmount`.
//! - Quotes are usable once and until `expiresAt` (`quoteLifetimeSeconds`).
//! - A replayed outgoing-payment creation (the same `Signature` already received while it is
//!   within `signatureMaxAgeSeconds`) is refused with 401 `invalid_signature`, description
//!   `signature_replayed: …`, and moves nothing. Only that POST is checked (see
//!   `State::refuse_replay` for why not GETs or the other POSTs); a client that means two equal
//!   payments signs them in different seconds or with different bodies.
//! - Interactions expire `interactionLifetimeSeconds` (default 600) of sandbox clock after the
//!   grant request: the consent page answers 410, the dev approve / deny endpoints 410
//!   `invalid_interaction`, and continuing the still-pending grant 401 `request_denied`. A grant
//!   approved in time can still be continued later.
//! - `continue.wait` is enforced when polling (continuation without `interact_ref`); grants with
//!   `interact.finish` must be continued with `interact_ref`.
//! - Grant spent amounts count only settled payments, per window of the limits' `interval`
//!   (`R[n]/start/duration` or `R[n]/start/end`: windows go forward from `start`;
//!   `R[n]/duration/end`: windows end at `end` and go backwards by `duration`, so after `end`
//!   no window is open and payments under such limits are refused). Windows are half-open
//!   `[start, end)`; a duration's calendar part (years, months) is applied after its exact part
//!   when stepping backwards. Other interval texts are refused at grant request (400
//!   `invalid_request`).

mod auth_server;
mod config;
mod consent_page;
mod dev;
mod grant_request;
mod http;
mod money;
mod net;
mod outgoing;
mod quotes;
mod records;
mod resource_server;
mod state;
#[cfg(test)]
mod tests;
mod wallet_page;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use config::{
    AseConfig, ConfigError, ExchangeRate, Layout, SandboxConfig, WalletConfig, RESERVED_NAMES,
    RESOURCE_SERVER_ROUTES,
};
pub use net::{serve, spawn, spawn_with_in_process, InProcess, InProcessResponse};

/// The URLs of a running sandbox (the JSON line the binary prints, `GET /dev/info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxInfo {
    /// `http://127.0.0.1:PORT`: the development endpoints (`/dev/*`), and in the paths layout
    /// every ASE.
    pub base_url: String,
    /// The layout the sandbox serves (`"paths"` or `"origins"`).
    #[serde(default)]
    pub layout: Layout,
    /// Wallet name -> wallet address URL.
    pub wallets: BTreeMap<String, String>,
    /// ASE name -> `authServer` URL.
    pub auth_servers: BTreeMap<String, String>,
    /// ASE name -> `resourceServer` URL (in the origins layout the ASE's wallet origin, where its
    /// wallet addresses live too).
    pub resource_servers: BTreeMap<String, String>,
}

/// Why the sandbox could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A socket error.
    #[error("sandbox I/O error: {0}")]
    Io(#[from] std::io::Error),
}
