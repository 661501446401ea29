//! The world each test starts: a sandbox in the given layout on a free port of 127.0.0.1, plain
//! HTTP that follows no redirect, the crate's client with a registered key, the grant steps the
//! scenarios share and the access items they ask for.

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
    let key = PrivateKey::generate("e2e-key").unwrap();
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

    /// A non-interactive grant, requested at `auth_server`.
    pub(crate) async fn grant_at(&self, auth_server: &str, access: Vec<AccessItem>) -> Grant {
        match self
            .client
            .request_grant(auth_server, &self.grant_request(access, None))
            .await
            .unwrap()
        {
            GrantResponse::Approved(grant) => grant,
            GrantResponse::Pending(p) => panic!("expected a non-interactive grant: {p:?}"),
        }
    }

    /// A non-interactive grant's token, requested at `auth_server`.
    pub(crate) async fn token_at(&self, auth_server: &str, access: Vec<AccessItem>) -> AccessToken {
        self.grant_at(auth_server, access)
            .await
            .access_token
            .unwrap()
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

    /// An interactive outgoing-payment grant of `sender` limited to `limit`, approved through the
    /// dev endpoint; a forged finish hash is refused before the real one continues the grant.
    pub(crate) async fn outgoing_token(
        &self,
        sender: &WalletAddress,
        limit: &Amount,
    ) -> AccessToken {
        let nonce = new_nonce(self.client.config().runtime()).unwrap();
        let pending = self.pending_outgoing(sender, limit, &nonce).await;
        assert!(pending
            .interact
            .redirect
            .starts_with(&format!("{}/interact/", sender.auth_server)));
        assert!(pending
            .continue_
            .uri
            .starts_with(&format!("{}/continue/", sender.auth_server)));
        let id = pending.interact.redirect.rsplit('/').next().unwrap();
        let approved = self
            .dev(&format!("/dev/interactions/{id}/approve"), json!({}))
            .await;
        let interact_ref = approved["interactRef"].as_str().unwrap();
        let hash = approved["hash"].as_str().unwrap();
        // The hash binds the grant endpoint: checked against another one it does not match.
        let forged = InteractFinishCheck {
            client_nonce: &nonce,
            finish_nonce: &pending.interact.finish,
            interact_ref,
            grant_endpoint: &format!("{}/elsewhere", sender.auth_server),
            hash,
        };
        let err = self
            .client
            .continue_grant_after_interaction(
                &pending.continue_.uri,
                &pending.continue_.access_token.value,
                &forged,
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "interaction_hash_mismatch");
        let grant = self
            .finish(sender, &pending, &nonce, interact_ref, hash)
            .await;
        let token = grant.access_token.unwrap();
        assert!(token
            .manage
            .starts_with(&format!("{}/token/", sender.auth_server)));
        token
    }

    /// An incoming payment expecting `amount` on `recipient`'s account.
    pub(crate) async fn incoming_payment(
        &self,
        recipient: &WalletAddress,
        token: &AccessToken,
        amount: Amount,
    ) -> IncomingPaymentWithPaymentMethods {
        let body = CreateIncomingPaymentRequest {
            wallet_address: recipient.id.clone(),
            incoming_amount: Some(amount),
            expires_at: None,
            metadata: None,
        };
        self.client
            .create_incoming_payment(&recipient.resource_server, &token.value, &body)
            .await
            .unwrap()
    }

    /// `sender` pays `quote` with an outgoing-payment token.
    pub(crate) async fn pay_quote(
        &self,
        sender: &WalletAddress,
        token: &AccessToken,
        quote: &Quote,
    ) -> OutgoingPaymentWithSpentAmounts {
        let body = CreateOutgoingPaymentRequest::FromQuote {
            wallet_address: sender.id.clone(),
            quote_id: quote.id.clone(),
            metadata: None,
        };
        self.client
            .create_outgoing_payment(&sender.resource_server, &token.value, &body)
            .await
            .unwrap()
    }

    /// One of the sandbox's wallets, read with the client.
    pub(crate) async fn wallet(&self, name: &str) -> WalletAddress {
        self.client
            .get_wallet_address(&self.info.wallets[name])
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
