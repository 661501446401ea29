//! The server logic in process, without sockets: requests are built as [`Req`] values, signed
//! with the crate's own signer, run through [`State::handle`], and the [`Reply`] and the ledger
//! are inspected directly. The same rules are tested over real HTTP in `tests/sandbox/` (one module per part of the protocol).
//!
//! This file holds the shared helpers ([`Sbx`], request builders); the tests are in
//! `signatures.rs`, `grants.rs`, `payments.rs` and `requests.rs`.

use serde_json::{json, Value};

use super::config::SandboxConfig;
use super::http::{Reply, Req};
use super::state::State;
use crate::signature::{sign_request, HttpRequest, PrivateKey};

mod grants;
mod payments;
mod requests;
mod signatures;

const HOST: &str = "127.0.0.1:4000";
const BASE: &str = "http://127.0.0.1:4000";

/// A sandbox state with a registered key for the `shop` client wallet.
struct Sbx {
    state: State,
    key: PrivateKey,
}

/// What must not change when a request is refused.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    balances: Vec<(String, u64)>,
    grants: usize,
    incoming: Vec<(String, u64, bool)>,
    quotes_used: Vec<bool>,
    outgoing: usize,
}

fn wallet(name: &str) -> String {
    let ase = if matches!(name, "alice" | "shop" | "carol") {
        "bank-a"
    } else {
        "bank-b"
    };
    format!("{BASE}/{ase}/{name}")
}

fn auth(ase: &str) -> String {
    format!("{BASE}/{ase}/auth")
}

fn rs(ase: &str) -> String {
    format!("{BASE}/{ase}/op")
}

fn amount(value: &str, code: &str, scale: u8) -> Value {
    json!({ "value": value, "assetCode": code, "assetScale": scale })
}

fn body(reply: &Reply) -> Value {
    serde_json::from_slice(&reply.body).unwrap_or(Value::Null)
}

fn code(reply: &Reply) -> String {
    body(reply)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A request to `url` (on [`BASE`]) as the HTTP edge would hand it over.
fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Req {
    let rest = url.strip_prefix(BASE).unwrap();
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (rest, None),
    };
    let mut all = vec![("host".to_owned(), HOST.to_owned())];
    all.extend(
        headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned())),
    );
    Req {
        method: method.to_owned(),
        path: path.to_owned(),
        query,
        headers: all,
        body: body.to_vec(),
    }
}

