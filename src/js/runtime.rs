//! The host's clock, timers and random numbers as a [`Runtime`]: `Date.now()` through
//! `src/js/host.js` (imports declared `catch`, so a replaced `Date.now` that throws cannot unwind
//! through wasm), `crypto.getRandomValues`, and timers that are steps of the operation the facade
//! drives (`src/js/pending.rs`) or, for `open_payments_wasm::fetch` (feature `fetch-client`),
//! `setTimeout` awaited from wasm. The npm package's client and Rust on wasm32 both run on it.

use wasm_bindgen::prelude::*;

use crate::client::{LocalBoxFuture, Runtime};

#[wasm_bindgen(module = "/src/js/host.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = nowMs)]
    fn now_ms() -> Result<f64, JsValue>;

    #[cfg(feature = "fetch-client")]
    #[wasm_bindgen(catch, js_name = sleepMs)]
    fn sleep_ms(ms: f64) -> Result<js_sys::Promise, JsValue>;
}

/// `Date.now()`, timers and `crypto.getRandomValues`, each failure handled.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsRuntime;

impl Runtime for JsRuntime {
    fn now_unix_seconds(&self) -> u64 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let seconds = (now_ms().unwrap_or(0.0) / 1000.0).floor().max(0.0) as u64;
        seconds
    }

    /// Inside an operation the facade drives, an `S` step; otherwise `setTimeout` awaited from
    /// wasm (`fetch-client`), or no wait where neither exists.
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        #[cfg(feature = "js-public-client")]
        if super::pending::driven() {
            return super::pending::sleep(ms);
        }
        #[cfg(feature = "fetch-client")]
        {
            #[allow(clippy::cast_precision_loss)]
            let promise = sleep_ms(ms as f64);
            Box::pin(async move {
                if let Ok(promise) = promise {
                    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                }
            })
        }
        #[cfg(not(feature = "fetch-client"))]
        {
            let _ = ms;
            Box::pin(std::future::ready(()))
        }
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
        getrandom::fill(buf).map_err(|e| e.to_string())
    }
}
