//! The host's clock, timers and random numbers as a [`Runtime`]: `Date.now()` and `setTimeout`
//! through `src/js/host.js` (imports declared `catch`, so a replaced `Date.now` or a missing
//! timer that throws cannot unwind through wasm) and `crypto.getRandomValues`. The npm package's
//! client and `open_payments_wasm::fetch` (Rust on wasm32) both run on it.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::client::{LocalBoxFuture, Runtime};

#[wasm_bindgen(module = "/src/js/host.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = nowMs)]
    fn now_ms() -> Result<f64, JsValue>;

    #[wasm_bindgen(catch, js_name = sleepMs)]
    fn sleep_ms(ms: f64) -> Result<Promise, JsValue>;
}

/// `Date.now()`, `setTimeout` and `crypto.getRandomValues`, each failure handled.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsRuntime;

impl Runtime for JsRuntime {
    fn now_unix_seconds(&self) -> u64 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let seconds = (now_ms().unwrap_or(0.0) / 1000.0).floor().max(0.0) as u64;
        seconds
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
        getrandom::fill(buf).map_err(|e| e.to_string())
    }
}