/// A request signed by `key` as if at unix second `created`.
fn signed_req(
    key: &PrivateKey,
    method: &str,
    url: &str,
    token: Option<&str>,
    bytes: &[u8],
    created: i64,
) -> Req {
    let auth = token.map(|t| format!("GNAP {t}"));
    let mut headers: Vec<(&str, &str)> = vec![("Accept", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    let mut http = HttpRequest::new(method, url, &headers);
    if !bytes.is_empty() {
        http = http.with_body(bytes);
    }
    let signed = sign_request(&http, key, u64::try_from(created).unwrap()).unwrap();
    let pairs = signed.to_pairs();
    headers.extend(pairs.iter().copied());
    request(method, url, &headers, bytes)
}

/// Signs raw body bytes with `key` at the sandbox clock and runs the request.
fn signed_raw(
    state: &mut State,
    key: &PrivateKey,
    method: &str,
    url: &str,
    token: Option<&str>,
    bytes: &[u8],
) -> Reply {
    let req = signed_req(key, method, url, token, bytes, state.now());
    state.handle(&req)
}

fn signed_by(
    state: &mut State,
    key: &PrivateKey,
    method: &str,
    url: &str,
    token: Option<&str>,
    json: Option<&Value>,
) -> Reply {
    let bytes = json
        .map(|b| serde_json::to_vec(b).unwrap())
        .unwrap_or_default();
    signed_raw(state, key, method, url, token, &bytes)
}

impl Sbx {
    /// The default configuration, with a fresh key registered for `shop` via the dev endpoint.
    fn new() -> Self {
        let mut state = State::new(SandboxConfig::default(), BASE.to_owned());
        let key = PrivateKey::generate("shop-key").unwrap();
        let jwk = serde_json::to_vec(&key.public_jwk()).unwrap();
        let r = state.handle(&request(
            "POST",
            &format!("{BASE}/dev/wallets/shop/keys"),
            &[("Content-Type", "application/json")],
            &jwk,
        ));
        assert_eq!(r.status, 201, "{:?}", body(&r));
        assert_eq!(body(&r)["keys"][0]["kid"], "shop-key");
        Self { state, key }
    }

    fn signed(&mut self, method: &str, url: &str, token: Option<&str>, json: Value) -> Reply {
        let json = (!json.is_null()).then_some(json);
        signed_by(
            &mut self.state,
            &self.key,
            method,
            url,
            token,
            json.as_ref(),
        )
    }

    fn dev_post(&mut self, path: &str, json: Value) -> Reply {
        let bytes = serde_json::to_vec(&json).unwrap();
        self.state.handle(&request(
            "POST",
            &format!("{BASE}/dev/{path}"),
            &[("Content-Type", "application/json")],
            &bytes,
        ))
    }

    fn advance(&mut self, seconds: i64) {
        let r = self.dev_post("clock", json!({ "advanceSeconds": seconds }));
        assert_eq!(r.status, 200, "{:?}", body(&r));
    }

    fn balance(&self, name: &str) -> u64 {
        self.state
            .wallets
            .iter()
            .find(|w| w.name == name)
            .unwrap()
            .balance
    }

    fn total(&self, code: &str) -> u64 {
        self.state
            .wallets
            .iter()
            .filter(|w| w.asset_code == code)
            .map(|w| w.balance)
            .sum()
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            balances: self
                .state
                .wallets
                .iter()
                .map(|w| (w.name.clone(), w.balance))
                .collect(),
            grants: self.state.grants.len(),
            incoming: self
                .state
                .incoming
                .iter()
                .map(|p| (p.url.clone(), p.received.value(), p.completed))
                .collect(),
            quotes_used: self.state.quotes.iter().map(|q| q.used).collect(),
            outgoing: self.state.outgoing.len(),
        }
    }

    /// A fresh incoming payment, a 1.00 EUR fixed-send quote from `shopper` to it, and an
    /// outgoing-payment token to pay it with.
    fn payable_quote(&mut self) -> (String, String, String) {
        let ip = self.incoming(None);
        let q = self.quote(&ip, json!({ "debitAmount": amount("100", "EUR", 2) }));
        let token = token_of(&self.outgoing_grant("shopper", None));
        (ip, q, token)
    }

    /// A non-interactive grant's access token for client `shop`.
    fn grant_token(&mut self, ase: &str, access: Value) -> String {
        let r = self.signed(
            "POST",
            &auth(ase),
            None,
            json!({ "access_token": { "access": access }, "client": { "walletAddress": wallet("shop") } }),
        );
        assert_eq!(r.status, 200, "{:?}", body(&r));
        body(&r)["access_token"]["value"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Tokens that may only create: incoming payments at `bank-a`, quotes at `bank-b`.
    fn create_only_tokens(&mut self) -> (String, String) {
        let incoming = self.grant_token(
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["create"] }]),
        );
        let quote = self.grant_token(
            "bank-b",
            json!([{ "type": "quote", "actions": ["create"] }]),
        );
        (incoming, quote)
    }

    /// An outgoing-payment grant on `sender`, approved through the dev endpoint and continued:
    /// the continue response body.
    fn outgoing_grant(&mut self, sender: &str, limits: Option<Value>) -> Value {
        let ase = if wallet(sender).contains("/bank-a/") {
            "bank-a"
        } else {
            "bank-b"
        };
        let mut item = json!({ "type": "outgoing-payment", "actions": ["create", "read", "list"], "identifier": wallet(sender) });
        if let Some(l) = limits {
            item["limits"] = l;
        }
        let pending = self.signed(
            "POST",
            &auth(ase),
            None,
            json!({
                "access_token": { "access": [item] },
                "client": { "walletAddress": wallet("shop") },
                "interact": { "start": ["redirect"], "finish": { "method": "redirect", "uri": "http://localhost/return", "nonce": "client-nonce" } }
            }),
        );
        assert_eq!(pending.status, 200, "{:?}", body(&pending));
        let pending = body(&pending);
        assert!(pending.get("access_token").is_none());
        let redirect = pending["interact"]["redirect"].as_str().unwrap();
        let id = redirect.rsplit('/').next().unwrap().to_owned();
        let d = self.dev_post(&format!("interactions/{id}/approve"), Value::Null);
        assert_eq!(d.status, 200, "{:?}", body(&d));
        let r = self.signed(
            "POST",
            pending["continue"]["uri"].as_str().unwrap(),
            pending["continue"]["access_token"]["value"].as_str(),
            json!({ "interact_ref": body(&d)["interactRef"] }),
        );
        assert_eq!(r.status, 200, "{:?}", body(&r));
        body(&r)
    }

    /// An incoming payment on `shop` (bank-a): its id.
    fn incoming(&mut self, incoming_amount: Option<Value>) -> String {
        let token = self.grant_token(
            "bank-a",
            json!([{ "type": "incoming-payment", "actions": ["create", "read"] }]),
        );
        let mut req = json!({ "walletAddress": wallet("shop") });
        if let Some(a) = incoming_amount {
            req["incomingAmount"] = a;
        }
        let r = self.signed(
            "POST",
            &format!("{}/incoming-payments", rs("bank-a")),
            Some(&token),
            req,
        );
        assert_eq!(r.status, 201, "{:?}", body(&r));
        body(&r)["id"].as_str().unwrap().to_owned()
    }

    /// A quote from `shopper` (bank-b) to `receiver`, with extra fields (amounts): its id.
    fn quote(&mut self, receiver: &str, extra: Value) -> String {
        let token = self.grant_token(
            "bank-b",
            json!([{ "type": "quote", "actions": ["create", "read"] }]),
        );
        let mut req =
            json!({ "walletAddress": wallet("shopper"), "receiver": receiver, "method": "ilp" });
        if let Value::Object(fields) = extra {
            for (k, v) in fields {
                req[k] = v;
            }
        }
        let r = self.signed(
            "POST",
            &format!("{}/quotes", rs("bank-b")),
            Some(&token),
            req,
        );
        assert_eq!(r.status, 201, "{:?}", body(&r));
        body(&r)["id"].as_str().unwrap().to_owned()
    }

    /// Creates an outgoing payment from `shopper` for a quote.
    fn pay(&mut self, token: &str, quote_id: &str) -> Reply {
        self.signed(
            "POST",
            &format!("{}/outgoing-payments", rs("bank-b")),
            Some(token),
            json!({ "walletAddress": wallet("shopper"), "quoteId": quote_id }),
        )
    }

    /// Pays a quote again in a new request (other metadata): the same request signed in the
    /// same second would be a replay, refused before the quote is even looked at.
    fn pay_again(&mut self, token: &str, quote_id: &str) -> Reply {
        self.signed(
            "POST",
            &format!("{}/outgoing-payments", rs("bank-b")),
            Some(token),
            json!({ "walletAddress": wallet("shopper"), "quoteId": quote_id, "metadata": { "again": true } }),
        )
    }

    fn spent(&mut self, token: &str) -> Value {
        let r = self.signed(
            "GET",
            &format!("{}/outgoing-payment-grant", rs("bank-b")),
            Some(token),
            Value::Null,
        );
        assert_eq!(r.status, 200, "{:?}", body(&r));
        body(&r)
    }
}

fn token_of(grant: &Value) -> String {
    grant["access_token"]["value"].as_str().unwrap().to_owned()
}
