//! The raw client through a fake global `fetch`: operations are driven as the facade drives them
//! (`src/js/facade/pending.ts`: each request step sent with `sendRequest` of `src/js/host.js`) to
//! an answer string (the response body as received, or `!` + the error JSON with the request and
//! response details).

use wasm_bindgen_test::wasm_bindgen_test;

use super::answer::{error, ok};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array, JSON};
use open_payments_wasm::js::authenticated::{create_interact_request, verify_interact_finish_raw};
use open_payments_wasm::js::client::{new_client, ClientHandle, Pending};
use open_payments_wasm::js::pending::response_headers;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/js/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = sendRequest)]
    fn send_request(
        ctx: &JsValue,
        method: &str,
        url: &str,
        headers: JsValue,
        body: JsValue,
        sign: bool,
        names: JsValue,
    ) -> Promise;
}

/// Replaces the global `fetch` with one answering `status` and `body` to every request, and
/// recording the last request URL in `globalThis.__lastFetchUrl`.
fn fake_fetch(status: u16, body: &str) {
    let install = Function::new_with_args(
        "status, body",
        "globalThis.__realFetch ??= globalThis.fetch;
         globalThis.fetch = async (input) => {
           globalThis.__lastFetchUrl = typeof input === 'string' ? input : input.url;
           return new Response(status === 204 ? null : body, { status, headers: { 'content-type': 'application/json' } });
         };",
    );
    install
        .call2(
            &JsValue::NULL,
            &JsValue::from(status),
            &JsValue::from_str(body),
        )
        .unwrap();
}

/// The answer of an operation, driven step by step as the facade's `drive` does, with the
/// per-call context `ctx`.
async fn answer(mut pending: Pending, ctx: JsValue) -> String {
    let mut step = pending.start();
    loop {
        match step.as_bytes().first() {
            Some(b'F') => {
                let fields = fields(&step);
                let headers = Array::new();
                for pair in fields[5..].chunks(2) {
                    headers.push(&Array::of2(
                        &pair[0].as_str().into(),
                        &pair[1].as_str().into(),
                    ));
                }
                let body = match fields[3].as_str() {
                    "" => JsValue::NULL,
                    body => body.into(),
                };
                let outcome = JsFuture::from(send_request(
                    &ctx,
                    &fields[0],
                    &fields[1],
                    headers.into(),
                    body,
                    fields[2] == "1",
                    JSON::parse(&response_headers()).unwrap(),
                ))
                .await
                .expect("sendRequest never rejects");
                step = match outcome.as_string() {
                    Some(failure) => pending.failed(&failure),
                    None => {
                        let parts: Array = outcome.unchecked_into();
                        let body: Uint8Array = parts.get(2).unchecked_into();
                        pending.fetched(
                            parts.get(0).as_f64().unwrap(),
                            &parts.get(1).as_string().unwrap(),
                            body.to_vec(),
                        )
                    }
                };
            }
            Some(b'S') => step = pending.slept(),
            // The answer: JSON text or `!` + the error's JSON.
            _ => return step,
        }
    }
}

/// The fields of an `F` step as the facade reads them (`fields` in
/// `src/js/facade/pending.ts`): each is its length in UTF-16 code units, `:` and its text.
fn fields(step: &str) -> Vec<String> {
    let units: Vec<u16> = step.encode_utf16().skip(1).collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < units.len() {
        let colon = at
            + units[at..]
                .iter()
                .position(|&u| u == u16::from(b':'))
                .unwrap();
        let len: usize = String::from_utf16(&units[at..colon])
            .unwrap()
            .parse()
            .unwrap();
        out.push(String::from_utf16(&units[colon + 1..colon + 1 + len]).unwrap());
        at = colon + 1 + len;
    }
    out
}

/// A per-call context as the facade makes it: `{ timeoutMs }`.
fn ctx(timeout_ms: f64) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"timeoutMs".into(), &timeout_ms.into()).unwrap();
    o.into()
}

/// A string property of a JS object.
fn text(value: &JsValue, name: &str) -> Option<String> {
    Reflect::get(value, &name.into()).ok()?.as_string()
}

