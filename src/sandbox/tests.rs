//! The server logic in process, without sockets: requests are built as [`Req`] values, signed
//! with the crate's own signer, run through [`State::handle`], and the [`Reply`] and the ledger
//! are inspected directly. The same rules are tested over real HTTP in `tests/sandbox.rs`.

use serde_json::{json, Value};

use super::config::SandboxConfig;
use super::state::{Reply, Req, State};
use crate::signature::{sign_request, HttpRequest, PrivateKey};

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

#[test]
fn unsigned_resource_request_is_401_with_www_authenticate_and_changes_nothing() {
    let mut s = Sbx::new();
    let ip = s.incoming(Some(amount("2500", "USD", 2)));
    let q = s.quote(&ip, json!({}));
    let token = token_of(&s.outgoing_grant("shopper", None));
    let before = s.snapshot();
    let url = format!("{}/outgoing-payments", rs("bank-b"));
    let bytes =
        serde_json::to_vec(&json!({ "walletAddress": wallet("shopper"), "quoteId": q })).unwrap();
    let auth_header = format!("GNAP {token}");
    let r = s.state.handle(&request(
        "POST",
        &url,
        &[
            ("Authorization", auth_header.as_str()),
            ("Content-Type", "application/json"),
        ],
        &bytes,
    ));
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert_eq!(
        header(&r, "www-authenticate"),
        Some(format!("GNAP as_uri={}", auth("bank-b")).as_str())
    );
    // Unsigned reads are refused the same way.
    let r = s.state.handle(&request(
        "GET",
        &format!("{}/outgoing-payment-grant", rs("bank-b")),
        &[("Authorization", auth_header.as_str())],
        b"",
    ));
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(header(&r, "www-authenticate").is_some());
    // Without any token: 401 too, also with the header.
    let r = s.state.handle(&request("POST", &url, &[], &bytes));
    assert_eq!((r.status, code(&r)), (401, "unauthorized".to_owned()));
    assert!(header(&r, "www-authenticate").is_some());
    assert_eq!(s.snapshot(), before);
    // The quote is still usable by a properly signed request.
    assert_eq!(s.pay(&token, &q).status, 201);
}

#[test]
fn grant_request_signed_by_an_unregistered_key_is_refused() {
    let mut s = Sbx::new();
    let grant = json!({
        "access_token": { "access": [{ "type": "quote", "actions": ["create"] }] },
        "client": { "walletAddress": wallet("shop") }
    });
    let before = s.snapshot();
    let tokens = s.state.tokens.len();
    // Same kid as the registered key, another secret.
    let impostor = PrivateKey::generate("shop-key").unwrap();
    // A kid the wallet does not list at all.
    let unknown = PrivateKey::generate("other-key").unwrap();
    for key in [&impostor, &unknown] {
        let r = signed_by(
            &mut s.state,
            key,
            "POST",
            &auth("bank-a"),
            None,
            Some(&grant),
        );
        assert_eq!(
            (r.status, code(&r)),
            (401, "invalid_client".to_owned()),
            "{:?}",
            body(&r)
        );
    }
    // The registered key of another wallet does not sign for shop either.
    let alice_key = PrivateKey::generate("alice-key").unwrap();
    let jwk = serde_json::to_value(alice_key.public_jwk()).unwrap();
    assert_eq!(s.dev_post("wallets/alice/keys", jwk).status, 201);
    let before_alice = s.snapshot();
    let r = signed_by(
        &mut s.state,
        &alice_key,
        "POST",
        &auth("bank-a"),
        None,
        Some(&grant),
    );
    assert_eq!((r.status, code(&r)), (401, "invalid_client".to_owned()));
    assert_eq!(s.snapshot(), before_alice);
    assert_eq!(s.snapshot().grants, before.grants);
    assert_eq!(s.state.tokens.len(), tokens);
    // The registered key is accepted.
    let r = s.signed("POST", &auth("bank-a"), None, grant);
    assert_eq!(r.status, 200, "{:?}", body(&r));
}

