//! The resource servers (the Open Payments `resource-server` OpenAPI file): incoming payments, quotes, outgoing payments and grant
//! spent amounts, with token scope checks, signatures, limits and in-memory settlement.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::clock::{parse_rfc3339, RepeatingInterval};
use super::money::Conversion;
use super::state::{
    random_bytes, rs_error, rs_invalid, timestamp, uuid, GrantStatus, IncomingRec, OutgoingRec,
    QuoteRec, Reply, Req, Spent, State,
};
use crate::amount::Amount;
use crate::resources::{
    from_json, AccessAction as A, AccessItem, AccessType, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, IlpPaymentMethod, IncomingPayment,
    IncomingPaymentWithPaymentMethods, OutgoingPayment, OutgoingPaymentGrantSpentAmounts,
    OutgoingPaymentWithSpentAmounts, Page, PageInfo, PaymentMethod, PublicIncomingPayment, Quote,
};

/// Who is calling: the grant behind a valid token whose signature checked out.
struct Caller {
    grant: usize,
    client: String,
    /// The signature's `created`, unix seconds.
    created: u64,
}

fn parse_body<T: serde::de::DeserializeOwned>(req: &Req) -> Result<T, Reply> {
    let text = std::str::from_utf8(&req.body)
        .map_err(|_| rs_error(400, "invalid_request", "body is not UTF-8 JSON"))?;
    from_json(text).map_err(|e| rs_invalid(&e))
}

fn bad(description: &str) -> Reply {
    rs_error(400, "invalid_request", description)
}

fn forbidden(description: &str) -> Reply {
    rs_error(403, "forbidden", description)
}

