//! The authorization servers (GNAP, RFC 9635, as the Open Payments `auth-server` OpenAPI file profiles it): grant requests, the consent page, finish
//! redirects with the interaction hash, continuation, cancellation, token rotation and revocation.

use std::collections::BTreeMap;

use serde::Serialize;

use super::clock::RepeatingInterval;
use super::state::{
    form_value, gnap_error, html_escape, percent_encode, token, uuid, ClientId, GrantRec,
    GrantStatus, Interaction, Reply, Req, State, TokenRec,
};
use crate::resources::{
    from_json, AccessItem, AccessToken, AccessTokenResponse, Client, ContinuationRequest, Continue,
    ContinueAccessToken, GnapErrorCode as G, Grant, GrantRequest, InteractResponse, PendingGrant,
};
use crate::signature::{interaction_hash, PublicJwk, PublicKey};

/// What deciding an interaction produced (the dev endpoint returns it as JSON).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Decision {
    /// `approved` or `rejected`.
    status: &'static str,
    /// Where the browser is sent (`finish.uri` with `hash` and `interact_ref`, or
    /// `result=grant_rejected`), when the grant has `interact.finish`.
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interact_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hash: Option<String>,
}

fn with_query(uri: &str, query: &str) -> String {
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{query}")
}

impl State {
    pub(crate) fn auth(&mut self, ase: &str, rest: &[&str], req: &Req) -> Reply {
        match (req.method.as_str(), rest) {
            ("POST", []) => self.grant_request(ase, req),
            ("POST", ["continue", id]) => self.continue_grant(ase, id, req),
            ("DELETE", ["continue", id]) => self.cancel_grant(ase, id, req),
            ("POST", ["token", id]) => self.rotate_token(ase, id, req),
            ("DELETE", ["token", id]) => self.revoke_token(ase, id, req),
            ("GET", ["interact", id]) => self.consent_page(ase, id),
            ("POST", ["interact", id]) => {
                let body = String::from_utf8_lossy(&req.body);
                let approve = match form_value(&body, "decision").as_deref() {
                    Some("approve") => true,
                    Some("deny") => false,
                    _ => {
                        return Reply::html(
                            400,
                            page("Bad request", "<p>Choose Approve or Deny.</p>"),
                        )
                    }
                };
                let now = self.now();
                match self.grant_of_interaction(id).filter(|g| g.ase == ase) {
                    None => {
                        return Reply::html(
                            404,
                            page("Unknown interaction", "<p>No such interaction.</p>"),
                        )
                    }
                    Some(g) if g.interaction_expired(now) => return expired_page(),
                    Some(_) => {}
                }
                match self.decide(id, approve) {
                    Ok(Decision {
                        redirect: Some(location),
                        ..
                    }) => Reply::redirect(location),
                    Ok(d) => Reply::html(
                        200,
                        page(
                            "Done",
                            &format!(
                                "<p>The grant was {}. You can close this window.</p>",
                                d.status
                            ),
                        ),
                    ),
                    Err(_) => Reply::html(
                        409,
                        page("Already decided", "<p>This interaction is over.</p>"),
                    ),
                }
            }
            _ => gnap_error(
                404,
                G::InvalidRequest,
                "no such authorization server endpoint",
            ),
        }
    }

    fn grant_of_interaction(&self, interact_id: &str) -> Option<&GrantRec> {
        self.grants
            .iter()
            .find(|g| g.interaction.as_ref().is_some_and(|i| i.id == interact_id))
    }

