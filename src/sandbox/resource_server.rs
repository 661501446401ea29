//! The resource servers (the Open Payments `resource-server` OpenAPI file): incoming payments, quotes, outgoing payments and grant
//! spent amounts, with token scope checks, signatures, limits and in-memory settlement.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::http::{rs_error, rs_invalid, Reply, Req};
use super::records::{random_bytes, timestamp, uuid, GrantStatus, IncomingRec};
use super::state::State;
use crate::resources::time::parse_rfc3339;
use crate::resources::{
    from_json, AccessAction as A, AccessItem, AccessType, CreateIncomingPaymentRequest,
    IlpPaymentMethod, IncomingPayment, IncomingPaymentWithPaymentMethods, Page, PageInfo,
    Pagination, PaymentMethod, PublicIncomingPayment,
};

/// Who is calling: the grant behind a valid token whose signature checked out.
pub(super) struct Caller {
    pub(super) grant: usize,
    pub(super) client: String,
    /// The signature's `created`, unix seconds.
    pub(super) created: u64,
}

pub(super) fn parse_body<T: serde::de::DeserializeOwned>(req: &Req) -> Result<T, Reply> {
    let text = std::str::from_utf8(&req.body)
        .map_err(|_| rs_error(400, "invalid_request", "body is not UTF-8 JSON"))?;
    from_json(text).map_err(|e| rs_invalid(&e))
}

pub(super) fn bad(description: &str) -> Reply {
    rs_error(400, "invalid_request", description)
}

pub(super) fn forbidden(description: &str) -> Reply {
    rs_error(403, "forbidden", description)
}

pub(super) fn not_found() -> Reply {
    rs_error(404, "not_found", "no such resource")
}

impl IncomingRec {
    fn view(&self) -> IncomingPayment {
        IncomingPayment {
            id: self.url.clone(),
            wallet_address: self.wallet.clone(),
            completed: self.completed,
            incoming_amount: self.incoming_amount.clone(),
            received_amount: self.received.clone(),
            expires_at: self.expires_at.as_ref().map(|(_, t)| t.clone()),
            metadata: self.metadata.clone(),
            created_at: self.created_at.clone(),
        }
    }

    pub(super) fn expired(&self, now: i64) -> bool {
        self.expires_at.as_ref().is_some_and(|(at, _)| now >= *at)
    }

    fn with_methods(&self, now: i64) -> IncomingPaymentWithPaymentMethods {
        let p = self.view();
        let methods = if self.completed || self.expired(now) {
            Vec::new()
        } else {
            vec![IlpPaymentMethod {
                type_: PaymentMethod::Ilp,
                ilp_address: format!("test.sandbox.{}.{}", self.ase, self.uuid.replace('-', "")),
                shared_secret: self.shared_secret.clone(),
            }]
        };
        IncomingPaymentWithPaymentMethods {
            id: p.id,
            wallet_address: p.wallet_address,
            completed: p.completed,
            incoming_amount: p.incoming_amount,
            received_amount: p.received_amount,
            expires_at: p.expires_at,
            metadata: p.metadata,
            created_at: p.created_at,
            methods,
        }
    }
}

/// One page of `items` (newest first), as the `list-incoming-payments` / `list-outgoing-payments`
/// operations page (`first` or `last`, from `cursor`).
fn paginate<T: Clone>(items: &[(String, T)], req: &Req) -> Result<Page<T>, Reply> {
    let size = |name: &str| -> Result<Option<u8>, Reply> {
        req.query_param(name)
            .map(|v| v.parse::<u8>())
            .transpose()
            .map_err(|_| bad(&format!("{name} must be an integer from 1 to 100")))
    };
    let asked = Pagination {
        first: size("first")?,
        last: size("last")?,
        cursor: req.query_param("cursor"),
    };
    asked.check().map_err(|e| bad(&e.to_string()))?;
    let (first, last) = (asked.first.map(usize::from), asked.last.map(usize::from));
    let cursor = match req.query_param("cursor") {
        Some(c) => Some(
            items
                .iter()
                .position(|(id, _)| *id == c)
                .ok_or_else(|| bad("unknown cursor"))?,
        ),
        None => None,
    };
    let (start, end) = match last {
        Some(n) => {
            let end = cursor.unwrap_or(items.len());
            (end.saturating_sub(n), end)
        }
        None => {
            let start = cursor.map_or(0, |c| c + 1);
            let start = start.min(items.len());
            (start, (start + first.unwrap_or(20)).min(items.len()))
        }
    };
    let page = items.get(start..end).unwrap_or_default();
    Ok(Page {
        pagination: PageInfo {
            start_cursor: page.first().map(|(id, _)| id.clone()),
            end_cursor: page.last().map(|(id, _)| id.clone()),
            has_next_page: end < items.len(),
            has_previous_page: start > 0,
        },
        result: page.iter().map(|(_, v)| v.clone()).collect(),
    })
}