#[test]
fn incoming_payment_quote_and_outgoing_payment_move_money_exactly_once() {
    let mut s = Sbx::new();
    let (usd, eur) = (s.total("USD"), s.total("EUR"));
    let ip = s.incoming(Some(amount("2500", "USD", 2)));
    // 25.00 USD at 0.9 USD->EUR plus 1 % fee: debit ceil(2250 / 0.99) = 2273 EUR cents.
    let q = s.quote(&ip, json!({}));
    let token = token_of(&s.outgoing_grant("shopper", None));
    let (shopper0, shop0) = (s.balance("shopper"), s.balance("shop"));
    assert_eq!((shopper0, shop0), (100_000, 0));
    // Creating quotes and grants moves nothing.
    assert_eq!((s.total("USD"), s.total("EUR")), (usd, eur));
    let r = s.pay(&token, &q);
    assert_eq!(r.status, 201, "{:?}", body(&r));
    let paid = body(&r);
    assert_eq!(paid["failed"], false);
    assert_eq!(paid["debitAmount"], amount("2273", "EUR", 2));
    assert_eq!(paid["receiveAmount"], amount("2500", "USD", 2));
    assert_eq!(paid["sentAmount"], amount("2273", "EUR", 2));
    assert_eq!(paid["quoteId"], q);
    assert_eq!(s.balance("shopper"), shopper0 - 2273);
    assert_eq!(s.balance("shop"), shop0 + 2500);
    // Exactly the debit left the EUR accounts and exactly the receive amount arrived in USD.
    assert_eq!(s.total("EUR"), eur - 2273);
    assert_eq!(s.total("USD"), usd + 2500);
    let rec = s.state.incoming.iter().find(|p| p.url == ip).unwrap();
    assert_eq!(rec.received.value(), 2500);
    assert!(rec.completed);
    assert_eq!(s.state.outgoing.len(), 1);
    assert!(s.state.quotes.iter().all(|q| q.used));
    // Reading the payment back moves nothing.
    let after = s.snapshot();
    let id = paid["id"].as_str().unwrap().to_owned();
    let r = s.signed("GET", &id, Some(&token), Value::Null);
    assert_eq!(r.status, 200, "{:?}", body(&r));
    assert_eq!(body(&r)["sentAmount"], amount("2273", "EUR", 2));
    assert_eq!(s.snapshot(), after);
}

#[test]
fn a_quote_cannot_be_used_twice() {
    let mut s = Sbx::new();
    let ip = s.incoming(None);
    let q = s.quote(&ip, json!({ "debitAmount": amount("1000", "EUR", 2) }));
    let token = token_of(&s.outgoing_grant("shopper", None));
    assert_eq!(s.pay(&token, &q).status, 201);
    let after_first = s.snapshot();
    assert_eq!(s.balance("shopper"), 100_000 - 1000);
    let r = s.pay_again(&token, &q);
    assert_eq!((r.status, code(&r)), (400, "invalid_request".to_owned()));
    assert!(body(&r)["error"]["description"]
        .as_str()
        .unwrap()
        .contains("already used"));
    // Not even with a second, fresh grant.
    let other = token_of(&s.outgoing_grant("shopper", None));
    let after_grant = s.snapshot();
    let r = s.pay(&other, &q);
    assert_eq!(r.status, 400);
    assert_eq!(s.snapshot(), after_grant);
    assert_eq!(after_grant.balances, after_first.balances);
    assert_eq!(s.state.outgoing.len(), 1);
}

