//! The world each test starts: a sandbox on a free port of 127.0.0.1, a merchant over a transport
//! that counts requests, a clock that follows the sandbox clock, and the steps a person takes
//! (consent, dev endpoints, balances).

pub(crate) use std::rc::Rc;
pub(crate) use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
pub(crate) use std::sync::Arc;

pub(crate) use open_payments_wasm::client::native::{ReqwestTransport, SystemRuntime};
pub(crate) use open_payments_wasm::client::*;
pub(crate) use open_payments_wasm::merchant::*;
pub(crate) use open_payments_wasm::sandbox::{SandboxConfig, SandboxInfo};

use super::shared;
pub(crate) use open_payments_wasm::seal::SealKeys;
pub(crate) use open_payments_wasm::signature::PrivateKey;
pub(crate) use open_payments_wasm::{Amount, ErrorCode};
pub(crate) use serde_json::{json, Value};

/// The system clock plus the sandbox clock's offset, so signatures stay fresh after the
/// sandbox clock moves.
pub(crate) struct Clock(pub(crate) Arc<AtomicI64>);

impl Runtime for Clock {
    fn now_unix_seconds(&self) -> u64 {
        let now = SystemRuntime.now_unix_seconds() as i64 + self.0.load(Ordering::SeqCst);
        now as u64
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        SystemRuntime.sleep(ms)
    }
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
        SystemRuntime.fill_random(buf)
    }
}

/// A transport that counts requests.
#[derive(Clone)]
pub(crate) struct Counting {
    pub(crate) inner: Rc<ReqwestTransport>,
    pub(crate) count: Arc<AtomicUsize>,
}

impl Transport for Counting {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request)
    }
}

pub(crate) struct World {
    pub(crate) info: SandboxInfo,
    pub(crate) http: reqwest::Client,
    pub(crate) offset: Arc<AtomicI64>,
    pub(crate) count: Arc<AtomicUsize>,
    pub(crate) merchant: Merchant<Counting>,
}

pub(crate) const KEY: [u8; 32] = [42; 32];

pub(crate) async fn start_with(settings: MerchantSettings, key_bytes: [u8; 32]) -> World {
    let (info, http) = shared::start(SandboxConfig::default()).await;
    let key = PrivateKey::generate("shop-key").unwrap();
    shared::register_key(&http, &info, "shop", &key).await;
    let offset = Arc::new(AtomicI64::new(0));
    let count = Arc::new(AtomicUsize::new(0));
    let transport = Counting {
        inner: Rc::new(ReqwestTransport::new(Some(10_000)).unwrap()),
        count: Arc::clone(&count),
    };
    let client = OpenPaymentsClient::new(
        transport,
        ClientConfig::new(Box::new(Clock(Arc::clone(&offset))))
            .with_key(key, &info.wallets["shop"]),
    );
    let merchant = Merchant::new(
        client,
        SealKeys::from_bytes(&[key_bytes]).unwrap(),
        settings,
    );
    World {
        info,
        http,
        offset,
        count,
        merchant,
    }
}

pub(crate) async fn start() -> World {
    start_with(MerchantSettings::default(), KEY).await
}

pub(crate) fn usd(value: u64) -> Amount {
    Amount::new(value, "USD", 2).unwrap()
}

impl World {
    pub(crate) async fn dev(&self, path: &str, body: Value) -> Value {
        shared::dev(&self.http, &self.info, path, body).await
    }

    pub(crate) async fn balance(&self, wallet: &str) -> u64 {
        shared::balance(&self.http, &self.info, wallet).await
    }

    /// Decides the consent as the shopper would; answers the finish redirect's query.
    pub(crate) async fn consent(&self, consent_url: &str, approve: bool) -> FinishQuery {
        let id = consent_url.rsplit('/').next().unwrap();
        let verb = if approve { "approve" } else { "deny" };
        let decided = self
            .dev(&format!("/dev/interactions/{id}/{verb}"), json!({}))
            .await;
        if approve {
            FinishQuery {
                hash: Some(decided["hash"].as_str().unwrap().to_owned()),
                interact_ref: Some(decided["interactRef"].as_str().unwrap().to_owned()),
                result: None,
            }
        } else {
            assert!(decided["redirect"]
                .as_str()
                .unwrap()
                .contains("result=grant_rejected"));
            FinishQuery {
                result: Some("grant_rejected".into()),
                ..FinishQuery::default()
            }
        }
    }

    pub(crate) async fn advance(&self, seconds: i64) {
        self.dev("/dev/clock", json!({ "advanceSeconds": seconds }))
            .await;
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    pub(crate) fn payment(&self, shopper: &str, amount: Amount) -> PaymentRequest {
        PaymentRequest {
            wallet_address: self.info.wallets[shopper].clone(),
            amount,
            amount_is: AmountIs::Receive,
            finish_url: "https://shop.example/checkout/finish?order=7".into(),
            description: Some("Order 7".into()),
            metadata: None,
        }
    }

    pub(crate) fn requests(&self) -> usize {
        self.count.swap(0, Ordering::SeqCst)
    }
}
