//! The authorization servers (GNAP, RFC 9635, as the Open Payments `auth-server` OpenAPI file profiles it): grant requests, the consent page, finish
//! redirects with the interaction hash, continuation, cancellation, token rotation and revocation.

use serde::Serialize;

use super::consent_page::{expired_page, page};
use super::http::{form_value, gnap_error, percent_encode, Reply, Req};
use super::records::{token, uuid, GrantRec, GrantStatus, TokenRec};
use super::state::State;
use crate::resources::{
    from_json, AccessToken, AccessTokenResponse, ContinuationRequest, Continue,
    ContinueAccessToken, GnapErrorCode as G, Grant,
};
use crate::signature::interaction_hash;

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

    pub(super) fn grant_of_interaction(&self, interact_id: &str) -> Option<&GrantRec> {
        self.grants
            .iter()
            .find(|g| g.interaction.as_ref().is_some_and(|i| i.id == interact_id))
    }

    pub(super) fn continue_of(&self, grant: &GrantRec, wait: Option<u64>) -> Continue {
        Continue {
            access_token: ContinueAccessToken {
                value: grant.continue_token.clone(),
            },
            uri: format!("{}/continue/{}", self.auth_server(&grant.ase), grant.id),
            wait,
        }
    }

    /// Issues a new access token for the grant.
    pub(super) fn issue_token(&mut self, grant: &GrantRec) -> Result<AccessToken, Reply> {
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
}
