//! The whole payment scenario, once per sandbox layout: alice (bank-a, USD) pays bob (bank-b,
//! EUR) 10.00 EUR, with every URL the servers hand out checked against the layout.

use super::support::*;

/// Where the wallets' servers are: in the origins layout the resource server is the wallet
/// address's origin and the authorization server another origin, as production wallets are laid
/// out; in the paths layout every ASE shares the sandbox's one origin.
fn check_layout(w: &World, layout: Layout, alice: &WalletAddress, bob: &WalletAddress) {
    assert_eq!(alice.resource_server, w.info.resource_servers["bank-a"]);
    assert_eq!(alice.auth_server, w.info.auth_servers["bank-a"]);
    assert_eq!(bob.resource_server, w.info.resource_servers["bank-b"]);
    assert_eq!(bob.auth_server, w.info.auth_servers["bank-b"]);
    if layout == Layout::Origins {
        for wallet in [alice, bob] {
            // Code written for production wallets: resource server = new URL(walletAddress).origin.
            assert_eq!(wallet.resource_server, origin(&wallet.id));
            assert_ne!(origin(&wallet.auth_server), origin(&wallet.id));
            assert_eq!(wallet.auth_server, origin(&wallet.auth_server));
            assert_ne!(origin(&wallet.id), origin(&w.info.base_url));
            assert_ne!(origin(&wallet.auth_server), origin(&w.info.base_url));
        }
        assert_ne!(origin(&alice.id), origin(&bob.id), "one origin per ASE");
        assert_ne!(alice.auth_server, bob.auth_server);
    } else {
        assert_eq!(origin(&alice.id), origin(&bob.id));
        assert_eq!(origin(&alice.auth_server), origin(&w.info.base_url));
    }
}

async fn payment_scenario(layout: Layout) {
    let w = start(layout).await;
    let alice = w.wallet("alice").await;
    let bob = w.wallet("bob").await;
    assert_eq!(
        (alice.asset_code.as_str(), bob.asset_code.as_str()),
        ("USD", "EUR")
    );
    check_layout(&w, layout, &alice, &bob);
    let keys = w
        .client
        .get_wallet_address_keys(&w.info.wallets["shop"])
        .await
        .unwrap();
    assert_eq!(keys.keys.len(), 1);
    let before = w.balances().await;

    // Recipient side: an incoming payment with an incomingAmount, on bob's resource server.
    let bob_token = w.token_at(&bob.auth_server, incoming_access(&bob)).await;
    assert!(bob_token
        .manage
        .starts_with(&format!("{}/token/", bob.auth_server)));
    let incoming = w
        .incoming_payment(&bob, &bob_token, Amount::new(1000, "EUR", 2).unwrap())
        .await;
    assert!(incoming
        .id
        .starts_with(&format!("{}/incoming-payments/", bob.resource_server)));
    assert!(!incoming.methods.is_empty());
    let public = w
        .client
        .get_public_incoming_payment(&incoming.id)
        .await
        .unwrap();
    assert_eq!(public.auth_server, bob.auth_server);

    // Sender side: three kinds of quote on alice's resource server.
    let quote_token = w.token_at(&alice.auth_server, quote_access()).await;
    let create_quote = |body: CreateQuoteRequest| {
        let (client, rs, token) = (&w.client, &alice.resource_server, &quote_token.value);
        async move { client.create_quote(rs, token, &body).await.unwrap() }
    };
    let fixed_send = create_quote(CreateQuoteRequest::FixedSend {
        wallet_address: alice.id.clone(),
        receiver: incoming.id.clone(),
        method: PaymentMethod::Ilp,
        debit_amount: Amount::new(500, "USD", 2).unwrap(),
    })
    .await;
    assert_eq!(fixed_send.debit_amount.value(), 500);
    let fixed_receive = create_quote(CreateQuoteRequest::FixedReceive {
        wallet_address: alice.id.clone(),
        receiver: incoming.id.clone(),
        method: PaymentMethod::Ilp,
        receive_amount: Amount::new(200, "EUR", 2).unwrap(),
    })
    .await;
    assert_eq!(fixed_receive.receive_amount.value(), 200);
    let quote = create_quote(CreateQuoteRequest::IncomingAmount {
        wallet_address: alice.id.clone(),
        receiver: incoming.id.clone(),
        method: PaymentMethod::Ilp,
    })
    .await;
    assert!(quote
        .id
        .starts_with(&format!("{}/quotes/", alice.resource_server)));
    assert_eq!(quote.receive_amount.value(), 1000);
    let read_back = w
        .client
        .get_quote(&quote.id, &quote_token.value)
        .await
        .unwrap();
    assert_eq!(read_back, quote);

    // Interactive outgoing-payment grant (finish hash checked), then the payment.
    let out_token = w.outgoing_token(&alice, &quote.debit_amount).await;
    let payment = w.pay_quote(&alice, &out_token, &quote).await;
    assert!(payment
        .id
        .starts_with(&format!("{}/outgoing-payments/", alice.resource_server)));
    assert_eq!(payment.quote_id.as_deref(), Some(quote.id.as_str()));
    assert!(!payment.failed.unwrap_or(false));
    assert_eq!(payment.sent_amount, quote.debit_amount);
    let spent = w
        .client
        .get_grant_spent_amounts(&alice.resource_server, &out_token.value)
        .await
        .unwrap();
    assert_eq!(spent.spent_debit_amount.as_ref(), Some(&quote.debit_amount));
    let got = w
        .client
        .get_outgoing_payment(&payment.id, &out_token.value)
        .await
        .unwrap();
    assert_eq!(got.id, payment.id);

    // Balances: alice paid the debit amount, bob received 10.00 EUR; bob completes.
    let full = w
        .client
        .get_incoming_payment(&incoming.id, &bob_token.value)
        .await
        .unwrap();
    assert_eq!(full.received_amount.value(), 1000);
    // The same payment as the server's text, checked by the schema walker, reads as the model.
    let text = w
        .client
        .get_incoming_payment_text(&incoming.id, &bob_token.value)
        .await
        .unwrap();
    assert_eq!(
        open_payments_wasm::resources::from_json::<
            open_payments_wasm::resources::IncomingPaymentWithPaymentMethods,
        >(&text)
        .unwrap(),
        full
    );
    let after = w.balances().await;
    let value =
        |b: &Value, name: &str| -> u64 { b[name]["value"].as_str().unwrap().parse().unwrap() };
    assert_eq!(
        value(&before, "alice") - value(&after, "alice"),
        quote.debit_amount.value()
    );
    assert_eq!(value(&after, "bob") - value(&before, "bob"), 1000);
    let completed = w
        .client
        .complete_incoming_payment(&incoming.id, &bob_token.value)
        .await
        .unwrap();
    assert!(completed.completed);

    listings(&w, &alice, &bob, &bob_token, &out_token, &incoming).await;
    tokens(&w, &bob, &bob_token, &incoming).await;
}

