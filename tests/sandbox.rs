//! The sandbox ASE driven over real HTTP on 127.0.0.1 by a signing test client: grants, consent,
//! continuation, tokens, every resource server endpoint, money movement, strictness, concurrency
//! and the fault hook. Each test starts its own sandbox on a free port.
#![cfg(all(feature = "sandbox", not(target_arch = "wasm32")))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use open_payments_wasm::sandbox::{spawn, SandboxConfig, SandboxInfo};
use open_payments_wasm::signature::{
    sign_request, verify_interaction_hash, HttpRequest, PrivateKey,
};
use serde_json::{json, Value};

struct Sbx {
    info: SandboxInfo,
    http: reqwest::Client,
    offset: AtomicI64,
}

struct Resp {
    status: u16,
    body: Value,
    headers: reqwest::header::HeaderMap,
}

/// A request with its signature headers, ready to be sent (once or, for replay tests, again).
struct Signed {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Signed {
    /// Signs `method url` (with `GNAP token` and a JSON body, if given) as created at `created`.
    fn new(
        key: &PrivateKey,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&Value>,
        created: i64,
    ) -> Self {
        let auth = token.map(|t| format!("GNAP {t}"));
        let mut headers: Vec<(&str, &str)> = vec![("Accept", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        let bytes = body.map(|b| serde_json::to_vec(b).unwrap());
        let mut request = HttpRequest::new(method, url, &headers);
        if let Some(b) = &bytes {
            request = request.with_body(b);
        }
        let signed = sign_request(&request, key, u64::try_from(created).unwrap()).unwrap();
        let headers = headers
            .iter()
            .chain(signed.to_pairs().iter())
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        Self {
            method: method.to_owned(),
            url: url.to_owned(),
            headers,
            body: bytes,
        }
    }
}

fn real_now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

async fn start_with(config: SandboxConfig) -> Arc<Sbx> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let info = spawn(config, listener).await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Arc::new(Sbx {
        info,
        http,
        offset: AtomicI64::new(0),
    })
}

async fn start() -> Arc<Sbx> {
    start_with(SandboxConfig::default()).await
}

impl Sbx {
    fn wallet(&self, name: &str) -> String {
        self.info.wallets[name].clone()
    }
    fn auth(&self, ase: &str) -> String {
        self.info.auth_servers[ase].clone()
    }
    fn rs(&self, ase: &str) -> String {
        self.info.resource_servers[ase].clone()
    }
    fn dev(&self, path: &str) -> String {
        format!("{}/dev/{path}", self.info.base_url)
    }

    async fn finish(r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            body,
            headers,
        }
    }

    async fn get(&self, url: &str) -> Resp {
        Self::finish(self.http.get(url).send().await.unwrap()).await
    }

    async fn post(&self, url: &str, body: Value) -> Resp {
        Self::finish(self.http.post(url).json(&body).send().await.unwrap()).await
    }

    /// A signed request, signed at sandbox time + `skew` seconds.
    async fn send_signed(
        &self,
        key: &PrivateKey,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&Value>,
        skew: i64,
    ) -> Result<Resp, reqwest::Error> {
        let created = self.now() + skew;
        let signed = Signed::new(key, method, url, token, body, created);
        self.send(&signed).await
    }

    /// The sandbox clock as this client tracks it (real time plus what it advanced).
    fn now(&self) -> i64 {
        real_now() + self.offset.load(Ordering::SeqCst)
    }

    /// Sends a request signed beforehand, exactly as signed (so it can be sent again).
    async fn send(&self, signed: &Signed) -> Result<Resp, reqwest::Error> {
        let mut builder = self.http.request(
            reqwest::Method::from_bytes(signed.method.as_bytes()).unwrap(),
            &signed.url,
        );
        for (n, v) in &signed.headers {
            if !n.eq_ignore_ascii_case("content-length") {
                builder = builder.header(n, v);
            }
        }
        if let Some(b) = &signed.body {
            builder = builder.body(b.clone());
        }
        let r = builder.send().await?;
        Ok(Self::finish(r).await)
    }

    async fn signed(
        &self,
        key: &PrivateKey,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        self.send_signed(key, method, url, token, body.as_ref(), 0)
            .await
            .unwrap()
    }

    /// A fixed-send quote of `value` EUR cents from `shopper` to the incoming payment `ip`.
    async fn fixed_send(&self, key: &PrivateKey, ip: &Value, value: &str) -> Value {
        let body = json!({ "receiver": ip["id"], "debitAmount": amount(value, "EUR", 2) });
        self.quote(key, "shopper", body).await.body
    }

    /// An interactive outgoing-payment grant request on `shopper` (with a finish redirect).
    async fn pending_grant(&self, key: &PrivateKey) -> Resp {
        let body = interactive_body(self, true);
        self.signed(key, "POST", &self.auth("bank-b"), None, Some(body))
            .await
    }

