//! The README's "Accept a payment" Worker in Rust: an axum server whose two routes are the
//! merchant flow's two calls (`start_payment`, `finish_payment`), run here against the
//! in-process sandbox, with this program also playing the shopper.
//!
//! ```text
//! cargo run --example checkout_axum --features sandbox,native-client
//! ```
//!
//! The client (and so the `Merchant`) is single-threaded (`Rc`, non-`Send` futures: the same
//! core runs in wasm), while axum handlers run on any thread. So the merchant lives on one
//! thread of its own and the handlers send it jobs: `MerchantThread::ask`.

use std::error::Error;
use std::rc::Rc;

use axum::extract::{Query, State};
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use open_payments_wasm::client::native::{ReqwestTransport, SystemRuntime};
use open_payments_wasm::client::{ClientConfig, LocalBoxFuture, OpenPaymentsClient};
use open_payments_wasm::merchant::{
    AmountIs, FinishQuery, Merchant, MerchantError, MerchantSettings, PaymentRequest,
};
use open_payments_wasm::sandbox::{spawn, SandboxConfig};
use open_payments_wasm::seal::SealKeys;
use open_payments_wasm::signature::PrivateKey;
use open_payments_wasm::{Amount, ErrorCode};
use serde::Deserialize;
use tokio::sync::{mpsc, oneshot};

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;
type Shop = Rc<Merchant<ReqwestTransport>>;
type Job = Box<dyn FnOnce(Shop) -> LocalBoxFuture<'static, ()> + Send>;

/// The merchant on a thread of its own (a current-thread runtime with a `LocalSet`).
#[derive(Clone)]
struct MerchantThread(mpsc::UnboundedSender<Job>);

impl MerchantThread {
    fn start(
        make: impl FnOnce() -> Result<Merchant<ReqwestTransport>> + Send + 'static,
    ) -> Result<Self> {
        let (jobs, mut queue) = mpsc::unbounded_channel::<Job>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::spawn(move || {
            let local = tokio::task::LocalSet::new();
            local.block_on(&runtime, async move {
                let merchant = match make() {
                    Ok(m) => Rc::new(m),
                    Err(e) => return eprintln!("the merchant could not start: {e}"),
                };
                while let Some(job) = queue.recv().await {
                    tokio::task::spawn_local(job(Rc::clone(&merchant)));
                }
            });
        });
        Ok(Self(jobs))
    }

    /// Runs `job` with the merchant and answers its result.
    async fn ask<R: Send + 'static>(
        &self,
        job: impl FnOnce(Shop) -> LocalBoxFuture<'static, R> + Send + 'static,
    ) -> Option<R> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |shop| {
            Box::pin(async move {
                let _ = reply.send(job(shop).await);
            })
        });
        self.0.send(job).ok()?;
        answer.await.ok()
    }
}

#[derive(Clone)]
struct App {
    merchant: MerchantThread,
    origin: String,
}

#[derive(Deserialize)]
struct Pay {
    wallet: String,
}

/// `GET /pay?wallet=…`: incoming payment, quote and grant; the shopper goes to the wallet.
async fn pay(State(app): State<App>, Query(q): Query<Pay>) -> Response {
    let finish_url = format!("{}/paid", app.origin);
    let started = app
        .merchant
        .ask(move |shop| {
            Box::pin(async move {
                let request = PaymentRequest {
                    wallet_address: q.wallet,
                    amount: Amount::new(1999, "USD", 2)?,
                    amount_is: AmountIs::Receive,
                    finish_url,
                    description: Some("Order 1".into()),
                    metadata: None,
                };
                shop.start_payment(&request).await
            })
        })
        .await;
    match started {
        Some(Ok(consent)) => {
            let cookie = format!(
                "checkout={}; Path=/paid; HttpOnly; Secure; SameSite=Lax",
                consent.state
            );
            (
                StatusCode::FOUND,
                [(LOCATION, consent.consent_url), (SET_COOKIE, cookie)],
            )
                .into_response()
        }
        other => failed(other),
    }
}