#[test]
fn an_expired_quote_is_refused() {
    let mut s = Sbx::new();
    let ip = s.incoming(None);
    let fresh = s.quote(&ip, json!({ "debitAmount": amount("100", "EUR", 2) }));
    let stale = s.quote(&ip, json!({ "debitAmount": amount("200", "EUR", 2) }));
    let token = token_of(&s.outgoing_grant("shopper", None));
    // quoteLifetimeSeconds is 300: usable well within it ...
    s.advance(290);
    assert_eq!(s.pay(&token, &fresh).status, 201);
    // ... and refused after it, through the dev clock endpoint.
    s.advance(11);
    let before = s.snapshot();
    let r = s.pay(&token, &stale);
    assert_eq!((r.status, code(&r)), (400, "invalid_request".to_owned()));
    assert!(body(&r)["error"]["description"]
        .as_str()
        .unwrap()
        .contains("expired"));
    assert_eq!(s.snapshot(), before);
    assert_eq!(s.balance("shopper"), 100_000 - 100);
    assert_eq!(s.state.clock_offset_seconds, 301);
}

#[test]
fn insufficient_balance_fails_the_payment_and_moves_nothing() {
    let mut s = Sbx::new();
    let ip = s.incoming(None);
    // shopper holds 1000.00 EUR.
    let q = s.quote(&ip, json!({ "debitAmount": amount("100001", "EUR", 2) }));
    let token = token_of(&s.outgoing_grant("shopper", None));
    let before = s.snapshot();
    let r = s.pay(&token, &q);
    assert_eq!(r.status, 201, "{:?}", body(&r));
    let paid = body(&r);
    assert_eq!(paid["failed"], true);
    assert_eq!(paid["sentAmount"], amount("0", "EUR", 2));
    let after = s.snapshot();
    assert_eq!(after.balances, before.balances);
    assert_eq!(after.incoming, before.incoming);
    // The failed payment is recorded and its quote is used up.
    assert_eq!(after.outgoing, before.outgoing + 1);
    assert!(s.state.outgoing.iter().all(|p| p.failed));
    assert_eq!(s.pay_again(&token, &q).status, 400);
    // Failed payments do not count towards the grant.
    assert_eq!(
        s.spent(&token),
        json!({ "spentDebitAmount": null, "spentReceiveAmount": null })
    );
    // Exactly the whole balance can be sent.
    let all = s.quote(&ip, json!({ "debitAmount": amount("100000", "EUR", 2) }));
    let r = s.pay(&token, &all);
    assert_eq!(body(&r)["failed"], false, "{:?}", body(&r));
    assert_eq!(s.balance("shopper"), 0);
}

#[test]
fn grant_limit_is_enforced_and_spent_amounts_reported() {
    let mut s = Sbx::new();
    let grant = s.outgoing_grant(
        "shopper",
        Some(json!({ "debitAmount": amount("1500", "EUR", 2) })),
    );
    let token = token_of(&grant);
    assert_eq!(
        grant["access_token"]["access"][0]["limits"]["debitAmount"],
        amount("1500", "EUR", 2)
    );
    let ip = s.incoming(None);
    let q1 = s.quote(&ip, json!({ "debitAmount": amount("1000", "EUR", 2) }));
    let q2 = s.quote(&ip, json!({ "debitAmount": amount("600", "EUR", 2) }));
    let q3 = s.quote(&ip, json!({ "debitAmount": amount("500", "EUR", 2) }));
    let r = s.pay(&token, &q1);
    assert_eq!(r.status, 201);
    assert_eq!(body(&r)["grantSpentDebitAmount"], amount("1000", "EUR", 2));
    // 1000 + 600 > 1500: refused before anything changes; the quote stays usable.
    let before = s.snapshot();
    let r = s.pay(&token, &q2);
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    assert_eq!(s.snapshot(), before);
    let spent = s.spent(&token);
    assert_eq!(spent["spentDebitAmount"], amount("1000", "EUR", 2));
    // 10.00 EUR - 1 % fee = 9.90 EUR at 1/0.9 = 11.00 USD.
    assert_eq!(spent["spentReceiveAmount"], amount("1100", "USD", 2));
    // 1000 + 500 == 1500: exactly the limit is allowed.
    let r = s.pay(&token, &q3);
    assert_eq!(r.status, 201, "{:?}", body(&r));
    let spent = s.spent(&token);
    assert_eq!(spent["spentDebitAmount"], amount("1500", "EUR", 2));
    assert_eq!(s.balance("shopper"), 100_000 - 1500);
    // Nothing more fits, not even two cents (the smallest payment that delivers anything).
    let q4 = s.quote(&ip, json!({ "debitAmount": amount("2", "EUR", 2) }));
    assert_eq!(s.pay(&token, &q4).status, 403);
    // The quote refused by the limit is still unused and payable under another grant.
    let other = token_of(&s.outgoing_grant("shopper", None));
    assert_eq!(s.pay(&other, &q2).status, 201);
}