    async fn advance(&self, seconds: i64) {
        let r = self
            .post(&self.dev("clock"), json!({ "advanceSeconds": seconds }))
            .await;
        assert_eq!(r.status, 200);
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    async fn balance(&self, name: &str) -> u64 {
        let r = self.get(&self.dev(&format!("balances/{name}"))).await;
        r.body["value"].as_str().unwrap().parse().unwrap()
    }

    async fn balances(&self) -> Value {
        self.get(&self.dev("balances")).await.body
    }

    /// Registers a fresh key for wallet `name` (the client identifies itself with it).
    async fn client_key(&self, name: &str) -> PrivateKey {
        let key = PrivateKey::generate(&format!("{name}-key")).unwrap();
        let jwk = serde_json::to_value(key.public_jwk()).unwrap();
        let r = self
            .post(&self.dev(&format!("wallets/{name}/keys")), jwk)
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        key
    }

    /// A non-interactive grant's access token value.
    async fn grant_token(
        &self,
        key: &PrivateKey,
        client: &str,
        ase: &str,
        access: Value,
    ) -> String {
        let r = self
            .signed(
                key,
                "POST",
                &self.auth(ase),
                None,
                Some(json!({ "access_token": { "access": access }, "client": { "walletAddress": client } })),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["access_token"]["value"].as_str().unwrap().to_owned()
    }

    /// An approved interactive outgoing-payment grant (via the dev endpoint): the continue
    /// response body.
    async fn outgoing_grant(
        &self,
        key: &PrivateKey,
        client: &str,
        sender: &str,
        limits: Option<Value>,
    ) -> Value {
        let ase = if sender == "bank-a" {
            "bank-a"
        } else {
            self.ase_of(sender)
        };
        let mut item = json!({ "type": "outgoing-payment", "actions": ["create", "read", "list"], "identifier": self.wallet(sender) });
        if let Some(l) = limits {
            item["limits"] = l;
        }
        let body = json!({
            "access_token": { "access": [item] },
            "client": { "walletAddress": client },
            "interact": { "start": ["redirect"], "finish": { "method": "redirect", "uri": "http://localhost/return", "nonce": "client-nonce" } }
        });
        let pending = self
            .signed(key, "POST", &self.auth(ase), None, Some(body))
            .await;
        assert_eq!(pending.status, 200, "{:?}", pending.body);
        let id = interaction_id(&pending.body);
        let d = self
            .post(&self.dev(&format!("interactions/{id}/approve")), json!({}))
            .await;
        assert_eq!(d.status, 200);
        let r = self
            .signed(
                key,
                "POST",
                pending.body["continue"]["uri"].as_str().unwrap(),
                pending.body["continue"]["access_token"]["value"].as_str(),
                Some(json!({ "interact_ref": d.body["interactRef"] })),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body
    }

    fn ase_of(&self, wallet: &str) -> &'static str {
        if self.wallet(wallet).contains("/bank-a/") {
            "bank-a"
        } else {
            "bank-b"
        }
    }

    /// A sale: an incoming payment on `shop` (no amount), a fixed-send quote of `debit` EUR
    /// cents from `shopper` to it, and an approved outgoing-payment grant of `shopper`.
    async fn shop_sale(&self, key: &PrivateKey, debit: &str) -> (Value, Value, Value) {
        let ip = self.incoming(key, "shop", None).await;
        let q = self.fixed_send(key, &ip, debit).await;
        let grant = self
            .outgoing_grant(key, &self.wallet("shop"), "shopper", None)
            .await;
        (ip, q, grant)
    }

    /// Creates an incoming payment on `wallet` (own grant, client `shop`).
    async fn incoming(&self, key: &PrivateKey, wallet: &str, amount: Option<Value>) -> Value {
        let ase = self.ase_of(wallet);
        let token = self
            .grant_token(
                key,
                &self.wallet("shop"),
                ase,
                json!([{ "type": "incoming-payment", "actions": ["create", "read"] }]),
            )
            .await;
        let mut body = json!({ "walletAddress": self.wallet(wallet) });
        if let Some(a) = amount {
            body["incomingAmount"] = a;
        }
        let r = self
            .signed(
                key,
                "POST",
                &format!("{}/incoming-payments", self.rs(ase)),
                Some(&token),
                Some(body),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body
    }

    async fn quote(&self, key: &PrivateKey, sender: &str, body: Value) -> Resp {
        let ase = self.ase_of(sender);
        let token = self
            .grant_token(
                key,
                &self.wallet("shop"),
                ase,
                json!([{ "type": "quote", "actions": ["create", "read"] }]),
            )
            .await;
        let mut body = body;
        body["walletAddress"] = json!(self.wallet(sender));
        body["method"] = json!("ilp");
        self.signed(
            key,
            "POST",
            &format!("{}/quotes", self.rs(ase)),
            Some(&token),
            Some(body),
        )
        .await
    }
}

fn amount(value: &str, code: &str, scale: u8) -> Value {
    json!({ "value": value, "assetCode": code, "assetScale": scale })
}

fn token_of(grant: &Value) -> String {
    grant["access_token"]["value"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn wallet_address_jwks_did_and_cors() {
    let s = start().await;
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
async fn non_interactive_grants_for_wallet_client_and_inline_jwk() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let r = s
        .signed(&key, "POST", &s.auth("bank-a"), None, Some(json!({
            "access_token": { "access": [{ "type": "incoming-payment", "actions": ["create", "read"] }, { "type": "quote", "actions": ["create"] }] },
            "client": { "walletAddress": s.wallet("shop") }
        })))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["access_token"]["value"].is_string());
    assert_eq!(r.body["access_token"]["expires_in"], 600);
    assert!(r.body["continue"]["uri"]
        .as_str()
        .unwrap()
        .starts_with(&s.auth("bank-a")));
    assert!(r.body.get("interact").is_none());
    // Directed identity: the key inline, not registered anywhere.
    let inline = PrivateKey::generate("inline-1").unwrap();
    let jwk = serde_json::to_value(inline.public_jwk()).unwrap();
    let r = s
        .signed(
            &inline,
            "POST",
            &s.auth("bank-b"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "quote", "actions": ["create", "read"] }] },
                "client": { "jwk": jwk }
            })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Inline jwk for an interactive grant is refused.
    let r = s
        .signed(&inline, "POST", &s.auth("bank-b"), None, Some(json!({
            "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create"], "identifier": s.wallet("bob") }] },
            "client": { "jwk": jwk },
            "interact": { "start": ["redirect"] }
        })))
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (400, Some("invalid_client"))
    );
    // A client wallet not on the sandbox.
    let r = s
        .signed(
            &key,
            "POST",
            &s.auth("bank-a"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "quote", "actions": ["create"] }] },
                "client": { "walletAddress": "https://elsewhere.example/app" }
            })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (400, Some("invalid_client"))
    );
    // Outgoing-payment without interact.
    let r = s
        .signed(&key, "POST", &s.auth("bank-a"), None, Some(json!({
            "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create"], "identifier": s.wallet("alice") }] },
            "client": { "walletAddress": s.wallet("shop") }
        })))
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
}

fn interactive_body(s: &Sbx, finish: bool) -> Value {
    let mut body = json!({
        "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create", "read"], "identifier": s.wallet("shopper"),
            "limits": { "debitAmount": amount("5000", "EUR", 2) } }] },
        "client": { "walletAddress": s.wallet("shop") },
        "interact": { "start": ["redirect"] }
    });
    if finish {
        body["interact"]["finish"] = json!({ "method": "redirect", "uri": "http://localhost:9/return?order=7", "nonce": "nonce-123" });
    }
    body
}

fn query_value(url: &str, name: &str) -> Option<String> {
    let u = reqwest::Url::parse(url).unwrap();
    u.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn consent_form_approve_redirects_with_correct_hash_and_continue_issues_token() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let pending = s.pending_grant(&key).await;
    assert_eq!(pending.status, 200, "{:?}", pending.body);
    assert_eq!(pending.body["continue"]["wait"], 1);
    let redirect = pending.body["interact"]["redirect"].as_str().unwrap();
    let page = s.http.get(redirect).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&s.wallet("shop"))
            && html.contains("50.00 EUR")
            && html.contains("Approve")
            && html.contains("Deny")
    );
    // Submit the Approve form as a browser would.
    let r = s
        .http
        .post(redirect)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("http://localhost:9/return?order=7&hash="));
    let hash = query_value(&location, "hash").unwrap();
    let interact_ref = query_value(&location, "interact_ref").unwrap();
    verify_interaction_hash(
        "nonce-123",
        pending.body["interact"]["finish"].as_str().unwrap(),
        &interact_ref,
        &s.auth("bank-b"),
        &hash,
    )
    .unwrap();
    assert!(hash.ends_with('='), "padded standard base64: {hash}");
    // A second decision is refused.
    let again = s
        .http
        .post(redirect)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=deny")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 409);
    let uri = pending.body["continue"]["uri"].as_str().unwrap();
    let ctoken = pending.body["continue"]["access_token"]["value"]
        .as_str()
        .unwrap();
    // Wrong interact_ref, wrong continuation token.
    let r = s
        .signed(
            &key,
            "POST",
            uri,
            Some(ctoken),
            Some(json!({ "interact_ref": "nope" })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (404, Some("invalid_request"))
    );
    let r = s
        .signed(
            &key,
            "POST",
            uri,
            Some("WRONG"),
            Some(json!({ "interact_ref": interact_ref })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("invalid_continuation"))
    );
    // Polling a grant that has finish is refused.
    let r = s.signed(&key, "POST", uri, Some(ctoken), None).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("request_denied"))
    );
    let r = s
        .signed(
            &key,
            "POST",
            uri,
            Some(ctoken),
            Some(json!({ "interact_ref": interact_ref })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["access_token"]["access"][0]["identifier"],
        s.wallet("shopper")
    );
    // Continuing twice is refused.
    let r = s
        .signed(
            &key,
            "POST",
            uri,
            Some(ctoken),
            Some(json!({ "interact_ref": interact_ref })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("request_denied"))
    );
}

#[tokio::test]
async fn consent_deny_by_form_and_by_dev_endpoint() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let pending = s.pending_grant(&key).await;
    let redirect = pending.body["interact"]["redirect"].as_str().unwrap();
    let r = s
        .http
        .post(redirect)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=deny")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        query_value(&location, "result").as_deref(),
        Some("grant_rejected")
    );
    assert!(query_value(&location, "hash").is_none());
    // Dev endpoint deny on another grant; continuing a denied grant fails.
    let pending = s.pending_grant(&key).await;
    let id = interaction_id(&pending.body);
    let d = s
        .post(&s.dev(&format!("interactions/{id}/deny")), json!({}))
        .await;
    assert_eq!(d.status, 200);
    assert!(d.body["redirect"]
        .as_str()
        .unwrap()
        .contains("result=grant_rejected"));
    let d = s
        .post(&s.dev(&format!("interactions/{id}/approve")), json!({}))
        .await;
    assert_eq!(d.status, 409);
}

