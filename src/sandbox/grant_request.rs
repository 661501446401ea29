//! Grant requests at an authorization server (GNAP, RFC 9635 §2): the client's identity and
//! signature, each access item checked against the ASE's wallets and the limits' rules, then the
//! grant issued at once (non-interactive) or pending an interaction.

use std::collections::BTreeMap;

use super::http::{gnap_error, Reply, Req};
use super::records::{token, uuid, ClientId, GrantRec, GrantStatus, Interaction};
use super::state::State;
use crate::resources::time::RepeatingInterval;
use crate::resources::{
    from_json, AccessItem, Client, GnapErrorCode as G, Grant, GrantRequest, InteractResponse,
    PendingGrant,
};
use crate::signature::{PublicJwk, PublicKey};

impl State {
    pub(super) fn grant_request(&mut self, ase: &str, req: &Req) -> Reply {
        let Ok(text) = std::str::from_utf8(&req.body) else {
            return gnap_error(400, G::InvalidRequest, "body is not UTF-8 JSON");
        };
        let request: GrantRequest = match from_json(text) {
            Ok(r) => r,
            Err(e) => return gnap_error(400, G::InvalidRequest, &e.to_string()),
        };
        let client = match &request.client {
            Client::WalletAddress { wallet_address } | Client::Deprecated(wallet_address) => {
                if self.wallet_by_url(wallet_address).is_none() {
                    return gnap_error(
                        400,
                        G::InvalidClient,
                        "client wallet address is not hosted on this sandbox (it fetches no other hosts)",
                    );
                }
                ClientId::Wallet(wallet_address.clone())
            }
            Client::Jwk { jwk } => {
                let public = PublicJwk {
                    kid: jwk.kid.clone(),
                    alg: "EdDSA".to_owned(),
                    kty: "OKP".to_owned(),
                    crv: "Ed25519".to_owned(),
                    x: jwk.x.clone(),
                    key_use: jwk.use_.map(|_| "sig".to_owned()),
                };
                match PublicKey::from_jwk(&public) {
                    Ok(key) => ClientId::Key(key),
                    Err(e) => return gnap_error(400, G::InvalidClient, &e.to_string()),
                }
            }
        };
        if let Err(e) = self.verify_signature(req, &client) {
            return gnap_error(401, G::InvalidClient, &e);
        }
        let access = request
            .access_token
            .as_ref()
            .map(|a| a.access.clone())
            .unwrap_or_default();
        for item in &access {
            if let Err(message) = self.check_access_item(ase, item) {
                return gnap_error(400, G::InvalidRequest, &message);
            }
        }
        if let Some(subject) = &request.subject {
            let known = subject
                .sub_ids
                .iter()
                .all(|s| self.wallet_by_url(&s.id).is_some_and(|w| w.ase == ase));
            if !known {
                return gnap_error(
                    400,
                    G::InvalidRequest,
                    "subject is not a wallet address of this ASE",
                );
            }
        }
        let interactive = request.subject.is_some()
            || access
                .iter()
                .any(|a| matches!(a, AccessItem::OutgoingPayment { .. }));
        if interactive && matches!(client, ClientId::Key(_)) {
            return gnap_error(
                400,
                G::InvalidClient,
                "interactive grants need a client wallet address, not an inline jwk",
            );
        }
        let (grant_id, continue_token) = match (uuid(), token()) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(r), _) | (_, Err(r)) => return r,
        };
        let mut grant = GrantRec {
            id: grant_id.clone(),
            ase: ase.to_owned(),
            client,
            access,
            subject: request.subject.clone(),
            status: GrantStatus::Approved,
            interaction: None,
            continue_token,
            next_poll_ms: 0,
            spent: BTreeMap::new(),
        };
        if !interactive {
            let access_token = match self.issue_token(&grant) {
                Ok(t) => t,
                Err(r) => return r,
            };
            grant.status = GrantStatus::Finalized;
            let body = Grant {
                access_token: Some(access_token),
                subject: None,
                continue_: self.continue_of(&grant, None),
            };
            self.grants.push(grant);
            return Reply::json(200, &body);
        }
        let Some(interact) = request.interact else {
            return gnap_error(
                400,
                G::InvalidRequest,
                "this grant needs interaction: send interact",
            );
        };
        let (interact_id, finish_nonce) = match (uuid(), uuid()) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(r), _) | (_, Err(r)) => return r,
        };
        grant.status = GrantStatus::Pending;
        grant.next_poll_ms = self
            .now_ms()
            .saturating_add(i64::try_from(self.config.continue_wait_seconds).unwrap_or(0) * 1000);
        grant.interaction = Some(Interaction {
            id: interact_id.clone(),
            finish: interact.finish,
            finish_nonce: finish_nonce.clone(),
            interact_ref: None,
            expires_at: self.now().saturating_add(
                i64::try_from(self.config.interaction_lifetime_seconds).unwrap_or(i64::MAX),
            ),
        });
        let body = PendingGrant {
            interact: InteractResponse {
                redirect: format!("{}/interact/{interact_id}", self.auth_server(ase)),
                finish: finish_nonce,
            },
            continue_: self.continue_of(&grant, Some(self.config.continue_wait_seconds)),
        };
        self.grants.push(grant);
        Reply::json(200, &body)
    }

    /// Checks an access item against this ASE: identifiers are its wallets, limits fit them.
    fn check_access_item(&self, ase: &str, item: &AccessItem) -> Result<(), String> {
        match item {
            AccessItem::IncomingPayment {
                identifier: Some(id),
                ..
            } if self.wallet_by_url(id).is_none_or(|w| w.ase != ase) => {
                return Err(format!(
                    "identifier {id} is not a wallet address of this ASE"
                ));
            }
            AccessItem::OutgoingPayment {
                identifier, limits, ..
            } => {
                let Some(wallet) = self.wallet_by_url(identifier).filter(|w| w.ase == ase) else {
                    return Err(format!(
                        "identifier {identifier} is not a wallet address of this ASE"
                    ));
                };
                if let Some(limits) = limits {
                    if let Some(debit) = &limits.debit_amount {
                        if debit.asset_code() != wallet.asset_code
                            || debit.asset_scale() != wallet.asset_scale
                        {
                            return Err(
                                "limits.debitAmount must use the sending wallet's asset".to_owned()
                            );
                        }
                    }
                    if limits.debit_amount.is_some() && limits.receive_amount.is_some() {
                        return Err("limits has debitAmount or receiveAmount, not both".to_owned());
                    }
                    if let Some(interval) = &limits.interval {
                        if RepeatingInterval::parse(interval.as_str()).is_none() {
                            return Err(
                                "limits.interval must be R[n]/<start>/<duration>, R[n]/<start>/<end> or R[n]/<duration>/<end> (RFC 3339 date-times, ISO 8601 durations)"
                                    .to_owned(),
                            );
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}
