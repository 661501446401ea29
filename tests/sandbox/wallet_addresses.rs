//! The wallet address server: documents, keys, DID, CORS, the browser page.

use super::harness::*;

#[tokio::test]
pub(crate) async fn wallet_address_jwks_did_and_cors() {
    let s = start_over_http().await;
    let r = s.get(&s.wallet("alice")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["assetCode"], "USD");
    assert_eq!(r.body["authServer"], s.auth("bank-a"));
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    let pre = s
        .http
        .request(reqwest::Method::OPTIONS, s.wallet("bob"))
        .header("Origin", "http://example.test")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status().as_u16(), 204);
    assert_eq!(pre.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        s.get(&format!("{}/jwks.json", s.wallet("shop"))).await.body,
        json!({ "keys": [] })
    );
    let key = s.client_key("shop").await;
    let jwks = s.get(&format!("{}/jwks.json", s.wallet("shop"))).await;
    assert_eq!(jwks.body["keys"][0]["kid"], key.key_id());
    assert_eq!(
        s.get(&format!("{}/did.json", s.wallet("shop")))
            .await
            .status,
        500
    );
    assert_eq!(
        s.get(&format!("{}/bank-a/nobody", s.info.base_url))
            .await
            .status,
        404
    );
    // The ETH wallet has scale 9.
    assert_eq!(s.get(&s.wallet("carol")).await.body["assetScale"], 9);
}

#[tokio::test]
pub(crate) async fn wallet_address_redirects_browsers_to_an_html_page_and_keeps_json_for_clients() {
    let s = start_over_http().await;
    let url = s.wallet("alice");
    // A browser (Accept: text/html first) gets 302 to the sandbox's page.
    let r = s
        .http
        .get(&url)
        .header(
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{url}/index.html"));
    assert_eq!(r.headers()["vary"], "Accept");
    let page = s.http.get(&location).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = page.text().await.unwrap();
    for needle in [
        "Alice",
        url.as_str(),
        "USD (scale 2)",
        s.auth("bank-a").as_str(),
        s.rs("bank-a").as_str(),
    ] {
        assert!(html.contains(needle), "{needle} missing from {html}");
    }
    // `Accept: application/json` and reqwest's default `Accept: */*` keep the JSON document.
    let json_doc = s
        .http
        .get(&url)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(json_doc.status().as_u16(), 200);
    let body: Value = json_doc.json().await.unwrap();
    assert_eq!(body["id"], url);
    assert_eq!(body["assetCode"], "USD");
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&url)
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status().as_u16(), 200);
    let body: Value = bare.json().await.unwrap();
    assert_eq!(body["authServer"], s.auth("bank-a"));
    // Without Accept at all (raw HTTP/1.1 request, no headers added by a client library).
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = s.info.base_url.trim_start_matches("http://").to_owned();
    let path = url.trim_start_matches(&s.info.base_url).to_owned();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut raw = String::new();
    tcp.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(raw.contains("\"assetCode\":\"USD\""), "{raw}");
    // The page of an unknown wallet is a 404.
    assert_eq!(
        s.get(&format!("{}/bank-a/nobody/index.html", s.info.base_url))
            .await
            .status,
        404
    );
}