#[tokio::test]
async fn polling_grant_enforces_wait_then_returns_token() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let pending = s
        .signed(
            &key,
            "POST",
            &s.auth("bank-b"),
            None,
            Some(interactive_body(&s, false)),
        )
        .await;
    assert_eq!(pending.status, 200);
    let uri = pending.body["continue"]["uri"].as_str().unwrap();
    let ctoken = pending.body["continue"]["access_token"]["value"]
        .as_str()
        .unwrap();
    let r = s.signed(&key, "POST", uri, Some(ctoken), None).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (400, Some("too_fast"))
    );
    s.advance(2).await;
    let r = s.signed(&key, "POST", uri, Some(ctoken), None).await;
    assert_eq!(r.status, 200);
    assert!(r.body.get("access_token").is_none());
    assert_eq!(r.body["continue"]["wait"], 1);
    let id = interaction_id(&pending.body);
    let d = s
        .post(&s.dev(&format!("interactions/{id}/approve")), json!({}))
        .await;
    assert_eq!(d.status, 200);
    assert!(d.body.get("redirect").is_none());
    s.advance(2).await;
    let r = s.signed(&key, "POST", uri, Some(ctoken), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["access_token"]["value"].is_string());
}

#[tokio::test]
async fn token_rotation_revocation_and_grant_cancellation() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let grant = s
        .signed(&key, "POST", &s.auth("bank-a"), None, Some(json!({
            "access_token": { "access": [{ "type": "incoming-payment", "actions": ["create", "read", "list"] }] },
            "client": { "walletAddress": s.wallet("shop") }
        })))
        .await
        .body;
    let list = format!(
        "{}/incoming-payments?wallet-address={}",
        s.rs("bank-a"),
        s.wallet("shop")
    );
    let old = token_of(&grant);
    let manage = grant["access_token"]["manage"].as_str().unwrap();
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&old), None).await.status,
        200
    );
    // Rotate with the wrong token, then properly.
    let r = s.signed(&key, "POST", manage, Some("WRONG"), None).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("invalid_client"))
    );
    let rotated = s.signed(&key, "POST", manage, Some(&old), None).await;
    assert_eq!(rotated.status, 200);
    let new = token_of(&rotated.body);
    assert_ne!(new, old);
    let r = s.signed(&key, "GET", &list, Some(&old), None).await;
    assert_eq!(r.status, 401);
    assert!(r.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("GNAP as_uri="));
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&new), None).await.status,
        200
    );
    // Revoke.
    let new_manage = rotated.body["access_token"]["manage"].as_str().unwrap();
    assert_eq!(
        s.signed(&key, "DELETE", new_manage, Some(&new), None)
            .await
            .status,
        204
    );
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&new), None).await.status,
        401
    );
    assert_eq!(
        s.signed(&key, "POST", new_manage, Some(&new), None)
            .await
            .status,
        404
    );
    // Cancel a grant: its token stops working.
    let grant = s
        .signed(
            &key,
            "POST",
            &s.auth("bank-a"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "incoming-payment", "actions": ["list"] }] },
                "client": { "walletAddress": s.wallet("shop") }
            })),
        )
        .await
        .body;
    let t = token_of(&grant);
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&t), None).await.status,
        200
    );
    let uri = grant["continue"]["uri"].as_str().unwrap();
    let ct = grant["continue"]["access_token"]["value"].as_str().unwrap();
    assert_eq!(
        s.signed(&key, "DELETE", uri, Some(ct), None).await.status,
        204
    );
    assert_eq!(
        s.signed(&key, "GET", &list, Some(&t), None).await.status,
        401
    );
    // Token expiry by the sandbox clock.
    let t = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["list"] }]),
        )
        .await;
    s.advance(601).await;
    let r = s.signed(&key, "GET", &list, Some(&t), None).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (401, Some("invalid_token"))
    );
}

#[tokio::test]
async fn incoming_payments_create_get_public_complete_and_paginate_both_ways() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let token = s
        .grant_token(&key, &s.wallet("shop"), "bank-a", json!([{ "type": "incoming-payment", "actions": ["create", "read", "list", "complete"], "identifier": s.wallet("shop") }]))
        .await;
    let coll = format!("{}/incoming-payments", s.rs("bank-a"));
    let created = s
        .signed(
            &key,
            "POST",
            &coll,
            Some(&token),
            Some(json!({
                "walletAddress": s.wallet("shop"),
                "incomingAmount": amount("2500", "USD", 2),
                "expiresAt": "2099-01-01T00:00:00Z",
                "metadata": { "externalRef": "INV-1" }
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let p = &created.body;
    assert_eq!(p["receivedAmount"], amount("0", "USD", 2));
    assert_eq!(p["metadata"]["externalRef"], "INV-1");
    assert_eq!(p["methods"][0]["type"], "ilp");
    let id = p["id"].as_str().unwrap();
    // Authenticated get, public get.
    let full = s.signed(&key, "GET", id, Some(&token), None).await;
    assert_eq!((full.status, &full.body["id"]), (200, &p["id"]));
    let public = s.get(id).await;
    assert_eq!(public.status, 200);
    assert_eq!(
        public.body,
        json!({ "receivedAmount": amount("0", "USD", 2), "authServer": s.auth("bank-a") })
    );
    // Wrong asset, unknown wallet, identifier mismatch.
    let r = s.signed(&key, "POST", &coll, Some(&token), Some(json!({ "walletAddress": s.wallet("shop"), "incomingAmount": amount("1", "EUR", 2) }))).await;
    assert_eq!(r.status, 400);
    let r = s
        .signed(
            &key,
            "POST",
            &coll,
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("alice") })),
        )
        .await;
    assert_eq!(r.status, 403);
    // Without an amount; then 5 more for paging (7 in all).
    let r = s
        .signed(
            &key,
            "POST",
            &coll,
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("shop") })),
        )
        .await;
    assert_eq!(r.status, 201);
    assert!(r.body.get("incomingAmount").is_none());
    for _ in 0..5 {
        s.signed(
            &key,
            "POST",
            &coll,
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("shop") })),
        )
        .await;
    }
    let list = |q: &str| format!("{coll}?wallet-address={}{q}", s.wallet("shop"));
    let (harness, signer, bearer) = (&s, &key, &token);
    let get = |q: String| {
        let url = list(&q);
        async move {
            harness
                .signed(signer, "GET", &url, Some(bearer), None)
                .await
        }
    };
    let page1 = get("&first=3".into()).await.body;
    assert_eq!(page1["result"].as_array().unwrap().len(), 3);
    assert_eq!(page1["pagination"]["hasNextPage"], true);
    assert_eq!(page1["pagination"]["hasPreviousPage"], false);
    let end = page1["pagination"]["endCursor"].as_str().unwrap();
    let page2 = get(format!("&first=3&cursor={end}")).await.body;
    assert_eq!(page2["result"].as_array().unwrap().len(), 3);
    assert_eq!(page2["pagination"]["hasPreviousPage"], true);
    let end2 = page2["pagination"]["endCursor"].as_str().unwrap();
    let page3 = get(format!("&first=3&cursor={end2}")).await.body;
    assert_eq!(page3["result"].as_array().unwrap().len(), 1);
    assert_eq!(page3["pagination"]["hasNextPage"], false);
    // The oldest is the first created one.
    assert_eq!(page3["result"][0]["id"], p["id"]);
    // Backwards from page 3.
    let start = page3["pagination"]["startCursor"].as_str().unwrap();
    let back = get(format!("&last=3&cursor={start}")).await.body;
    assert_eq!(back["result"], page2["result"]);
    assert_eq!(back["pagination"]["hasPreviousPage"], true);
    assert_eq!(get("&first=3&last=2".into()).await.status, 400);
    assert_eq!(get("&first=0".into()).await.status, 400);
    // Complete.
    let done = s
        .signed(&key, "POST", &format!("{id}/complete"), Some(&token), None)
        .await;
    assert_eq!(done.status, 200);
    assert_eq!(done.body["completed"], true);
    assert!(done.body.get("methods").is_none());
    let after = s.signed(&key, "GET", id, Some(&token), None).await;
    assert_eq!(after.body["methods"], json!([]));
    assert_eq!(
        s.signed(&key, "GET", &format!("{coll}/nope"), Some(&token), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn quotes_fixed_send_fixed_receive_and_incoming_amount_with_rate_and_fee() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let open = s.incoming(&key, "shop", None).await;
    let receiver = open["id"].as_str().unwrap();
    // Fixed send: 10.00 EUR, 1 % fee (0.10) -> 9.90 EUR * 10/9 = 11.00 USD.
    let q = s
        .quote(
            &key,
            "shopper",
            json!({ "receiver": receiver, "debitAmount": amount("1000", "EUR", 2) }),
        )
        .await;
    assert_eq!(q.status, 201, "{:?}", q.body);
    assert_eq!(q.body["debitAmount"], amount("1000", "EUR", 2));
    assert_eq!(q.body["receiveAmount"], amount("1100", "USD", 2));
    assert_eq!(q.body["method"], "ilp");
    assert!(q.body["expiresAt"].is_string());
    // Fixed receive: 10.00 USD -> net 9.00 EUR -> debit ceil(900 / 0.99) = 910 (fee 10).
    let q = s
        .quote(
            &key,
            "shopper",
            json!({ "receiver": receiver, "receiveAmount": amount("1000", "USD", 2) }),
        )
        .await;
    assert_eq!(q.status, 201, "{:?}", q.body);
    assert_eq!(q.body["receiveAmount"], amount("1000", "USD", 2));
    assert_eq!(q.body["debitAmount"], amount("910", "EUR", 2));
    // Incoming amount: 25.00 USD expected.
    let fixed = s
        .incoming(&key, "shop", Some(amount("2500", "USD", 2)))
        .await;
    let q = s
        .quote(&key, "shopper", json!({ "receiver": fixed["id"] }))
        .await;
    assert_eq!(q.status, 201);
    assert_eq!(q.body["receiveAmount"], amount("2500", "USD", 2));
    assert_eq!(q.body["debitAmount"], amount("2273", "EUR", 2));
    // No amount and no incomingAmount; both amounts; wrong debit asset; scale-9 receiver.
    assert_eq!(
        s.quote(&key, "shopper", json!({ "receiver": receiver }))
            .await
            .status,
        400
    );
    assert_eq!(
        s.quote(&key, "shopper", json!({ "receiver": receiver, "debitAmount": amount("1", "EUR", 2), "receiveAmount": amount("1", "USD", 2) })).await.status,
        400
    );
    assert_eq!(
        s.quote(
            &key,
            "shopper",
            json!({ "receiver": receiver, "debitAmount": amount("100", "USD", 2) })
        )
        .await
        .status,
        400
    );
    let eth = s.incoming(&key, "dave", None).await;
    let q = s
        .quote(
            &key,
            "alice",
            json!({ "receiver": eth["id"], "debitAmount": amount("10000", "USD", 2) }),
        )
        .await;
    // 100.00 USD - 1.00 fee = 99.00 USD * 0.0004 = 0.0396 ETH = 39 600 000 at scale 9.
    assert_eq!(q.body["receiveAmount"], amount("39600000", "ETH", 9));
    // Same asset: no fee.
    let q = s
        .quote(
            &key,
            "alice",
            json!({ "receiver": receiver, "debitAmount": amount("500", "USD", 2) }),
        )
        .await;
    assert_eq!(q.body["receiveAmount"], amount("500", "USD", 2));
    // Get the quote.
    let token = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "quote", "actions": ["read"] }]),
        )
        .await;
    let g = s
        .signed(
            &key,
            "GET",
            q.body["id"].as_str().unwrap(),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(g.status, 200);
    assert_eq!(g.body, q.body);
}

