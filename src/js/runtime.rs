//! The host's clock and random numbers: `Date.now()` through `src/js/host.js` (imports declared
//! `catch`, so a replaced `Date.now` that throws cannot unwind through wasm) and
//! `crypto.getRandomValues`. The npm client's runtime (`src/js/pending.rs`, whose timers are
//! steps the facade runs) and, with the feature `fetch-client`, `JsRuntime` (timers through
//! `setTimeout`, for `open_payments_wasm::fetch`) are built on them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/host.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = nowMs)]
    fn now_ms() -> Result<f64, JsValue>;
}

/// The current time in unix seconds (`Date.now()`; 0 if it fails).
pub(crate) fn now_unix_seconds() -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let seconds = (now_ms().unwrap_or(0.0) / 1000.0).floor().max(0.0) as u64;
    seconds
}

/// Fills `buf` from `crypto.getRandomValues`.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), String> {
    getrandom::fill(buf).map_err(|e| e.to_string())
}

#[cfg(feature = "fetch-client")]
pub use timers::JsRuntime;

#[cfg(feature = "fetch-client")]
mod timers {
    use js_sys::Promise;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;

    use crate::client::{LocalBoxFuture, Runtime};

    #[wasm_bindgen(module = "/src/js/host.js")]
    extern "C" {
        #[wasm_bindgen(catch, js_name = sleepMs)]
        fn sleep_ms(ms: f64) -> Result<Promise, JsValue>;
    }

    /// `Date.now()`, `setTimeout` and `crypto.getRandomValues`, each failure handled.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct JsRuntime;

    impl Runtime for JsRuntime {
        fn now_unix_seconds(&self) -> u64 {
            super::now_unix_seconds()
        }

        fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
            #[allow(clippy::cast_precision_loss)]
            let promise = sleep_ms(ms as f64);
            Box::pin(async move {
                if let Ok(promise) = promise {
                    let _ = JsFuture::from(promise).await;
                }
            })
        }

        fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
            super::fill_random(buf)
        }
    }
}
