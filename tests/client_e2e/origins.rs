//! The origins layout only: each part on its own listener, grant endpoints at an origin root, and
//! resource server routes that cannot be wallet names.

use super::support::*;

#[tokio::test]
async fn origins_layout_serves_each_part_on_its_own_listener() {
    let w = start(Layout::Origins).await;
    let base = &w.info.base_url;
    let bank_a = &w.info.resource_servers["bank-a"];
    let auth_a = &w.info.auth_servers["bank-a"];
    let alice = &w.info.wallets["alice"];
    assert_eq!(alice, &format!("{bank_a}/alice"));
    assert_eq!(
        w.info.wallets["bob"],
        format!("{}/bob", w.info.resource_servers["bank-b"])
    );
    let get = |url: String| {
        let http = w.http.clone();
        async move { http.get(url).send().await.unwrap() }
    };

    // The base URL answers /dev/* only; /dev/info reports the same URLs as spawn.
    let info: SandboxInfo = get(format!("{base}/dev/info")).await.json().await.unwrap();
    assert_eq!(info, w.info);
    for path in [
        "/bank-a/alice",
        "/bank-a/auth",
        "/bank-a/op/quotes",
        "/alice",
    ] {
        assert_eq!(
            get(format!("{base}{path}")).await.status().as_u16(),
            404,
            "{path}"
        );
    }
    // The wallet origin: its own wallets only, no old-style paths, no dev endpoints.
    assert_eq!(get(alice.clone()).await.status().as_u16(), 200);
    assert_eq!(
        get(format!("{alice}/jwks.json")).await.status().as_u16(),
        200
    );
    let page = get(format!("{alice}/index.html"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("<td id=\"resourceServer\">{bank_a}</td>")));
    assert!(page.contains(&format!("<td id=\"authServer\">{auth_a}</td>")));
    for path in ["/bob", "/bank-a/alice", "/dev/info", "/", "/op/quotes"] {
        assert_eq!(
            get(format!("{bank_a}{path}")).await.status().as_u16(),
            404,
            "{path}"
        );
    }
    // The resource server at the wallet origin's root: unauthenticated requests get 401 naming
    // the authorization server's origin.
    let response = get(format!("{bank_a}/incoming-payments?wallet-address={alice}")).await;
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.headers()["www-authenticate"].to_str().unwrap(),
        format!("GNAP as_uri={auth_a}")
    );
    // The authorization server origin serves no wallets and no resources.
    for path in ["/alice", "/incoming-payments", "/dev/info"] {
        assert_eq!(
            get(format!("{auth_a}{path}")).await.status().as_u16(),
            404,
            "{path}"
        );
    }

    // CORS is the same on every listener.
    let listeners = [
        base.clone(),
        bank_a.clone(),
        auth_a.clone(),
        w.info.resource_servers["bank-b"].clone(),
        w.info.auth_servers["bank-b"].clone(),
    ];
    let mut seen = Vec::new();
    for listener in &listeners {
        let response = w
            .http
            .request(reqwest::Method::OPTIONS, format!("{listener}/anything"))
            .header("origin", "https://shop.example")
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 204, "{listener}");
        let cors: Vec<String> = [
            "access-control-allow-origin",
            "access-control-allow-methods",
            "access-control-allow-headers",
            "access-control-expose-headers",
        ]
        .iter()
        .map(|name| response.headers()[*name].to_str().unwrap().to_owned())
        .collect();
        assert_eq!(cors[0], "*");
        seen.push(cors);
    }
    assert!(seen.windows(2).all(|pair| pair[0] == pair[1]), "{seen:?}");
    let document = get(alice.clone()).await;
    assert_eq!(document.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn a_grant_endpoint_at_an_origin_root_verifies_with_or_without_the_slash() {
    let w = start(Layout::Origins).await;
    let auth = &w.info.auth_servers["bank-b"];
    assert!(!auth.ends_with('/'));
    // The crate's client signs the URL as written; fetch-based clients sign it normalized
    // (`http://host:port/`). Both reach `/` and both verify.
    for url in [auth.clone(), format!("{auth}/")] {
        let bob = w
            .client
            .get_wallet_address(&w.info.wallets["bob"])
            .await
            .unwrap();
        let token = w.token_at(&url, incoming_access(&bob)).await;
        w.client
            .list_incoming_payments(
                &bob.resource_server,
                &token.value,
                &bob.id,
                &Pagination::default(),
            )
            .await
            .unwrap();
    }
}

#[test]
fn resource_server_routes_cannot_be_wallet_names_in_the_origins_layout() {
    let mut config = SandboxConfig::default();
    config.ases[0].wallets[0].name = "quotes".to_owned();
    assert!(
        config.validate().is_ok(),
        "fine when every ASE has its own path"
    );
    config.layout = Layout::Origins;
    let err = config.validate().unwrap_err().to_string();
    assert!(err.contains("\"quotes\""), "{err}");
    let json = serde_json::to_value(SandboxConfig {
        layout: Layout::Origins,
        ..SandboxConfig::default()
    })
    .unwrap();
    assert_eq!(json["layout"], "origins");
    let parsed = SandboxConfig::from_json(&json.to_string()).unwrap();
    assert_eq!(parsed.layout, Layout::Origins);
    let mut without = json;
    without.as_object_mut().unwrap().remove("layout");
    let parsed = SandboxConfig::from_json(&without.to_string()).unwrap();
    assert_eq!(
        parsed.layout,
        Layout::Paths,
        "the paths layout is the default"
    );
}