/// `GET /paid?hash=…&interact_ref=…`: the hash verified, the grant continued, paid once.
async fn paid(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<FinishQuery>,
) -> Response {
    let state = cookie(&headers, "checkout").unwrap_or_default();
    let finished = app
        .merchant
        .ask(move |shop| Box::pin(async move { shop.finish_payment(&state, &q).await }))
        .await;
    match finished {
        Some(Ok(receipt)) => json(StatusCode::OK, &receipt),
        other => failed(other),
    }
}

fn failed<T>(outcome: Option<std::result::Result<T, MerchantError>>) -> Response {
    match outcome {
        // consent_denied, quote_expired, insufficient_funds, tampered_hash, …: nothing paid.
        Some(Err(e)) => json(
            StatusCode::BAD_REQUEST,
            &serde_json::json!({ "error": e.code(), "message": e.to_string() }),
        ),
        _ => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    let body = serde_json::to_string(value).unwrap_or_default();
    (status, [(CONTENT_TYPE, "application/json")], body).into_response()
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let all = headers.get(COOKIE)?.to_str().ok()?;
    all.split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

#[tokio::main]
async fn main() -> Result<()> {
    // The sandbox, and the shop's key registered at its wallet address.
    let sandbox = spawn(
        SandboxConfig::default(),
        tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?,
    )
    .await?;
    let wallet = |name: &str| {
        sandbox
            .wallets
            .get(name)
            .cloned()
            .ok_or(format!("no wallet {name}"))
    };
    let (shop, alice) = (wallet("shop")?, wallet("alice")?);
    let key = PrivateKey::generate("shop-key")?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    http.post(format!("{}/dev/wallets/shop/keys", sandbox.base_url))
        .json(&key.public_jwk())
        .send()
        .await?
        .error_for_status()?;

    // The shop: the merchant on its thread, axum in front (SEAL_KEY would come from a secret).
    let merchant = MerchantThread::start(move || {
        let client = OpenPaymentsClient::new(
            ReqwestTransport::new(Some(10_000))?,
            ClientConfig::new(Box::new(SystemRuntime)).with_key(key, &shop),
        );
        let keys = SealKeys::from_bytes(&[rand_key()?])?;
        Ok(Merchant::new(client, keys, MerchantSettings::default()))
    })?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let app = Router::new()
        .route("/pay", get(pay))
        .route("/paid", get(paid))
        .with_state(App {
            merchant,
            origin: origin.clone(),
        });
    tokio::spawn(async move { axum::serve(listener, app).await });

    // The shopper: pay, consent in the wallet (the sandbox's dev endpoint), come back.
    let start = http
        .get(format!("{origin}/pay?wallet={alice}"))
        .send()
        .await?;
    let consent_url = start
        .headers()
        .get(LOCATION)
        .ok_or("no redirect")?
        .to_str()?
        .to_owned();
    let set_cookie = start
        .headers()
        .get(SET_COOKIE)
        .ok_or("no cookie")?
        .to_str()?;
    let state_cookie = set_cookie.split(';').next().unwrap_or_default().to_owned();
    let id = consent_url.rsplit('/').next().unwrap_or_default();
    let approved: serde_json::Value = http
        .post(format!(
            "{}/dev/interactions/{id}/approve",
            sandbox.base_url
        ))
        .send()
        .await?
        .json()
        .await?;
    let finish = approved
        .get("redirect")
        .and_then(|r| r.as_str())
        .ok_or("no redirect")?;
    let receipt = http
        .get(finish)
        .header(COOKIE, state_cookie)
        .send()
        .await?
        .text()
        .await?;
    println!("receipt: {receipt}");
    if !receipt.contains("\"status\":\"paid\"") {
        return Err(format!("not paid: {receipt}").into());
    }
    Ok(())
}

/// A fresh 32-byte seal key (a real shop reads its keys from a secret store).
fn rand_key() -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| e.to_string())?;
    Ok(key)
}