    fn grant_request(&mut self, ase: &str, req: &Req) -> Reply {
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

    fn continue_of(&self, grant: &GrantRec, wait: Option<u64>) -> Continue {
        Continue {
            access_token: ContinueAccessToken {
                value: grant.continue_token.clone(),
            },
            uri: format!("{}/continue/{}", self.auth_server(&grant.ase), grant.id),
            wait,
        }
    }

    /// Issues a new access token for the grant.
    fn issue_token(&mut self, grant: &GrantRec) -> Result<AccessToken, Reply> {
        let (value, manage_id) = (token()?, uuid()?);
        let lifetime = self.config.access_token_lifetime_seconds;
        self.tokens.push(TokenRec {
            value: value.clone(),
            manage_id: manage_id.clone(),
            grant_id: grant.id.clone(),
            expires_at: self
                .now()
                .saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX)),
        });
        Ok(AccessToken {
            value,
            manage: format!("{}/token/{manage_id}", self.auth_server(&grant.ase)),
            expires_in: Some(lifetime),
            access: grant.access.clone(),
        })
    }

    /// Finds the grant of a continuation URL and checks its token and signature.
    fn continuation(&self, ase: &str, id: &str, req: &Req) -> Result<usize, Reply> {
        let Some(index) = self.grants.iter().position(|g| g.id == id && g.ase == ase) else {
            return Err(gnap_error(404, G::InvalidContinuation, "unknown grant"));
        };
        let grant = self.grants.get(index).ok_or_else(|| Reply::empty(500))?;
        if req.gnap_token() != Some(grant.continue_token.as_str()) {
            return Err(gnap_error(
                401,
                G::InvalidContinuation,
                "wrong or missing continuation token",
            ));
        }
        if grant.status == GrantStatus::Revoked {
            return Err(gnap_error(
                401,
                G::InvalidContinuation,
                "the grant was cancelled",
            ));
        }
        self.verify_signature(req, &grant.client)
            .map_err(|e| gnap_error(401, G::InvalidClient, &e))?;
        Ok(index)
    }

    fn continue_grant(&mut self, ase: &str, id: &str, req: &Req) -> Reply {
        let index = match self.continuation(ase, id, req) {
            Ok(i) => i,
            Err(r) => return r,
        };
        let body: ContinuationRequest = if req.body.is_empty() {
            ContinuationRequest::default()
        } else {
            match std::str::from_utf8(&req.body).map(from_json::<ContinuationRequest>) {
                Ok(Ok(b)) => b,
                Ok(Err(e)) => return gnap_error(400, G::InvalidRequest, &e.to_string()),
                Err(_) => return gnap_error(400, G::InvalidRequest, "body is not UTF-8"),
            }
        };
        let now_ms = self.now_ms();
        let now = self.now();
        let wait = self.config.continue_wait_seconds;
        let Some(grant) = self.grants.get_mut(index) else {
            return Reply::empty(500);
        };
        if grant.interaction_expired(now) {
            return gnap_error(
                401,
                G::RequestDenied,
                "the interaction expired before the resource owner decided",
            );
        }
        match &body.interact_ref {
            Some(reference) => {
                let matches = grant
                    .interaction
                    .as_ref()
                    .and_then(|i| i.interact_ref.as_deref())
                    == Some(reference.as_str());
                if !matches {
                    return gnap_error(
                        404,
                        G::InvalidRequest,
                        "unknown interact_ref for this grant",
                    );
                }
            }
            None => {
                if grant
                    .interaction
                    .as_ref()
                    .is_some_and(|i| i.finish.is_some())
                {
                    return gnap_error(
                        401,
                        G::RequestDenied,
                        "this grant finishes by redirect: continue with interact_ref",
                    );
                }
                if now_ms < grant.next_poll_ms {
                    return gnap_error(400, G::TooFast, "polled before continue.wait passed");
                }
                grant.next_poll_ms =
                    now_ms.saturating_add(i64::try_from(wait).unwrap_or(0).saturating_mul(1000));
            }
        }
        match grant.status {
            GrantStatus::Pending => {
                let grant = grant.clone();
                Reply::json(
                    200,
                    &serde_json::json!({ "continue": self.continue_of(&grant, Some(wait)) }),
                )
            }
            GrantStatus::Approved => {
                grant.status = GrantStatus::Finalized;
                let grant = grant.clone();
                let access_token = match self.issue_token(&grant) {
                    Ok(t) => t,
                    Err(r) => return r,
                };
                let subject = grant.subject.clone();
                Reply::json(
                    200,
                    &Grant {
                        access_token: (!grant.access.is_empty()).then_some(access_token),
                        subject,
                        continue_: self.continue_of(&grant, None),
                    },
                )
            }
            GrantStatus::Denied => {
                gnap_error(401, G::RequestDenied, "the resource owner denied the grant")
            }
            GrantStatus::Finalized | GrantStatus::Revoked => {
                gnap_error(401, G::RequestDenied, "the grant was already continued")
            }
        }
    }

    fn cancel_grant(&mut self, ase: &str, id: &str, req: &Req) -> Reply {
        let index = match self.continuation(ase, id, req) {
            Ok(i) => i,
            Err(r) => return r,
        };
        if let Some(grant) = self.grants.get_mut(index) {
            grant.status = GrantStatus::Revoked;
            let grant_id = grant.id.clone();
            self.tokens.retain(|t| t.grant_id != grant_id);
        }
        Reply::empty(204)
    }

    /// Finds a token by its management id and checks the presented token and signature.
    fn managed_token(&self, ase: &str, manage_id: &str, req: &Req) -> Result<usize, Reply> {
        let Some(index) = self.tokens.iter().position(|t| t.manage_id == manage_id) else {
            return Err(gnap_error(
                404,
                G::InvalidRotation,
                "unknown token management URL",
            ));
        };
        let token = self.tokens.get(index).ok_or_else(|| Reply::empty(500))?;
        let grant = self
            .grants
            .iter()
            .find(|g| g.id == token.grant_id && g.ase == ase)
            .ok_or_else(|| gnap_error(404, G::InvalidRotation, "unknown token management URL"))?;
        if req.gnap_token() != Some(token.value.as_str()) {
            return Err(gnap_error(
                401,
                G::InvalidClient,
                "wrong or missing access token",
            ));
        }
        self.verify_signature(req, &grant.client)
            .map_err(|e| gnap_error(401, G::InvalidClient, &e))?;
        Ok(index)
    }

    fn rotate_token(&mut self, ase: &str, manage_id: &str, req: &Req) -> Reply {
        let index = match self.managed_token(ase, manage_id, req) {
            Ok(i) => i,
            Err(r) => return r,
        };
        let old = self.tokens.remove(index);
        let Some(grant) = self.grants.iter().find(|g| g.id == old.grant_id).cloned() else {
            return Reply::empty(500);
        };
        match self.issue_token(&grant) {
            Ok(access_token) => Reply::json(200, &AccessTokenResponse { access_token }),
            Err(r) => r,
        }
    }

    fn revoke_token(&mut self, ase: &str, manage_id: &str, req: &Req) -> Reply {
        match self.managed_token(ase, manage_id, req) {
            Ok(index) => {
                self.tokens.remove(index);
                Reply::empty(204)
            }
            Err(r) => r,
        }
    }

    /// Approves or denies a pending interaction (the consent form and the dev endpoint).
    pub(crate) fn decide(&mut self, interact_id: &str, approve: bool) -> Result<Decision, Reply> {
        let reference = token()?;
        let now = self.now();
        let base_auth: Vec<(String, String)> = self
            .config
            .ases
            .iter()
            .map(|a| (a.name.clone(), self.auth_server(&a.name)))
            .collect();
        let Some(grant) = self
            .grants
            .iter_mut()
            .find(|g| g.interaction.as_ref().is_some_and(|i| i.id == interact_id))
        else {
            return Err(gnap_error(
                404,
                G::UnknownInteraction,
                "unknown interaction",
            ));
        };
        if grant.interaction_expired(now) {
            return Err(gnap_error(
                410,
                G::InvalidInteraction,
                "the interaction expired before it was decided (interactionLifetimeSeconds)",
            ));
        }
        if grant.status != GrantStatus::Pending {
            return Err(gnap_error(
                409,
                G::InvalidInteraction,
                "the interaction was already decided",
            ));
        }
        let auth_server = base_auth
            .iter()
            .find(|(n, _)| *n == grant.ase)
            .map(|(_, u)| u.clone())
            .unwrap_or_default();
        let Some(interaction) = grant.interaction.as_mut() else {
            return Err(Reply::empty(500));
        };
        if !approve {
            grant.status = GrantStatus::Denied;
            return Ok(Decision {
                status: "rejected",
                redirect: interaction
                    .finish
                    .as_ref()
                    .map(|f| with_query(&f.uri, "result=grant_rejected")),
                interact_ref: None,
                hash: None,
            });
        }
        grant.status = GrantStatus::Approved;
        interaction.interact_ref = Some(reference.clone());
        let (redirect, hash) = match &interaction.finish {
            Some(finish) => {
                let hash = interaction_hash(
                    &finish.nonce,
                    &interaction.finish_nonce,
                    &reference,
                    &auth_server,
                );
                let query = format!(
                    "hash={}&interact_ref={}",
                    percent_encode(&hash),
                    percent_encode(&reference)
                );
                (Some(with_query(&finish.uri, &query)), Some(hash))
            }
            None => (None, None),
        };
        Ok(Decision {
            status: "approved",
            redirect,
            interact_ref: Some(reference),
            hash,
        })
    }

    fn consent_page(&self, ase: &str, interact_id: &str) -> Reply {
        let Some(grant) = self
            .grant_of_interaction(interact_id)
            .filter(|g| g.ase == ase)
        else {
            return Reply::html(
                404,
                page("Unknown interaction", "<p>No such interaction.</p>"),
            );
        };
        if grant.interaction_expired(self.now()) {
            return expired_page();
        }
        if grant.status != GrantStatus::Pending {
            return Reply::html(
                409,
                page("Already decided", "<p>This interaction is over.</p>"),
            );
        }
        let client = match &grant.client {
            ClientId::Wallet(url) => url.clone(),
            ClientId::Key(key) => format!("key {}", key.key_id()),
        };
        let mut items = String::new();
        for item in &grant.access {
            items.push_str("<li>");
            items.push_str(&html_escape(&describe_access(item)));
            items.push_str("</li>");
        }
        if let Some(subject) = &grant.subject {
            for s in &subject.sub_ids {
                items.push_str(&format!(
                    "<li>prove you control {}</li>",
                    html_escape(&s.id)
                ));
            }
        }
        let action = format!("/{ase}/auth/interact/{}", percent_encode(interact_id));
        let body = format!(
            "<p>The application <strong id=\"client\">{}</strong> asks for:</p><ul id=\"access\">{items}</ul>\
             <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"decision\" value=\"approve\"><button type=\"submit\" id=\"approve\">Approve</button></form>\
             <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"decision\" value=\"deny\"><button type=\"submit\" id=\"deny\">Deny</button></form>",
            html_escape(&client)
        );
        Reply::html(200, page("Approve payment access", &body))
    }
}

