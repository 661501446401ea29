//! [`ClientConfig`]: what every client made from it shares: how requests are signed, the
//! client's wallet address, retries, URL options, the runtime (clock, timers, randomness), the
//! logger and the wallet address cache.

use super::cache::{CachePolicy, WalletAddressCache};
use super::request::UrlOptions;
use super::transport::{LogEvent, RetryPolicy, Runtime};
use crate::signature::PrivateKey;

/// A logger callback; it only ever sees redacted [`LogEvent`]s.
pub type Logger = Box<dyn Fn(&LogEvent)>;

/// What a client is configured with; shared by every per-call client (see
/// [`OpenPaymentsClient::with_transport`](super::OpenPaymentsClient::with_transport)).
pub struct ClientConfig {
    pub(super) signing: Signing,
    pub(super) wallet_address_url: Option<String>,
    pub(super) url_options: UrlOptions,
    pub(super) retry: RetryPolicy,
    pub(super) runtime: Box<dyn Runtime>,
    pub(super) logger: Option<Logger>,
    pub(super) wallet_cache: Option<WalletAddressCache>,
}

/// How the requests that must be signed get their signature.
#[derive(Debug)]
pub(super) enum Signing {
    /// They cannot be made: an unauthenticated client.
    Unauthenticated,
    /// With the client's key (redacted in `Debug`).
    Key(Box<PrivateKey>),
    /// By the transport ([`ClientConfig::with_external_signing`]).
    External,
    /// Prepared here, the Ed25519 signature made by the transport with the key of this id
    /// ([`ClientConfig::with_transport_signature`]).
    Transport(String),
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("signing", &self.signing)
            .field("wallet_address_url", &self.wallet_address_url)
            .field("url_options", &self.url_options)
            .field("retry", &self.retry)
            .field("wallet_cache", &self.wallet_cache)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// An unauthenticated configuration with default retries.
    pub fn new(runtime: Box<dyn Runtime>) -> Self {
        Self {
            signing: Signing::Unauthenticated,
            wallet_address_url: None,
            url_options: UrlOptions::default(),
            retry: RetryPolicy::default(),
            runtime,
            logger: None,
            wallet_cache: None,
        }
    }

    /// Keeps wallet address documents in memory per `policy` (off unless set): `walletAddress.get`
    /// of a URL fetched less than the TTL ago (or the server's `Cache-Control: max-age`, if
    /// smaller) answers without a request.
    pub fn with_wallet_address_cache(mut self, policy: CachePolicy) -> Self {
        self.wallet_cache = Some(WalletAddressCache::new(policy));
        self
    }

    /// Signs requests with `key`; the client identifies itself by `wallet_address_url` (whose
    /// `jwks.json` must hold the key's public half).
    pub fn with_key(mut self, key: PrivateKey, wallet_address_url: &str) -> Self {
        self.signing = Signing::Key(Box::new(key));
        self.wallet_address_url = Some(wallet_address_url.to_owned());
        self
    }

    /// Authenticated without a key here: requests that must be signed (POSTs and requests with
    /// a token) leave the client unsigned, and the transport signs them (the JS client's
    /// `authenticatedRequestInterceptor`, or a signing proxy or HSM behind a custom
    /// [`Transport`](super::Transport)). The client identifies itself by `wallet_address_url` in grant requests.
    pub fn with_external_signing(mut self, wallet_address_url: &str) -> Self {
        self.signing = Signing::External;
        self.wallet_address_url = Some(wallet_address_url.to_owned());
        self
    }

    /// Signs requests with a key the transport holds, whose id is `key_id`: the client builds
    /// each signature (covered components, `Content-Digest`, `Signature-Input`) and leaves only
    /// the Ed25519 signature of [`HttpRequest::signature_base`] to the transport, which adds it
    /// with [`HttpRequest::add_signature`] (a key in a KMS, or WebCrypto's Ed25519, which the
    /// npm package uses where it signs faster than the Rust signer). The client identifies itself
    /// by `wallet_address_url`.
    ///
    /// [`HttpRequest::signature_base`]: super::HttpRequest::signature_base
    /// [`HttpRequest::add_signature`]: super::HttpRequest::add_signature
    pub fn with_transport_signature(mut self, key_id: &str, wallet_address_url: &str) -> Self {
        self.signing = Signing::Transport(key_id.to_owned());
        self.wallet_address_url = Some(wallet_address_url.to_owned());
        self
    }

    /// Sets the retry policy of idempotent requests.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the URL options (`use_http` for a local server).
    pub fn with_url_options(mut self, url_options: UrlOptions) -> Self {
        self.url_options = url_options;
        self
    }

    /// Sends redacted events to `logger`.
    pub fn with_logger(mut self, logger: Logger) -> Self {
        self.logger = Some(logger);
        self
    }

    /// The client's wallet address, when authenticated.
    pub fn wallet_address_url(&self) -> Option<&str> {
        self.wallet_address_url.as_deref()
    }

    /// The runtime.
    pub fn runtime(&self) -> &dyn Runtime {
        self.runtime.as_ref()
    }
}
