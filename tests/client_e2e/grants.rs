//! Server errors the client reports as such, and grant cancellation.

use super::support::*;

#[tokio::test]
async fn did_documents_report_the_servers_500_and_grants_cancel() {
    let w = start(Layout::Paths).await;
    // The sandbox answers did.json with 500 "not yet implemented", as Rafiki does: a typed
    // server error (after the GET retries), not a parse failure.
    let err = w
        .client
        .get_did_document(&w.info.wallets["alice"])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "server_error");
    assert_eq!(err.status(), Some(500));

    // A non-interactive grant, cancelled: its continuation stops working.
    let alice = w.wallet("alice").await;
    let grant = w.grant_at(&alice.auth_server, quote_access()).await;
    let token = grant.access_token.unwrap();
    w.client
        .cancel_grant(&grant.continue_.uri, &grant.continue_.access_token.value)
        .await
        .unwrap();
    let again = w
        .client
        .cancel_grant(&grant.continue_.uri, &grant.continue_.access_token.value)
        .await
        .unwrap_err();
    assert!(matches!(again.status(), Some(401 | 404)), "{again:?}");
    // The access token of a cancelled grant is gone too.
    let quote_url = format!("{}/quotes/none", alice.resource_server);
    let err = w
        .client
        .get_quote(&quote_url, &token.value)
        .await
        .unwrap_err();
    assert!(matches!(err.status(), Some(401 | 403)), "{err:?}");
}
