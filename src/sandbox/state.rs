//! The in-memory ledger and the request router. Everything here is synchronous and runs under
//! one mutex (see [`super::serve`]), so a request sees and changes the state atomically: a debit
//! and its credit happen in one critical section and concurrent requests never lose money.

use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::clock::format_rfc3339;
use super::config::SandboxConfig;
use super::SandboxInfo;
use crate::amount::Amount;
use crate::resources::{
    AccessItem, ErrorDetails, ErrorResponse, GnapError, GnapErrorCode, GnapErrorResponse,
    InteractFinish, Subject, Timestamp,
};
use crate::signature::{Jwks, PublicKey};

/// A request as the sandbox sees it: already fully read, body within the size limit.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Req {
    /// The first header of that name (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `@target-uri`: `http://` + Host header + path + query, as the client addressed us.
    pub(crate) fn target_uri(&self) -> String {
        let host = self.header("host").unwrap_or("127.0.0.1");
        match &self.query {
            Some(q) => format!("http://{host}{}?{q}", self.path),
            None => format!("http://{host}{}", self.path),
        }
    }

    /// The `GNAP` token of the `Authorization` header.
    pub(crate) fn gnap_token(&self) -> Option<&str> {
        let value = self.header("authorization")?;
        let (scheme, token) = value.split_once(' ')?;
        let token = token.trim();
        (scheme == "GNAP" && !token.is_empty()).then_some(token)
    }

    /// A query parameter, percent-decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.query.as_deref().and_then(|q| form_value(q, name))
    }
}

/// A value of an `application/x-www-form-urlencoded` text.
pub(crate) fn form_value(text: &str, name: &str) -> Option<String> {
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == name).then(|| percent_decode(v))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Escapes text for HTML.
pub(crate) fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The quality (`q`) an `Accept` header gives a media type: the most specific matching range
/// (`type/subtype`, then `type/*`, then `*/*`); 0 when none matches or there is no header.
fn accept_quality(accept: &str, media: &str) -> f32 {
    let (kind, _) = media.split_once('/').unwrap_or((media, ""));
    let mut best: Option<(u8, f32)> = None;
    for range in accept.split(',') {
        let mut params = range.split(';');
        let Some(name) = params.next().map(|n| n.trim().to_ascii_lowercase()) else {
            continue;
        };
        let specificity = if name == media {
            3
        } else if name.strip_suffix("/*") == Some(kind) {
            2
        } else if name == "*/*" {
            1
        } else {
            continue;
        };
        let q = params
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// Whether a wallet address request prefers a web page: `text/html` ranks strictly above
/// `application/json` in its `Accept` header (the `get-wallet-address` operation of the wallet address server's OpenAPI file allows a 302 then). No header,
/// `*/*` or a tie keeps JSON.
pub(crate) fn prefers_html(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| accept_quality(a, "text/html") > accept_quality(a, "application/json"))
}

/// A response to send.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
    /// Close the TCP connection instead of answering (fault hook).
    pub(crate) drop_connection: bool,
}

impl Reply {
    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            drop_connection: false,
        }
    }

    pub(crate) fn json<T: Serialize>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self {
                status,
                headers: vec![("content-type", "application/json".to_owned())],
                body,
                drop_connection: false,
            },
            Err(_) => Self::empty(500),
        }
    }

    pub(crate) fn html(status: u16, body: String) -> Self {
        Self {
            status,
            headers: vec![("content-type", "text/html; charset=utf-8".to_owned())],
            body: body.into_bytes(),
            drop_connection: false,
        }
    }

    pub(crate) fn redirect(location: String) -> Self {
        let mut reply = Self::empty(302);
        reply.headers.push(("location", location));
        reply
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// An authorization server (GNAP) error reply.
pub(crate) fn gnap_error(status: u16, code: GnapErrorCode, description: &str) -> Reply {
    Reply::json(
        status,
        &GnapErrorResponse {
            error: GnapError {
                code,
                description: Some(description.to_owned()),
            },
        },
    )
}

/// A resource server error reply (`{"error":{"code","description"}}`).
pub(crate) fn rs_error(status: u16, code: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &ErrorResponse {
            error: ErrorDetails {
                code: code.to_owned(),
                description: description.to_owned(),
                details: None,
            },
        },
    )
}

