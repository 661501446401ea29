//! The one sandbox harness of the Rust tests that drive the sandbox (`client_e2e`, `merchant`,
//! `sandbox`): a sandbox on a free port of 127.0.0.1 (with its in-process handle), plain HTTP
//! that follows no redirect, a client key registered for a wallet, and the dev endpoints (see
//! the sandbox's module docs). Each test crate includes it with `#[path = …] mod shared;`.
#![allow(dead_code)]

use open_payments_wasm::sandbox::{spawn_with_in_process, InProcess, SandboxConfig, SandboxInfo};
use open_payments_wasm::signature::PrivateKey;
use serde_json::Value;

/// Starts a sandbox with `config`; answers its info and an HTTP client that follows no redirect
/// (the consent page redirects to the client's finish URI).
pub async fn start(config: SandboxConfig) -> (SandboxInfo, reqwest::Client) {
    let (info, http, _) = start_with_in_process(config).await;
    (info, http)
}

/// [`start`], and the handle that reaches the same sandbox without a socket.
pub async fn start_with_in_process(
    config: SandboxConfig,
) -> (SandboxInfo, reqwest::Client, InProcess) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let (info, in_process) = spawn_with_in_process(config, listener).await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (info, http, in_process)
}

/// Registers `key`'s public JWK as a client key of sandbox wallet `wallet`.
pub async fn register_key(
    http: &reqwest::Client,
    info: &SandboxInfo,
    wallet: &str,
    key: &PrivateKey,
) {
    let response = http
        .post(format!("{}/dev/wallets/{wallet}/keys", info.base_url))
        .json(&key.public_jwk())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
}

/// `POST {base}{path}` with a JSON body; the answer must be a success.
pub async fn dev(http: &reqwest::Client, info: &SandboxInfo, path: &str, body: Value) -> Value {
    let response = http
        .post(format!("{}{path}", info.base_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

/// Every wallet's balance: `{"<name>": amount, …}`.
pub async fn balances(http: &reqwest::Client, info: &SandboxInfo) -> Value {
    let response = http
        .get(format!("{}/dev/balances", info.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json::<Value>().await.unwrap()["balances"].clone()
}

/// One wallet's balance in minor units.
pub async fn balance(http: &reqwest::Client, info: &SandboxInfo, wallet: &str) -> u64 {
    let v: Value = http
        .get(format!("{}/dev/balances/{wallet}", info.base_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["value"].as_str().unwrap().parse().unwrap()
}