#[test]
fn malformed_json_and_unknown_fields_are_400_and_change_nothing() {
    let mut s = Sbx::new();
    let (ip, q, token) = s.payable_quote();
    let (itoken, qtoken) = s.create_only_tokens();
    let before = s.snapshot();
    let op_url = format!("{}/outgoing-payments", rs("bank-b"));
    let ip_url = format!("{}/incoming-payments", rs("bank-a"));
    let q_url = format!("{}/quotes", rs("bank-b"));
    let raw: &[(&str, &str, &[u8])] = &[
        (&op_url, &token, b"{\"walletAddress\":"),
        (&op_url, &token, b"not json"),
        (&ip_url, &itoken, b"{\"walletAddress\": }"),
        (&q_url, &qtoken, b"[1, 2"),
    ];
    for (url, tok, bytes) in raw {
        let r = signed_raw(&mut s.state, &s.key, "POST", url, Some(tok), bytes);
        assert_eq!(
            (r.status, code(&r)),
            (400, "invalid_request".to_owned()),
            "{url} {}",
            String::from_utf8_lossy(bytes)
        );
    }
    let cases = [
        (&op_url, &token, json!("not an object")),
        (&op_url, &token, json!({ "walletAddress": 5, "quoteId": q })),
        (
            &op_url,
            &token,
            json!({ "walletAddress": wallet("shopper"), "quoteId": q, "extra": 1 }),
        ),
        (
            &op_url,
            &token,
            json!({ "walletAddress": wallet("shopper"), "quoteId": q, "incomingPayment": ip, "debitAmount": amount("1", "EUR", 2) }),
        ),
        (
            &ip_url,
            &itoken,
            json!({ "walletAddress": wallet("shop"), "surprise": true }),
        ),
        (
            &ip_url,
            &itoken,
            json!({ "walletAddress": wallet("shop"), "incomingAmount": { "value": "-1", "assetCode": "USD", "assetScale": 2 } }),
        ),
        (
            &q_url,
            &qtoken,
            json!({ "walletAddress": wallet("shopper"), "receiver": ip, "method": "ilp", "debitAmount": amount("1", "EUR", 2), "unknown": [] }),
        ),
    ];
    for (url, tok, bad) in cases {
        let r = s.signed("POST", url, Some(tok), bad.clone());
        assert_eq!(
            (r.status, code(&r)),
            (400, "invalid_request".to_owned()),
            "{url} {bad}"
        );
    }
    // Grant requests: malformed, and an unknown field in `client` (whose schema forbids extra
    // properties; the top level of a grant request allows GNAP extensions).
    let grants = s.state.grants.len();
    let r = signed_raw(
        &mut s.state,
        &s.key,
        "POST",
        &auth("bank-a"),
        None,
        b"{\"access_token\":",
    );
    assert_eq!(r.status, 400, "{:?}", body(&r));
    let r = s.signed(
        "POST",
        &auth("bank-a"),
        None,
        json!({
            "access_token": { "access": [{ "type": "quote", "actions": ["create"] }] },
            "client": { "walletAddress": wallet("shop"), "bogus": 1 }
        }),
    );
    assert_eq!(r.status, 400, "{:?}", body(&r));
    assert_eq!(s.state.grants.len(), grants);
    // The dev clock endpoint also rejects malformed JSON and leaves the clock alone.
    assert_eq!(s.dev_post("clock", json!({ "advance": 5 })).status, 400);
    assert_eq!(s.state.clock_offset_seconds, 0);
    assert_eq!(s.snapshot(), before);
    // The quote is still usable.
    assert_eq!(s.pay(&token, &q).status, 201);
}

