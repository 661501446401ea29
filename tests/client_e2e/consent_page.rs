//! The consent page's form posts to the layout's authorization server, in both layouts.

use super::support::*;

/// The consent page a person sees: its form posts to the authorization server of the layout, and
/// approving redirects to the client's finish URI with a hash the client accepts.
async fn consent_page_approval(layout: Layout) {
    let w = start(layout).await;
    let alice = w
        .client
        .get_wallet_address(&w.info.wallets["alice"])
        .await
        .unwrap();
    let nonce = new_nonce(w.client.config().runtime()).unwrap();
    let limit = Amount::new(250, "USD", 2).unwrap();
    let pending = w.pending_outgoing(&alice, &limit, &nonce).await;
    let page = w
        .http
        .get(&pending.interact.redirect)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    let action = html
        .split("action=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let target = Url::parse(&pending.interact.redirect)
        .unwrap()
        .join(&action)
        .unwrap();
    assert_eq!(
        target.as_str(),
        pending.interact.redirect,
        "the form posts back to the page"
    );
    let response = w
        .http
        .post(target)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 302);
    let location = Url::parse(
        response
            .headers()
            .get("location")
            .unwrap()
            .to_str()
            .unwrap(),
    )
    .unwrap();
    assert!(location
        .as_str()
        .starts_with("http://127.0.0.1/checkout/return?"));
    let query = |name: &str| {
        location
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    let grant = w
        .finish(
            &alice,
            &pending,
            &nonce,
            &query("interact_ref"),
            &query("hash"),
        )
        .await;
    assert!(grant.access_token.is_some());
}

#[tokio::test]
async fn the_consent_form_posts_to_the_auth_server_in_the_paths_layout() {
    consent_page_approval(Layout::Paths).await;
}

#[tokio::test]
async fn the_consent_form_posts_to_the_auth_server_in_the_origins_layout() {
    consent_page_approval(Layout::Origins).await;
}
