//! Reuse of the merchant's non-interactive access tokens across payments: the incoming-payment
//! token on the shop's own wallet and a quote token per shopper authorization server (quote
//! grants name no wallet). A token is kept until shortly before its `expires_in`; one the server
//! refuses (401/403) is dropped and the call made once more with a fresh grant.
//!
//! This is what brings a checkout down to the protocol's floor at steady state: the two grant
//! requests happen once per token lifetime, not once per payment.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

use zeroize::Zeroizing;

use crate::client::{ClientError, OpenPaymentsClient, Transport};
use crate::resources::{AccessAction, AccessItem, AccessTokenRequest, GrantRequest, GrantResponse};

/// Longest a token is reused, whatever its `expires_in` says.
const MAX_REUSE_SECONDS: u64 = 600;
/// Tokens are dropped this long before they expire.
const MARGIN_SECONDS: u64 = 30;
/// Most tokens kept (one per shopper authorization server plus the shop's).
const MAX_TOKENS: usize = 256;

/// Which non-interactive grant a token comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum TokenFor {
    /// `incoming-payment` create/read/complete on the shop's wallet, at its auth server.
    ShopIncoming { auth_server: String, wallet: String },
    /// `quote` create/read at a shopper's auth server.
    Quote { auth_server: String },
}

struct Cached {
    value: Zeroizing<String>,
    reuse_until: u64,
}

/// The cache. Single-threaded by design (the client is), so a `RefCell`; never held across an
/// await.
#[derive(Default)]
pub(super) struct TokenCache {
    tokens: RefCell<HashMap<TokenFor, Cached>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenCache([redacted; {}])", self.tokens.borrow().len())
    }
}

impl TokenCache {
    fn get(&self, key: &TokenFor, now: u64) -> Option<String> {
        let tokens = self.tokens.borrow();
        tokens
            .get(key)
            .filter(|t| t.reuse_until > now)
            .map(|t| t.value.to_string())
    }

    fn forget(&self, key: &TokenFor) {
        self.tokens.borrow_mut().remove(key);
    }

    async fn fetch<T: Transport>(
        &self,
        client: &OpenPaymentsClient<T>,
        key: &TokenFor,
    ) -> Result<String, ClientError> {
        let now = client.config().runtime().now_unix_seconds();
        if let Some(hit) = self.get(key, now) {
            return Ok(hit);
        }
        let (auth_server, access) = match key {
            TokenFor::ShopIncoming {
                auth_server,
                wallet,
            } => (
                auth_server,
                AccessItem::IncomingPayment {
                    actions: vec![
                        AccessAction::Create,
                        AccessAction::Read,
                        AccessAction::Complete,
                    ],
                    identifier: Some(wallet.clone()),
                },
            ),
            TokenFor::Quote { auth_server } => (
                auth_server,
                AccessItem::Quote {
                    actions: vec![AccessAction::Create, AccessAction::Read],
                },
            ),
        };
        let request = GrantRequest {
            access_token: Some(AccessTokenRequest {
                access: vec![access],
            }),
            client: client.client_identity()?,
            interact: None,
            subject: None,
        };
        let token = match client.request_grant(auth_server, &request).await? {
            GrantResponse::Approved(grant) => grant.access_token,
            GrantResponse::Pending(_) => None,
        }
        .ok_or_else(|| ClientError::InvalidArgument {
            code: "unexpected_grant".into(),
            field: None,
            message: format!("{auth_server} asked for interaction on a non-interactive grant"),
        })?;
        let life = token
            .expires_in
            .unwrap_or(MAX_REUSE_SECONDS)
            .min(MAX_REUSE_SECONDS)
            .saturating_sub(MARGIN_SECONDS);
        if life > 0 {
            let mut tokens = self.tokens.borrow_mut();
            if tokens.len() >= MAX_TOKENS {
                tokens.clear();
            }
            tokens.insert(
                key.clone(),
                Cached {
                    value: Zeroizing::new(token.value.clone()),
                    reuse_until: now.saturating_add(life),
                },
            );
        }
        Ok(token.value)
    }

    /// Runs `call` with a token for `key`: a reused one, or one from a fresh grant. When the
    /// server refuses a reused token (401/403) the token is dropped and `call` runs once more
    /// with a fresh one. `call` must be safe to run twice after a 401/403 (the server did not
    /// act on a request it refused for its token).
    pub(super) async fn with_token<T, R, F, Fut>(
        &self,
        client: &OpenPaymentsClient<T>,
        key: TokenFor,
        call: F,
    ) -> Result<R, ClientError>
    where
        T: Transport,
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<R, ClientError>>,
    {
        let token = self.fetch(client, &key).await?;
        match call(token).await {
            Err(e) if matches!(e.status(), Some(401 | 403)) => {
                self.forget(&key);
                let fresh = self.fetch(client, &key).await?;
                call(fresh).await
            }
            other => other,
        }
    }
}