fn unauthenticated() -> ClientHandle {
    new_client("{}", None).unwrap()
}

#[wasm_bindgen_test]
async fn wallet_address_get_goes_through_fetch_and_returns_the_document() {
    fake_fetch(
        200,
        r#"{"id":"https://wallet.example/alice","assetCode":"USD","assetScale":2,"authServer":"https://auth.example","resourceServer":"https://wallet.example/op"}"#,
    );
    let client = unauthenticated();
    let wa = ok(&answer(
        client.wallet_address_get("https://wallet.example/alice".to_owned()),
        ctx(5000.0),
    )
    .await);
    assert_eq!(wa["authServer"].as_str(), Some("https://auth.example"));
    assert_eq!(
        text(&js_sys::global(), "__lastFetchUrl").as_deref(),
        Some("https://wallet.example/alice")
    );
}

#[wasm_bindgen_test]
async fn an_http_error_answers_the_status_and_server_words() {
    fake_fetch(
        404,
        r#"{"error":{"code":"404","description":"Not Found","details":{"id":"x"}}}"#,
    );
    let client = unauthenticated();
    let err = error(
        &answer(
            client.incoming_payment_get_public("https://rs.example/incoming-payments/x".to_owned()),
            JsValue::UNDEFINED,
        )
        .await,
    );
    let info = &err["client"];
    // `code` is the server's `error.code` verbatim, as the official client; `reason` the class.
    assert_eq!(err["code"].as_str(), Some("404"), "{err}");
    assert_eq!(info["reason"].as_str(), Some("not_found"), "{err}");
    assert_eq!(info["status"].as_u64(), Some(404));
    assert_eq!(info["method"].as_str(), Some("GET"));
    assert_eq!(
        info["url"].as_str(),
        Some("https://rs.example/incoming-payments/x")
    );
    assert_eq!(info["serverCode"].as_str(), Some("404"));
    assert_eq!(info["serverDescription"].as_str(), Some("Not Found"));
    // `details` reach JS in the body, where the facade reads them as the official client does.
    let body: serde_json::Value = serde_json::from_str(info["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["error"]["details"]["id"].as_str(), Some("x"));
}

#[wasm_bindgen_test]
async fn a_bad_success_body_is_an_invalid_response() {
    fake_fetch(200, r#"{"id":"x"}"#);
    let client = unauthenticated();
    let err = error(
        &answer(
            client.wallet_address_get("https://wallet.example/alice".to_owned()),
            JsValue::UNDEFINED,
        )
        .await,
    );
    assert_eq!(err["code"].as_str(), Some("invalid_response"));
    // As the official client: `validationErrors` lists what is wrong.
    let errors = err["client"]["validationErrors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    let first = errors[0].as_str().unwrap();
    assert!(
        first.contains("publicName") || first.contains("assetCode"),
        "{first}"
    );
}

#[wasm_bindgen_test]
fn interaction_helpers() {
    let interact = ok(&create_interact_request("https://app.example/return"));
    let nonce = interact["finish"]["nonce"].as_str().unwrap();
    assert_eq!(nonce.len(), 32);
    let err = error(&verify_interact_finish_raw(
        nonce,
        "f",
        "r",
        "https://auth.example",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ));
    assert_eq!(err["code"].as_str(), Some("interaction_hash_mismatch"));
}

#[wasm_bindgen_test]
async fn an_error_carries_what_description_is_computed_from() {
    // A body that is not an error document: the body, as received.
    fake_fetch(418, "teapot says no");
    let client = unauthenticated();
    let err = error(
        &answer(
            client.wallet_address_get("https://wallet.example/alice".to_owned()),
            JsValue::UNDEFINED,
        )
        .await,
    );
    assert_eq!(err["client"]["body"].as_str(), Some("teapot says no"));
    assert_eq!(err["client"]["status"].as_u64(), Some(418));
    // No body at all: no `body`, and the message names the status.
    fake_fetch(400, "");
    let err = error(
        &answer(
            client.wallet_address_get("https://wallet.example/bob".to_owned()),
            JsValue::UNDEFINED,
        )
        .await,
    );
    assert!(err["client"].get("body").is_none(), "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("HTTP 400"), "{message}");
}