impl State {
    pub(crate) fn resource(&mut self, ase: &str, rest: &[&str], req: &Req) -> Reply {
        let result = match (req.method.as_str(), rest) {
            ("POST", ["incoming-payments"]) => self.create_incoming(ase, req),
            ("GET", ["incoming-payments"]) => self.list_incoming(ase, req),
            ("GET", ["incoming-payments", id]) => self.get_incoming(ase, id, req),
            ("POST", ["incoming-payments", id, "complete"]) => self.complete_incoming(ase, id, req),
            ("POST", ["quotes"]) => self.create_quote(ase, req),
            ("GET", ["quotes", id]) => self.get_quote(ase, id, req),
            ("POST", ["outgoing-payments"]) => self.create_outgoing(ase, req),
            ("GET", ["outgoing-payments"]) => self.list_outgoing(ase, req),
            ("GET", ["outgoing-payments", id]) => self.get_outgoing(ase, id, req),
            ("GET", ["outgoing-payment-grant"]) => self.grant_spent(ase, req),
            _ => Err(not_found()),
        };
        let reply = result.unwrap_or_else(|reply| reply);
        if reply.status == 401 {
            reply.with_header(
                "www-authenticate",
                format!("GNAP as_uri={}", self.auth_server(ase)),
            )
        } else {
            reply
        }
    }

    /// Token (active, of this ASE) and signature (by the grant's client).
    pub(super) fn authenticate(&self, ase: &str, req: &Req) -> Result<Caller, Reply> {
        let Some(value) = req.gnap_token() else {
            return Err(rs_error(
                401,
                "unauthorized",
                "missing Authorization: GNAP <token>",
            ));
        };
        let now = self.now();
        let token = self
            .tokens
            .iter()
            .find(|t| t.value == value)
            .ok_or_else(|| rs_error(401, "invalid_token", "unknown or revoked access token"))?;
        if now >= token.expires_at {
            return Err(rs_error(401, "invalid_token", "the access token expired"));
        }
        let grant = self
            .grants
            .iter()
            .position(|g| g.id == token.grant_id)
            .ok_or_else(|| rs_error(401, "invalid_token", "unknown access token"))?;
        let rec = self.grants.get(grant).ok_or_else(|| Reply::empty(500))?;
        if rec.ase != ase || !matches!(rec.status, GrantStatus::Approved | GrantStatus::Finalized) {
            return Err(rs_error(
                401,
                "invalid_token",
                "the access token is not valid here",
            ));
        }
        let created = self
            .verify_signature(req, &rec.client)
            .map_err(|e| rs_error(401, "invalid_signature", &e))?;
        Ok(Caller {
            grant,
            client: rec.client.id(),
            created,
        })
    }

    /// The first of `wanted` that the caller's grant allows for `type_` on `wallet`.
    pub(super) fn permit(
        &self,
        caller: &Caller,
        type_: AccessType,
        wanted: &[A],
        wallet: Option<&str>,
    ) -> Result<A, Reply> {
        let grant = self
            .grants
            .get(caller.grant)
            .ok_or_else(|| Reply::empty(500))?;
        for want in wanted {
            for item in &grant.access {
                let ok = match item {
                    AccessItem::IncomingPayment {
                        actions,
                        identifier,
                    } => {
                        type_ == AccessType::IncomingPayment
                            && actions.contains(want)
                            && identifier
                                .as_deref()
                                .is_none_or(|id| wallet.is_none_or(|w| w == id))
                    }
                    AccessItem::OutgoingPayment {
                        actions,
                        identifier,
                        ..
                    } => {
                        type_ == AccessType::OutgoingPayment
                            && actions.contains(want)
                            && wallet.is_none_or(|w| w == identifier)
                    }
                    AccessItem::Quote { actions } => {
                        type_ == AccessType::Quote && actions.contains(want)
                    }
                };
                if ok {
                    return Ok(*want);
                }
            }
        }
        Err(forbidden(
            "the access token does not grant this action on this wallet address",
        ))
    }

    pub(super) fn local_wallet(
        &self,
        ase: &str,
        url: &str,
    ) -> Result<super::records::Wallet, Reply> {
        self.wallet_by_url(url)
            .filter(|w| w.ase == ase)
            .cloned()
            .ok_or_else(|| bad("walletAddress is not a wallet address of this resource server"))
    }

    fn create_incoming(&mut self, ase: &str, req: &Req) -> Result<Reply, Reply> {
        let caller = self.authenticate(ase, req)?;
        let body: CreateIncomingPaymentRequest = parse_body(req)?;
        self.permit(
            &caller,
            AccessType::IncomingPayment,
            &[A::Create],
            Some(&body.wallet_address),
        )?;
        let wallet = self.local_wallet(ase, &body.wallet_address)?;
        let now = self.now();
        if let Some(amount) = &body.incoming_amount {
            if amount.asset_code() != wallet.asset_code
                || amount.asset_scale() != wallet.asset_scale
            {
                return Err(bad("incomingAmount must use the wallet address's asset"));
            }
            if amount.value() == 0 {
                return Err(bad("incomingAmount must be positive"));
            }
        }
        let expires_at = match &body.expires_at {
            Some(t) => {
                let at = parse_rfc3339(t.as_str())
                    .ok_or_else(|| bad("expiresAt is not a valid date-time"))?;
                if at <= now {
                    return Err(bad("expiresAt is in the past"));
                }
                Some((at, t.clone()))
            }
            None => None,
        };
        let id = uuid()?;
        let secret: [u8; 32] = random_bytes()?;
        let rec = IncomingRec {
            url: format!("{}/incoming-payments/{id}", self.resource_server(ase)),
            uuid: id,
            ase: ase.to_owned(),
            wallet: wallet.url.clone(),
            client: caller.client,
            incoming_amount: body.incoming_amount,
            received: wallet.amount(0).ok_or_else(|| Reply::empty(500))?,
            completed: false,
            expires_at,
            metadata: body.metadata,
            created_at: timestamp(now)?,
            shared_secret: URL_SAFE_NO_PAD.encode(secret),
        };
        let reply = Reply::json(201, &rec.with_methods(now));
        self.incoming.push(rec);
        Ok(reply)
    }

