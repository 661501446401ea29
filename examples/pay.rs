//! A payment with the native client: Alice (USD, bank A) pays Bob (EUR, bank B) 10.00 EUR,
//! a shop's client key signing every request, against the sandbox account servicing entities.
//!
//! ```text
//! cargo run --example pay --features sandbox,native-client
//! ```
//!
//! The sandbox runs in this process on 127.0.0.1 (plain http). Against real wallets nothing
//! changes but the URLs: `https://` works out of the box (see `client::native`), and the
//! interaction is a page the user visits instead of the sandbox's `/dev/.../approve` call.

use std::error::Error;

use open_payments_wasm::client::native::{ReqwestTransport, SystemRuntime};
use open_payments_wasm::client::{
    interact_request, new_nonce, ClientConfig, InteractFinishCheck, OpenPaymentsClient,
};
use open_payments_wasm::resources::{
    AccessAction, AccessItem, AccessTokenRequest, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, GrantRequest, GrantResponse, LimitsOutgoing,
    PaymentMethod, WalletAddress,
};
use open_payments_wasm::sandbox::{spawn, SandboxConfig};
use open_payments_wasm::signature::PrivateKey;
use open_payments_wasm::Amount;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    // 1. The sandbox, and the shop's client key registered at its wallet address.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let sandbox = spawn(SandboxConfig::default(), listener).await?;
    let wallet = |name: &str| {
        sandbox
            .wallets
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no wallet {name} in the sandbox"))
    };
    let shop = wallet("shop")?;
    let key = PrivateKey::generate("shop-key-1")?;
    let http = reqwest::Client::new();
    http.post(format!("{}/dev/wallets/shop/keys", sandbox.base_url))
        .json(&key.public_jwk())
        .send()
        .await?
        .error_for_status()?;

    // 2. The client: a reqwest transport (10 s per request), the system clock, the shop's key.
    let client = OpenPaymentsClient::new(
        ReqwestTransport::new(Some(10_000))?,
        ClientConfig::new(Box::new(SystemRuntime)).with_key(key, &shop),
    );
    let alice = client.get_wallet_address(&wallet("alice")?).await?;
    let bob = client.get_wallet_address(&wallet("bob")?).await?;
    println!(
        "{} ({}) pays {} ({})",
        alice.id, alice.asset_code, bob.id, bob.asset_code
    );

    // 3. Bob's side: an incoming payment of 10.00 EUR.
    let incoming_token = grant(
        &client,
        &bob,
        AccessItem::IncomingPayment {
            actions: vec![AccessAction::Create, AccessAction::Read],
            identifier: None,
        },
    )
    .await?;
    let incoming = client
        .create_incoming_payment(
            &bob.resource_server,
            &incoming_token,
            &CreateIncomingPaymentRequest {
                wallet_address: bob.id.clone(),
                incoming_amount: Some(Amount::new(1000, "EUR", 2)?),
                expires_at: None,
                metadata: None,
            },
        )
        .await?;
    println!("incoming payment {}", incoming.id);

    // 4. Alice's side: a quote for exactly that amount.
    let quote_token = grant(
        &client,
        &alice,
        AccessItem::Quote {
            actions: vec![AccessAction::Create, AccessAction::Read],
        },
    )
    .await?;
    let quote = client
        .create_quote(
            &alice.resource_server,
            &quote_token,
            &CreateQuoteRequest::IncomingAmount {
                wallet_address: alice.id.clone(),
                receiver: incoming.id.clone(),
                method: PaymentMethod::Ilp,
            },
        )
        .await?;
    println!(
        "quote: Alice sends {} {}, Bob receives {} {}",
        quote.debit_amount.to_decimal_string(),
        quote.debit_amount.asset_code(),
        quote.receive_amount.to_decimal_string(),
        quote.receive_amount.asset_code()
    );

    // 5. Alice's consent: an interactive grant limited to the quote's debit amount.
    let nonce = new_nonce(client.config().runtime())?;
    let request = GrantRequest {
        access_token: Some(AccessTokenRequest {
            access: vec![AccessItem::OutgoingPayment {
                actions: vec![AccessAction::Create, AccessAction::Read],
                identifier: alice.id.clone(),
                limits: Some(LimitsOutgoing {
                    receiver: None,
                    interval: None,
                    debit_amount: Some(quote.debit_amount.clone()),
                    receive_amount: None,
                }),
            }],
        }),
        client: client.client_identity()?,
        interact: Some(interact_request("http://127.0.0.1/return", &nonce)),
        subject: None,
    };
    let pending = match client.request_grant(&alice.auth_server, &request).await? {
        GrantResponse::Pending(pending) => pending,
        GrantResponse::Approved(_) => return Err("an outgoing payment needs consent".into()),
    };
    // A real app redirects Alice to `pending.interact.redirect`; the sandbox approves here.
    let id = pending
        .interact
        .redirect
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let approved: serde_json::Value = http
        .post(format!(
            "{}/dev/interactions/{id}/approve",
            sandbox.base_url
        ))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let text = |name: &str| {
        approved
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("no {name} in the approval"))
    };
    let (interact_ref, hash) = (text("interactRef")?, text("hash")?);
    let grant = client
        .continue_grant_after_interaction(
            &pending.continue_.uri,
            &pending.continue_.access_token.value,
            &InteractFinishCheck {
                client_nonce: &nonce,
                finish_nonce: &pending.interact.finish,
                interact_ref: &interact_ref,
                grant_endpoint: &alice.auth_server,
                hash: &hash,
            },
        )
        .await?;
    let outgoing_token = grant.access_token.ok_or("the grant has no access token")?;

    // 6. The payment (exactly once, even if the connection drops: see `create_outgoing_payment`).
    let payment = client
        .create_outgoing_payment(
            &alice.resource_server,
            &outgoing_token.value,
            &CreateOutgoingPaymentRequest::FromQuote {
                wallet_address: alice.id.clone(),
                quote_id: quote.id.clone(),
                metadata: None,
            },
        )
        .await?;
    println!(
        "outgoing payment {}: sent {} {}",
        payment.id,
        payment.sent_amount.to_decimal_string(),
        payment.sent_amount.asset_code()
    );
    let paid = client
        .get_incoming_payment(&incoming.id, &incoming_token)
        .await?;
    println!(
        "Bob has received {} {}",
        paid.received_amount.to_decimal_string(),
        paid.received_amount.asset_code()
    );
    if paid.received_amount.value() != 1000 {
        return Err("Bob did not receive 10.00 EUR".into());
    }
    Ok(())
}

/// A non-interactive grant of one access item at `wallet`'s authorization server: its token.
async fn grant(
    client: &OpenPaymentsClient<ReqwestTransport>,
    wallet: &WalletAddress,
    access: AccessItem,
) -> Result<String> {
    let request = GrantRequest {
        access_token: Some(AccessTokenRequest {
            access: vec![access],
        }),
        client: client.client_identity()?,
        interact: None,
        subject: None,
    };
    match client.request_grant(&wallet.auth_server, &request).await? {
        GrantResponse::Approved(grant) => Ok(grant
            .access_token
            .ok_or("the grant has no access token")?
            .value),
        GrantResponse::Pending(_) => Err("this grant should not need interaction".into()),
    }
}
