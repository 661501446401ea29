//! Money: incoming payment, quote and outgoing payment moving money exactly once, quotes used
//! once and until they expire, insufficient balance, grant limits and spent amounts, receivers
//! never overpaid.

use super::*;

#[test]
fn incoming_payment_quote_and_outgoing_payment_move_money_exactly_once() {
    let mut s = Sbx::new();
    let (usd, eur) = (s.total("USD"), s.total("EUR"));
    let ip = s.incoming(Some(amount("2500", "USD", 2)));
    // 25.00 USD at 0.9 USD->EUR plus 1 % fee: debit ceil(2250 / 0.99) = 2273 EUR cents.
    let q = s.quote(&ip, json!({}));
    let token = token_of(&s.outgoing_grant("shopper", None));
    let (shopper0, shop0) = (s.balance("shopper"), s.balance("shop"));
    assert_eq!((shopper0, shop0), (100_000, 0));
    // Creating quotes and grants moves nothing.
    assert_eq!((s.total("USD"), s.total("EUR")), (usd, eur));
    let r = s.pay(&token, &q);
    assert_eq!(r.status, 201, "{:?}", body(&r));
    let paid = body(&r);
    assert_eq!(paid["failed"], false);
    assert_eq!(paid["debitAmount"], amount("2273", "EUR", 2));
    assert_eq!(paid["receiveAmount"], amount("2500", "USD", 2));
    assert_eq!(paid["sentAmount"], amount("2273", "EUR", 2));
    assert_eq!(paid["quoteId"], q);
    assert_eq!(s.balance("shopper"), shopper0 - 2273);
    assert_eq!(s.balance("shop"), shop0 + 2500);
    // Exactly the debit left the EUR accounts and exactly the receive amount arrived in USD.
    assert_eq!(s.total("EUR"), eur - 2273);
    assert_eq!(s.total("USD"), usd + 2500);
    let rec = s.state.incoming.iter().find(|p| p.url == ip).unwrap();
    assert_eq!(rec.received.value(), 2500);
    assert!(rec.completed);
    assert_eq!(s.state.outgoing.len(), 1);
    assert!(s.state.quotes.iter().all(|q| q.used));
    // Reading the payment back moves nothing.
    let after = s.snapshot();
    let id = paid["id"].as_str().unwrap().to_owned();
    let r = s.signed("GET", &id, Some(&token), Value::Null);
    assert_eq!(r.status, 200, "{:?}", body(&r));
    assert_eq!(body(&r)["sentAmount"], amount("2273", "EUR", 2));
    assert_eq!(s.snapshot(), after);
}

#[test]
fn a_quote_cannot_be_used_twice() {
    let mut s = Sbx::new();
    let ip = s.incoming(None);
    let q = s.quote(&ip, json!({ "debitAmount": amount("1000", "EUR", 2) }));
    let token = token_of(&s.outgoing_grant("shopper", None));
    assert_eq!(s.pay(&token, &q).status, 201);
    let after_first = s.snapshot();
    assert_eq!(s.balance("shopper"), 100_000 - 1000);
    let r = s.pay_again(&token, &q);
    assert_eq!((r.status, code(&r)), (400, "invalid_request".to_owned()));
    assert!(body(&r)["error"]["description"]
        .as_str()
        .unwrap()
        .contains("already used"));
    // Not even with a second, fresh grant.
    let other = token_of(&s.outgoing_grant("shopper", None));
    let after_grant = s.snapshot();
    let r = s.pay(&other, &q);
    assert_eq!(r.status, 400);
    assert_eq!(s.snapshot(), after_grant);
    assert_eq!(after_grant.balances, after_first.balances);
    assert_eq!(s.state.outgoing.len(), 1);
}

#[test]
fn an_expired_quote_is_refused() {
    let mut s = Sbx::new();
    let ip = s.incoming(None);
    let fresh = s.quote(&ip, json!({ "debitAmount": amount("100", "EUR", 2) }));
    let stale = s.quote(&ip, json!({ "debitAmount": amount("200", "EUR", 2) }));
    let token = token_of(&s.outgoing_grant("shopper", None));
    // quoteLifetimeSeconds is 300: usable well within it ...
    s.advance(290);
    assert_eq!(s.pay(&token, &fresh).status, 201);
    // ... and refused after it, through the dev clock endpoint.
    s.advance(11);
    let before = s.snapshot();
    let r = s.pay(&token, &stale);
    assert_eq!((r.status, code(&r)), (400, "invalid_request".to_owned()));
    assert!(body(&r)["error"]["description"]
        .as_str()
        .unwrap()
        .contains("expired"));
    assert_eq!(s.snapshot(), before);
    assert_eq!(s.balance("shopper"), 100_000 - 100);
    assert_eq!(s.state.clock_offset_seconds, 301);
}

