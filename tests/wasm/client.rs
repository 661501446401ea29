use wasm_bindgen_test::wasm_bindgen_test;

use js_sys::{Function, Object, Promise, Reflect};
use open_payments_wasm::js::authenticated::{
    create_interact_request, is_finalized_grant, is_pending_grant, verify_interact_finish_js,
};
use open_payments_wasm::js::client::create_unauthenticated_client;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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

async fn call(target: &JsValue, path: &[&str], arg: JsValue) -> Result<JsValue, JsValue> {
    let mut this = target.clone();
    for name in path.iter().take(path.len() - 1) {
        this = Reflect::get(&this, &JsValue::from_str(name)).unwrap();
    }
    let f: Function = Reflect::get(&this, &JsValue::from_str(path[path.len() - 1]))
        .unwrap()
        .dyn_into()
        .unwrap();
    let promise: Promise = f.call1(&this, &arg).unwrap().dyn_into().unwrap();
    JsFuture::from(promise).await
}

fn url_arg(url: &str) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"url".into(), &url.into()).unwrap();
    o.into()
}

/// `client.walletAddress.get({ url })`.
async fn get_wallet_address(client: &JsValue, url: &str) -> Result<JsValue, JsValue> {
    call(client, &["walletAddress", "get"], url_arg(url)).await
}

/// A string property of a JS object.
fn text(value: &JsValue, name: &str) -> Option<String> {
    Reflect::get(value, &name.into()).ok()?.as_string()
}

async fn unauthenticated() -> JsValue {
    JsFuture::from(create_unauthenticated_client(None))
        .await
        .unwrap()
}

#[wasm_bindgen_test]
async fn wallet_address_get_goes_through_fetch_and_returns_the_document() {
    fake_fetch(
        200,
        r#"{"id":"https://wallet.example/alice","assetCode":"USD","assetScale":2,"authServer":"https://auth.example","resourceServer":"https://wallet.example/op"}"#,
    );
    let client = unauthenticated().await;
    let wa = get_wallet_address(&client, "https://wallet.example/alice")
        .await
        .unwrap();
    assert_eq!(
        text(&wa, "authServer").as_deref(),
        Some("https://auth.example")
    );
    assert_eq!(
        text(&js_sys::global(), "__lastFetchUrl").as_deref(),
        Some("https://wallet.example/alice")
    );
}

#[wasm_bindgen_test]
async fn an_http_error_is_an_open_payments_client_error_with_status_and_server_words() {
    fake_fetch(
        404,
        r#"{"error":{"code":"404","description":"Not Found","details":{"id":"x"}}}"#,
    );
    let client = unauthenticated().await;
    let err = call(
        &client,
        &["incomingPayment", "get"],
        url_arg("https://rs.example/incoming-payments/x"),
    )
    .await
    .unwrap_err();
    let get = |k: &str| Reflect::get(&err, &k.into()).unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get("name").as_string().as_deref(),
        Some("OpenPaymentsClientError")
    );
    assert_eq!(get("code").as_string().as_deref(), Some("not_found"));
    assert_eq!(get("status").as_f64(), Some(404.0));
    assert_eq!(get("method").as_string().as_deref(), Some("GET"));
    assert_eq!(get("serverCode").as_string().as_deref(), Some("404"));
    assert_eq!(get("description").as_string().as_deref(), Some("Not Found"));
    let details = get("details");
    assert_eq!(
        Reflect::get(&details, &"id".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("x"),
        "the server's error.details, as the official client gives them"
    );
}

#[wasm_bindgen_test]
async fn a_bad_success_body_is_an_invalid_response() {
    fake_fetch(200, r#"{"id":"x"}"#);
    let client = unauthenticated().await;
    let err = call(
        &client,
        &["walletAddress", "get"],
        url_arg("https://wallet.example/alice"),
    )
    .await
    .unwrap_err();
    let code = Reflect::get(&err, &"code".into()).unwrap();
    assert_eq!(code.as_string().as_deref(), Some("invalid_response"));
    // As the official client: `validationErrors` lists what is wrong.
    let errors: js_sys::Array = Reflect::get(&err, &"validationErrors".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(errors.length(), 1);
    assert!(
        errors.get(0).as_string().unwrap().contains("publicName")
            || errors.get(0).as_string().unwrap().contains("assetCode"),
        "{:?}",
        errors.get(0)
    );
}

#[wasm_bindgen_test]
fn grant_guards_and_interaction_helpers() {
    let pending = js_sys::JSON::parse(r#"{"interact":{"redirect":"r","finish":"f"},"continue":{"access_token":{"value":"c"},"uri":"u"}}"#).unwrap();
    assert!(is_pending_grant(&pending));
    assert!(!is_finalized_grant(&pending));
    let interact = create_interact_request("https://app.example/return").unwrap();
    let finish = Reflect::get(&interact, &"finish".into()).unwrap();
    let nonce = Reflect::get(&finish, &"nonce".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(nonce.len(), 32);
    let params = js_sys::JSON::parse(&format!(
        r#"{{"clientNonce":"{nonce}","finishNonce":"f","interactRef":"r","grantEndpoint":"https://auth.example","hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#
    ))
    .unwrap();
    let err = verify_interact_finish_js(params).unwrap_err();
    let code = Reflect::get(&err, &"code".into()).unwrap();
    assert_eq!(
        code.as_string().as_deref(),
        Some("interaction_hash_mismatch")
    );
}

#[wasm_bindgen_test]
async fn description_is_always_a_string_as_in_the_official_client() {
    // A body that is not an error document: the body is the description.
    fake_fetch(418, "teapot says no");
    let client = unauthenticated().await;
    let err = get_wallet_address(&client, "https://wallet.example/alice")
        .await
        .unwrap_err();
    assert_eq!(text(&err, "description").as_deref(), Some("teapot says no"));
    // No body at all: the error's message.
    fake_fetch(400, "");
    let err = get_wallet_address(&client, "https://wallet.example/bob")
        .await
        .unwrap_err();
    let description = text(&err, "description").unwrap();
    assert!(description.contains("HTTP 400"), "{description}");
    assert_eq!(Some(description), text(&err, "message"));
}