/// A 400 naming the invalid field, from any coded error.
pub(crate) fn rs_invalid<E: crate::error::ErrorCode>(err: &E) -> Reply {
    let mut details = Map::new();
    details.insert("code".to_owned(), Value::String(err.code().to_owned()));
    if let Some(field) = err.field() {
        details.insert("field".to_owned(), Value::String(field));
    }
    Reply::json(
        400,
        &ErrorResponse {
            error: ErrorDetails {
                code: "invalid_request".to_owned(),
                description: err.to_string(),
                details: Some(details),
            },
        },
    )
}

/// A wallet address and its account.
#[derive(Debug, Clone)]
pub(crate) struct Wallet {
    pub(crate) name: String,
    pub(crate) ase: String,
    pub(crate) url: String,
    pub(crate) public_name: Option<String>,
    pub(crate) asset_code: String,
    pub(crate) asset_scale: u8,
    pub(crate) balance: u64,
    pub(crate) keys: Vec<PublicKey>,
}

impl Wallet {
    pub(crate) fn amount(&self, value: u64) -> Option<Amount> {
        Amount::new(value, &self.asset_code, self.asset_scale).ok()
    }
}

/// How a grant's client proves who it is.
#[derive(Debug, Clone)]
pub(crate) enum ClientId {
    /// A sandbox wallet address; its current keys are used.
    Wallet(String),
    /// An inline key (directed identity).
    Key(PublicKey),
}

impl ClientId {
    /// A stable text identifying the client (for `read` vs `read-all`).
    pub(crate) fn id(&self) -> String {
        match self {
            Self::Wallet(url) => url.clone(),
            Self::Key(key) => format!("jwk:{}", key.to_jwk().x),
        }
    }
}

/// Where a grant is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantStatus {
    Pending,
    Approved,
    Denied,
    Finalized,
    Revoked,
}

/// The interaction of an interactive grant.
#[derive(Debug, Clone)]
pub(crate) struct Interaction {
    pub(crate) id: String,
    pub(crate) finish: Option<InteractFinish>,
    pub(crate) finish_nonce: String,
    pub(crate) interact_ref: Option<String>,
    /// Sandbox unix seconds from which the interaction can no longer be decided.
    pub(crate) expires_at: i64,
}

impl GrantRec {
    /// Whether the grant still waits for a decision whose interaction has expired at `now`.
    pub(crate) fn interaction_expired(&self, now: i64) -> bool {
        self.status == GrantStatus::Pending
            && self
                .interaction
                .as_ref()
                .is_some_and(|i| now >= i.expires_at)
    }
}

/// Totals spent under a grant in one interval window.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spent {
    pub(crate) debit: Option<Amount>,
    pub(crate) receive: Option<Amount>,
}

/// A grant. `Debug` leaves the continuation token out.
#[derive(Clone)]
pub(crate) struct GrantRec {
    pub(crate) id: String,
    pub(crate) ase: String,
    pub(crate) client: ClientId,
    pub(crate) access: Vec<AccessItem>,
    pub(crate) subject: Option<Subject>,
    pub(crate) status: GrantStatus,
    pub(crate) interaction: Option<Interaction>,
    pub(crate) continue_token: String,
    pub(crate) next_poll_ms: i64,
    /// Spent totals per interval window start (0 without an interval).
    pub(crate) spent: BTreeMap<i64, Spent>,
}

/// An access token. `Debug` leaves the token out.
#[derive(Clone)]
pub(crate) struct TokenRec {
    pub(crate) value: String,
    pub(crate) manage_id: String,
    pub(crate) grant_id: String,
    pub(crate) expires_at: i64,
}