/// Both sides list, one page per call and all pages at once.
async fn listings(
    w: &World,
    alice: &WalletAddress,
    bob: &WalletAddress,
    bob_token: &AccessToken,
    out_token: &AccessToken,
    incoming: &IncomingPaymentWithPaymentMethods,
) {
    let incoming_page = w
        .client
        .list_incoming_payments(
            &bob.resource_server,
            &bob_token.value,
            &bob.id,
            &Pagination::default(),
        )
        .await
        .unwrap();
    assert!(incoming_page.result.iter().any(|p| p.id == incoming.id));
    let outgoing_page = w
        .client
        .list_outgoing_payments(
            &alice.resource_server,
            &out_token.value,
            &alice.id,
            &Pagination {
                first: Some(10),
                ..Pagination::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(outgoing_page.result.len(), 1);
    let one_per_page = Pagination {
        first: Some(1),
        ..Pagination::default()
    };
    let every_incoming = w
        .client
        .list_all::<IncomingPayment>(
            &bob.resource_server,
            &bob_token.value,
            &bob.id,
            &one_per_page,
        )
        .await
        .unwrap();
    let all_ids: Vec<&str> = every_incoming.iter().map(|p| p.id.as_str()).collect();
    let page_ids: Vec<&str> = incoming_page.result.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        all_ids, page_ids,
        "one item per page, all pages: the same list"
    );
    let mut pages = w.client.pages::<IncomingPayment>(
        &bob.resource_server,
        &bob_token.value,
        &bob.id,
        &one_per_page,
    );
    let mut paged = Vec::new();
    while let Some(items) = pages.next().await.unwrap() {
        assert!(items.len() <= 1);
        paged.extend(items);
    }
    assert_eq!(paged, every_incoming);
    let every_outgoing = w
        .client
        .list_all::<OutgoingPayment>(
            &alice.resource_server,
            &out_token.value,
            &alice.id,
            &Pagination::default(),
        )
        .await
        .unwrap();
    assert_eq!(every_outgoing, outgoing_page.result);
}

/// Rotate at the authorization server's URLs, then revoke; the old and the revoked token stop
/// working.
async fn tokens(
    w: &World,
    bob: &WalletAddress,
    bob_token: &AccessToken,
    incoming: &IncomingPaymentWithPaymentMethods,
) {
    let new = w
        .client
        .rotate_token(&bob_token.manage, &bob_token.value)
        .await
        .unwrap()
        .access_token;
    assert_ne!(new.value, bob_token.value);
    assert!(new
        .manage
        .starts_with(&format!("{}/token/", bob.auth_server)));
    let err = w
        .client
        .get_incoming_payment(&incoming.id, &bob_token.value)
        .await
        .unwrap_err();
    assert!(matches!(err.status(), Some(401 | 403)), "{err}");
    w.client
        .get_incoming_payment(&incoming.id, &new.value)
        .await
        .unwrap();
    w.client
        .revoke_token(&new.manage, &new.value)
        .await
        .unwrap();
    let err = w
        .client
        .get_incoming_payment(&incoming.id, &new.value)
        .await
        .unwrap_err();
    assert!(matches!(err.status(), Some(401 | 403)), "{err}");
    let Some((method, url)) = err.request() else {
        panic!()
    };
    assert_eq!((method, url), ("GET", incoming.id.as_str()));
}

#[tokio::test]
async fn a_full_payment_from_alice_to_bob_in_the_paths_layout() {
    payment_scenario(Layout::Paths).await;
}

#[tokio::test]
async fn a_full_payment_from_alice_to_bob_in_the_origins_layout() {
    payment_scenario(Layout::Origins).await;
}
