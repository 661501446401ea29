//! [`WalletAddressCache`]: a small in-memory cache of wallet address documents, so a client that
//! resolves the same wallets again and again (a shop's own wallet, returning shoppers) does not
//! fetch them on every call.

use std::cell::RefCell;

use crate::resources::WalletAddress;

/// How long wallet address documents are kept, and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// Longest lifetime of an entry in seconds; a smaller `Cache-Control: max-age` wins.
    pub ttl_seconds: u64,
    /// Most entries kept; the entry closest to expiry is evicted first.
    pub max_entries: usize,
}

impl Default for CachePolicy {
    /// Five minutes, 100 wallet addresses.
    fn default() -> Self {
        Self {
            ttl_seconds: 300,
            max_entries: 100,
        }
    }
}

struct Entry {
    url: String,
    expires: u64,
    /// The document as received (checked against the schema before it was stored).
    text: String,
}

/// Wallet address documents by URL, each with an expiry time.
pub struct WalletAddressCache {
    policy: CachePolicy,
    entries: RefCell<Vec<Entry>>,
}

impl std::fmt::Debug for WalletAddressCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalletAddressCache")
            .field("policy", &self.policy)
            .field("entries", &self.entries.borrow().len())
            .finish()
    }
}

impl WalletAddressCache {
    /// An empty cache with `policy`.
    pub fn new(policy: CachePolicy) -> Self {
        Self {
            policy,
            entries: RefCell::new(Vec::new()),
        }
    }

    /// The document for `url` if it has not expired at `now` (Unix seconds).
    pub fn get(&self, url: &str, now: u64) -> Option<WalletAddress> {
        crate::resources::from_json(&self.get_text(url, now)?).ok()
    }

    /// The document for `url` as received, if it has not expired at `now` (Unix seconds).
    pub(crate) fn get_text(&self, url: &str, now: u64) -> Option<String> {
        let mut entries = self.entries.borrow_mut();
        entries.retain(|e| e.expires > now);
        entries
            .iter()
            .find(|e| e.url == url)
            .map(|e| e.text.clone())
    }

    /// Stores `document` for `url`, fetched at `now` with the response's `Cache-Control` value.
    /// `no-store`, `no-cache`, `max-age=0` and a zero TTL store nothing.
    pub fn put(&self, url: &str, now: u64, cache_control: Option<&str>, document: &WalletAddress) {
        if let Ok(text) = serde_json::to_string(document) {
            self.put_text(url, now, cache_control, text);
        }
    }

    /// [`Self::put`] for a document as received (already checked against its schema).
    pub(crate) fn put_text(&self, url: &str, now: u64, cache_control: Option<&str>, text: String) {
        let lifetime = match cache_control.map(parse_cache_control) {
            Some(Directive::DoNotStore) => return,
            Some(Directive::MaxAge(age)) => age.min(self.policy.ttl_seconds),
            Some(Directive::None) | None => self.policy.ttl_seconds,
        };
        if lifetime == 0 || self.policy.max_entries == 0 {
            return;
        }
        let mut entries = self.entries.borrow_mut();
        entries.retain(|e| e.url != url && e.expires > now);
        while entries.len() >= self.policy.max_entries {
            let oldest = entries
                .iter()
                .enumerate()
                .min_by_key(|(_, e)| e.expires)
                .map(|(i, _)| i);
            match oldest {
                Some(i) => {
                    entries.swap_remove(i);
                }
                None => break,
            }
        }
        entries.push(Entry {
            url: url.to_owned(),
            expires: now.saturating_add(lifetime),
            text,
        });
    }

    /// Number of live and expired entries held.
    pub fn len(&self) -> usize {
        self.entries.borrow().len()
    }

    /// `true` when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.entries.borrow().is_empty()
    }
}

enum Directive {
    DoNotStore,
    MaxAge(u64),
    None,
}

fn parse_cache_control(value: &str) -> Directive {
    let mut max_age = None;
    for part in value.split(',') {
        let part = part.trim().to_ascii_lowercase();
        if part == "no-store" || part == "no-cache" {
            return Directive::DoNotStore;
        }
        if let Some(age) = part.strip_prefix("max-age=") {
            max_age = age.trim_matches('"').parse::<u64>().ok().or(Some(0));
        }
    }
    max_age.map_or(Directive::None, Directive::MaxAge)
}