impl std::fmt::Debug for GrantRec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GrantRec")
            .field("id", &self.id)
            .field("ase", &self.ase)
            .field("client", &self.client)
            .field("access", &self.access)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for TokenRec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRec")
            .field("manage_id", &self.manage_id)
            .field("grant_id", &self.grant_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// An incoming payment.
#[derive(Debug, Clone)]
pub(crate) struct IncomingRec {
    pub(crate) url: String,
    pub(crate) uuid: String,
    pub(crate) ase: String,
    pub(crate) wallet: String,
    pub(crate) client: String,
    pub(crate) incoming_amount: Option<Amount>,
    pub(crate) received: Amount,
    pub(crate) completed: bool,
    pub(crate) expires_at: Option<(i64, Timestamp)>,
    pub(crate) metadata: Option<Map<String, Value>>,
    pub(crate) created_at: Timestamp,
    pub(crate) shared_secret: String,
}

/// A quote.
#[derive(Debug, Clone)]
pub(crate) struct QuoteRec {
    pub(crate) url: String,
    pub(crate) ase: String,
    pub(crate) wallet: String,
    pub(crate) client: String,
    pub(crate) receiver: String,
    pub(crate) debit: Amount,
    pub(crate) receive: Amount,
    pub(crate) expires_at: i64,
    pub(crate) expires_at_text: Timestamp,
    pub(crate) created_at: Timestamp,
    pub(crate) used: bool,
}

/// An outgoing payment.
#[derive(Debug, Clone)]
pub(crate) struct OutgoingRec {
    pub(crate) url: String,
    pub(crate) uuid: String,
    pub(crate) ase: String,
    pub(crate) wallet: String,
    pub(crate) client: String,
    pub(crate) quote_id: Option<String>,
    pub(crate) failed: bool,
    pub(crate) receiver: String,
    pub(crate) receive: Amount,
    pub(crate) debit: Amount,
    pub(crate) sent: Amount,
    pub(crate) metadata: Option<Map<String, Value>>,
    pub(crate) created_at: Timestamp,
}

/// The whole sandbox state.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) config: SandboxConfig,
    pub(crate) base: String,
    pub(crate) wallets: Vec<Wallet>,
    pub(crate) grants: Vec<GrantRec>,
    pub(crate) tokens: Vec<TokenRec>,
    pub(crate) incoming: Vec<IncomingRec>,
    pub(crate) quotes: Vec<QuoteRec>,
    pub(crate) outgoing: Vec<OutgoingRec>,
    pub(crate) clock_offset_seconds: i64,
    pub(crate) drop_after_outgoing_commit: u32,
    /// Signatures of outgoing-payment creations already received (see [`State::refuse_replay`]):
    /// `sig1` bytes -> the last sandbox second at which that signature still verifies. Entries
    /// are forgotten after it, and there are never more than [`MAX_REMEMBERED_SIGNATURES`].
    pub(crate) seen_signatures: HashMap<Vec<u8>, i64>,
}

/// Most signatures [`State::seen_signatures`] remembers (about 10 MB); when full, the entry that
/// expires first is dropped.
pub(crate) const MAX_REMEMBERED_SIGNATURES: usize = 100_000;

/// How far `POST /dev/clock` may move the sandbox clock from real time, either way, in total:
/// 100 Julian years. Beyond that the calendar arithmetic (and every client's) leaves the range
/// where dates make sense, and `i64` milliseconds would overflow far sooner than `advanceSeconds`
/// does.
pub(crate) const MAX_CLOCK_OFFSET_SECONDS: i64 = 100 * 31_557_600;

/// Random bytes; on failure of the platform generator the sandbox refuses the request.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], Reply> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| Reply::empty(500))?;
    Ok(out)
}

