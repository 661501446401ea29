//! Quotes at a resource server: the debit and receive amounts of a payment (fixed send or fixed
//! receive, across assets at the configured rates and fees), the receiver's open incoming
//! payment, and reading a quote back.

use super::http::{Reply, Req};
use super::money::Conversion;
use super::records::{timestamp, uuid, QuoteRec};
use super::resource_server::{bad, forbidden, not_found, parse_body};
use super::state::State;
use crate::amount::Amount;
use crate::resources::{AccessAction as A, AccessType, CreateQuoteRequest, PaymentMethod, Quote};

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

impl State {
    pub(super) fn get_quote(&self, ase: &str, id: &str, req: &Req) -> Result<Reply, Reply> {
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
    pub(super) fn open_receiver(&self, receiver: &str) -> Result<(usize, Option<u64>), Reply> {
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
    pub(super) fn price(
        &self,
        sender: &super::records::Wallet,
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

    pub(super) fn create_quote(&mut self, ase: &str, req: &Req) -> Result<Reply, Reply> {
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
}