#[test]
fn wrong_token_scope_is_403() {
    let mut s = Sbx::new();
    let (ip, q, token) = s.payable_quote();
    let (create_only, qtoken) = s.create_only_tokens();
    let before = s.snapshot();
    let op_url = format!("{}/outgoing-payments", rs("bank-b"));
    // A quote token cannot create an outgoing payment.
    let r = s.signed(
        "POST",
        &op_url,
        Some(&qtoken),
        json!({ "walletAddress": wallet("shopper"), "quoteId": q }),
    );
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    // An outgoing-payment grant for shopper cannot pay from bob.
    let r = s.signed(
        "POST",
        &op_url,
        Some(&token),
        json!({ "walletAddress": wallet("bob"), "quoteId": q }),
    );
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    // An incoming-payment token without read cannot read or list.
    let r = s.signed("GET", &ip, Some(&create_only), Value::Null);
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    let list = format!(
        "{}/incoming-payments?wallet-address={}",
        rs("bank-a"),
        crate::sandbox::state::percent_encode(&wallet("shop"))
    );
    let r = s.signed("GET", &list, Some(&create_only), Value::Null);
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    // A quote token cannot read the grant's spent amounts.
    let r = s.signed(
        "GET",
        &format!("{}/outgoing-payment-grant", rs("bank-b")),
        Some(&qtoken),
        Value::Null,
    );
    assert_eq!(r.status, 403, "{:?}", body(&r));
    // A token of another ASE is not valid here at all (401, not 403).
    let r = s.signed(
        "POST",
        &format!("{}/quotes", rs("bank-a")),
        Some(&qtoken),
        json!({ "walletAddress": wallet("alice"), "receiver": ip, "method": "ilp", "debitAmount": amount("1", "USD", 2) }),
    );
    assert_eq!((r.status, code(&r)), (401, "invalid_token".to_owned()));
    assert_eq!(s.snapshot(), before);
    assert_eq!(s.pay(&token, &q).status, 201);
}