/// A random UUID v4 text.
pub(crate) fn uuid() -> Result<String, Reply> {
    let mut b: [u8; 16] = random_bytes()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or_default(),
        hex.get(8..12).unwrap_or_default(),
        hex.get(12..16).unwrap_or_default(),
        hex.get(16..20).unwrap_or_default(),
        hex.get(20..32).unwrap_or_default()
    ))
}

/// A random opaque token (uppercase hex, 20 bytes).
pub(crate) fn token() -> Result<String, Reply> {
    let b: [u8; 20] = random_bytes()?;
    Ok(b.iter().map(|x| format!("{x:02X}")).collect())
}

/// A timestamp for unix seconds.
pub(crate) fn timestamp(secs: i64) -> Result<Timestamp, Reply> {
    Timestamp::parse(&format_rfc3339(secs)).map_err(|_| Reply::empty(500))
}

impl State {
    /// Builds the state from a checked configuration, serving at `base` (`http://127.0.0.1:PORT`).
    pub(crate) fn new(config: SandboxConfig, base: String) -> Self {
        let mut wallets = Vec::new();
        for ase in &config.ases {
            for w in &ase.wallets {
                wallets.push(Wallet {
                    name: w.name.clone(),
                    ase: ase.name.clone(),
                    url: format!("{base}/{}/{}", ase.name, w.name),
                    public_name: w.public_name.clone(),
                    asset_code: w.asset_code.clone(),
                    asset_scale: w.asset_scale,
                    balance: w.balance.parse().unwrap_or(0),
                    keys: w
                        .keys
                        .iter()
                        .filter_map(|k| PublicKey::from_jwk(k).ok())
                        .collect(),
                });
            }
        }
        Self {
            config,
            base,
            wallets,
            grants: Vec::new(),
            tokens: Vec::new(),
            incoming: Vec::new(),
            quotes: Vec::new(),
            outgoing: Vec::new(),
            clock_offset_seconds: 0,
            drop_after_outgoing_commit: 0,
            seen_signatures: HashMap::new(),
        }
    }

    /// The URLs a client needs.
    pub(crate) fn info(&self) -> SandboxInfo {
        SandboxInfo {
            base_url: self.base.clone(),
            wallets: self
                .wallets
                .iter()
                .map(|w| (w.name.clone(), w.url.clone()))
                .collect(),
            auth_servers: self
                .config
                .ases
                .iter()
                .map(|a| (a.name.clone(), self.auth_server(&a.name)))
                .collect(),
            resource_servers: self
                .config
                .ases
                .iter()
                .map(|a| (a.name.clone(), self.resource_server(&a.name)))
                .collect(),
        }
    }

    /// The sandbox clock in milliseconds (real time plus the `/dev/clock` offset).
    pub(crate) fn now_ms(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        real.saturating_add(self.clock_offset_seconds.saturating_mul(1000))
    }

    /// The sandbox clock in unix seconds.
    pub(crate) fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    pub(crate) fn auth_server(&self, ase: &str) -> String {
        format!("{}/{ase}/auth", self.base)
    }

    pub(crate) fn resource_server(&self, ase: &str) -> String {
        format!("{}/{ase}/op", self.base)
    }

    pub(crate) fn has_ase(&self, ase: &str) -> bool {
        self.config.ases.iter().any(|a| a.name == ase)
    }

    pub(crate) fn wallet_by_url(&self, url: &str) -> Option<&Wallet> {
        self.wallets.iter().find(|w| w.url == url)
    }

    pub(crate) fn wallet_by_url_mut(&mut self, url: &str) -> Option<&mut Wallet> {
        self.wallets.iter_mut().find(|w| w.url == url)
    }

    /// The key set a client signs with.
    pub(crate) fn client_keys(&self, client: &ClientId) -> Jwks {
        match client {
            ClientId::Wallet(url) => self
                .wallet_by_url(url)
                .and_then(|w| Jwks::new(w.keys.clone()).ok())
                .unwrap_or_default(),
            ClientId::Key(key) => Jwks::new(vec![key.clone()]).unwrap_or_default(),
        }
    }