/// A person-readable line for an access item.
fn describe_access(item: &AccessItem) -> String {
    let actions = |a: &[crate::resources::AccessAction]| {
        a.iter()
            .filter_map(|x| serde_json::to_value(x).ok())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match item {
        AccessItem::IncomingPayment {
            actions: a,
            identifier,
        } => format!(
            "incoming payments ({}) on {}",
            actions(a),
            identifier.as_deref().unwrap_or("any wallet")
        ),
        AccessItem::Quote { actions: a } => format!("quotes ({})", actions(a)),
        AccessItem::OutgoingPayment {
            actions: a,
            identifier,
            limits,
        } => {
            let mut text = format!("payments from {identifier} ({})", actions(a));
            if let Some(l) = limits {
                if let Some(d) = &l.debit_amount {
                    text.push_str(&format!(
                        "; at most {} {} debited",
                        d.to_decimal_string(),
                        d.asset_code()
                    ));
                }
                if let Some(r) = &l.receive_amount {
                    text.push_str(&format!(
                        "; at most {} {} received",
                        r.to_decimal_string(),
                        r.asset_code()
                    ));
                }
                if let Some(r) = &l.receiver {
                    text.push_str(&format!("; only to {r}"));
                }
                if let Some(i) = &l.interval {
                    text.push_str(&format!("; per interval {}", i.as_str()));
                }
            }
            text
        }
    }
}

/// The consent page of an interaction that was not decided in time.
fn expired_page() -> Reply {
    Reply::html(
        410,
        page(
            "Interaction expired",
            "<p id=\"expired\">This request was not approved or denied in time and has expired. \
             Ask the application to start again.</p>",
        ),
    )
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body><h1>{t}</h1>{body}</body></html>",
        t = html_escape(title)
    )
}
