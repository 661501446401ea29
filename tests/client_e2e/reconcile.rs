//! Reconciliation: an outgoing payment whose connection dropped after the server committed is
//! found again, never sent twice.

use super::shared;
use super::support::*;

#[tokio::test]
async fn a_dropped_connection_after_commit_does_not_pay_twice() {
    let w = start(Layout::Paths).await;
    let alice = w.wallet("alice").await;
    let shop = w.wallet("shop").await;
    let shop_token = w
        .token_at(
            &shop.auth_server,
            vec![AccessItem::IncomingPayment {
                actions: vec![AccessAction::Create],
                identifier: Some(shop.id.clone()),
            }],
        )
        .await;
    let incoming = w
        .incoming_payment(&shop, &shop_token, Amount::new(750, "USD", 2).unwrap())
        .await;
    let quote_token = w.token_at(&alice.auth_server, quote_access()).await;
    let quote = w
        .client
        .create_quote(
            &alice.resource_server,
            &quote_token.value,
            &CreateQuoteRequest::IncomingAmount {
                wallet_address: alice.id.clone(),
                receiver: incoming.id.clone(),
                method: PaymentMethod::Ilp,
            },
        )
        .await
        .unwrap();
    let out_token = w.outgoing_token(&alice, &quote.debit_amount).await;
    let before = shared::balance(&w.http, &w.info, "alice").await;

    w.dev(
        "/dev/faults",
        json!({"dropConnectionAfterCommit": "outgoing-payment", "times": 1}),
    )
    .await;
    let payment = w.pay_quote(&alice, &out_token, &quote).await;
    assert_eq!(payment.quote_id.as_deref(), Some(quote.id.as_str()));

    let page = w
        .client
        .list_outgoing_payments(
            &alice.resource_server,
            &out_token.value,
            &alice.id,
            &Pagination::default(),
        )
        .await
        .unwrap();
    assert_eq!(page.result.len(), 1, "exactly one payment for the quote");
    let after = shared::balance(&w.http, &w.info, "alice").await;
    assert_eq!(before - after, quote.debit_amount.value(), "debited once");
}