/// Pays `receiver` from `shopper` with a fresh approved grant; returns (grant, payment response).
async fn pay_quote(s: &Sbx, key: &PrivateKey, token: &str, quote_id: &str) -> Resp {
    s.signed(
        key,
        "POST",
        &format!("{}/outgoing-payments", s.rs("bank-b")),
        Some(token),
        Some(json!({
            "walletAddress": s.wallet("shopper"), "quoteId": quote_id, "metadata": { "order": 7 }
        })),
    )
    .await
}

#[tokio::test]
async fn outgoing_payment_moves_money_cross_ase_and_quotes_are_single_use_and_expire() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let ip = s
        .incoming(&key, "shop", Some(amount("2500", "USD", 2)))
        .await;
    let q = s
        .quote(&key, "shopper", json!({ "receiver": ip["id"] }))
        .await
        .body;
    let grant = s
        .outgoing_grant(&key, &s.wallet("shop"), "shopper", None)
        .await;
    let token = token_of(&grant);
    let (shopper0, shop0) = (s.balance("shopper").await, s.balance("shop").await);
    let r = pay_quote(&s, &key, &token, q["id"].as_str().unwrap()).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["failed"], false);
    assert_eq!(r.body["debitAmount"], amount("2273", "EUR", 2));
    assert_eq!(r.body["receiveAmount"], amount("2500", "USD", 2));
    assert_eq!(r.body["sentAmount"], amount("2273", "EUR", 2));
    assert_eq!(r.body["grantSpentDebitAmount"], amount("2273", "EUR", 2));
    assert_eq!(r.body["quoteId"], q["id"]);
    assert_eq!(s.balance("shopper").await, shopper0 - 2273);
    assert_eq!(s.balance("shop").await, shop0 + 2500);
    let itoken = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["read-all"] }]),
        )
        .await;
    let got = s
        .signed(&key, "GET", ip["id"].as_str().unwrap(), Some(&itoken), None)
        .await
        .body;
    assert_eq!(got["receivedAmount"], amount("2500", "USD", 2));
    assert_eq!(got["completed"], true);
    // Get and list the outgoing payment.
    let op = s
        .signed(
            &key,
            "GET",
            r.body["id"].as_str().unwrap(),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(op.status, 200);
    assert!(op.body.get("grantSpentDebitAmount").is_none());
    let list = format!(
        "{}/outgoing-payments?wallet-address={}&first=10",
        s.rs("bank-b"),
        s.wallet("shopper")
    );
    let l = s.signed(&key, "GET", &list, Some(&token), None).await;
    assert_eq!(l.body["result"].as_array().unwrap().len(), 1);
    // Reuse of the quote (in a new request, not a replay of the first) is refused and moves
    // nothing.
    let again = s
        .signed(
            &key,
            "POST",
            &format!("{}/outgoing-payments", s.rs("bank-b")),
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"], "metadata": { "order": 8 } })),
        )
        .await;
    assert_eq!(again.status, 400, "{:?}", again.body);
    assert_eq!(s.balance("shopper").await, shopper0 - 2273);
    // An expired quote is refused.
    let ip2 = s.incoming(&key, "shop", None).await;
    let q2 = s
        .quote(
            &key,
            "shopper",
            json!({ "receiver": ip2["id"], "debitAmount": amount("100", "EUR", 2) }),
        )
        .await
        .body;
    s.advance(301).await;
    let r = pay_quote(&s, &key, &token, q2["id"].as_str().unwrap()).await;
    assert_eq!(r.status, 400);
    assert!(r.body["error"]["description"]
        .as_str()
        .unwrap()
        .contains("expired"));
    assert_eq!(s.balance("shopper").await, shopper0 - 2273);
    // Spent amounts.
    let spent = s
        .signed(
            &key,
            "GET",
            &format!("{}/outgoing-payment-grant", s.rs("bank-b")),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(spent.status, 200);
    assert_eq!(spent.body["spentDebitAmount"], amount("2273", "EUR", 2));
    assert_eq!(spent.body["spentReceiveAmount"], amount("2500", "USD", 2));
}

#[tokio::test]
async fn outgoing_payment_from_incoming_payment_and_debit_amount() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let ip = s.incoming(&key, "bob", None).await;
    let grant = s
        .outgoing_grant(&key, &s.wallet("shop"), "alice", None)
        .await;
    let r = s
        .signed(&key, "POST", &format!("{}/outgoing-payments", s.rs("bank-a")), Some(&token_of(&grant)), Some(json!({
            "walletAddress": s.wallet("alice"), "incomingPayment": ip["id"], "debitAmount": amount("1000", "USD", 2)
        })))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert!(r.body.get("quoteId").is_none());
    assert_eq!(r.body["receiveAmount"], amount("891", "EUR", 2));
    assert_eq!(s.balance("alice").await, 100_000 - 1000);
    assert_eq!(s.balance("bob").await, 50_000 + 891);
}

