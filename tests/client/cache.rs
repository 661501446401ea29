//! The wallet address cache (TTL, Cache-Control, errors, its bound) and responses' Debug output.

use super::support::*;

// ------------------------------------------------------------------ wallet address cache

/// A runtime whose clock the test moves.
struct Clock(Rc<std::cell::Cell<u64>>);

impl Runtime for Clock {
    fn now_unix_seconds(&self) -> u64 {
        self.0.get()
    }
    fn sleep(&self, _ms: u64) -> LocalBoxFuture<'static, ()> {
        Box::pin(async {})
    }
    fn fill_random(&self, buf: &mut [u8]) -> Result<(), String> {
        buf.fill(7);
        Ok(())
    }
}

fn cached_client(
    t: &Scripted,
    now: &Rc<std::cell::Cell<u64>>,
    policy: CachePolicy,
) -> OpenPaymentsClient<Scripted> {
    OpenPaymentsClient::new(
        t.clone(),
        ClientConfig::new(Box::new(Clock(Rc::clone(now)))).with_wallet_address_cache(policy),
    )
}

fn with_cache_control(mut r: HttpResponse, value: &str) -> HttpResponse {
    r.headers.push(("Cache-Control".into(), value.into()));
    r
}

#[test]
fn wallet_address_cache_answers_repeat_gets_until_the_ttl_ends() {
    let t = Scripted::default();
    let now = Rc::new(std::cell::Cell::new(NOW));
    let c = cached_client(&t, &now, CachePolicy::default());
    t.push(Ok(response(200, WALLET_DOC)))
        .push(Ok(response(200, WALLET_DOC)));
    for _ in 0..3 {
        assert_eq!(block_on(c.get_wallet_address(WALLET)).unwrap().id, WALLET);
    }
    assert_eq!(t.sent().len(), 1, "one request for three gets");
    // A per-call client (another transport, same config) shares the cache.
    let t2 = Scripted::default();
    assert_eq!(
        block_on(c.with_transport(t2.clone()).get_wallet_address(WALLET))
            .unwrap()
            .id,
        WALLET
    );
    assert!(t2.sent().is_empty());
    now.set(NOW + 299);
    block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t.sent().len(), 1);
    now.set(NOW + 300);
    block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t.sent().len(), 2, "expired after five minutes");
}

#[test]
fn wallet_address_cache_respects_cache_control_errors_and_its_bound() {
    let t = Scripted::default();
    let now = Rc::new(std::cell::Cell::new(NOW));
    let c = cached_client(
        &t,
        &now,
        CachePolicy {
            ttl_seconds: 300,
            max_entries: 2,
        },
    );
    // max-age=10 shortens the lifetime; no-store is never kept; errors are never kept.
    t.push(Ok(with_cache_control(
        response(200, WALLET_DOC),
        "public, max-age=10",
    )));
    block_on(c.get_wallet_address(WALLET)).unwrap();
    now.set(NOW + 9);
    block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t.sent().len(), 1);
    now.set(NOW + 10);
    t.push(Ok(with_cache_control(
        response(200, WALLET_DOC),
        "no-store",
    )));
    block_on(c.get_wallet_address(WALLET)).unwrap();
    t.push(Ok(response(404, "")));
    assert!(block_on(c.get_wallet_address(WALLET)).is_err());
    t.push(Ok(response(200, WALLET_DOC)));
    block_on(c.get_wallet_address(WALLET)).unwrap();
    block_on(c.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t.sent().len(), 4);
    // Bounded: a third URL evicts one entry, never grows past two.
    for url in ["https://wallet.example/b", "https://wallet.example/c"] {
        t.push(Ok(response(200, WALLET_DOC)));
        block_on(c.get_wallet_address(url)).unwrap();
    }
    let cache = WalletAddressCache::new(CachePolicy {
        ttl_seconds: 60,
        max_entries: 2,
    });
    let doc: WalletAddress = serde_json::from_str(WALLET_DOC).unwrap();
    for (i, url) in ["a", "b", "c"].iter().enumerate() {
        cache.put(url, NOW + i as u64, None, &doc);
    }
    assert_eq!(cache.len(), 2);
    assert!(
        cache.get("a", NOW + 2).is_none(),
        "the entry closest to expiry went first"
    );
    assert!(cache.get("c", NOW + 2).is_some());
    // Without a policy (the Rust default) nothing is cached.
    let t3 = Scripted::default();
    t3.push(Ok(response(200, WALLET_DOC)))
        .push(Ok(response(200, WALLET_DOC)));
    let plain = client(&t3);
    block_on(plain.get_wallet_address(WALLET)).unwrap();
    block_on(plain.get_wallet_address(WALLET)).unwrap();
    assert_eq!(t3.sent().len(), 2);
}

#[test]
fn debug_of_a_response_shows_no_body_tokens_live_there() {
    let r = response(200, r#"{"access_token":{"value":"SECRET-TOKEN"}}"#);
    let shown = format!("{r:?}");
    assert!(
        !shown.contains("SECRET") && shown.contains("body_len"),
        "{shown}"
    );
}
