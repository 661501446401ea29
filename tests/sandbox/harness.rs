//! The harness: a sandbox on a free port of 127.0.0.1 per test, and a test client that signs its
//! requests (`Sbx`), with the sandbox clock it moves.
//!
//! Requests go to the sandbox in process (`InProcess`: the same servers, no socket) unless the
//! test started it with `start_over_http*`: rules are tested in process, and over HTTP only what
//! needs sockets (wire bytes, concurrency, dropped connections, CORS and redirects as an HTTP
//! client sees them). `Sbx::http` always reaches the same state over real HTTP.

pub(crate) use std::sync::atomic::{AtomicI64, Ordering};
pub(crate) use std::sync::Arc;
pub(crate) use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) use open_payments_wasm::sandbox::{InProcess, SandboxConfig, SandboxInfo};
pub(crate) use open_payments_wasm::signature::{
    sign_request, verify_interaction_hash, HttpRequest, PrivateKey,
};
pub(crate) use serde_json::{json, Value};

pub(crate) struct Sbx {
    pub(crate) info: SandboxInfo,
    pub(crate) http: reqwest::Client,
    pub(crate) offset: AtomicI64,
    /// Where `get`, `post` and the signed requests go: in process, or over HTTP when `None`.
    pub(crate) in_process: Option<InProcess>,
}

pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) headers: reqwest::header::HeaderMap,
}