#[tokio::test]
async fn insufficient_balance_fails_the_payment_and_moves_nothing() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let (_ip, q, grant) = s.shop_sale(&key, "100001").await;
    let before = s.balances().await;
    let r = pay_quote(&s, &key, &token_of(&grant), q["id"].as_str().unwrap()).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["failed"], true);
    assert_eq!(r.body["sentAmount"], amount("0", "EUR", 2));
    assert_eq!(s.balances().await, before);
    let spent = s
        .signed(
            &key,
            "GET",
            &format!("{}/outgoing-payment-grant", s.rs("bank-b")),
            Some(&token_of(&grant)),
            None,
        )
        .await;
    assert_eq!(
        spent.body,
        json!({ "spentDebitAmount": null, "spentReceiveAmount": null })
    );
}

#[tokio::test]
async fn grant_limits_are_enforced_per_interval_and_spent_amounts_reported() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let start_text = "2020-01-01T00:00:00Z";
    let grant = s
        .outgoing_grant(&key, &s.wallet("shop"), "shopper", Some(json!({ "debitAmount": amount("1500", "EUR", 2), "interval": format!("R/{start_text}/P1D") })))
        .await;
    let token = token_of(&grant);
    let ip = s.incoming(&key, "shop", None).await;
    let pay = |q: Value| {
        let s = &s;
        let key = &key;
        let token = token.clone();
        async move { pay_quote(s, key, &token, q["id"].as_str().unwrap()).await }
    };
    let q1 = s.fixed_send(&key, &ip, "1000").await;
    assert_eq!(pay(q1).await.status, 201);
    let q2 = s.fixed_send(&key, &ip, "600").await;
    let before = s.balances().await;
    let r = pay(q2.clone()).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(s.balances().await, before);
    let spent = s
        .signed(
            &key,
            "GET",
            &format!("{}/outgoing-payment-grant", s.rs("bank-b")),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(spent.body["spentDebitAmount"], amount("1000", "EUR", 2));
    assert_eq!(spent.body["spentReceiveAmount"], amount("1100", "USD", 2));
    // The next day window resets the totals (tokens expire after 600 s, so rotate first).
    let manage = grant["access_token"]["manage"].as_str().unwrap();
    let rotated = s.signed(&key, "POST", manage, Some(&token), None).await;
    let token2 = token_of(&rotated.body);
    s.advance(86_400).await;
    let rotated = s
        .signed(
            &key,
            "POST",
            rotated.body["access_token"]["manage"].as_str().unwrap(),
            Some(&token2),
            None,
        )
        .await;
    let token3 = token_of(&rotated.body);
    let spent = s
        .signed(
            &key,
            "GET",
            &format!("{}/outgoing-payment-grant", s.rs("bank-b")),
            Some(&token3),
            None,
        )
        .await;
    assert_eq!(spent.body["spentDebitAmount"], Value::Null);
    let q3 = s.fixed_send(&key, &ip, "600").await;
    assert_eq!(
        pay_quote(&s, &key, &token3, q3["id"].as_str().unwrap())
            .await
            .status,
        201
    );
    // A receiver limit.
    let other = s.incoming(&key, "shop", None).await;
    let g = s
        .outgoing_grant(
            &key,
            &s.wallet("shop"),
            "shopper",
            Some(json!({ "receiver": ip["id"] })),
        )
        .await;
    let q = s
        .quote(
            &key,
            "shopper",
            json!({ "receiver": other["id"], "debitAmount": amount("100", "EUR", 2) }),
        )
        .await
        .body;
    assert_eq!(
        pay_quote(&s, &key, &token_of(&g), q["id"].as_str().unwrap())
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn strict_requests_get_the_right_status_and_change_nothing() {
    let s = start_with(SandboxConfig {
        max_body_bytes: 4096,
        ..SandboxConfig::default()
    })
    .await;
    let key = s.client_key("shop").await;
    let stranger = PrivateKey::generate("shop-key").unwrap();
    let (ip, q, grant) = s.shop_sale(&key, "100").await;
    let token = token_of(&grant);
    let url = format!("{}/outgoing-payments", s.rs("bank-b"));
    let body = json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"] });
    let before = s.balances().await;
    let code = |r: &Resp| {
        r.body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // Unsigned.
    let r = Sbx::finish(
        s.http
            .post(&url)
            .header("Authorization", format!("GNAP {token}"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(r.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .contains(&s.auth("bank-b")));
    // Signed by a key with the right kid but another secret.
    let r = s
        .signed(&stranger, "POST", &url, Some(&token), Some(body.clone()))
        .await;
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(r.body["error"]["description"]
        .as_str()
        .unwrap()
        .contains("signature_mismatch"));
    // Stale and future signatures.
    let r = s
        .send_signed(&key, "POST", &url, Some(&token), Some(&body), -1000)
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    assert!(r.body["error"]["description"]
        .as_str()
        .unwrap()
        .contains("signature_too_old"));
    let r = s
        .send_signed(&key, "POST", &url, Some(&token), Some(&body), 1000)
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    // Body changed after signing (digest mismatch).
    let auth = format!("GNAP {token}");
    let headers = [("Authorization", auth.as_str())];
    let bytes = serde_json::to_vec(&body).unwrap();
    let signed = sign_request(
        &HttpRequest::new("POST", &url, &headers).with_body(&bytes),
        &key,
        u64::try_from(real_now()).unwrap(),
    )
    .unwrap();
    let mut tampered = bytes.clone();
    tampered.push(b' ');
    let mut b = s.http.post(&url).header("Authorization", &auth);
    for (n, v) in signed.to_pairs() {
        if n != "Content-Length" {
            b = b.header(n, v);
        }
    }
    let r = Sbx::finish(b.body(tampered).send().await.unwrap()).await;
    assert_eq!(r.status, 401);
    // Missing token, unknown token.
    let r = s.signed(&key, "POST", &url, None, Some(body.clone())).await;
    assert_eq!((r.status, code(&r)), (401, "unauthorized".to_owned()));
    let r = s
        .signed(&key, "POST", &url, Some("NOT-A-TOKEN"), Some(body.clone()))
        .await;
    assert_eq!((r.status, code(&r)), (401, "invalid_token".to_owned()));
    // Token of another ASE.
    let other = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "quote", "actions": ["create"] }]),
        )
        .await;
    assert_eq!(
        s.signed(&key, "POST", &url, Some(&other), Some(body.clone()))
            .await
            .status,
        401
    );
    // Wrong scope: a quote token on bank-b for an outgoing payment; and another sender wallet.
    let qt = s
        .grant_token(
            &key,
            &s.wallet("shop"),
            "bank-b",
            json!([{ "type": "quote", "actions": ["create"] }]),
        )
        .await;
    let r = s
        .signed(&key, "POST", &url, Some(&qt), Some(body.clone()))
        .await;
    assert_eq!(r.status, 403);
    let r = s
        .signed(
            &key,
            "POST",
            &url,
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("bob"), "quoteId": q["id"] })),
        )
        .await;
    assert_eq!(r.status, 403);
    // Malformed JSON, wrong types, unknown fields, both forms at once.
    for bad in [
        json!("not an object"),
        json!({ "walletAddress": 5, "quoteId": q["id"] }),
        json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"], "extra": 1 }),
        json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"], "incomingPayment": ip["id"], "debitAmount": amount("1", "EUR", 2) }),
        json!({ "walletAddress": s.wallet("shopper"), "incomingPayment": ip["id"], "debitAmount": { "value": "-1", "assetCode": "EUR", "assetScale": 2 } }),
    ] {
        let r = s
            .signed(&key, "POST", &url, Some(&token), Some(bad.clone()))
            .await;
        assert_eq!(
            (r.status, code(&r)),
            (400, "invalid_request".to_owned()),
            "{bad}"
        );
    }
    let raw = b"{\"walletAddress\":".to_vec();
    let signed = sign_request(
        &HttpRequest::new("POST", &url, &headers).with_body(&raw),
        &key,
        u64::try_from(real_now()).unwrap(),
    )
    .unwrap();
    let mut b = s.http.post(&url).header("Authorization", &auth);
    for (n, v) in signed.to_pairs() {
        if n != "Content-Length" {
            b = b.header(n, v);
        }
    }
    let r = Sbx::finish(b.body(raw).send().await.unwrap()).await;
    assert_eq!((r.status, code(&r)), (400, "invalid_request".to_owned()));
    // Oversized body.
    let big = json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"], "metadata": { "pad": "x".repeat(5000) } });
    let r = s.signed(&key, "POST", &url, Some(&token), Some(big)).await;
    assert_eq!((r.status, code(&r)), (413, "payload_too_large".to_owned()));
    // Grant request signed with a wrong key: AS error code.
    let r = s
        .signed(
            &stranger,
            "POST",
            &s.auth("bank-a"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "quote", "actions": ["create"] }] },
                "client": { "walletAddress": s.wallet("shop") }
            })),
        )
        .await;
    assert_eq!((r.status, code(&r)), (401, "invalid_client".to_owned()));
    let r = s.post(&s.auth("bank-a"), json!({ "client": 5 })).await;
    assert_eq!(r.status, 400);
    // Nothing moved, the quote is still usable.
    assert_eq!(s.balances().await, before);
    assert_eq!(
        pay_quote(&s, &key, &token, q["id"].as_str().unwrap())
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn concurrent_payments_never_overspend() {
    let s = start().await;
    let key = Arc::new(s.client_key("shop").await);
    let grant = s.outgoing_grant(&key, &s.wallet("shop"), "bob", None).await;
    let token = Arc::new(token_of(&grant));
    let ip = s.incoming(&key, "shop", None).await;
    let receiver = ip["id"].as_str().unwrap().to_owned();
    // bob has 500.00 EUR; 50 payments of 30.00 EUR: at most 16 can settle.
    let bob0 = s.balance("bob").await;
    let shop0 = s.balance("shop").await;
    // Each payment is its own request (metadata `n`): a byte-identical one signed in the same
    // second would be a replay, refused with 401.
    let mut tasks = Vec::new();
    for n in 0..50 {
        let (s, key, token, receiver) = (s.clone(), key.clone(), token.clone(), receiver.clone());
        tasks.push(tokio::spawn(async move {
            s.signed(&key, "POST", &format!("{}/outgoing-payments", s.rs("bank-b")), Some(&token), Some(json!({
                "walletAddress": s.wallet("bob"), "incomingPayment": receiver, "debitAmount": amount("3000", "EUR", 2),
                "metadata": { "n": n }
            })))
            .await
        }));
    }
    let mut settled = 0u64;
    let mut received = 0u64;
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 201, "{:?}", r.body);
        if r.body["failed"] == false {
            settled += 1;
            received += r.body["receiveAmount"]["value"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .unwrap();
        }
    }
    assert_eq!(settled, bob0 / 3000);
    assert_eq!(s.balance("bob").await, bob0 - settled * 3000);
    assert_eq!(s.balance("shop").await, shop0 + received);
}

