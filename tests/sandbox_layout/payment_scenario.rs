//! The whole payment scenario in the paths layout and in the origins layout.

use super::support::*;

/// The whole payment scenario, alice (bank-a, USD) pays bob (bank-b, EUR) 10.00 EUR; the URL
/// checks of the origins layout where it is the one running.
async fn payment_scenario(layout: Layout) {
    let w = start(layout).await;
    let alice = w
        .client
        .get_wallet_address(&w.info.wallets["alice"])
        .await
        .unwrap();
    let bob = w
        .client
        .get_wallet_address(&w.info.wallets["bob"])
        .await
        .unwrap();
    assert_eq!(alice.resource_server, w.info.resource_servers["bank-a"]);
    assert_eq!(alice.auth_server, w.info.auth_servers["bank-a"]);
    assert_eq!(bob.resource_server, w.info.resource_servers["bank-b"]);
    assert_eq!(bob.auth_server, w.info.auth_servers["bank-b"]);
    if layout == Layout::Origins {
        for wallet in [&alice, &bob] {
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
    let keys = w
        .client
        .get_wallet_address_keys(&w.info.wallets["shop"])
        .await
        .unwrap();
    assert_eq!(keys.keys.len(), 1);
    let before = w.balances().await;

    // Recipient side: a grant, then an incoming payment whose id is on bob's resource server.
    let bob_token = w.token_at(&bob.auth_server, incoming_access(&bob)).await;
    assert!(bob_token
        .manage
        .starts_with(&format!("{}/token/", bob.auth_server)));
    let incoming = w
        .client
        .create_incoming_payment(
            &bob.resource_server,
            &bob_token.value,
            &CreateIncomingPaymentRequest {
                wallet_address: bob.id.clone(),
                incoming_amount: Some(Amount::new(1000, "EUR", 2).unwrap()),
                expires_at: None,
                metadata: None,
            },
        )
        .await
        .unwrap();
    assert!(incoming
        .id
        .starts_with(&format!("{}/incoming-payments/", bob.resource_server)));
    let public = w
        .client
        .get_public_incoming_payment(&incoming.id)
        .await
        .unwrap();
    assert_eq!(public.auth_server, bob.auth_server);

    // Sender side: a quote on alice's resource server.
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

    // Interactive outgoing-payment grant approved through the dev endpoint, then continued.
    let nonce = new_nonce(w.client.config().runtime()).unwrap();
    let pending = w
        .pending_outgoing(&alice, &quote.debit_amount, &nonce)
        .await;
    assert!(pending
        .interact
        .redirect
        .starts_with(&format!("{}/interact/", alice.auth_server)));
    assert!(pending
        .continue_
        .uri
        .starts_with(&format!("{}/continue/", alice.auth_server)));
    let id = pending.interact.redirect.rsplit('/').next().unwrap();
    let approved = w
        .dev(&format!("/dev/interactions/{id}/approve"), json!({}))
        .await;
    let interact_ref = approved["interactRef"].as_str().unwrap();
    let hash = approved["hash"].as_str().unwrap();
    let forged = InteractFinishCheck {
        client_nonce: &nonce,
        finish_nonce: &pending.interact.finish,
        interact_ref,
        grant_endpoint: &format!("{}/elsewhere", alice.auth_server),
        hash,
    };
    let err = w
        .client
        .continue_grant_after_interaction(
            &pending.continue_.uri,
            &pending.continue_.access_token.value,
            &forged,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "interaction_hash_mismatch");
    let grant = w.finish(&alice, &pending, &nonce, interact_ref, hash).await;
    let out_token = grant.access_token.unwrap();
    assert!(out_token
        .manage
        .starts_with(&format!("{}/token/", alice.auth_server)));

    // The outgoing payment, on alice's resource server.
    let payment = w
        .client
        .create_outgoing_payment(
            &alice.resource_server,
            &out_token.value,
            &CreateOutgoingPaymentRequest::FromQuote {
                wallet_address: alice.id.clone(),
                quote_id: quote.id.clone(),
                metadata: None,
            },
        )
        .await
        .unwrap();
    assert!(payment
        .id
        .starts_with(&format!("{}/outgoing-payments/", alice.resource_server)));
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
    let listed = w
        .client
        .list_outgoing_payments(
            &alice.resource_server,
            &out_token.value,
            &alice.id,
            &Pagination::default(),
        )
        .await
        .unwrap();
    assert_eq!(listed.result.len(), 1);

    // Balances: alice paid the debit amount, bob received 10.00 EUR.
    let full = w
        .client
        .get_incoming_payment(&incoming.id, &bob_token.value)
        .await
        .unwrap();
    assert_eq!(full.received_amount.value(), 1000);
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

    // Token management at the authorization server's URLs.
    let rotated = w
        .client
        .rotate_token(&bob_token.manage, &bob_token.value)
        .await
        .unwrap()
        .access_token;
    assert!(rotated
        .manage
        .starts_with(&format!("{}/token/", bob.auth_server)));
    w.client
        .get_incoming_payment(&incoming.id, &rotated.value)
        .await
        .unwrap();
    w.client
        .revoke_token(&rotated.manage, &rotated.value)
        .await
        .unwrap();
    let err = w
        .client
        .get_incoming_payment(&incoming.id, &rotated.value)
        .await
        .unwrap_err();
    assert!(matches!(err.status(), Some(401 | 403)), "{err}");
}

#[tokio::test]
async fn the_payment_scenario_in_the_paths_layout() {
    payment_scenario(Layout::Paths).await;
}

#[tokio::test]
async fn the_payment_scenario_in_the_origins_layout() {
    payment_scenario(Layout::Origins).await;
}
