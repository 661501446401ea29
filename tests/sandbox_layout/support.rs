//! The world each test starts: a sandbox in the given layout on a free port of 127.0.0.1, plain
//! HTTP that follows no redirect, the crate's client with a registered key, and the access items
//! the scenarios ask for.

pub(crate) use open_payments_wasm::client::native::{ReqwestTransport, SystemRuntime};
pub(crate) use open_payments_wasm::client::*;
pub(crate) use open_payments_wasm::resources::*;
pub(crate) use open_payments_wasm::sandbox::{Layout, SandboxConfig, SandboxInfo};

use super::shared;
pub(crate) use open_payments_wasm::signature::PrivateKey;
pub(crate) use open_payments_wasm::{Amount, ErrorCode};
pub(crate) use reqwest::Url;
pub(crate) use serde_json::{json, Value};

pub(crate) struct World {
    pub(crate) info: SandboxInfo,
    /// Plain HTTP, redirects not followed (the consent page redirects to the client's finish URI).
    pub(crate) http: reqwest::Client,
    pub(crate) client: OpenPaymentsClient<ReqwestTransport>,
}

pub(crate) fn origin(url: &str) -> String {
    Url::parse(url).unwrap().origin().ascii_serialization()
}

pub(crate) async fn start(layout: Layout) -> World {
    let config = SandboxConfig {
        layout,
        ..SandboxConfig::default()
    };
    let (info, http) = shared::start(config).await;
    assert_eq!(info.layout, layout);
    let key = PrivateKey::generate("layout-key").unwrap();
    shared::register_key(&http, &info, "shop", &key).await;
    let shop = info.wallets["shop"].clone();
    let client = OpenPaymentsClient::new(
        ReqwestTransport::new(Some(10_000)).unwrap(),
        ClientConfig::new(Box::new(SystemRuntime)).with_key(key, &shop),
    );
    World { info, http, client }
}

impl World {
    pub(crate) async fn dev(&self, path: &str, body: Value) -> Value {
        shared::dev(&self.http, &self.info, path, body).await
    }

    pub(crate) async fn balances(&self) -> Value {
        shared::balances(&self.http, &self.info).await
    }

    pub(crate) fn grant_request(
        &self,
        access: Vec<AccessItem>,
        interact: Option<InteractRequest>,
    ) -> GrantRequest {
        GrantRequest {
            access_token: Some(AccessTokenRequest { access }),
            client: self.client.client_identity().unwrap(),
            interact,
            subject: None,
        }
    }

    /// A non-interactive grant's token, requested at `auth_server`.
    pub(crate) async fn token_at(&self, auth_server: &str, access: Vec<AccessItem>) -> AccessToken {
        match self
            .client
            .request_grant(auth_server, &self.grant_request(access, None))
            .await
            .unwrap()
        {
            GrantResponse::Approved(grant) => grant.access_token.unwrap(),
            GrantResponse::Pending(p) => panic!("expected a non-interactive grant: {p:?}"),
        }
    }

    /// Requests an interactive outgoing-payment grant of `sender` limited to `limit`.
    pub(crate) async fn pending_outgoing(
        &self,
        sender: &WalletAddress,
        limit: &Amount,
        nonce: &str,
    ) -> PendingGrant {
        let access = vec![AccessItem::OutgoingPayment {
            actions: vec![AccessAction::Create, AccessAction::Read, AccessAction::List],
            identifier: sender.id.clone(),
            limits: Some(LimitsOutgoing {
                receiver: None,
                interval: None,
                debit_amount: Some(limit.clone()),
                receive_amount: None,
            }),
        }];
        let interact = interact_request("http://127.0.0.1/checkout/return", nonce);
        match self
            .client
            .request_grant(
                &sender.auth_server,
                &self.grant_request(access, Some(interact)),
            )
            .await
            .unwrap()
        {
            GrantResponse::Pending(p) => p,
            GrantResponse::Approved(_) => panic!("outgoing-payment grants need interaction"),
        }
    }

    /// Continues `pending` after the interaction, checking the finish hash against the wallet's
    /// `authServer`.
    pub(crate) async fn finish(
        &self,
        sender: &WalletAddress,
        pending: &PendingGrant,
        nonce: &str,
        interact_ref: &str,
        hash: &str,
    ) -> Grant {
        let check = InteractFinishCheck {
            client_nonce: nonce,
            finish_nonce: &pending.interact.finish,
            interact_ref,
            grant_endpoint: &sender.auth_server,
            hash,
        };
        self.client
            .continue_grant_after_interaction(
                &pending.continue_.uri,
                &pending.continue_.access_token.value,
                &check,
            )
            .await
            .unwrap()
    }
}

pub(crate) fn quote_access() -> Vec<AccessItem> {
    vec![AccessItem::Quote {
        actions: vec![AccessAction::Create, AccessAction::Read],
    }]
}

pub(crate) fn incoming_access(wallet: &WalletAddress) -> Vec<AccessItem> {
    vec![AccessItem::IncomingPayment {
        actions: vec![
            AccessAction::Create,
            AccessAction::Read,
            AccessAction::List,
            AccessAction::Complete,
        ],
        identifier: Some(wallet.id.clone()),
    }]
}
