//! The wasm side of the JS boundary: plain data in, plain data out.
//!
//! Users never call these exports. The JS facade (`src/js/facade/`, TypeScript, bundled into
//! every package entry by `.ci/assemble-npm.mjs`) reads the user's objects *in JS* (so getters and
//! Proxies run, and throw, in JS), turns them into JSON text, strings, numbers or bytes, and calls
//! the exports here. Nothing in this module walks a user object: a JS exception can therefore
//! never unwind through wasm frames, which would leave wasm-bindgen's stack pointer behind and,
//! after a few thousand throws, trap the instance for good.
//!
//! Every export answers with an [`Answer`]: the result as JSON text, or `!` followed by the
//! error as JSON (`{"code", "message", "field"?, "client"?}`). The facade parses it and, for an
//! error, creates the `OpenPaymentsError` in JS, so its `stack` shows the caller's frames.
//! Exports that return an object handle (a key, a client) return `Result<_, String>` whose error
//! string is the same error JSON (without the `!`), thrown by the wasm-bindgen glue (JS code)
//! and turned into an `OpenPaymentsError` by the facade.
//!
//! Client operations do their I/O in JS: each returns a `pending::Pending` that the facade
//! drives, sending the requests it asks for (`sendRequest` of `src/js/host.js`). The one import
//! the npm builds' wasm has from its host is the clock (`nowMs` of `src/js/host.js`), declared
//! `catch`.

pub mod amount;
#[cfg(feature = "js-client")]
pub mod authenticated;
#[cfg(feature = "js-public-client")]
pub mod client;
#[cfg(feature = "js-merchant")]
pub mod merchant;
#[cfg(feature = "js-public-client")]
pub mod pending;
#[cfg(feature = "js-resources")]
pub mod resources;
#[cfg(any(feature = "js-public-client", feature = "fetch-client"))]
pub mod runtime;
#[cfg(feature = "js-keys")]
pub mod signature;
#[cfg(any(feature = "js-public-client", feature = "fetch-client"))]
pub mod transport;
pub mod wallet_address;

use crate::error::{push_quoted, ErrorCode};

/// What a raw export answers: JSON text of the result, or `!` + the error's JSON.
pub type Answer = String;

/// The JSON of an error: its machine code, message, the field it is about, and for client
/// operations the request and response details (`client`, already JSON; see
/// [`client::ClientErrorData`]).
pub(crate) fn error_json(
    code: &str,
    message: &str,
    field: Option<String>,
    client: Option<&str>,
) -> String {
    let mut out = String::with_capacity(48 + message.len());
    out.push_str("{\"code\":");
    push_quoted(&mut out, code);
    out.push_str(",\"message\":");
    push_quoted(&mut out, message);
    if let Some(field) = field {
        out.push_str(",\"field\":");
        push_quoted(&mut out, &field);
    }
    if let Some(client) = client {
        out.push_str(",\"client\":");
        out.push_str(client);
    }
    out.push('}');
    out
}

/// The error JSON of any core error.
pub(crate) fn error_of<E: ErrorCode>(err: &E) -> String {
    error_json(err.code(), &err.to_string(), err.field(), None)
}

/// An error answer: `!` + the error JSON.
pub(crate) fn fail_json(json: &str) -> Answer {
    let mut out = String::with_capacity(json.len() + 1);
    out.push('!');
    out.push_str(json);
    out
}

/// An error answer for any core error.
pub(crate) fn fail<E: ErrorCode>(err: &E) -> Answer {
    fail_json(&error_of(err))
}

/// Answers through serde_json, for the exports of keys and the merchant flows (the lean build has
/// none of them, and so no JSON library).
#[cfg(feature = "js-keys")]
mod json_answers {
    use serde::Serialize;

    use super::{fail_with, Answer};

    /// A success answer: the JSON text of `value`.
    pub(crate) fn ok<T: Serialize + ?Sized>(value: &T) -> Answer {
        serde_json::to_string(value)
            .unwrap_or_else(|e| fail_with("internal_error", &e.to_string(), None))
    }

    /// Reads JSON text made by the facade (`JSON.stringify` of the user's value) as `T`; the
    /// error is an answer naming the JSON path of the first bad field. The merchant flows'
    /// arguments only: the client's are read with `crate::json`.
    #[cfg(feature = "js-merchant")]
    pub(crate) fn read<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Answer> {
        crate::resources::from_json(json).map_err(|e| super::fail(&e))
    }

    /// Runs `f`, whose `?` may return an early [`Answer`] (an error), and answers its value.
    pub(crate) fn run<T: Serialize>(f: impl FnOnce() -> Result<T, Answer>) -> Answer {
        match f() {
            Ok(value) => ok(&value),
            Err(answer) => answer,
        }
    }
}
#[cfg(feature = "js-merchant")]
pub(crate) use json_answers::read;
#[cfg(feature = "js-keys")]
pub(crate) use json_answers::{ok, run};

/// An error answer with an explicit code, for failures found at the boundary itself.
#[cfg(any(feature = "js-resources", feature = "js-keys"))]
pub(crate) fn fail_with(code: &str, message: &str, field: Option<&str>) -> Answer {
    fail_json(&error_json(code, message, field.map(str::to_owned), None))
}