    /// Runs `f` on the request as the signature verifier sees it.
    fn with_http_request<R>(
        req: &Req,
        f: impl FnOnce(&crate::signature::HttpRequest<'_>) -> R,
    ) -> R {
        let url = req.target_uri();
        let headers: Vec<(&str, &str)> = req
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let mut request = crate::signature::HttpRequest::new(&req.method, &url, &headers);
        if !req.body.is_empty() {
            request = request.with_body(&req.body);
        }
        f(&request)
    }

    /// Checks the request's RFC 9421 signature against the client's keys with the sandbox clock;
    /// the signature's `created` (unix seconds) when it is valid.
    pub(crate) fn verify_signature(&self, req: &Req, client: &ClientId) -> Result<u64, String> {
        use crate::error::ErrorCode;
        use crate::signature::{verify_request, VerifyOptions};
        let mut options = VerifyOptions::new(u64::try_from(self.now()).unwrap_or(0));
        options.max_age_seconds = self.config.signature_max_age_seconds;
        let keys = self.client_keys(client);
        Self::with_http_request(req, |request| verify_request(request, &keys, &options))
            .map(|verified| verified.created)
            .map_err(|e| format!("{}: {e}", e.code()))
    }

    /// Refuses a replay: a request whose (already verified) signature, created at `created`,
    /// was received before, while that signature is still within `signatureMaxAgeSeconds`.
    /// Answers 401 `invalid_signature` with a `signature_replayed:` description; otherwise
    /// remembers the signature until it is too old to verify anyway, and forgets older ones.
    ///
    /// Only requests that move money call this (creating an outgoing payment, the only POST whose
    /// repetition debits the sender again). Ed25519 signatures are deterministic and Open Payments
    /// signatures carry no nonce, so two byte-identical requests signed in the same second have
    /// the same signature: a replay cannot be told apart from a legitimate repeat. GETs are
    /// retried by clients (and are idempotent), and identical grant, incoming-payment or quote
    /// POSTs are what concurrent checkouts send (same amount, same cached token, same second), so
    /// refusing those would break legitimate clients while a replay of them moves no money. A
    /// client that really means two equal payments signs the second one in another second.
    pub(crate) fn refuse_replay(&mut self, req: &Req, created: u64) -> Result<(), Reply> {
        let now = self.now();
        self.seen_signatures.retain(|_, until| *until >= now);
        let bytes = Self::with_http_request(req, |request| {
            crate::signature::signature_bytes(request, crate::signature::sign::SIGNATURE_LABEL)
        })
        .ok_or_else(|| Reply::empty(500))?;
        if self.seen_signatures.contains_key(&bytes) {
            return Err(rs_error(
                401,
                "invalid_signature",
                "signature_replayed: this exact signed request was already received (the same \
                 Signature within signatureMaxAgeSeconds); sign every request afresh",
            ));
        }
        if self.seen_signatures.len() >= MAX_REMEMBERED_SIGNATURES {
            let first = self
                .seen_signatures
                .iter()
                .min_by_key(|(_, until)| **until)
                .map(|(k, _)| k.clone());
            if let Some(first) = first {
                self.seen_signatures.remove(&first);
            }
        }
        let created = i64::try_from(created).unwrap_or(i64::MAX);
        let max_age = i64::try_from(self.config.signature_max_age_seconds).unwrap_or(i64::MAX);
        self.seen_signatures
            .insert(bytes, created.saturating_add(max_age));
        Ok(())
    }

    /// Routes one request.
    pub(crate) fn handle(&mut self, req: &Req) -> Reply {
        if req.method == "OPTIONS" {
            return Reply::empty(204);
        }
        let path = req.path.trim_start_matches('/').to_owned();
        let segments: Vec<&str> = path.split('/').collect();
        match segments.as_slice() {
            ["dev", rest @ ..] => self.dev(rest, req),
            [ase, "auth", rest @ ..] if self.has_ase(ase) => self.auth(ase, rest, req),
            [ase, "op", rest @ ..] if self.has_ase(ase) => self.resource(ase, rest, req),
            [ase, name] => self.wallet_document(ase, name, req, None),
            [ase, name, file @ ("jwks.json" | "did.json" | "index.html")] => {
                self.wallet_document(ase, name, req, Some(file))
            }
            _ => rs_error(404, "not_found", "no such endpoint"),
        }
    }

    fn wallet_document(&self, ase: &str, name: &str, req: &Req, file: Option<&str>) -> Reply {
        let url = format!("{}/{ase}/{name}", self.base);
        let Some(wallet) = self.wallet_by_url(&url) else {
            // The wallet address server's 404 has no body (wallet-address-server.yaml).
            return Reply::empty(404);
        };
        if req.method != "GET" && req.method != "HEAD" {
            return rs_error(405, "method_not_allowed", "wallet addresses are read-only");
        }
        let cache = ("cache-control", "max-age=60".to_owned());
        match file {
            None if prefers_html(req.header("accept")) => {
                Reply::redirect(format!("{}/index.html", wallet.url))
                    .with_header("vary", "Accept".to_owned())
                    .with_header(cache.0, cache.1)
            }
            Some("index.html") => {
                Reply::html(200, self.wallet_page(wallet)).with_header(cache.0, cache.1)
            }
            None => Reply::json(
                200,
                &crate::resources::WalletAddress {
                    id: wallet.url.clone(),
                    public_name: wallet.public_name.clone(),
                    asset_code: wallet.asset_code.clone(),
                    asset_scale: wallet.asset_scale,
                    auth_server: self.auth_server(&wallet.ase),
                    resource_server: self.resource_server(&wallet.ase),
                },
            )
            .with_header("vary", "Accept".to_owned())
            .with_header(cache.0, cache.1),
            Some("jwks.json") => {
                let keys = Jwks::new(wallet.keys.clone()).unwrap_or_default();
                Reply::json(200, &keys.to_document())
            }
            // As the spec's 500 "DID Document not yet implemented", which has no body.
            Some(_) => Reply::empty(500),
        }
    }

    /// The small web page a browser is redirected to from a wallet address URL.
    fn wallet_page(&self, wallet: &Wallet) -> String {
        let name = wallet.public_name.as_deref().unwrap_or(&wallet.name);
        let row = |label: &str, id: &str, value: &str| {
            format!(
                "<tr><th>{}</th><td id=\"{id}\">{}</td></tr>",
                html_escape(label),
                html_escape(value)
            )
        };
        let rows = [
            row("Wallet address", "id", &wallet.url),
            row(
                "Asset",
                "asset",
                &format!("{} (scale {})", wallet.asset_code, wallet.asset_scale),
            ),
            row(
                "Authorization server",
                "authServer",
                &self.auth_server(&wallet.ase),
            ),
            row(
                "Resource server",
                "resourceServer",
                &self.resource_server(&wallet.ase),
            ),
            row("Account servicing entity", "ase", &wallet.ase),
        ]
        .concat();
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{n}</title></head><body>\
             <h1 id=\"publicName\">{n}</h1><p>An Open Payments wallet address on the sandbox.</p>\
             <table>{rows}</table>\
             <p>Clients fetch the JSON document with <code>Accept: application/json</code>.</p></body></html>",
            n = html_escape(name)
        )
    }