#[tokio::test]
async fn fault_hook_commits_then_drops_the_connection() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let (ip, q, grant) = s.shop_sale(&key, "100").await;
    let token = token_of(&grant);
    let f = s
        .post(
            &s.dev("faults"),
            json!({ "dropConnectionAfterCommit": "outgoing-payment", "times": 1 }),
        )
        .await;
    assert_eq!(f.status, 200);
    let before = s.balance("shopper").await;
    let url = format!("{}/outgoing-payments", s.rs("bank-b"));
    let body = json!({ "walletAddress": s.wallet("shopper"), "quoteId": q["id"] });
    let err = s
        .send_signed(&key, "POST", &url, Some(&token), Some(&body), 0)
        .await;
    assert!(err.is_err(), "the client must see a connection error");
    // The payment was committed: money moved and it is listed.
    assert_eq!(s.balance("shopper").await, before - 100);
    let list = format!(
        "{}/outgoing-payments?wallet-address={}",
        s.rs("bank-b"),
        s.wallet("shopper")
    );
    let l = s.signed(&key, "GET", &list, Some(&token), None).await;
    assert_eq!(l.body["result"][0]["quoteId"], q["id"]);
    // Only once.
    let q2 = s.fixed_send(&key, &ip, "100").await;
    assert_eq!(
        pay_quote(&s, &key, &token, q2["id"].as_str().unwrap())
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn config_file_defines_wallets_keys_and_rates() {
    let key = PrivateKey::generate("app-1").unwrap();
    let jwk = serde_json::to_value(key.public_jwk()).unwrap();
    let text = json!({
        "ases": [
            { "name": "north", "wallets": [
                { "name": "app", "assetCode": "USD", "assetScale": 2, "keys": [jwk] },
                { "name": "payer", "assetCode": "USD", "assetScale": 2, "balance": "700" }
            ] },
            { "name": "south", "wallets": [ { "name": "payee", "assetCode": "MXN", "assetScale": 2 } ] }
        ],
        "exchangeRates": [ { "from": "USD", "to": "MXN", "rate": "17.5" } ],
        "feeBasisPoints": 0,
        "continueWaitSeconds": 0
    })
    .to_string();
    let config = SandboxConfig::from_json(&text).unwrap();
    assert!(SandboxConfig::from_json(r#"{"ases":[{"name":"auth","wallets":[]}]}"#).is_err());
    assert!(SandboxConfig::from_json(r#"{"ases":[],"bogus":1}"#).is_err());
    let s = start_with(config).await;
    // The key came from the config file: no dev registration needed.
    let token = s
        .grant_token(
            &key,
            &s.wallet("app"),
            "south",
            json!([{ "type": "incoming-payment", "actions": ["create"] }]),
        )
        .await;
    let ip = s
        .signed(
            &key,
            "POST",
            &format!("{}/incoming-payments", s.rs("south")),
            Some(&token),
            Some(json!({ "walletAddress": s.wallet("payee") })),
        )
        .await;
    assert_eq!(ip.status, 201);
    let qt = s
        .grant_token(
            &key,
            &s.wallet("app"),
            "north",
            json!([{ "type": "quote", "actions": ["create"] }]),
        )
        .await;
    let q = s
        .signed(&key, "POST", &format!("{}/quotes", s.rs("north")), Some(&qt), Some(json!({
            "walletAddress": s.wallet("payer"), "receiver": ip.body["id"], "method": "ilp", "debitAmount": amount("200", "USD", 2)
        })))
        .await;
    assert_eq!(q.body["receiveAmount"], amount("3500", "MXN", 2));
    assert_eq!(s.balance("payer").await, 700);
}

#[tokio::test]
async fn subject_grant_is_interactive_and_returns_the_subject() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let pending = s
        .signed(&key, "POST", &s.auth("bank-b"), None, Some(json!({
            "subject": { "sub_ids": [{ "id": s.wallet("shopper"), "format": "uri" }] },
            "client": { "walletAddress": s.wallet("shop") },
            "interact": { "start": ["redirect"], "finish": { "method": "redirect", "uri": "http://localhost/back", "nonce": "n1" } }
        })))
        .await;
    assert_eq!(pending.status, 200, "{:?}", pending.body);
    let id = interaction_id(&pending.body);
    let d = s
        .post(&s.dev(&format!("interactions/{id}/approve")), json!({}))
        .await;
    let r = s
        .signed(
            &key,
            "POST",
            pending.body["continue"]["uri"].as_str().unwrap(),
            pending.body["continue"]["access_token"]["value"].as_str(),
            Some(json!({ "interact_ref": d.body["interactRef"] })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["subject"]["sub_ids"][0]["id"], s.wallet("shopper"));
    assert!(r.body.get("access_token").is_none());
}

/// Creates an incoming payment on `wallet` with the given token (signed by `key`).
async fn create_incoming_with(s: &Sbx, key: &PrivateKey, token: &str, wallet: &str) -> Value {
    let r = s
        .signed(
            key,
            "POST",
            &format!("{}/incoming-payments", s.rs(s.ase_of(wallet))),
            Some(token),
            Some(json!({ "walletAddress": s.wallet(wallet) })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body
}

/// The ids of a list page.
fn listed_ids(r: &Resp) -> Vec<String> {
    r.body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn read_and_list_cover_own_resources_read_all_and_list_all_cover_the_wallet() {
    let s = start().await;
    let key_a = s.client_key("shop").await;
    let key_b = s.client_key("alice").await;
    let all = ["create", "read", "list", "read-all", "list-all"];
    let token_a = s
        .grant_token(
            &key_a,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["create", "read", "list"] }]),
        )
        .await;
    let token_b = s
        .grant_token(
            &key_b,
            &s.wallet("alice"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["create", "read", "list"] }]),
        )
        .await;
    let token_all = s
        .grant_token(
            &key_a,
            &s.wallet("shop"),
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": all }]),
        )
        .await;
    // Both clients create incoming payments on the same wallet (`shop`).
    let mine = create_incoming_with(&s, &key_a, &token_a, "shop").await;
    let theirs = create_incoming_with(&s, &key_b, &token_b, "shop").await;
    let mine_id = mine["id"].as_str().unwrap();
    let theirs_id = theirs["id"].as_str().unwrap();
    // `read`: own payment yes, the other client's payment 403.
    let r = s.signed(&key_a, "GET", mine_id, Some(&token_a), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = s
        .signed(&key_a, "GET", theirs_id, Some(&token_a), None)
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = s.signed(&key_b, "GET", mine_id, Some(&token_b), None).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    // `read-all` (same client A, another grant): both.
    for id in [mine_id, theirs_id] {
        let r = s.signed(&key_a, "GET", id, Some(&token_all), None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["id"], id);
        assert!(r.body["methods"].is_array());
    }
    // `list`: only own; `list-all`: both (newest first).
    let list = format!(
        "{}/incoming-payments?wallet-address={}",
        s.rs("bank-a"),
        s.wallet("shop")
    );
    let r = s.signed(&key_a, "GET", &list, Some(&token_a), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(listed_ids(&r), vec![mine_id.to_owned()]);
    let r = s.signed(&key_b, "GET", &list, Some(&token_b), None).await;
    assert_eq!(listed_ids(&r), vec![theirs_id.to_owned()]);
    let r = s.signed(&key_a, "GET", &list, Some(&token_all), None).await;
    assert_eq!(
        listed_ids(&r),
        vec![theirs_id.to_owned(), mine_id.to_owned()]
    );
}

/// An interactive outgoing-payment grant request from `shopper` with these limits.
async fn request_with_limits(s: &Sbx, key: &PrivateKey, limits: Value) -> Resp {
    s.signed(key, "POST", &s.auth("bank-b"), None, Some(json!({
        "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create"], "identifier": s.wallet("shopper"), "limits": limits }] },
        "client": { "walletAddress": s.wallet("shop") },
        "interact": { "start": ["redirect"] }
    })))
    .await
}

#[tokio::test]
async fn interval_duration_end_form_is_accepted_and_windows_end_at_end() {
    let s = start_with(SandboxConfig {
        access_token_lifetime_seconds: 10 * 86_400,
        ..SandboxConfig::default()
    })
    .await;
    let key = s.client_key("shop").await;
    // The AS spec example parses (its windows all lie in the past; the grant is still valid).
    let r = request_with_limits(
        &s,
        &key,
        json!({ "debitAmount": amount("500", "EUR", 2), "interval": "R-1/P1Y2M10DT2H30M/2022-05-11T15:30:00Z" }),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["interact"]["redirect"].is_string());
    // Texts that are no interval get a clear 400 invalid_request.
    for bad in [
        "R/P1D/P2D",
        "R/2030-01-02T00:00:00Z/2030-01-01T00:00:00Z",
        "R/P1X/2030-01-01T00:00:00Z",
    ] {
        let r = request_with_limits(&s, &key, json!({ "interval": bad })).await;
        assert_eq!(
            (r.status, r.body["error"]["code"].as_str()),
            (400, Some("invalid_request")),
            "{bad}: {:?}",
            r.body
        );
        assert!(r.body["error"]["description"]
            .as_str()
            .unwrap()
            .contains("R[n]/<duration>/<end>"));
    }
    // Day windows ending at 2030-01-01T00:00:00Z: limits reset at each UTC midnight.
    let grant = s
        .outgoing_grant(
            &key,
            &s.wallet("shop"),
            "shopper",
            Some(json!({ "debitAmount": amount("1500", "EUR", 2), "interval": "R/P1D/2030-01-01T00:00:00Z" })),
        )
        .await;
    let token = token_of(&grant);
    let ip = s.incoming(&key, "shop", None).await;
    let quote = |value: &'static str| {
        let s = &s;
        let key = &key;
        let receiver = ip["id"].clone();
        async move {
            s.quote(
                key,
                "shopper",
                json!({ "receiver": receiver, "debitAmount": amount(value, "EUR", 2) }),
            )
            .await
            .body["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let q = quote("1000").await;
    assert_eq!(pay_quote(&s, &key, &token, &q).await.status, 201);
    let q = quote("600").await;
    let r = pay_quote(&s, &key, &token, &q).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    s.advance(86_400).await;
    let q = quote("600").await;
    let r = pay_quote(&s, &key, &token, &q).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["grantSpentDebitAmount"], amount("600", "EUR", 2));
    // After `end` no window is open: payments under the grant are refused.
    let past = s
        .outgoing_grant(
            &key,
            &s.wallet("shop"),
            "shopper",
            Some(json!({ "debitAmount": amount("1500", "EUR", 2), "interval": "R/P1D/2020-01-01T00:00:00Z" })),
        )
        .await;
    let q = quote("100").await;
    let r = pay_quote(&s, &key, &token_of(&past), &q).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
}

/// The interaction id (last segment of `interact.redirect`) of a pending grant response.
fn interaction_id(pending: &Value) -> String {
    pending["interact"]["redirect"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn interactions_expire_after_the_interaction_lifetime() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let request = |finish: bool| {
        let s = &s;
        let key = &key;
        async move {
            let r = s
                .signed(
                    key,
                    "POST",
                    &s.auth("bank-b"),
                    None,
                    Some(interactive_body(s, finish)),
                )
                .await;
            assert_eq!(r.status, 200, "{:?}", r.body);
            r.body
        }
    };
    let with_finish = request(true).await;
    let polling = request(false).await;
    let approved_in_time = request(true).await;
    let d = s
        .post(
            &s.dev(&format!(
                "interactions/{}/approve",
                interaction_id(&approved_in_time)
            )),
            json!({}),
        )
        .await;
    assert_eq!(d.status, 200);
    // Still open just before the default 600 s.
    s.advance(599).await;
    let redirect = with_finish["interact"]["redirect"].as_str().unwrap();
    assert_eq!(s.http.get(redirect).send().await.unwrap().status(), 200);
    s.advance(1).await;
    // The consent page (GET and the form POST) says it expired.
    let page = s.http.get(redirect).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 410);
    assert!(page.text().await.unwrap().contains("expired"));
    let r = s
        .http
        .post(redirect)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 410);
    // The dev endpoints too.
    for decision in ["approve", "deny"] {
        let d = s
            .post(
                &s.dev(&format!(
                    "interactions/{}/{decision}",
                    interaction_id(&with_finish)
                )),
                json!({}),
            )
            .await;
        assert_eq!(
            (d.status, d.body["error"]["code"].as_str()),
            (410, Some("invalid_interaction")),
            "{:?}",
            d.body
        );
        assert!(d.body["error"]["description"]
            .as_str()
            .unwrap()
            .contains("expired"));
    }
    // Continuing (with an interact_ref or by polling) fails with 401 request_denied.
    for (pending, body) in [
        (&with_finish, Some(json!({ "interact_ref": "anything" }))),
        (&polling, None),
    ] {
        let r = s
            .signed(
                &key,
                "POST",
                pending["continue"]["uri"].as_str().unwrap(),
                pending["continue"]["access_token"]["value"].as_str(),
                body,
            )
            .await;
        assert_eq!(
            (r.status, r.body["error"]["code"].as_str()),
            (401, Some("request_denied")),
            "{:?}",
            r.body
        );
    }
    // A grant approved in time can still be continued.
    let r = s
        .signed(
            &key,
            "POST",
            approved_in_time["continue"]["uri"].as_str().unwrap(),
            approved_in_time["continue"]["access_token"]["value"].as_str(),
            Some(json!({ "interact_ref": d.body["interactRef"] })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["access_token"]["value"].is_string());
}

#[tokio::test]
async fn interaction_lifetime_is_configurable() {
    let s = start_with(SandboxConfig {
        interaction_lifetime_seconds: 30,
        ..SandboxConfig::default()
    })
    .await;
    let key = s.client_key("shop").await;
    let pending = s.pending_grant(&key).await;
    s.advance(30).await;
    let d = s
        .post(
            &s.dev(&format!(
                "interactions/{}/approve",
                interaction_id(&pending.body)
            )),
            json!({}),
        )
        .await;
    assert_eq!(d.status, 410, "{:?}", d.body);
}

#[tokio::test]
async fn wallet_address_redirects_browsers_to_an_html_page_and_keeps_json_for_clients() {
    let s = start().await;
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

/// A quote grant's token for a directed-identity (inline jwk) client on bank-b.
async fn inline_quote_token(s: &Sbx, key: &PrivateKey, actions: Value) -> String {
    let jwk = serde_json::to_value(key.public_jwk()).unwrap();
    let r = s
        .signed(
            key,
            "POST",
            &s.auth("bank-b"),
            None,
            Some(json!({
                "access_token": { "access": [{ "type": "quote", "actions": actions }] },
                "client": { "jwk": jwk }
            })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    token_of(&r.body)
}

/// A fixed-send quote from `shopper` to `receiver`; its id.
async fn quote_with(s: &Sbx, key: &PrivateKey, token: &str, receiver: &Value) -> String {
    let r = s
        .signed(
            key,
            "POST",
            &format!("{}/quotes", s.rs("bank-b")),
            Some(token),
            Some(json!({
                "walletAddress": s.wallet("shopper"), "receiver": receiver, "method": "ilp",
                "debitAmount": amount("100", "EUR", 2)
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn quote_read_covers_own_quotes_read_all_covers_every_quote_for_inline_jwk_clients() {
    let s = start().await;
    let shop = s.client_key("shop").await;
    let ip = s.incoming(&shop, "shop", None).await;
    // Two directed-identity clients (inline keys) on bank-b.
    let a = PrivateKey::generate("inline-a").unwrap();
    let b = PrivateKey::generate("inline-b").unwrap();
    let token_a = inline_quote_token(&s, &a, json!(["create", "read"])).await;
    let token_b = inline_quote_token(&s, &b, json!(["create", "read"])).await;
    let token_a_all = inline_quote_token(&s, &a, json!(["read-all"])).await;
    let qa = quote_with(&s, &a, &token_a, &ip["id"]).await;
    let qb = quote_with(&s, &b, &token_b, &ip["id"]).await;
    assert_eq!(
        s.signed(&a, "GET", &qa, Some(&token_a), None).await.status,
        200
    );
    assert_eq!(
        s.signed(&a, "GET", &qb, Some(&token_a), None).await.status,
        403
    );
    assert_eq!(
        s.signed(&b, "GET", &qa, Some(&token_b), None).await.status,
        403
    );
    for q in [&qa, &qb] {
        let r = s.signed(&a, "GET", q, Some(&token_a_all), None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(&r.body["id"], q.as_str());
    }
}

/// The `Signature` header's `sig1` value of a signed request.
fn signature_of(signed: &Signed) -> String {
    signed
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("signature"))
        .unwrap()
        .1
        .clone()
}

#[tokio::test]
async fn replayed_outgoing_payment_is_refused_and_moves_money_once() {
    let s = start().await;
    let key = s.client_key("shop").await;
    let ip = s.incoming(&key, "bob", None).await;
    let grant = s
        .outgoing_grant(&key, &s.wallet("shop"), "alice", None)
        .await;
    let token = token_of(&grant);
    let url = format!("{}/outgoing-payments", s.rs("bank-a"));
    let body = json!({
        "walletAddress": s.wallet("alice"), "incomingPayment": ip["id"], "debitAmount": amount("1000", "USD", 2)
    });
    let alice0 = s.balance("alice").await;
    let created = s.now();
    let signed = Signed::new(&key, "POST", &url, Some(&token), Some(&body), created);
    let first = s.send(&signed).await.unwrap();
    assert_eq!(first.status, 201, "{:?}", first.body);
    // The identical request again (a replay, or a client resending its POST): 401, nothing moves.
    for _ in 0..2 {
        let again = s.send(&signed).await.unwrap();
        assert_eq!(again.status, 401, "{:?}", again.body);
        assert_eq!(again.body["error"]["code"], "invalid_signature");
        let description = again.body["error"]["description"].as_str().unwrap();
        assert!(
            description.starts_with("signature_replayed:"),
            "{description}"
        );
        assert!(again.headers.contains_key("www-authenticate"));
    }
    // Another spelling of the same Signature header (an extra member) is the same signature.
    let mut respelt = Signed::new(&key, "POST", &url, Some(&token), Some(&body), created);
    let value = format!("{}, sig2=:AAAA:", signature_of(&respelt));
    for (n, v) in &mut respelt.headers {
        if n.eq_ignore_ascii_case("signature") {
            v.clone_from(&value);
        }
    }
    let again = s.send(&respelt).await.unwrap();
    assert_eq!(again.status, 401, "{:?}", again.body);
    assert_eq!(s.balance("alice").await, alice0 - 1000);
    // The same payment signed afresh (another `created`) is a new request and is accepted.
    let fresh = Signed::new(&key, "POST", &url, Some(&token), Some(&body), created - 1);
    assert_eq!(s.send(&fresh).await.unwrap().status, 201);
    assert_eq!(s.balance("alice").await, alice0 - 2000);
    // Reads are idempotent and clients retry them: an identical signed GET is answered again.
    let get = Signed::new(
        &key,
        "GET",
        first.body["id"].as_str().unwrap(),
        Some(&token),
        None,
        created,
    );
    for _ in 0..2 {
        assert_eq!(s.send(&get).await.unwrap().status, 200);
    }
}

#[tokio::test]
async fn dev_clock_refuses_out_of_range_offsets() {
    const CENTURY: i64 = 3_155_760_000;
    let s = start().await;
    for bad in [
        json!(-1_000_000_000_000_000_000i64),
        json!(1_000_000_000_000_000_000i64),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(CENTURY + 1),
        json!(-CENTURY - 1),
        json!(-1e18),
        json!(1.5),
        json!("60"),
        Value::Null,
    ] {
        let r = s
            .post(&s.dev("clock"), json!({ "advanceSeconds": bad }))
            .await;
        assert_eq!(r.status, 400, "{bad}: {:?}", r.body);
        assert_eq!(r.body["error"]["code"], "invalid_request", "{bad}");
        let clock = s.get(&s.dev("clock")).await;
        assert_eq!(clock.body["offsetSeconds"], 0, "{bad}");
    }
    // Within ±100 years the clock moves, and the total offset stays within that bound too.
    s.advance(CENTURY).await;
    let r = s
        .post(&s.dev("clock"), json!({ "advanceSeconds": 1 }))
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    s.advance(-2 * CENTURY).await;
    let clock = s.get(&s.dev("clock")).await;
    assert_eq!(clock.body["offsetSeconds"], -CENTURY);
    assert!(clock.body["nowText"].as_str().unwrap().starts_with("19"));
    s.advance(CENTURY).await;
    assert_eq!(s.get(&s.dev("clock")).await.body["offsetSeconds"], 0);
}