fn not_found() -> Reply {
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

    fn expired(&self, now: i64) -> bool {
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

impl QuoteRec {
    fn view(&self) -> Quote {
        Quote {
            id: self.url.clone(),
            wallet_address: self.wallet.clone(),
            receiver: self.receiver.clone(),
            receive_amount: self.receive.clone(),
            debit_amount: self.debit.clone(),
            method: PaymentMethod::Ilp,
            expires_at: Some(self.expires_at_text.clone()),
            created_at: self.created_at.clone(),
        }
    }
}

impl OutgoingRec {
    fn view(&self) -> OutgoingPayment {
        OutgoingPayment {
            id: self.url.clone(),
            wallet_address: self.wallet.clone(),
            quote_id: self.quote_id.clone(),
            failed: Some(self.failed),
            receiver: self.receiver.clone(),
            receive_amount: self.receive.clone(),
            debit_amount: self.debit.clone(),
            sent_amount: self.sent.clone(),
            metadata: self.metadata.clone(),
            created_at: self.created_at.clone(),
        }
    }
}

/// One page of `items` (newest first), as the `list-incoming-payments` / `list-outgoing-payments`
/// operations page (`first` or `last`, from `cursor`).
fn paginate<T: Clone>(items: &[(String, T)], req: &Req) -> Result<Page<T>, Reply> {
    let int = |name: &str| -> Result<Option<usize>, Reply> {
        match req.query_param(name) {
            None => Ok(None),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => Ok(Some(n)),
                _ => Err(bad(&format!("{name} must be an integer from 1 to 100"))),
            },
        }
    };
    let (first, last) = (int("first")?, int("last")?);
    if first.is_some() && last.is_some() {
        return Err(bad("use first or last, not both"));
    }
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
    fn authenticate(&self, ase: &str, req: &Req) -> Result<Caller, Reply> {
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
    fn permit(
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

    fn local_wallet(&self, ase: &str, url: &str) -> Result<super::state::Wallet, Reply> {
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
    fn list_page<R, V: serde::Serialize + Clone>(
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

    fn list_outgoing(&self, ase: &str, req: &Req) -> Result<Reply, Reply> {
        self.list_page(
            ase,
            req,
            AccessType::OutgoingPayment,
            &self.outgoing,
            |p| (&p.wallet, &p.client),
            |p| (p.uuid.clone(), p.view()),
        )
    }

    fn get_outgoing(&self, ase: &str, id: &str, req: &Req) -> Result<Reply, Reply> {
        let caller = self.authenticate(ase, req)?;
        let url = format!("{}/outgoing-payments/{id}", self.resource_server(ase));
        let p = self
            .outgoing
            .iter()
            .find(|p| p.url == url && p.ase == ase)
            .ok_or_else(not_found)?;
        let action = self.permit(
            &caller,
            AccessType::OutgoingPayment,
            &[A::ReadAll, A::Read],
            Some(&p.wallet),
        )?;
        if action == A::Read && p.client != caller.client {
            return Err(forbidden(
                "read covers only outgoing payments this client created",
            ));
        }
        Ok(Reply::json(200, &p.view()))
    }

    fn get_quote(&self, ase: &str, id: &str, req: &Req) -> Result<Reply, Reply> {
        let caller = self.authenticate(ase, req)?;
        let url = format!("{}/quotes/{id}", self.resource_server(ase));
        let q = self
            .quotes
            .iter()
            .find(|q| q.url == url)
            .ok_or_else(not_found)?;
        let action = self.permit(&caller, AccessType::Quote, &[A::ReadAll, A::Read], None)?;
        if action == A::Read && q.client != caller.client {
            return Err(forbidden("read covers only quotes this client created"));
        }
        Ok(Reply::json(200, &q.view()))
    }

    /// The conversion from a sender wallet's asset to a receiver's asset.
    fn conversion(&self, from: &Amount, to_code: &str, to_scale: u8) -> Result<Conversion, Reply> {
        let rate = self
            .config
            .rate(from.asset_code(), to_code)
            .ok_or_else(|| {
                bad(&format!(
                    "no exchange rate from {} to {to_code}",
                    from.asset_code()
                ))
            })?;
        Ok(Conversion {
            rate,
            from_scale: from.asset_scale(),
            to_scale,
            fee_basis_points: if from.asset_code() == to_code {
                0
            } else {
                self.config.fee_basis_points
            },
        })
    }

    /// The open receiver incoming payment (any ASE of the sandbox) and its remaining amount.
    fn open_receiver(&self, receiver: &str) -> Result<(usize, Option<u64>), Reply> {
        let index = self
            .incoming
            .iter()
            .position(|p| p.url == receiver)
            .ok_or_else(|| bad("receiver is not an incoming payment of this sandbox"))?;
        let p = self.incoming.get(index).ok_or_else(not_found)?;
        if p.completed || p.expired(self.now()) {
            return Err(bad("the receiver incoming payment is completed or expired"));
        }
        let remaining = p
            .incoming_amount
            .as_ref()
            .map(|a| a.value().saturating_sub(p.received.value()));
        Ok((index, remaining))
    }

    /// Debit and receive amounts for a fixed-send (`Ok(debit)`) or fixed-receive payment.
    fn price(
        &self,
        sender: &super::state::Wallet,
        receiver: usize,
        fixed: Result<&Amount, &Amount>,
    ) -> Result<(Amount, Amount), Reply> {
        let p = self.incoming.get(receiver).ok_or_else(not_found)?;
        let target = p.received.clone();
        let zero = sender.amount(0).ok_or_else(|| Reply::empty(500))?;
        let conv = self.conversion(&zero, target.asset_code(), target.asset_scale())?;
        let overflow = || bad("amount out of range");
        let (debit, receive) = match fixed {
            Ok(debit) => {
                if debit.asset_code() != sender.asset_code
                    || debit.asset_scale() != sender.asset_scale
                {
                    return Err(bad(
                        "debitAmount must use the sending wallet address's asset",
                    ));
                }
                (
                    debit.value(),
                    conv.receive_for_debit(debit.value()).ok_or_else(overflow)?,
                )
            }
            Err(receive) => {
                if !receive.same_asset(&target) {
                    return Err(bad(
                        "receiveAmount must use the receiving wallet address's asset",
                    ));
                }
                (
                    conv.debit_for_receive(receive.value())
                        .ok_or_else(overflow)?,
                    receive.value(),
                )
            }
        };
        if debit == 0 || receive == 0 {
            return Err(bad("the amount is too small to deliver anything"));
        }
        let debit = sender.amount(debit).ok_or_else(overflow)?;
        let receive = Amount::new(receive, target.asset_code(), target.asset_scale())
            .map_err(|_| overflow())?;
        Ok((debit, receive))
    }

    fn create_quote(&mut self, ase: &str, req: &Req) -> Result<Reply, Reply> {
        let caller = self.authenticate(ase, req)?;
        let body: CreateQuoteRequest = parse_body(req)?;
        self.permit(&caller, AccessType::Quote, &[A::Create], None)?;
        let (wallet_url, receiver) = match &body {
            CreateQuoteRequest::FixedSend {
                wallet_address,
                receiver,
                ..
            }
            | CreateQuoteRequest::FixedReceive {
                wallet_address,
                receiver,
                ..
            }
            | CreateQuoteRequest::IncomingAmount {
                wallet_address,
                receiver,
                ..
            } => (wallet_address.clone(), receiver.clone()),
        };
        let sender = self.local_wallet(ase, &wallet_url)?;
        let (index, remaining) = self.open_receiver(&receiver)?;
        let (debit, receive) = match &body {
            CreateQuoteRequest::FixedSend { debit_amount, .. } => {
                self.price(&sender, index, Ok(debit_amount))?
            }
            CreateQuoteRequest::FixedReceive { receive_amount, .. } => {
                self.price(&sender, index, Err(receive_amount))?
            }
            CreateQuoteRequest::IncomingAmount { .. } => {
                let p = self.incoming.get(index).ok_or_else(not_found)?;
                let remaining = remaining.ok_or_else(|| {
                    bad("the receiver has no incomingAmount: give debitAmount or receiveAmount")
                })?;
                let amount =
                    Amount::new(remaining, p.received.asset_code(), p.received.asset_scale())
                        .map_err(|_| bad("amount out of range"))?;
                self.price(&sender, index, Err(&amount))?
            }
        };
        if remaining.is_some_and(|r| receive.value() > r) {
            return Err(bad(
                "the quote would deliver more than the incoming payment still expects",
            ));
        }
        let now = self.now();
        let expires_at = now
            .saturating_add(i64::try_from(self.config.quote_lifetime_seconds).unwrap_or(i64::MAX));
        let rec = QuoteRec {
            url: format!("{}/quotes/{}", self.resource_server(ase), uuid()?),
            ase: ase.to_owned(),
            wallet: sender.url,
            client: caller.client,
            receiver,
            debit,
            receive,
            expires_at,
            expires_at_text: timestamp(expires_at)?,
            created_at: timestamp(now)?,
            used: false,
        };
        let reply = Reply::json(201, &rec.view());
        self.quotes.push(rec);
        Ok(reply)
    }

    fn create_outgoing(&mut self, ase: &str, req: &Req) -> Result<Reply, Reply> {
        let caller = self.authenticate(ase, req)?;
        self.refuse_replay(req, caller.created)?;
        let body: CreateOutgoingPaymentRequest = parse_body(req)?;
        let (wallet_url, metadata) = match &body {
            CreateOutgoingPaymentRequest::FromQuote {
                wallet_address,
                metadata,
                ..
            }
            | CreateOutgoingPaymentRequest::FromIncomingPayment {
                wallet_address,
                metadata,
                ..
            } => (wallet_address.clone(), metadata.clone()),
        };
        self.permit(
            &caller,
            AccessType::OutgoingPayment,
            &[A::Create],
            Some(&wallet_url),
        )?;
        let sender = self.local_wallet(ase, &wallet_url)?;
        let now = self.now();
        let (quote, receiver, debit, receive) = match &body {
            CreateOutgoingPaymentRequest::FromQuote { quote_id, .. } => {
                let index = self
                    .quotes
                    .iter()
                    .position(|q| q.url == *quote_id && q.ase == ase)
                    .ok_or_else(|| rs_error(404, "not_found", "unknown quote"))?;
                let q = self.quotes.get(index).ok_or_else(not_found)?;
                if q.wallet != sender.url {
                    return Err(bad("the quote belongs to another wallet address"));
                }
                if q.used {
                    return Err(bad("the quote was already used for an outgoing payment"));
                }
                if now >= q.expires_at {
                    return Err(bad("the quote expired"));
                }
                (
                    Some(index),
                    q.receiver.clone(),
                    q.debit.clone(),
                    q.receive.clone(),
                )
            }
            CreateOutgoingPaymentRequest::FromIncomingPayment {
                incoming_payment,
                debit_amount,
                ..
            } => {
                let (index, remaining) = self.open_receiver(incoming_payment)?;
                let (debit, receive) = self.price(&sender, index, Ok(debit_amount))?;
                if remaining.is_some_and(|r| receive.value() > r) {
                    return Err(bad(
                        "the payment would deliver more than the incoming payment still expects",
                    ));
                }
                (None, incoming_payment.clone(), debit, receive)
            }
        };
        // Grant limits (per interval window), checked before anything changes.
        let window =
            self.check_limits(caller.grant, &wallet_url, &receiver, &debit, &receive, now)?;
        // Settle: everything below happens in this one critical section.
        let id = uuid()?;
        let target = self.incoming.iter().position(|p| p.url == receiver);
        let settles = target.and_then(|i| self.incoming.get(i)).is_some_and(|p| {
            !p.completed
                && !p.expired(now)
                && p.incoming_amount.as_ref().is_none_or(|a| {
                    p.received
                        .value()
                        .checked_add(receive.value())
                        .is_some_and(|s| s <= a.value())
                })
        }) && sender.balance >= debit.value();
        if let Some(q) = quote.and_then(|i| self.quotes.get_mut(i)) {
            q.used = true;
        }
        let zero_sent = sender.amount(0).ok_or_else(|| Reply::empty(500))?;
        let mut spent = Spent::default();
        if settles {
            let receiver_wallet = target
                .and_then(|i| self.incoming.get(i))
                .map(|p| p.wallet.clone())
                .unwrap_or_default();
            if let Some(w) = self.wallet_by_url_mut(&sender.url) {
                w.balance -= debit.value();
            }
            if let Some(w) = self.wallet_by_url_mut(&receiver_wallet) {
                w.balance = w.balance.saturating_add(receive.value());
            }
            if let Some(p) = target.and_then(|i| self.incoming.get_mut(i)) {
                if let Ok(total) = p.received.checked_add(&receive) {
                    p.received = total;
                }
                if p.incoming_amount
                    .as_ref()
                    .is_some_and(|a| p.received.value() >= a.value())
                {
                    p.completed = true;
                }
            }
            if let Some(grant) = self.grants.get_mut(caller.grant) {
                let entry = grant.spent.entry(window).or_default();
                entry.debit = Some(match &entry.debit {
                    Some(d) => d.checked_add(&debit).unwrap_or_else(|_| d.clone()),
                    None => debit.clone(),
                });
                entry.receive = Some(match &entry.receive {
                    Some(r) => r.checked_add(&receive).unwrap_or_else(|_| r.clone()),
                    None => receive.clone(),
                });
                spent = entry.clone();
            }
        } else if let Some(s) = self
            .grants
            .get(caller.grant)
            .and_then(|g| g.spent.get(&window))
        {
            spent = s.clone();
        }
        let rec = OutgoingRec {
            url: format!("{}/outgoing-payments/{id}", self.resource_server(ase)),
            uuid: id,
            ase: ase.to_owned(),
            wallet: sender.url.clone(),
            client: caller.client,
            quote_id: quote
                .and_then(|i| self.quotes.get(i))
                .map(|q| q.url.clone()),
            failed: !settles,
            receiver,
            sent: if settles { debit.clone() } else { zero_sent },
            receive,
            debit,
            metadata,
            created_at: timestamp(now)?,
        };
        let v = rec.view();
        let body = OutgoingPaymentWithSpentAmounts {
            id: v.id,
            wallet_address: v.wallet_address,
            quote_id: v.quote_id,
            failed: v.failed,
            receiver: v.receiver,
            receive_amount: v.receive_amount,
            debit_amount: v.debit_amount,
            sent_amount: v.sent_amount,
            grant_spent_debit_amount: spent.debit,
            grant_spent_receive_amount: spent.receive,
            metadata: v.metadata,
            created_at: v.created_at,
        };
        self.outgoing.push(rec);
        let mut reply = Reply::json(201, &body);
        if self.drop_after_outgoing_commit > 0 {
            self.drop_after_outgoing_commit -= 1;
            reply.drop_connection = true;
        }
        Ok(reply)
    }

    /// The interval window of the grant's limits at `now`, refusing payments over a limit.
    fn check_limits(
        &self,
        grant: usize,
        wallet: &str,
        receiver: &str,
        debit: &Amount,
        receive: &Amount,
        now: i64,
    ) -> Result<i64, Reply> {
        let g = self.grants.get(grant).ok_or_else(|| Reply::empty(500))?;
        let limits = g.access.iter().find_map(|a| match a {
            AccessItem::OutgoingPayment {
                identifier,
                limits,
                actions,
            } if identifier == wallet && actions.contains(&A::Create) => Some(limits.clone()),
            _ => None,
        });
        let Some(Some(limits)) = limits else {
            return Ok(0);
        };
        if limits.receiver.as_deref().is_some_and(|r| r != receiver) {
            return Err(forbidden("the grant limits payments to another receiver"));
        }
        let window = match &limits.interval {
            Some(text) => RepeatingInterval::parse(text.as_str())
                .and_then(|i| i.window_at(now))
                .ok_or_else(|| forbidden("the grant's interval does not cover the current time"))?,
            None => 0,
        };
        let spent = g.spent.get(&window).cloned().unwrap_or_default();
        let over = |limit: &Amount, spent: &Option<Amount>, add: &Amount| -> bool {
            if !limit.same_asset(add) {
                return true;
            }
            let before = spent.as_ref().map_or(0, Amount::value);
            before
                .checked_add(add.value())
                .is_none_or(|total| total > limit.value())
        };
        if let Some(limit) = &limits.debit_amount {
            if over(limit, &spent.debit, debit) {
                return Err(forbidden(
                    "the payment exceeds the grant's debitAmount limit",
                ));
            }
        }
        if let Some(limit) = &limits.receive_amount {
            if over(limit, &spent.receive, receive) {
                return Err(forbidden(
                    "the payment exceeds the grant's receiveAmount limit",
                ));
            }
        }
        Ok(window)
    }

    fn grant_spent(&self, ase: &str, req: &Req) -> Result<Reply, Reply> {
        let caller = self.authenticate(ase, req)?;
        self.permit(
            &caller,
            AccessType::OutgoingPayment,
            &[A::Create, A::Read, A::ReadAll, A::List, A::ListAll],
            None,
        )?;
        let g = self
            .grants
            .get(caller.grant)
            .ok_or_else(|| Reply::empty(500))?;
        let now = self.now();
        let interval = g.access.iter().find_map(|a| match a {
            AccessItem::OutgoingPayment {
                limits: Some(l), ..
            } => l.interval.clone(),
            _ => None,
        });
        let window = match interval {
            Some(text) => RepeatingInterval::parse(text.as_str()).and_then(|i| i.window_at(now)),
            None => Some(0),
        };
        let spent = window
            .and_then(|w| g.spent.get(&w))
            .cloned()
            .unwrap_or_default();
        Ok(Reply::json(
            200,
            &OutgoingPaymentGrantSpentAmounts {
                spent_receive_amount: spent.receive,
                spent_debit_amount: spent.debit,
            },
        ))
    }
}
