//! The shared fixtures: a request that owns its parts (`Req`: sign it, change a header, verify it)
//! and a signed POST with its key and JWKS (`fixture`).

pub(crate) use open_payments_wasm::signature::{
    content_digest, interaction_hash, prepare_signature, sign_request, signature_base_for,
    verify_content_digest, verify_interaction_hash, verify_request, Jwks, OwnedHttpRequest,
    PrivateKey, VerifyOptions,
};
pub(crate) use open_payments_wasm::ErrorCode;
pub(crate) use serde_json::Value;

pub(crate) const CREATED: u64 = 1_700_000_000;

/// A request that owns its parts, so tests can change any of them.
#[derive(Clone, Debug)]
pub(crate) struct Req(pub(crate) OwnedHttpRequest);

impl std::ops::Deref for Req {
    type Target = OwnedHttpRequest;
    fn deref(&self) -> &OwnedHttpRequest {
        &self.0
    }
}

impl std::ops::DerefMut for Req {
    fn deref_mut(&mut self) -> &mut OwnedHttpRequest {
        &mut self.0
    }
}

impl Req {
    pub(crate) fn new(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Self {
        Self(OwnedHttpRequest {
            method: method.into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).into(), (*v).into()))
                .collect(),
            body: body.map(|b| b.as_bytes().to_vec()),
        })
    }

    /// The request with the signature headers added (replacing any of the same name).
    pub(crate) fn signed(&self, key: &PrivateKey, created: u64) -> Self {
        let headers = self.with(|r| sign_request(r, key, created)).unwrap();
        let mut out = self.clone();
        for (name, value) in headers.to_pairs() {
            out.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            out.headers.push((name.into(), value.into()));
        }
        out
    }

    pub(crate) fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap()
            .1
            .clone()
    }

    pub(crate) fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
    }

    pub(crate) fn verify(&self, jwks: &Jwks, now: u64) -> Result<(), String> {
        self.with(|r| verify_request(r, jwks, &VerifyOptions::new(now)))
            .map(|_| ())
            .map_err(|e| e.code().to_owned())
    }
}

pub(crate) const BODY: &str = r#"{"walletAddress":"https://wallet.example/alice","incomingAmount":{"value":"2500","assetCode":"USD","assetScale":2},"metadata":{"note":"café ☕"}}"#;

pub(crate) fn fixture() -> (PrivateKey, Jwks, Req) {
    let key = PrivateKey::generate("key-1").unwrap();
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    let req = Req::new(
        "POST",
        "https://wallet.example/incoming-payments?x=1",
        &[
            (
                "Authorization",
                "GNAP OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0",
            ),
            ("Accept", "application/json"),
        ],
        Some(BODY),
    )
    .signed(&key, CREATED);
    (key, jwks, req)
}