#[test]
fn insufficient_balance_fails_the_payment_and_moves_nothing() {
    let mut s = Sbx::new();
    let ip = s.incoming(None);
    // shopper holds 1000.00 EUR.
    let q = s.quote(&ip, json!({ "debitAmount": amount("100001", "EUR", 2) }));
    let token = token_of(&s.outgoing_grant("shopper", None));
    let before = s.snapshot();
    let r = s.pay(&token, &q);
    assert_eq!(r.status, 201, "{:?}", body(&r));
    let paid = body(&r);
    assert_eq!(paid["failed"], true);
    assert_eq!(paid["sentAmount"], amount("0", "EUR", 2));
    let after = s.snapshot();
    assert_eq!(after.balances, before.balances);
    assert_eq!(after.incoming, before.incoming);
    // The failed payment is recorded and its quote is used up.
    assert_eq!(after.outgoing, before.outgoing + 1);
    assert!(s.state.outgoing.iter().all(|p| p.failed));
    assert_eq!(s.pay_again(&token, &q).status, 400);
    // Failed payments do not count towards the grant.
    assert_eq!(
        s.spent(&token),
        json!({ "spentDebitAmount": null, "spentReceiveAmount": null })
    );
    // Exactly the whole balance can be sent.
    let all = s.quote(&ip, json!({ "debitAmount": amount("100000", "EUR", 2) }));
    let r = s.pay(&token, &all);
    assert_eq!(body(&r)["failed"], false, "{:?}", body(&r));
    assert_eq!(s.balance("shopper"), 0);
}

#[test]
fn grant_limit_is_enforced_and_spent_amounts_reported() {
    let mut s = Sbx::new();
    let grant = s.outgoing_grant(
        "shopper",
        Some(json!({ "debitAmount": amount("1500", "EUR", 2) })),
    );
    let token = token_of(&grant);
    assert_eq!(
        grant["access_token"]["access"][0]["limits"]["debitAmount"],
        amount("1500", "EUR", 2)
    );
    let ip = s.incoming(None);
    let q1 = s.quote(&ip, json!({ "debitAmount": amount("1000", "EUR", 2) }));
    let q2 = s.quote(&ip, json!({ "debitAmount": amount("600", "EUR", 2) }));
    let q3 = s.quote(&ip, json!({ "debitAmount": amount("500", "EUR", 2) }));
    let r = s.pay(&token, &q1);
    assert_eq!(r.status, 201);
    assert_eq!(body(&r)["grantSpentDebitAmount"], amount("1000", "EUR", 2));
    // 1000 + 600 > 1500: refused before anything changes; the quote stays usable.
    let before = s.snapshot();
    let r = s.pay(&token, &q2);
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    assert_eq!(s.snapshot(), before);
    let spent = s.spent(&token);
    assert_eq!(spent["spentDebitAmount"], amount("1000", "EUR", 2));
    // 10.00 EUR - 1 % fee = 9.90 EUR at 1/0.9 = 11.00 USD.
    assert_eq!(spent["spentReceiveAmount"], amount("1100", "USD", 2));
    // 1000 + 500 == 1500: exactly the limit is allowed.
    let r = s.pay(&token, &q3);
    assert_eq!(r.status, 201, "{:?}", body(&r));
    let spent = s.spent(&token);
    assert_eq!(spent["spentDebitAmount"], amount("1500", "EUR", 2));
    assert_eq!(s.balance("shopper"), 100_000 - 1500);
    // Nothing more fits, not even two cents (the smallest payment that delivers anything).
    let q4 = s.quote(&ip, json!({ "debitAmount": amount("2", "EUR", 2) }));
    assert_eq!(s.pay(&token, &q4).status, 403);
    // The quote refused by the limit is still unused and payable under another grant.
    let other = token_of(&s.outgoing_grant("shopper", None));
    assert_eq!(s.pay(&other, &q2).status, 201);
}

#[test]
fn a_receiver_is_never_overpaid_even_with_two_quotes_for_the_full_amount() {
    let mut s = Sbx::new();
    let ip = s.incoming(Some(amount("1000", "USD", 2)));
    // Both quotes are made while the incoming payment is still open.
    let q1 = s.quote(&ip, json!({}));
    let q2 = s.quote(&ip, json!({}));
    let token = token_of(&s.outgoing_grant("shopper", None));
    let r = s.pay(&token, &q1);
    assert_eq!(body(&r)["failed"], false, "{:?}", body(&r));
    let after_first = s.snapshot();
    assert_eq!(s.balance("shop"), 1000);
    // The second payment would overpay: it is stored as failed and moves nothing.
    let r = s.pay(&token, &q2);
    assert_eq!(r.status, 201, "{:?}", body(&r));
    assert_eq!(body(&r)["failed"], true);
    let after_second = s.snapshot();
    assert_eq!(after_second.balances, after_first.balances);
    assert_eq!(after_second.incoming, after_first.incoming);
    let rec = s.state.incoming.iter().find(|p| p.url == ip).unwrap();
    assert_eq!((rec.received.value(), rec.completed), (1000, true));
    // Only the settled payment counts towards the grant.
    let spent = s.spent(&token);
    assert_eq!(spent["spentReceiveAmount"], amount("1000", "USD", 2));
}
