//! Native signing speed: sign (sha-512 Content-Digest + RFC 9421 base + Ed25519) and verify a POST
//! with a 300-byte JSON body and an Authorization header. Run with
//! `cargo bench --bench signature_native`; prints ops/s (the Node bench `benches/signature.mjs`
//! prints the same rows for wasm and the official package).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use open_payments_wasm::signature::{
    sign_request, verify_request, HttpRequest, Jwks, PrivateKey, VerifyOptions,
};

/// A compact JSON body of exactly 300 bytes.
fn body() -> String {
    let mut body = String::from(
        r#"{"walletAddress":"https://wallet.example/alice","incomingAmount":{"value":"2500","assetCode":"USD","assetScale":2},"metadata":{"description":"Invoice 2024-0042 for consulting services","note":""#,
    );
    while body.len() < 300 - 3 {
        body.push('x');
    }
    body.push_str("\"}}");
    assert_eq!(body.len(), 300);
    body
}

fn measure(name: &str, mut op: impl FnMut()) -> f64 {
    for _ in 0..200 {
        op();
    }
    let mut rates = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_millis(300) {
            op();
            n += 1;
        }
        rates.push(f64::from(n) / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!("| native Rust | {name} | {median:>10.0} |");
    median
}

fn main() {
    let key = PrivateKey::generate("bench-key").unwrap();
    let jwks = Jwks::new(vec![key.public_key()]).unwrap();
    let body = body();
    let url = "https://wallet.example/alice/incoming-payments";
    let headers = [(
        "Authorization",
        "GNAP OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0",
    )];
    let request = HttpRequest::new("POST", url, &headers).with_body(body.as_bytes());
    let created = 1_700_000_000;

    let signed = sign_request(&request, &key, created).unwrap();
    let mut all = headers.to_vec();
    all.extend(signed.to_pairs());
    let received = HttpRequest::new("POST", url, &all).with_body(body.as_bytes());
    let options = VerifyOptions::new(created);
    verify_request(&received, &jwks, &options).unwrap();

    println!("| implementation | operation | ops/s |");
    println!("|---|---|---:|");
    measure("sign + digest", || {
        black_box(sign_request(black_box(&request), &key, created).unwrap());
    });
    measure("verify + digest", || {
        black_box(verify_request(black_box(&received), &jwks, &options).unwrap());
    });
    // Where verify's time goes: the Ed25519 check alone and the SHA-512 Content-Digest alone.
    let public = key.public_key();
    let message = vec![b'x'; 420];
    let signature = key.sign(&message);
    measure("Ed25519 verify only (420-byte base)", || {
        black_box(public.verify(black_box(&message), &signature));
    });
    measure("Ed25519 sign only (420-byte base)", || {
        black_box(key.sign(black_box(&message)));
    });
    measure("SHA-512 Content-Digest only (300 bytes)", || {
        black_box(open_payments_wasm::signature::content_digest(black_box(
            body.as_bytes(),
        )));
    });
}