#[test]
fn tampered_stale_future_and_misaddressed_signatures_are_401_and_change_nothing() {
    let mut s = Sbx::new();
    let (_, q, token) = s.payable_quote();
    let url = format!("{}/outgoing-payments", rs("bank-b"));
    let bytes =
        serde_json::to_vec(&json!({ "walletAddress": wallet("shopper"), "quoteId": q })).unwrap();
    let now = s.state.now();
    let before = s.snapshot();
    let description = |r: &Reply| {
        body(r)["error"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // Older than signatureMaxAgeSeconds (300), and from the future.
    let r = s.state.handle(&signed_req(
        &s.key,
        "POST",
        &url,
        Some(&token),
        &bytes,
        now - 1000,
    ));
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(
        description(&r).contains("signature_too_old"),
        "{:?}",
        body(&r)
    );
    let r = s.state.handle(&signed_req(
        &s.key,
        "POST",
        &url,
        Some(&token),
        &bytes,
        now + 1000,
    ));
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    // The body changed after signing: Content-Digest no longer matches.
    let mut req = signed_req(&s.key, "POST", &url, Some(&token), &bytes, now);
    req.body.push(b' ');
    let r = s.state.handle(&req);
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    // Addressed to another host than the one signed for (@target-uri differs).
    let mut req = signed_req(&s.key, "POST", &url, Some(&token), &bytes, now);
    for (name, value) in &mut req.headers {
        if name == "host" {
            *value = "localhost:4000".to_owned();
        }
    }
    let r = s.state.handle(&req);
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    // Another method than the one signed (a list request replayed from a signed create).
    let mut req = signed_req(&s.key, "POST", &url, Some(&token), &bytes, now);
    req.method = "GET".to_owned();
    let r = s.state.handle(&req);
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert_eq!(s.snapshot(), before);
    // Signed right, it goes through.
    let r = s
        .state
        .handle(&signed_req(&s.key, "POST", &url, Some(&token), &bytes, now));
    assert_eq!(r.status, 201, "{:?}", body(&r));
}

#[test]
fn a_receiver_is_never_overpaid_even_with_two_quotes_for_the_full_amount() {
    let mut s = Sbx::new();
    let ip = s.incoming(Some(amount("1000", "USD", 2)));
    // Both quotes are made while the incoming payment is still open.
    let q1 = s.quote(&ip, json!({}));
    let q2 = s.quote(&ip, json!({}));
    let token = token_of(&s.outgoing_grant("shopper", None));
    let r = s.pay(&token, &q1);
    assert_eq!(body(&r)["failed"], false, "{:?}", body(&r));
    let after_first = s.snapshot();
    assert_eq!(s.balance("shop"), 1000);
    // The second payment would overpay: it is stored as failed and moves nothing.
    let r = s.pay(&token, &q2);
    assert_eq!(r.status, 201, "{:?}", body(&r));
    assert_eq!(body(&r)["failed"], true);
    let after_second = s.snapshot();
    assert_eq!(after_second.balances, after_first.balances);
    assert_eq!(after_second.incoming, after_first.incoming);
    let rec = s.state.incoming.iter().find(|p| p.url == ip).unwrap();
    assert_eq!((rec.received.value(), rec.completed), (1000, true));
    // Only the settled payment counts towards the grant.
    let spent = s.spent(&token);
    assert_eq!(spent["spentReceiveAmount"], amount("1000", "USD", 2));
}

#[test]
fn an_interactive_grant_issues_one_token_only_after_approval_in_time() {
    let mut s = Sbx::new();
    let request = json!({
        "access_token": { "access": [{ "type": "outgoing-payment", "actions": ["create"], "identifier": wallet("shopper") }] },
        "client": { "walletAddress": wallet("shop") },
        "interact": { "start": ["redirect"], "finish": { "method": "redirect", "uri": "http://localhost/return", "nonce": "n" } }
    });
    let pending = |s: &mut Sbx| {
        let r = s.signed("POST", &auth("bank-b"), None, request.clone());
        assert_eq!(r.status, 200, "{:?}", body(&r));
        let p = body(&r);
        let id = p["interact"]["redirect"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        let uri = p["continue"]["uri"].as_str().unwrap().to_owned();
        let ctoken = token_of(&p["continue"]);
        (id, uri, ctoken)
    };
    let tokens = s.state.tokens.len();
    let (id, uri, ctoken) = pending(&mut s);
    // Before approval: a guessed interact_ref is unknown and no token exists.
    let r = s.signed(
        "POST",
        &uri,
        Some(&ctoken),
        json!({ "interact_ref": "guess" }),
    );
    assert_eq!(r.status, 404, "{:?}", body(&r));
    assert_eq!(s.state.tokens.len(), tokens);
    let d = s.dev_post(&format!("interactions/{id}/approve"), Value::Null);
    assert_eq!(d.status, 200, "{:?}", body(&d));
    let interact_ref = body(&d)["interactRef"].clone();
    assert_eq!(
        s.dev_post(&format!("interactions/{id}/deny"), Value::Null)
            .status,
        409
    );
    let r = s.signed(
        "POST",
        &uri,
        Some(&ctoken),
        json!({ "interact_ref": interact_ref }),
    );
    assert_eq!(r.status, 200, "{:?}", body(&r));
    assert!(body(&r)["access_token"]["value"].is_string());
    assert_eq!(s.state.tokens.len(), tokens + 1);
    // Continuing again issues nothing more.
    let r = s.signed(
        "POST",
        &uri,
        Some(&ctoken),
        json!({ "interact_ref": interact_ref }),
    );
    assert_eq!((r.status, code(&r)), (401, "request_denied".to_owned()));
    // A denied grant yields no token.
    let (id, uri, ctoken) = pending(&mut s);
    let d = s.dev_post(&format!("interactions/{id}/deny"), Value::Null);
    assert_eq!(
        (d.status, body(&d)["status"].as_str()),
        (200, Some("rejected"))
    );
    assert_eq!(
        s.dev_post(&format!("interactions/{id}/approve"), Value::Null)
            .status,
        409
    );
    let r = s.signed("POST", &uri, Some(&ctoken), Value::Null);
    assert_eq!(r.status, 401, "{:?}", body(&r));
    // An interaction left undecided past interactionLifetimeSeconds (600) cannot be approved.
    let (id, uri, ctoken) = pending(&mut s);
    s.advance(601);
    let d = s.dev_post(&format!("interactions/{id}/approve"), Value::Null);
    assert_eq!(
        (d.status, code(&d)),
        (410, "invalid_interaction".to_owned())
    );
    let r = s.signed("POST", &uri, Some(&ctoken), Value::Null);
    assert_eq!((r.status, code(&r)), (401, "request_denied".to_owned()));
    assert_eq!(s.state.tokens.len(), tokens + 1);
}

#[test]
fn replayed_payment_is_refused_and_the_replay_memory_stays_bounded() {
    let mut s = Sbx::new();
    let (_, q, token) = s.payable_quote();
    let url = format!("{}/outgoing-payments", rs("bank-b"));
    let bytes =
        serde_json::to_vec(&json!({ "walletAddress": wallet("shopper"), "quoteId": q })).unwrap();
    let req = signed_req(&s.key, "POST", &url, Some(&token), &bytes, s.state.now());
    assert_eq!(s.state.handle(&req).status, 201);
    assert_eq!(s.state.seen_signatures.len(), 1);
    let description = |r: &Reply| {
        body(r)["error"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let before = s.snapshot();
    let r = s.state.handle(&req);
    assert_eq!((r.status, code(&r)), (401, "invalid_signature".to_owned()));
    assert!(description(&r).starts_with("signature_replayed:"), "{r:?}");
    assert_eq!(s.snapshot(), before);
    // Once the signature is older than signatureMaxAgeSeconds it cannot verify any more, and
    // the sandbox forgets it.
    s.advance(301);
    let r = s.state.handle(&req);
    assert!(description(&r).contains("signature_too_old"), "{r:?}");
    let (_, q2, token2) = s.payable_quote();
    assert_eq!(s.pay(&token2, &q2).status, 201);
    assert_eq!(s.state.seen_signatures.len(), 1);
    // Never more than MAX_REMEMBERED_SIGNATURES: the entry expiring first makes room.
    let limit = super::state::MAX_REMEMBERED_SIGNATURES;
    let far = s.state.now() + 1_000_000;
    for i in 1..limit {
        s.state
            .seen_signatures
            .insert(format!("fake-{i}").into_bytes(), far);
    }
    assert_eq!(s.state.seen_signatures.len(), limit);
    let (_, q3, token3) = s.payable_quote();
    assert_eq!(s.pay(&token3, &q3).status, 201);
    assert_eq!(s.state.seen_signatures.len(), limit);
    assert_eq!(
        s.state
            .seen_signatures
            .values()
            .filter(|until| **until < far)
            .count(),
        1,
        "the newest signature is remembered, the one expiring first was dropped"
    );
}
