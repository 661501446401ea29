//! The in-memory ledger and the request router. Everything here is synchronous and runs under
//! one mutex (see [`super::serve`]), so a request sees and changes the state atomically: a debit
//! and its credit happen in one critical section and concurrent requests never lose money.

use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use super::config::{SandboxConfig, RESOURCE_SERVER_ROUTES};
use super::http::{rs_error, Reply, Req};
use super::records::{ClientId, GrantRec, IncomingRec, OutgoingRec, QuoteRec, TokenRec, Wallet};
use super::SandboxInfo;
use crate::signature::{Jwks, PublicKey};

/// Which listener a request arrived on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Listener {
    /// The base URL: everything in the paths layout, only `/dev/*` in the origins layout.
    Base,
    /// The wallet origin of an ASE (origins layout): wallet addresses and the resource server.
    Wallets(String),
    /// The authorization server origin of an ASE (origins layout).
    Auth(String),
}

/// The origins of one ASE in the origins layout (`http://127.0.0.1:PORT`, no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AseOrigins {
    /// Wallet addresses (`/{wallet}`) and the resource server (the origin itself).
    pub(crate) wallets: String,
    /// The authorization server (grant requests at `/`).
    pub(crate) auth: String,
}

/// The whole sandbox state.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) config: SandboxConfig,
    pub(crate) base: String,
    /// ASE name -> its origins; empty in the paths layout.
    pub(crate) origins: BTreeMap<String, AseOrigins>,
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

/// The wallet address URL of wallet `name` of `ase`: `{base}/{ase}/{name}`, or
/// `{wallet origin}/{name}` when the ASE has its own origins.
pub(crate) fn wallet_url(
    base: &str,
    origins: &BTreeMap<String, AseOrigins>,
    ase: &str,
    name: &str,
) -> String {
    match origins.get(ase) {
        Some(o) => format!("{}/{name}", o.wallets),
        None => format!("{base}/{ase}/{name}"),
    }
}

impl State {
    /// Builds the state from a checked configuration, serving at `base` (`http://127.0.0.1:PORT`)
    /// in the paths layout.
    #[cfg(test)]
    pub(crate) fn new(config: SandboxConfig, base: String) -> Self {
        Self::with_origins(config, base, BTreeMap::new())
    }

    /// Builds the state; ASEs named in `origins` live on those origins (origins layout), the
    /// others under `base`.
    pub(crate) fn with_origins(
        config: SandboxConfig,
        base: String,
        origins: BTreeMap<String, AseOrigins>,
    ) -> Self {
        let mut wallets = Vec::new();
        for ase in &config.ases {
            for w in &ase.wallets {
                wallets.push(Wallet {
                    name: w.name.clone(),
                    ase: ase.name.clone(),
                    url: wallet_url(&base, &origins, &ase.name, &w.name),
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
            origins,
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
            layout: self.config.layout,
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

    /// `authServer` of the ASE: `{base}/{ase}/auth`, or its authorization server origin.
    pub(crate) fn auth_server(&self, ase: &str) -> String {
        match self.origins.get(ase) {
            Some(o) => o.auth.clone(),
            None => format!("{}/{ase}/auth", self.base),
        }
    }

    /// The path of the ASE's authorization server on its listener (`/{ase}/auth`, or empty on
    /// its own origin); relative links of its pages start with it.
    pub(crate) fn auth_path(&self, ase: &str) -> String {
        if self.origins.contains_key(ase) {
            String::new()
        } else {
            format!("/{ase}/auth")
        }
    }

    /// `resourceServer` of the ASE: `{base}/{ase}/op`, or its wallet origin.
    pub(crate) fn resource_server(&self, ase: &str) -> String {
        match self.origins.get(ase) {
            Some(o) => o.wallets.clone(),
            None => format!("{}/{ase}/op", self.base),
        }
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

    /// Runs `f` on the request as the signature verifier sees it; with `bare_root`, a request for
    /// `/` (no query) has the target URI without the trailing slash (`http://host`).
    fn with_http_request<R>(
        req: &Req,
        bare_root: bool,
        f: impl FnOnce(&crate::signature::HttpRequest<'_>) -> R,
    ) -> R {
        let mut url = req.target_uri();
        if bare_root && req.path == "/" && req.query.is_none() {
            url.pop();
        }
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
        // A client may sign the URL of a server at an origin root (the grant endpoint
        // `http://127.0.0.1:PORT` in the origins layout) as written, or as fetch normalizes it,
        // with the trailing slash; the request line says `/` either way, so both are accepted.
        let verify = |bare_root| {
            Self::with_http_request(req, bare_root, |request| {
                verify_request(request, &keys, &options)
            })
        };
        verify(false)
            .or_else(|e| {
                if req.path == "/" && req.query.is_none() {
                    verify(true).map_err(|_| e)
                } else {
                    Err(e)
                }
            })
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
        let bytes = Self::with_http_request(req, false, |request| {
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

    /// Routes one request that arrived on the base URL.
    #[cfg(test)]
    pub(crate) fn handle(&mut self, req: &Req) -> Reply {
        self.handle_on(&Listener::Base, req)
    }

    /// Routes one request that arrived on `listener`.
    pub(crate) fn handle_on(&mut self, listener: &Listener, req: &Req) -> Reply {
        if req.method == "OPTIONS" {
            return Reply::empty(204);
        }
        let path = req.path.trim_start_matches('/').to_owned();
        let segments: Vec<&str> = if path.is_empty() {
            Vec::new()
        } else {
            path.split('/').collect()
        };
        match listener {
            Listener::Base if self.origins.is_empty() => self.route_paths(&segments, req),
            Listener::Base => match segments.as_slice() {
                ["dev", rest @ ..] => self.dev(rest, req),
                _ => rs_error(
                    404,
                    "not_found",
                    "no such endpoint: this sandbox serves each ASE on its own origins \
                     (GET /dev/info lists them)",
                ),
            },
            Listener::Wallets(ase) => match segments.as_slice() {
                [first, ..] if RESOURCE_SERVER_ROUTES.contains(first) => {
                    self.resource(ase, &segments, req)
                }
                [name] => self.wallet_document(ase, name, req, None),
                [name, file @ ("jwks.json" | "did.json" | "index.html")] => {
                    self.wallet_document(ase, name, req, Some(file))
                }
                _ => rs_error(404, "not_found", "no such endpoint"),
            },
            Listener::Auth(ase) => self.auth(ase, &segments, req),
        }
    }

    /// Routes a request of the paths layout (everything on the base URL).
    fn route_paths(&mut self, segments: &[&str], req: &Req) -> Reply {
        match segments {
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
}
