//! Outgoing payments at a resource server: creating one (settled in one critical section, or
//! stored as failed), reading and listing them, and the grant's limits: the interval window in
//! force and the amounts spent under it.

use super::http::{rs_error, Reply, Req};
use super::records::{timestamp, uuid, OutgoingRec, Spent};
use super::resource_server::{bad, forbidden, not_found, parse_body};
use super::state::State;
use crate::amount::Amount;
use crate::resources::time::RepeatingInterval;
use crate::resources::{
    AccessAction as A, AccessItem, AccessType, CreateOutgoingPaymentRequest, OutgoingPayment,
    OutgoingPaymentGrantSpentAmounts,
};

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

impl State {
    pub(super) fn list_outgoing(&self, ase: &str, req: &Req) -> Result<Reply, Reply> {
        self.list_page(
            ase,
            req,
            AccessType::OutgoingPayment,
            &self.outgoing,
            |p| (&p.wallet, &p.client),
            |p| (p.uuid.clone(), p.view()),
        )
    }

    pub(super) fn get_outgoing(&self, ase: &str, id: &str, req: &Req) -> Result<Reply, Reply> {
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

    pub(super) fn create_outgoing(&mut self, ase: &str, req: &Req) -> Result<Reply, Reply> {
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
        let body = rec.view().with_spent_amounts(spent.debit, spent.receive);
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

    pub(super) fn grant_spent(&self, ase: &str, req: &Req) -> Result<Reply, Reply> {
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
