//! Raw exports of the merchant flows (feature `js-client`): payments and subscriptions over an
//! authenticated client (`crate::merchant`). The facade (`src/js/facade/merchant.ts`) passes
//! requests as JSON text and the finish query as `{hash, interact_ref, result}` JSON; answers
//! are the core's results as JSON, or `!` + the error JSON with the wallet's error, when there is
//! one, under `wallet` (the facade makes it the thrown error's `cause`).

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::client::{client_error_json, ClientHandle, Pending, StepTransport};
use super::{fail_json, ok, read, Answer};
use crate::amount::Amount;
use crate::error::ErrorCode;
use crate::merchant::{
    FinishQuery, Merchant, MerchantError, MerchantSettings, PaymentRequest, SubscriptionRequest,
};
use crate::seal::SealKeys;

/// A merchant held in wasm memory: its keys, settings and reused tokens live here.
#[wasm_bindgen]
pub struct MerchantHandle {
    inner: Merchant<StepTransport>,
}

/// The settings the facade read and checked.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Settings {
    seal_keys: Vec<String>,
    state_ttl_seconds: Option<u64>,
    subscription_ttl_seconds: Option<u64>,
    reconcile_wait_ms: Option<u64>,
}

/// The error JSON of a flow outcome: code, message, field, and the wallet's error (the JSON a
/// client operation's error has) under `wallet`.
#[derive(Serialize)]
struct MerchantErrorData<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wallet: Option<serde_json::Value>,
}

fn merchant_error_json(err: &MerchantError) -> String {
    let data = MerchantErrorData {
        code: err.code(),
        message: err.to_string(),
        field: err.field(),
        wallet: err
            .client_error()
            .and_then(|e| serde_json::from_str(&client_error_json(e)).ok()),
    };
    serde_json::to_string(&data).unwrap_or_else(|_| super::error_of(err))
}

fn answer<T: serde::Serialize>(result: Result<T, MerchantError>) -> Answer {
    match result {
        Ok(value) => ok(&value),
        Err(err) => fail_json(&merchant_error_json(&err)),
    }
}

/// A merchant over the authenticated client `client` (the shop's key and wallet address),
/// with the settings' JSON (`sealKeys` as base64 text, lifetimes).
#[wasm_bindgen(js_name = newMerchant)]
pub fn new_merchant(client: &ClientHandle, settings: &str) -> Result<MerchantHandle, String> {
    let settings: Settings = read(settings).map_err(|a| a.trim_start_matches('!').to_owned())?;
    let keys = SealKeys::from_base64(&settings.seal_keys).map_err(|e| super::error_of(&e))?;
    let defaults = MerchantSettings::default();
    let settings = MerchantSettings {
        state_ttl_seconds: settings
            .state_ttl_seconds
            .unwrap_or(defaults.state_ttl_seconds),
        subscription_ttl_seconds: settings
            .subscription_ttl_seconds
            .unwrap_or(defaults.subscription_ttl_seconds),
        reconcile_wait_ms: settings
            .reconcile_wait_ms
            .unwrap_or(defaults.reconcile_wait_ms),
    };
    let client = client.shared().with_transport(StepTransport);
    Ok(MerchantHandle {
        inner: Merchant::new(client, keys, settings),
    })
}

/// Runs a flow step once its JSON arguments were read.
fn step<A, F, Fut>(handle: &MerchantHandle, args: Result<A, Answer>, f: F) -> Pending
where
    F: FnOnce(Merchant<StepTransport>, A) -> Fut,
    Fut: std::future::Future<Output = Answer> + 'static,
{
    Pending::of(args.map(|args| f(handle.inner.with_transport(StepTransport), args)))
}

/// Which flow a finish continues.
#[derive(Clone, Copy)]
enum Flow {
    Payment,
    Subscription,
}

impl MerchantHandle {
    /// `payments.finish` and `subscriptions.finish`: the sealed state and the finish query.
    fn finish(&self, flow: Flow, state: String, query: &str) -> Pending {
        step(self, read::<FinishQuery>(query), move |m, q| async move {
            match flow {
                Flow::Payment => answer(m.finish_payment(&state, &q).await),
                Flow::Subscription => answer(m.finish_subscription(&state, &q).await),
            }
        })
    }
}

#[wasm_bindgen]
impl MerchantHandle {
    /// `payments.start`: `request` is the JSON of a [`PaymentRequest`].
    #[wasm_bindgen(js_name = paymentStart)]
    pub fn payment_start(&self, request: &str) -> Pending {
        step(self, read::<PaymentRequest>(request), |m, r| async move {
            answer(m.start_payment(&r).await)
        })
    }

    /// `payments.finish`: the sealed state and the finish query's JSON.
    #[wasm_bindgen(js_name = paymentFinish)]
    pub fn payment_finish(&self, state: String, query: &str) -> Pending {
        self.finish(Flow::Payment, state, query)
    }

    /// `subscriptions.start`: `request` is the JSON of a [`SubscriptionRequest`].
    #[wasm_bindgen(js_name = subscriptionStart)]
    pub fn subscription_start(&self, request: &str) -> Pending {
        step(
            self,
            read::<SubscriptionRequest>(request),
            |m, r| async move { answer(m.start_subscription(&r).await) },
        )
    }

    /// `subscriptions.finish`: the sealed state and the finish query's JSON.
    #[wasm_bindgen(js_name = subscriptionFinish)]
    pub fn subscription_finish(&self, state: String, query: &str) -> Pending {
        self.finish(Flow::Subscription, state, query)
    }

    /// `subscriptions.charge`: the sealed subscription and, optionally, the amount's JSON.
    #[wasm_bindgen(js_name = subscriptionCharge)]
    pub fn subscription_charge(&self, sealed: String, amount: Option<String>) -> Pending {
        let amount = amount.as_deref().map(read::<Amount>).transpose();
        step(self, amount, |m, amount| async move {
            answer(m.charge_subscription(&sealed, amount.as_ref()).await)
        })
    }

    /// `seal`: the caller's data (JSON text) sealed for `purpose` and `ttl_seconds`.
    pub fn seal(&self, purpose: &str, data: &str, ttl_seconds: f64) -> Answer {
        let data = match read::<serde_json::Value>(data) {
            Ok(d) => d,
            Err(answer) => return answer,
        };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let ttl = ttl_seconds.clamp(0.0, 1e12) as u64;
        answer(self.inner.seal_data(purpose, &data, ttl))
    }

    /// `open`: the data sealed for `purpose`, as JSON text.
    pub fn open(&self, purpose: &str, token: &str) -> Answer {
        answer(self.inner.open_data::<serde_json::Value>(purpose, token))
    }

    /// `subscriptions.cancel`: the sealed subscription; answers `null`.
    #[wasm_bindgen(js_name = subscriptionCancel)]
    pub fn subscription_cancel(&self, sealed: String) -> Pending {
        step(self, Ok(()), |m, ()| async move {
            answer(m.cancel_subscription(&sealed).await)
        })
    }
}