    fn find_incoming(&self, ase: &str, id: &str) -> Result<usize, Reply> {
        let url = format!("{}/incoming-payments/{id}", self.resource_server(ase));
        self.incoming
            .iter()
            .position(|p| p.url == url)
            .ok_or_else(not_found)
    }

    fn get_incoming(&self, ase: &str, id: &str, req: &Req) -> Result<Reply, Reply> {
        if req.header("authorization").is_none() {
            let index = self.find_incoming(ase, id)?;
            let p = self.incoming.get(index).ok_or_else(not_found)?;
            return Ok(Reply::json(
                200,
                &PublicIncomingPayment {
                    received_amount: Some(p.received.clone()),
                    auth_server: self.auth_server(ase),
                },
            ));
        }
        let caller = self.authenticate(ase, req)?;
        let index = self.find_incoming(ase, id)?;
        let p = self.incoming.get(index).ok_or_else(not_found)?;
        let action = self.permit(
            &caller,
            AccessType::IncomingPayment,
            &[A::ReadAll, A::Read],
            Some(&p.wallet),
        )?;
        if action == A::Read && p.client != caller.client {
            return Err(forbidden(
                "read covers only incoming payments this client created",
            ));
        }
        Ok(Reply::json(200, &p.with_methods(self.now())))
    }

    fn complete_incoming(&mut self, ase: &str, id: &str, req: &Req) -> Result<Reply, Reply> {
        let caller = self.authenticate(ase, req)?;
        let index = self.find_incoming(ase, id)?;
        let wallet = self
            .incoming
            .get(index)
            .map(|p| p.wallet.clone())
            .unwrap_or_default();
        self.permit(
            &caller,
            AccessType::IncomingPayment,
            &[A::Complete],
            Some(&wallet),
        )?;
        let now = self.now();
        let p = self.incoming.get_mut(index).ok_or_else(not_found)?;
        if p.expired(now) {
            return Err(bad("the incoming payment expired"));
        }
        p.completed = true;
        Ok(Reply::json(200, &p.view()))
    }

    fn list_query_wallet(&self, ase: &str, req: &Req) -> Result<String, Reply> {
        let wallet = req
            .query_param("wallet-address")
            .ok_or_else(|| bad("the wallet-address query parameter is required"))?;
        self.local_wallet(ase, &wallet).map(|w| w.url)
    }

    /// The scope of a list request: the wallet listed, and the client whose resources alone
    /// are shown (`list`), or `None` for every client's (`list-all`).
    fn list_scope(
        &self,
        ase: &str,
        req: &Req,
        kind: AccessType,
    ) -> Result<(String, Option<String>), Reply> {
        let caller = self.authenticate(ase, req)?;
        let wallet = self.list_query_wallet(ase, req)?;
        let action = self.permit(&caller, kind, &[A::ListAll, A::List], Some(&wallet))?;
        Ok((wallet, (action != A::ListAll).then_some(caller.client)))
    }

    /// One page of `records` (newest first) in the scope of the list request: those on the
    /// listed wallet, made by the caller unless it may `list-all`. `owner` gives a record's
    /// wallet and client, `view` its id and wire form.
    pub(super) fn list_page<R, V: serde::Serialize + Clone>(
        &self,
        ase: &str,
        req: &Req,
        kind: AccessType,
        records: &[R],
        owner: impl Fn(&R) -> (&str, &str),
        view: impl Fn(&R) -> (String, V),
    ) -> Result<Reply, Reply> {
        let (wallet, only) = self.list_scope(ase, req, kind)?;
        let items: Vec<(String, V)> = records
            .iter()
            .rev()
            .filter(|r| {
                let (on, by) = owner(r);
                on == wallet && only.as_deref().is_none_or(|c| by == c)
            })
            .map(view)
            .collect();
        Ok(Reply::json(200, &paginate(&items, req)?))
    }

    fn list_incoming(&self, ase: &str, req: &Req) -> Result<Reply, Reply> {
        self.list_page(
            ase,
            req,
            AccessType::IncomingPayment,
            &self.incoming,
            |p| (&p.wallet, &p.client),
            |p| (p.uuid.clone(), p.view()),
        )
    }
}
