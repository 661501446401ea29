//! The shared fixtures: the test key, the canned wallet address, incoming payment, quote and
//! outgoing payment documents, a server-side verifier, and the async client over a scripted
//! transport (`Scripted`) with a runtime that records its sleeps (`FakeRuntime`).

pub(crate) use std::cell::RefCell;
pub(crate) use std::collections::VecDeque;
pub(crate) use std::rc::Rc;

pub(crate) use open_payments_wasm::client::request::{self as req};
pub(crate) use open_payments_wasm::client::*;
pub(crate) use open_payments_wasm::resources::*;
pub(crate) use open_payments_wasm::signature::{
    self, interaction_hash, Jwks, PrivateKey, VerifyOptions,
};
pub(crate) use open_payments_wasm::ErrorCode;

pub(crate) const NOW: u64 = 1_700_000_000;
pub(crate) const WALLET: &str = "https://wallet.example/alice";
pub(crate) const RS: &str = "https://wallet.example/op";
pub(crate) const AS: &str = "https://auth.wallet.example/";
pub(crate) const TOKEN: &str = "OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0";

pub(crate) fn key() -> PrivateKey {
    PrivateKey::from_seed("test-key", &[7u8; 32]).unwrap()
}

pub(crate) fn signer(key: &PrivateKey) -> Option<Signer<'_>> {
    Some(Signer {
        key: SigningKey::Key(key),
        created: NOW,
    })
}

pub(crate) fn opts() -> UrlOptions {
    UrlOptions::default()
}

/// Verifies a built request the way a server would: signature, digest, covered components.
pub(crate) fn verify(request: &HttpRequest, key: &PrivateKey) -> Vec<String> {
    let pairs: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut r = signature::HttpRequest::new(request.method.as_str(), &request.url, &pairs);
    if let Some(body) = &request.body {
        r = r.with_body(body);
    }
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    signature::verify_request(&r, &jwks, &VerifyOptions::new(NOW + 1))
        .unwrap()
        .components
}

pub(crate) fn amount(value: u64) -> amount_json::A {
    amount_json::A(value)
}

pub(crate) mod amount_json {
    pub struct A(pub u64);
    impl A {
        pub fn usd(&self) -> open_payments_wasm::Amount {
            open_payments_wasm::Amount::new(self.0, "USD", 2).unwrap()
        }
    }
}

pub(crate) fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    }
}

pub(crate) const WALLET_DOC: &str = r#"{"id":"https://wallet.example/alice","publicName":"Alice","assetCode":"USD","assetScale":2,"authServer":"https://auth.wallet.example/","resourceServer":"https://wallet.example/op"}"#;
pub(crate) const INCOMING: &str = r#"{"id":"https://wallet.example/op/incoming-payments/08394f02-7b7b-45e2-b645-51d04e7c330c","walletAddress":"https://wallet.example/alice","incomingAmount":{"value":"2500","assetCode":"USD","assetScale":2},"receivedAmount":{"value":"0","assetCode":"USD","assetScale":2},"completed":false,"expiresAt":"2022-02-03T23:20:50.52Z","metadata":{"externalRef":"INV2022-02-0137"},"createdAt":"2022-03-12T23:20:50.52Z","methods":[{"type":"ilp","ilpAddress":"g.ilp.iwuyge987y.98y08y","sharedSecret":"1c7eaXa4rd2fFOBl1iydvCT1tV5TbM3RW1WLCafu_JA"}]}"#;
pub(crate) const QUOTE: &str = r#"{"id":"https://wallet.example/op/quotes/q1","walletAddress":"https://wallet.example/alice","receiver":"https://bob.example/op/incoming-payments/i1","receiveAmount":{"value":"2500","assetCode":"USD","assetScale":2},"debitAmount":{"value":"2600","assetCode":"USD","assetScale":2},"method":"ilp","createdAt":"2022-03-12T23:20:50.52Z","expiresAt":"2022-03-12T23:25:50.52Z"}"#;

pub(crate) fn outgoing(id: &str, quote: &str) -> String {
    format!(
        r#"{{"id":"https://wallet.example/op/outgoing-payments/{id}","walletAddress":"https://wallet.example/alice","quoteId":"{quote}","failed":false,"receiver":"https://bob.example/op/incoming-payments/i1","receiveAmount":{{"value":"2500","assetCode":"USD","assetScale":2}},"debitAmount":{{"value":"2600","assetCode":"USD","assetScale":2}},"sentAmount":{{"value":"2500","assetCode":"USD","assetScale":2}},"createdAt":"2022-03-12T23:20:50.52Z"}}"#
    )
}

#[derive(Default)]
pub(crate) struct FakeRuntime {
    pub(crate) sleeps: RefCell<Vec<u64>>,
    pub(crate) counter: RefCell<u8>,
}

impl Runtime for FakeRuntime {
    fn now_unix_seconds(&self) -> u64 {
        NOW
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        self.sleeps.borrow_mut().push(ms);
        Box::pin(async {})
    }
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
        let mut c = self.counter.borrow_mut();
        *c += 1;
        buf.fill(*c);
        Ok(())
    }
}

/// Answers from a script and records what was sent.
#[derive(Default, Clone)]
pub(crate) struct Scripted {
    pub(crate) answers: Rc<RefCell<VecDeque<Result<HttpResponse, TransportError>>>>,
    pub(crate) sent: Rc<RefCell<Vec<HttpRequest>>>,
}

impl Scripted {
    pub(crate) fn push(&self, answer: Result<HttpResponse, TransportError>) -> &Self {
        self.answers.borrow_mut().push_back(answer);
        self
    }
    pub(crate) fn sent(&self) -> Vec<(Method, String)> {
        self.sent
            .borrow()
            .iter()
            .map(|r| (r.method, r.url.clone()))
            .collect()
    }
}

impl Transport for Scripted {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.borrow_mut().push(request);
        let answer = self
            .answers
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(TransportError::Network("script exhausted".into())));
        Box::pin(async move { answer })
    }
}

pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

pub(crate) fn client(transport: &Scripted) -> OpenPaymentsClient<Scripted> {
    OpenPaymentsClient::new(
        transport.clone(),
        ClientConfig::new(Box::new(FakeRuntime::default()))
            .with_key(key(), "https://client.example/app"),
    )
}