/// A request with its signature headers, ready to be sent (once or, for replay tests, again).
pub(crate) struct Signed {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

impl Signed {
    /// Signs `method url` (with `GNAP token` and a JSON body, if given) as created at `created`.
    pub(crate) fn new(
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

pub(crate) fn real_now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// A sandbox with `config`, reached in process.
pub(crate) async fn start_with(config: SandboxConfig) -> Arc<Sbx> {
    let (info, http, in_process) = super::shared::start_with_in_process(config).await;
    Arc::new(Sbx {
        info,
        http,
        offset: AtomicI64::new(0),
        in_process: Some(in_process),
    })
}

pub(crate) async fn start() -> Arc<Sbx> {
    start_with(SandboxConfig::default()).await
}

/// A sandbox with `config`, every request over real HTTP.
pub(crate) async fn start_over_http_with(config: SandboxConfig) -> Arc<Sbx> {
    let (info, http) = super::shared::start(config).await;
    Arc::new(Sbx {
        info,
        http,
        offset: AtomicI64::new(0),
        in_process: None,
    })
}

/// The default sandbox, every request over real HTTP.
pub(crate) async fn start_over_http() -> Arc<Sbx> {
    start_over_http_with(SandboxConfig::default()).await
}

impl Sbx {
    pub(crate) fn wallet(&self, name: &str) -> String {
        self.info.wallets[name].clone()
    }
    pub(crate) fn auth(&self, ase: &str) -> String {
        self.info.auth_servers[ase].clone()
    }
    pub(crate) fn rs(&self, ase: &str) -> String {
        self.info.resource_servers[ase].clone()
    }
    pub(crate) fn dev(&self, path: &str) -> String {
        format!("{}/dev/{path}", self.info.base_url)
    }

    pub(crate) async fn finish(r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        Self::read(status, headers, &text)
    }

    fn read(status: u16, headers: reqwest::header::HeaderMap, text: &str) -> Resp {
        let body = serde_json::from_str(text).unwrap_or(Value::String(text.to_owned()));
        Resp {
            status,
            body,
            headers,
        }
    }

    /// Sends one request the way this sandbox is reached; `Err` when the connection was
    /// dropped (the fault hook) or, over HTTP, failed.
    async fn exchange(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Resp, String> {
        if let Some(direct) = &self.in_process {
            let r = direct.send(method, url, headers, body.unwrap_or_default());
            if r.connection_dropped {
                return Err("connection dropped after the request took effect".to_owned());
            }
            let mut map = reqwest::header::HeaderMap::new();
            for (name, value) in &r.headers {
                map.append(
                    reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    reqwest::header::HeaderValue::from_str(value).unwrap(),
                );
            }
            return Ok(Self::read(
                r.status,
                map,
                &String::from_utf8(r.body).unwrap(),
            ));
        }
        let mut builder = self
            .http
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
        for (n, v) in headers {
            if !n.eq_ignore_ascii_case("content-length") {
                builder = builder.header(*n, *v);
            }
        }
        if let Some(b) = body {
            builder = builder.body(b.to_vec());
        }
        let r = builder.send().await.map_err(|e| e.to_string())?;
        Ok(Self::finish(r).await)
    }

    pub(crate) async fn get(&self, url: &str) -> Resp {
        self.exchange("GET", url, &[("accept", "*/*")], None)
            .await
            .unwrap()
    }

    pub(crate) async fn post(&self, url: &str, body: Value) -> Resp {
        let bytes = serde_json::to_vec(&body).unwrap();
        self.exchange(
            "POST",
            url,
            &[("accept", "*/*"), ("content-type", "application/json")],
            Some(&bytes),
        )
        .await
        .unwrap()
    }

    /// A signed request, signed at sandbox time + `skew` seconds.
    pub(crate) async fn send_signed(
        &self,
        key: &PrivateKey,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&Value>,
        skew: i64,
    ) -> Result<Resp, String> {
        let created = self.now() + skew;
        let signed = Signed::new(key, method, url, token, body, created);
        self.send(&signed).await
    }

    /// The sandbox clock as this client tracks it (real time plus what it advanced).
    pub(crate) fn now(&self) -> i64 {
        real_now() + self.offset.load(Ordering::SeqCst)
    }

    /// Sends a request signed beforehand, exactly as signed (so it can be sent again).
    pub(crate) async fn send(&self, signed: &Signed) -> Result<Resp, String> {
        let headers: Vec<(&str, &str)> = signed
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.exchange(
            &signed.method,
            &signed.url,
            &headers,
            signed.body.as_deref(),
        )
        .await
    }

    pub(crate) async fn signed(
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
    pub(crate) async fn fixed_send(&self, key: &PrivateKey, ip: &Value, value: &str) -> Value {
        let body = json!({ "receiver": ip["id"], "debitAmount": amount(value, "EUR", 2) });
        self.quote(key, "shopper", body).await.body
    }

    /// An interactive outgoing-payment grant request on `shopper` (with a finish redirect).
    pub(crate) async fn pending_grant(&self, key: &PrivateKey) -> Resp {
        let body = interactive_body(self, true);
        self.signed(key, "POST", &self.auth("bank-b"), None, Some(body))
            .await
    }

    pub(crate) async fn advance(&self, seconds: i64) {
        let r = self
            .post(&self.dev("clock"), json!({ "advanceSeconds": seconds }))
            .await;
        assert_eq!(r.status, 200);
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    pub(crate) async fn balance(&self, name: &str) -> u64 {
        let r = self.get(&self.dev(&format!("balances/{name}"))).await;
        r.body["value"].as_str().unwrap().parse().unwrap()
    }

    pub(crate) async fn balances(&self) -> Value {
        self.get(&self.dev("balances")).await.body
    }

    /// Registers a fresh key for wallet `name` (the client identifies itself with it).
    pub(crate) async fn client_key(&self, name: &str) -> PrivateKey {
        let key = PrivateKey::generate(&format!("{name}-key")).unwrap();
        let jwk = serde_json::to_value(key.public_jwk()).unwrap();
        let r = self
            .post(&self.dev(&format!("wallets/{name}/keys")), jwk)
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        key
    }

    /// A non-interactive grant's access token value.
    pub(crate) async fn grant_token(
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
    pub(crate) async fn outgoing_grant(
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

    pub(crate) fn ase_of(&self, wallet: &str) -> &'static str {
        if self.wallet(wallet).contains("/bank-a/") {
            "bank-a"
        } else {
            "bank-b"
        }
    }

    /// A sale: an incoming payment on `shop` (no amount), a fixed-send quote of `debit` EUR
    /// cents from `shopper` to it, and an approved outgoing-payment grant of `shopper`.
    pub(crate) async fn shop_sale(&self, key: &PrivateKey, debit: &str) -> (Value, Value, Value) {
        let ip = self.incoming(key, "shop", None).await;
        let q = self.fixed_send(key, &ip, debit).await;
        let grant = self
            .outgoing_grant(key, &self.wallet("shop"), "shopper", None)
            .await;
        (ip, q, grant)
    }

    /// Creates an incoming payment on `wallet` (own grant, client `shop`).
    pub(crate) async fn incoming(
        &self,
        key: &PrivateKey,
        wallet: &str,
        amount: Option<Value>,
    ) -> Value {
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

    pub(crate) async fn quote(&self, key: &PrivateKey, sender: &str, body: Value) -> Resp {
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

pub(crate) fn amount(value: &str, code: &str, scale: u8) -> Value {
    json!({ "value": value, "assetCode": code, "assetScale": scale })
}

pub(crate) fn token_of(grant: &Value) -> String {
    grant["access_token"]["value"].as_str().unwrap().to_owned()
}

pub(crate) fn interactive_body(s: &Sbx, finish: bool) -> Value {
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

/// The interaction id (last segment of `interact.redirect`) of a pending grant response.
pub(crate) fn interaction_id(pending: &Value) -> String {
    pending["interact"]["redirect"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// Pays `receiver` from `shopper` with a fresh approved grant; returns (grant, payment response).
pub(crate) async fn pay_quote(s: &Sbx, key: &PrivateKey, token: &str, quote_id: &str) -> Resp {
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