    fn dev(&mut self, rest: &[&str], req: &Req) -> Reply {
        let body = std::str::from_utf8(&req.body).unwrap_or("");
        match (req.method.as_str(), rest) {
            ("GET", ["info"]) => Reply::json(200, &self.info()),
            ("GET", ["balances"]) => {
                let balances: BTreeMap<String, Option<Amount>> = self
                    .wallets
                    .iter()
                    .map(|w| (w.name.clone(), w.amount(w.balance)))
                    .collect();
                Reply::json(200, &json!({ "balances": balances }))
            }
            ("GET", ["balances", name]) => match self.wallets.iter().find(|w| w.name == *name) {
                Some(w) => Reply::json(200, &w.amount(w.balance)),
                None => rs_error(404, "not_found", "no such wallet"),
            },
            ("POST", ["wallets", name, "keys"]) => {
                let key = match crate::signature::PublicKey::from_jwk_json(body) {
                    Ok(key) => key,
                    Err(e) => return rs_invalid(&e),
                };
                let Some(wallet) = self.wallets.iter_mut().find(|w| w.name == *name) else {
                    return rs_error(404, "not_found", "no such wallet");
                };
                wallet.keys.retain(|k| k.key_id() != key.key_id());
                wallet.keys.push(key);
                let keys = Jwks::new(wallet.keys.clone()).unwrap_or_default();
                Reply::json(201, &keys.to_document())
            }
            ("GET", ["clock"]) => self.clock_reply(),
            ("POST", ["clock"]) => {
                let advance = serde_json::from_str::<Value>(body)
                    .ok()
                    .and_then(|v| v.get("advanceSeconds").and_then(Value::as_i64));
                let Some(n) = advance else {
                    return rs_error(
                        400,
                        "invalid_request",
                        "body must be {\"advanceSeconds\": N} with N a whole number of seconds",
                    );
                };
                match self.clock_offset_seconds.checked_add(n) {
                    Some(offset)
                        if (-MAX_CLOCK_OFFSET_SECONDS..=MAX_CLOCK_OFFSET_SECONDS)
                            .contains(&offset) =>
                    {
                        self.clock_offset_seconds = offset;
                        self.clock_reply()
                    }
                    _ => rs_error(
                        400,
                        "invalid_request",
                        &format!(
                            "advanceSeconds {n} would move the sandbox clock (now offset by {} s) \
                             more than {MAX_CLOCK_OFFSET_SECONDS} s (100 years) from real time",
                            self.clock_offset_seconds
                        ),
                    ),
                }
            }
            ("POST", ["faults"]) => {
                let v = serde_json::from_str::<Value>(body).unwrap_or(Value::Null);
                let kind = v.get("dropConnectionAfterCommit").and_then(Value::as_str);
                let times = v.get("times").map_or(Some(1), Value::as_u64);
                match (kind, times.and_then(|t| u32::try_from(t).ok())) {
                    (Some("outgoing-payment"), Some(times)) => {
                        self.drop_after_outgoing_commit = times;
                        Reply::json(200, &json!({ "dropConnectionAfterCommit": "outgoing-payment", "times": times }))
                    }
                    _ => rs_error(
                        400,
                        "invalid_request",
                        "body must be {\"dropConnectionAfterCommit\": \"outgoing-payment\", \"times\": N}",
                    ),
                }
            }
            ("POST", ["interactions", id, decision @ ("approve" | "deny")]) => {
                match self.decide(id, *decision == "approve") {
                    Ok(d) => Reply::json(200, &d),
                    Err(reply) => reply,
                }
            }
            _ => rs_error(404, "not_found", "no such development endpoint"),
        }
    }

    fn clock_reply(&self) -> Reply {
        let now = self.now();
        Reply::json(
            200,
            &json!({ "now": now, "nowText": format_rfc3339(now), "offsetSeconds": self.clock_offset_seconds }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::prefers_html;

    #[test]
    fn html_is_preferred_only_when_ranked_above_json() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(Some(browser)));
        assert!(prefers_html(Some("text/html")));
        assert!(prefers_html(Some("application/json;q=0.5, text/*")));
        assert!(!prefers_html(None));
        assert!(!prefers_html(Some("application/json")));
        assert!(!prefers_html(Some("*/*")));
        assert!(!prefers_html(Some("text/html, application/json")));
        assert!(!prefers_html(Some("text/html;q=0.5, application/json")));
        assert!(!prefers_html(Some("text/html;q=0")));
    }
}
