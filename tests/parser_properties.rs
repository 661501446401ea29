//! Property tests of the parsers: structured fields and signature headers (src/signature/), amount
//! text and wire objects beyond tests/amount_properties.rs, and the JSON paths of resource errors
//! (src/resources/path.rs through `resources::from_json`). No input may panic; what can round-trip
//! does: signatures verify, re-serialised structured fields and resources parse to themselves, and
//! an error's `field` is a path into the input (exactly the path of a field made bad on purpose).
//! Case counts are bounded so the file runs in a few seconds in a debug build.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use open_payments_wasm::amount::{validate_asset_code, Amount};
use open_payments_wasm::resources::{self, *};
use open_payments_wasm::signature::{
    content_digest, interaction_hash, prepare_signature, sign_request, signature_base_for,
    verify_content_digest, verify_interaction_hash, verify_request, DigestError, Jwks,
    OwnedHttpRequest, PrivateKey, PublicKey, VerifyError, VerifyOptions,
};
use open_payments_wasm::ErrorCode;
use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use sfv::FieldType;
use sha2::{Digest, Sha256};

const CREATED: u64 = 1_700_000_000;

/// `cases` cases from a fixed seed (a failure reproduces from the test name alone), no
/// regression files written. As in tests/js/fuzz.test.mjs, `FUZZ_RUNS=n` multiplies the cases and
/// `FUZZ_SEED=n` explores other ones.
fn config(cases: u32) -> ProptestConfig {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u32>().ok());
    ProptestConfig {
        cases: cases.saturating_mul(env("FUZZ_RUNS").unwrap_or(1)),
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(env("FUZZ_SEED").map_or(20_261_202, u64::from)),
        ..ProptestConfig::default()
    }
}

fn key() -> PrivateKey {
    PrivateKey::from_seed("k1", &[7; 32]).unwrap()
}

fn jwks() -> Jwks {
    Jwks::new(vec![key().public_key()]).unwrap()
}

/// Every error of the crate has a stable machine code.
fn coded<E: ErrorCode>(err: &E) -> Result<(), TestCaseError> {
    let code = err.code();
    prop_assert!(
        !code.is_empty()
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "bad code {code:?}"
    );
    prop_assert!(!err.to_string().is_empty());
    Ok(())
}

// ------------------------------------------------------------------ structured fields, signatures

/// Text shaped like the dictionaries of `Signature`, `Signature-Input` and `Content-Digest`:
/// labels with byte sequences, inner lists of component names, parameters; or arbitrary text.
fn sf_text() -> impl Strategy<Value = String> {
    let item = prop_oneof![
        Just(":AAAA:".to_owned()),
        Just("::".to_owned()),
        Just("?1".to_owned()),
        Just("1.5".to_owned()),
        Just("-1".to_owned()),
        Just("9999999999999999".to_owned()),
        Just("@1".to_owned()),
        Just("%\"a\"".to_owned()),
        Just("tok".to_owned()),
        "\"[ !#-\\[\\]-~]{0,8}\"",
        "[A-Za-z0-9+/]{0,90}={0,2}".prop_map(|b| format!(":{b}:")),
        any::<i64>().prop_map(|i| i.to_string()),
    ];
    let component = prop_oneof![
        Just("\"@method\"".to_owned()),
        Just("\"@target-uri\"".to_owned()),
        Just("\"authorization\"".to_owned()),
        Just("\"content-digest\"".to_owned()),
        Just("\"content-length\"".to_owned()),
        Just("\"content-type\"".to_owned()),
        Just("\"@path\"".to_owned()),
        Just("\"@status\"".to_owned()),
        Just("\"Authorization\"".to_owned()),
        Just("\"@query-param\";name=\"a\"".to_owned()),
        item.clone(),
    ];
    let param = (
        prop_oneof![
            Just("keyid"),
            Just("created"),
            Just("expires"),
            Just("alg"),
            Just("nonce"),
            Just("a")
        ],
        item.clone(),
    )
        .prop_map(|(k, v)| format!(";{k}={v}"));
    let value = prop_oneof![
        item,
        proptest::collection::vec(component, 0..7).prop_map(|c| format!("({})", c.join(" "))),
    ];
    let member = (
        prop_oneof![
            Just("sig1"),
            Just("sig2"),
            Just("sha-256"),
            Just("sha-512"),
            Just("Sig1"),
            Just("*x")
        ],
        value,
        proptest::collection::vec(param, 0..4),
    )
        .prop_map(|(k, v, ps)| format!("{k}={v}{}", ps.concat()));
    prop_oneof![
        4 => proptest::collection::vec(member, 1..4).prop_map(|ms| ms.join(", ")),
        1 => "[ -~]{0,60}",
        1 => any::<String>().prop_map(|s| s.chars().take(40).collect()),
    ]
}

/// One edit of a header value: insert, delete or replace a character, or append a piece.
fn edit() -> impl Strategy<Value = (u8, usize, String)> {
    (
        0u8..6,
        any::<usize>(),
        prop_oneof![
            "[=:;,()\"*. \\t@aZ09+/\\\\?-]",
            Just(", sig1=:AAAA:".to_owned()),
            Just(";alg=\"ed25519\"".to_owned()),
            Just(";expires=1".to_owned()),
            Just(";created=1".to_owned()),
            Just(" \"@path\"".to_owned()),
            Just(", sha-256=:AAAA:".to_owned()),
            Just("\r\n".to_owned()),
            "\\PC{0,3}",
        ],
    )
}

fn apply_edit(text: &str, (kind, at, piece): &(u8, usize, String)) -> String {
    let chars: Vec<char> = text.chars().collect();
    let i = at % (chars.len() + 1);
    let (head, tail) = chars.split_at(i);
    let head: String = head.iter().collect();
    let tail: String = tail.iter().collect();
    match kind {
        0 => format!("{head}{piece}{tail}"),
        1 => format!("{head}{}", tail.chars().skip(1).collect::<String>()),
        2 => format!(
            "{head}{piece}{}",
            tail.chars().skip(piece.chars().count()).collect::<String>()
        ),
        3 => format!("{text}{piece}"),
        4 => format!("{text}, {text}"),
        _ => format!("{head}{}", tail.to_ascii_uppercase()),
    }
}

/// The request every signature mutation starts from, signed at [`CREATED`].
fn signed_request() -> OwnedHttpRequest {
    let mut request = OwnedHttpRequest {
        method: "POST".into(),
        url: "https://wallet.example/alice/outgoing-payments?x=1".into(),
        headers: vec![("Authorization".into(), "GNAP 4398ABCD".into())],
        body: Some(br#"{"walletAddress":"https://wallet.example/alice"}"#.to_vec()),
    };
    let headers = request.with(|r| sign_request(r, &key(), CREATED)).unwrap();
    for (name, value) in headers.to_pairs() {
        request.headers.push((name.into(), value.into()));
    }
    request
}

fn with_header(request: &OwnedHttpRequest, name: &str, value: &str) -> OwnedHttpRequest {
    let mut out = request.clone();
    for (n, v) in &mut out.headers {
        if n.eq_ignore_ascii_case(name) {
            v.clear();
            v.push_str(value);
        }
    }
    out
}

const SIGNATURE_HEADERS: [&str; 3] = ["Signature", "Signature-Input", "Content-Digest"];

/// An HTTP method token, a near miss, or anything.
fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,10}",
        1 => prop_oneof![Just("GET".to_owned()), Just("get".to_owned()), Just("POST".to_owned())],
        1 => "\\PC{0,6}",
    ]
}

/// An absolute http(s) URL built from parts: scheme in any case, host, port, path, query, fragment.
fn url() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("https"), Just("http"), Just("HTTPS"), Just("Http")],
        "[a-z0-9][a-z0-9.-]{0,20}",
        proptest::option::of(any::<u16>()),
        "(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,8}){0,4}",
        proptest::option::of("[A-Za-z0-9._~%!$&'()*+,;=:@/?-]{0,16}"),
        proptest::option::of("[A-Za-z0-9#?/ ]{0,6}"),
    )
        .prop_map(|(scheme, host, port, path, query, fragment)| {
            let mut out = format!("{scheme}://{host}");
            if let Some(p) = port {
                out.push_str(&format!(":{p}"));
            }
            out.push_str(&path);
            if let Some(q) = query {
                out.push('?');
                out.push_str(&q);
            }
            if let Some(f) = fragment {
                out.push('#');
                out.push_str(&f.replace(' ', "%20"));
            }
            out
        })
}

proptest! {
    #![proptest_config(config(1000))]

    /// Re-serialising a parsed dictionary is stable: the verifier rebuilds `@signature-params`
    /// from the parsed member, so serialise(parse(x)) must parse back to the same dictionary.
    #[test]
    fn structured_field_dictionaries_reserialise_to_a_fixed_point(text in sf_text()) {
        if let Ok(dict) = sfv::Parser::new(&text).parse::<sfv::Dictionary>() {
            if let Some(once) = dict.serialize() {
                let again = sfv::Parser::new(&once).parse::<sfv::Dictionary>().unwrap();
                prop_assert_eq!(&again, &dict);
                prop_assert_eq!(again.serialize().unwrap(), once);
            }
        }
    }

    /// Any `Content-Digest` value: a typed answer; accepted only when a sha-256 or sha-512 member
    /// really is the digest of the body.
    #[test]
    fn content_digest_of_arbitrary_text_is_a_typed_answer(
        text in sf_text(),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        match verify_content_digest(&text, &body) {
            Ok(()) => {
                prop_assert!(text.contains("sha-256") || text.contains("sha-512"));
                let good = content_digest(&body);
                let good256 = STANDARD.encode(Sha256::digest(&body));
                prop_assert!(text.contains(&good["sha-512=".len()..]) || text.contains(&good256));
            }
            Err(e) => {
                coded(&e)?;
                prop_assert_eq!(e.field(), Some("content-digest".to_owned()));
            }
        }
    }

    /// `content_digest` round-trips, and so does a sha-256 member; another body is a mismatch.
    #[test]
    fn content_digest_round_trips(
        body in proptest::collection::vec(any::<u8>(), 0..200),
        other in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        prop_assert_eq!(verify_content_digest(&content_digest(&body), &body), Ok(()));
        let sha256 = format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(&body)));
        prop_assert_eq!(verify_content_digest(&sha256, &body), Ok(()));
        let both = format!("{sha256}, {}", content_digest(&body));
        prop_assert_eq!(verify_content_digest(&both, &body), Ok(()));
        if other != body {
            let mismatch = matches!(
                verify_content_digest(&content_digest(&body), &other),
                Err(DigestError::Mismatch { .. })
            );
            prop_assert!(mismatch, "another body must be a digest mismatch");
        }
    }

    /// The interaction hash round-trips; any received text is a typed answer.
    #[test]
    fn interaction_hash_round_trips_and_never_panics(
        parts in proptest::collection::vec("\\PC{0,12}", 4),
        received in prop_oneof!["[A-Za-z0-9+/=_-]{0,48}", "\\PC{0,50}"],
    ) {
        let hash = interaction_hash(&parts[0], &parts[1], &parts[2], &parts[3]);
        prop_assert_eq!(verify_interaction_hash(&parts[0], &parts[1], &parts[2], &parts[3], &hash), Ok(()));
        let url_safe = hash.replace('+', "-").replace('/', "_").trim_end_matches('=').to_owned();
        prop_assert_eq!(verify_interaction_hash(&parts[0], &parts[1], &parts[2], &parts[3], &url_safe), Ok(()));
        if let Err(e) = verify_interaction_hash(&parts[0], &parts[1], &parts[2], &parts[3], &received) {
            coded(&e)?;
        }
    }

    /// Key text and JWKs of any shape: a typed error or a key that round-trips.
    #[test]
    fn key_parsers_never_panic(
        text in prop_oneof![
            Just(serde_json::to_string(&key().public_jwk()).unwrap()),
            Just(serde_json::to_string(&key().export_private_jwk_including_secret()).unwrap()),
            Just(key().to_pkcs8_pem().to_string()),
            "\\PC{0,80}",
            "[A-Za-z0-9+/=\\n]{0,90}".prop_map(|b| format!("-----BEGIN PRIVATE KEY-----\n{b}\n-----END PRIVATE KEY-----\n")),
            ("[a-z]{0,4}", "[A-Za-z0-9_-]{0,46}", proptest::option::of("[A-Za-z0-9_-]{0,46}")).prop_map(|(k, x, d)| {
                let mut jwk = json!({"kid": "k1", "kty": "OKP", "crv": "Ed25519", "x": x, "alg": "EdDSA"});
                if !k.is_empty() { jwk[k.as_str()] = json!(1); }
                if let Some(d) = d { jwk["d"] = json!(d); }
                jwk.to_string()
            }),
        ],
    ) {
        match PrivateKey::load(&text, "k1") {
            Ok(k) => prop_assert_eq!(PrivateKey::load(&k.to_pkcs8_pem(), "k1").unwrap().public_key(), k.public_key()),
            Err(e) => coded(&e)?,
        }
        match PublicKey::from_jwk_json(&text) {
            Ok(k) => prop_assert_eq!(PublicKey::from_jwk(&k.to_jwk()).unwrap(), k),
            Err(e) => coded(&e)?,
        }
        if let Err(e) = Jwks::from_json(&text) {
            coded(&e)?;
        }
    }
}

proptest! {
    // Ed25519 in a debug build costs a few milliseconds per signature: fewer cases here.
    #![proptest_config(config(120))]

    /// Sign then verify, for any method token, URL, authorization and body: the verifier rebuilds
    /// exactly the base the signer signed, and the method is compared case-sensitively.
    #[test]
    fn signatures_round_trip(
        method in method(),
        url in url(),
        authorization in proptest::option::of("[ -~]{0,30}"),
        body in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..80)),
        created in prop_oneof![Just(CREATED), 0u64..(1 << 40)],
    ) {
        let mut request = OwnedHttpRequest {
            method: method.clone(),
            url: url.clone(),
            headers: authorization.iter().map(|a| ("authorization".to_owned(), a.clone())).collect(),
            body: body.clone(),
        };
        let signed = request.with(|r| sign_request(r, &key(), created));
        let token = !method.is_empty()
            && method.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        let headers = match signed {
            Err(e) => {
                coded(&e)?;
                prop_assert!(!token, "a token method was refused: {e}");
                return Ok(());
            }
            Ok(headers) => headers,
        };
        prop_assert!(token);
        let prepared = request.with(|r| prepare_signature(r, "k1", created)).unwrap();
        for (name, value) in headers.to_pairs() {
            request.headers.push((name.into(), value.into()));
        }
        // The Signature-Input member is what sfv writes: parsing and re-serialising keeps it.
        let input = sfv::Parser::new(&headers.signature_input).parse::<sfv::Dictionary>().unwrap();
        prop_assert_eq!(input.serialize().unwrap(), headers.signature_input.clone());
        prop_assert_eq!(request.with(|r| signature_base_for(r, "sig1")).unwrap(), prepared.signature_base);
        let verified = request.with(|r| verify_request(r, &jwks(), &VerifyOptions::new(created + 5)));
        let verified = verified.map_err(|e| TestCaseError::fail(format!("{e} for {request:?}")))?;
        prop_assert_eq!(&verified.key_id, "k1");
        prop_assert_eq!(verified.created, created);
        let has_body = body.as_ref().is_some_and(|b| !b.is_empty());
        prop_assert_eq!(verified.components.iter().any(|c| c == "content-digest"), has_body);
        let flipped: String = method.chars().map(|c| if c.is_ascii_uppercase() { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() }).collect();
        if flipped != method {
            let mut other = request.clone();
            other.method = flipped;
            prop_assert_eq!(other.with(|r| verify_request(r, &jwks(), &VerifyOptions::new(created + 5))), Err(VerifyError::SignatureMismatch));
        }
    }

    /// Arbitrary and mutated `Signature`, `Signature-Input` and `Content-Digest`: a typed error,
    /// or (for a harmless edit such as another member) exactly the original verification.
    #[test]
    fn signature_headers_of_any_shape_are_a_typed_answer(
        replace in proptest::collection::vec((0usize..3, sf_text()), 0..3),
        edits in proptest::collection::vec((0usize..3, edit()), 0..4),
        now in prop_oneof![Just(CREATED + 10), any::<u64>()],
    ) {
        let original = signed_request();
        let mut request = original.clone();
        for (which, text) in &replace {
            request = with_header(&request, SIGNATURE_HEADERS[*which], text);
        }
        for (which, e) in &edits {
            let name = SIGNATURE_HEADERS[*which];
            let current = request.with(|r| r.header(name).unwrap().into_owned());
            request = with_header(&request, name, &apply_edit(&current, e));
        }
        let _ = request.with(|r| signature_base_for(r, "sig1"));
        match request.with(|r| verify_request(r, &jwks(), &VerifyOptions::new(now))) {
            Ok(v) => {
                prop_assert_eq!(&v.key_id, "k1");
                prop_assert_eq!(v.created, CREATED);
            }
            Err(e) => coded(&e)?,
        }
    }

    /// Requests of any shape (method, URL, header names and values) to both sides: typed answers.
    #[test]
    fn any_request_is_a_typed_answer(
        method in method(),
        url in prop_oneof![url(), "\\PC{0,30}", "[ -~]{0,30}"],
        headers in proptest::collection::vec(("[A-Za-z-]{1,12}|\\PC{0,6}", "\\PC{0,20}|[\\x00-\\x7f]{0,8}"), 0..4),
        body in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..16)),
    ) {
        let mut request = OwnedHttpRequest { method, url, headers, body };
        if let Err(e) = request.with(|r| sign_request(r, &key(), CREATED)) {
            coded(&e)?;
        }
        let sig = signed_request();
        request.headers.extend(sig.headers.iter().filter(|(n, _)| n.starts_with("Sig")).cloned());
        if let Err(e) = request.with(|r| verify_request(r, &jwks(), &VerifyOptions::new(CREATED))) {
            coded(&e)?;
        }
    }
}

// ------------------------------------------------------------------ amounts

/// Decimal text to minor units with digit strings only (no rust_decimal, no integer parsing of
/// the whole text): the code of the refusal, or the value.
fn decimal_oracle(text: &str, scale: u8) -> Result<u64, &'static str> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err("invalid_amount");
    }
    let mut parts = text.split('.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    if parts.next().is_some() || int.is_empty() || frac == Some("") {
        return Err("invalid_amount");
    }
    let frac = frac.unwrap_or_default().trim_end_matches('0');
    if frac.len() > usize::from(scale) {
        return Err("too_many_decimals");
    }
    let digits = format!("{int}{frac}{}", "0".repeat(usize::from(scale) - frac.len()));
    let significant = digits.trim_start_matches('0');
    if significant.len() > 20 {
        return Err("amount_overflow");
    }
    // At most 20 digits: exact in u128.
    let value = significant
        .bytes()
        .fold(0u128, |n, d| n * 10 + u128::from(d - b'0'));
    u64::try_from(value).map_err(|_| "amount_overflow")
}

/// Decimal-ish text: well formed with long runs of zeros, corrupted by one character, or anything.
fn decimal_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => ("0{0,40}[0-9]{1,22}", proptest::option::of("[0-9]{0,30}0{0,40}"))
            .prop_map(|(i, f)| f.map_or(i.clone(), |f| format!("{i}.{f}"))),
        2 => ("[0-9]{1,12}", any::<usize>(), "[-+eE,_' .a\\x00\\u{660}\\u{e9}]|\\PC", any::<bool>()).prop_map(|(t, at, c, delete)| {
            let i = at % (t.len() + 1);
            if delete { format!("{}{}", &t[..i], t.get(i + 1..).unwrap_or("")) } else { format!("{}{c}{}", &t[..i], &t[i..]) }
        }),
        1 => "[0-9.]{0,12}",
        1 => "\\PC{0,12}",
    ]
}

/// A JSON member value for an amount field: right, wrong type, edge numbers written in the many
/// ways JSON allows (`2.0`, `2e0`, `-0`, `1e400`), near-miss strings.
fn member_json() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[0-9]{0,22}\"",
        "\"[A-Z][A-Z0-9]{2,11}\"",
        "\"[ !#-\\[\\]-~]{0,14}\"",
        any::<u8>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (
            0u16..300,
            prop_oneof![
                Just(".0"),
                Just(".5"),
                Just("e0"),
                Just("E1"),
                Just(".000"),
                Just("e-1")
            ]
        )
            .prop_map(|(n, s)| format!("{n}{s}")),
        Just("-0".to_owned()),
        Just("-0.0".to_owned()),
        Just("1e300".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("[\"1\"]".to_owned()),
    ]
}

/// What the wire rules say of one member (src/amount.rs), the JSON read by serde_json.
fn member_rule(name: &str, raw: &str) -> Option<&'static str> {
    let v: Value = serde_json::from_str(raw).unwrap();
    match (name, &v) {
        ("value", Value::String(s)) => {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                Some("invalid_amount")
            } else {
                decimal_oracle(s, 0).err()
            }
        }
        ("value", Value::Null | Value::Bool(_) | Value::Number(_)) => Some("invalid_amount"),
        ("assetCode", Value::String(s)) => {
            let ok = (3..=12).contains(&s.len())
                && s.as_bytes()[0].is_ascii_uppercase()
                && s.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            (!ok).then_some("invalid_asset_code")
        }
        ("assetScale", Value::Number(n)) => {
            let ok = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => u <= 255,
                (None, Some(i), _) => (0..=255).contains(&i),
                (None, None, Some(f)) => f.fract() == 0.0 && (0.0..=255.0).contains(&f),
                _ => false,
            };
            (!ok).then_some("invalid_asset_scale")
        }
        ("assetScale", Value::Null | Value::Bool(_) | Value::String(_)) => {
            Some("invalid_asset_scale")
        }
        _ => Some("invalid_type"),
    }
}

proptest! {
    #![proptest_config(config(3000))]

    /// `parse_decimal` on decimal-ish text (leading and trailing zeros, corruptions, anything),
    /// at every scale, against the digit-string oracle.
    #[test]
    fn parse_decimal_agrees_with_a_digit_string_oracle(text in decimal_text(), scale in any::<u8>()) {
        let got = Amount::parse_decimal(&text, "XTS", scale);
        match (decimal_oracle(&text, scale), got) {
            (Ok(v), Ok(a)) => prop_assert_eq!(a.value(), v),
            (Err(code), Err(e)) => {
                prop_assert_eq!(e.code(), code, "{:?} at scale {}: {}", text, scale, e);
                prop_assert_eq!(e.field(), Some("value".to_owned()));
            }
            (want, got) => prop_assert!(false, "{text:?} at scale {scale}: oracle {want:?}, got {got:?}"),
        }
    }

    /// `from_wire`: digits only, leading zeros allowed, at most u64::MAX.
    #[test]
    fn from_wire_agrees_with_the_oracle(text in prop_oneof!["0{0,30}[0-9]{1,21}", "\\PC{0,10}", "[0-9+.e-]{0,8}"]) {
        let want = if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            Err("invalid_amount")
        } else {
            decimal_oracle(&text, 0)
        };
        match (want, Amount::from_wire(&text, "XTS", 2)) {
            (Ok(v), Ok(a)) => prop_assert_eq!(a.value(), v),
            (Err(code), Err(e)) => prop_assert_eq!(e.code(), code),
            (want, got) => prop_assert!(false, "{text:?}: oracle {want:?}, got {got:?}"),
        }
    }

    /// Asset codes: 3 to 12 of A-Z0-9 starting with a letter, nothing else (not lowercase, not
    /// other scripts' letters or digits).
    #[test]
    fn asset_codes_follow_the_rule(code in prop_oneof!["[A-Z][A-Z0-9]{0,13}", "[A-Za-z0-9]{0,6}", "\\PC{0,6}"]) {
        let want = (3..=12).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_uppercase())
            && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        prop_assert_eq!(validate_asset_code(&code).is_ok(), want, "{:?}", code);
    }

    /// rust_decimal's view (scales up to 28) is the same number as the exact text, and `Display`
    /// is the text and the code.
    #[test]
    fn decimal_views_agree(value in any::<u64>(), scale in any::<u8>()) {
        let amount = Amount::new(value, "XTS", scale).unwrap();
        let text = amount.to_decimal_string();
        match amount.to_decimal() {
            Some(d) => prop_assert_eq!(d.to_string(), text.clone()),
            None => prop_assert!(scale > 28),
        }
        prop_assert_eq!(amount.to_string(), format!("{text} XTS"));
    }

    /// A wire amount object with members written as any JSON (numbers as `2.0`, `2e0`, `-0`,
    /// strings, wrong types) and in any order: the first bad member in key order (serde_json's
    /// map is sorted), then the first missing one, with its code and field.
    #[test]
    fn wire_amounts_from_any_json_members(
        members in proptest::collection::vec((prop_oneof![Just("value"), Just("assetCode"), Just("assetScale"), Just("other")], member_json()), 0..5),
    ) {
        let mut map = Map::new();
        for (name, raw) in &members {
            map.insert((*name).to_owned(), serde_json::from_str(raw).unwrap());
        }
        let text = format!("{{{}}}", members.iter().map(|(n, r)| format!("{n:?}:{r}")).collect::<Vec<_>>().join(","));
        // A repeated member: serde_json keeps the last one; read as the map above.
        let last = |name: &str| members.iter().rev().find(|(n, _)| *n == name).map(|(_, r)| r.as_str());
        let mut want: Option<(&str, &str)> = None;
        for name in ["assetCode", "assetScale", "value"] {
            if let Some(code) = last(name).and_then(|raw| member_rule(name, raw)) {
                want = Some((code, name));
                break;
            }
        }
        if want.is_none() {
            want = ["value", "assetCode", "assetScale"].into_iter().find(|n| !map.contains_key(*n)).map(|n| ("missing_field", n));
        }
        let got = resources::from_json::<Amount>(&text);
        match (want, got) {
            (None, Ok(a)) => {
                prop_assert_eq!(Ok(a.value()), decimal_oracle(map["value"].as_str().unwrap(), 0));
                prop_assert_eq!(a.asset_code(), map["assetCode"].as_str().unwrap());
                prop_assert_eq!(f64::from(a.asset_scale()), map["assetScale"].as_f64().unwrap());
            }
            (Some((code, field)), Err(e)) => {
                prop_assert_eq!(e.code(), code, "{}: {}", text, e);
                prop_assert_eq!(e.field(), Some(field.to_owned()), "{}", text);
            }
            (want, got) => prop_assert!(false, "{text}: expected {want:?}, got {got:?}"),
        }
    }
}

// ------------------------------------------------------------------ resources and JSON paths

/// Seeds: one valid document per model (the OpenAPI files' examples, completed where they break
/// their own schema).
fn usd(value: &str) -> Value {
    json!({"value": value, "assetCode": "USD", "assetScale": 2})
}

fn incoming_payment() -> Value {
    json!({
        "id": "https://ilp.interledger-test.dev/incoming-payments/016da9d5-c9a4-4c80-a354-86b915a04ff8",
        "walletAddress": "https://ilp.interledger-test.dev/alice",
        "incomingAmount": usd("250"), "receivedAmount": usd("250"), "completed": true,
        "expiresAt": "2022-04-12T23:20:50.52Z", "createdAt": "2022-03-12T23:20:50.52Z",
        "updatedAt": "2022-04-01T10:24:36.11Z",
        "metadata": {"description": "Hi Mo, this is for the cappuccino I owe you.", "n": [1, -2, 1.5, true, null]}
    })
}

fn methods() -> Value {
    json!([{"type": "ilp", "ilpAddress": "g.ilp.iwuyge987y.98y08y", "sharedSecret": "1c7eaXa4rd2fFOBl1iydvCT1tV5TbM3RW1WLCafu_JA"}])
}

fn outgoing_payment() -> Value {
    json!({
        "id": "https://ilp.interledger-test.dev/outgoing-payments/8c68d3cc-0a0f-4216-98b4-4fa44a6c88cf",
        "walletAddress": "https://ilp.interledger-test.dev/alice/",
        "quoteId": "https://ilp.interledger-test.dev/quotes/ab03296b-0c8b-4776-b94e-7ee27d868d4d",
        "failed": false,
        "receiver": "https://ilp.interledger-test.dev/incoming-payments/0cffa5a4-58fd-4cc8-8e01-7145c72bf07c",
        "debitAmount": usd("2600"), "receiveAmount": usd("2500"), "sentAmount": usd("2500"),
        "metadata": {"description": "Thank you for the shoes."},
        "createdAt": "2022-03-12T23:20:50.52Z", "updatedAt": "2022-03-12T23:20:50.52Z"
    })
}

fn quote() -> Value {
    json!({
        "id": "https://ilp.interledger-test.dev/quotes/8c68d3cc-0a0f-4216-98b4-4fa44a6c88cf",
        "walletAddress": "https://ilp.interledger-test.dev/alice/",
        "receiver": "https://ilp.interledger-test.dev/incoming-payments/0cffa5a4-58fd-4cc8-8e01-7145c72bf07c",
        "debitAmount": usd("2600"), "receiveAmount": usd("2500"), "method": "ilp",
        "createdAt": "2022-03-12T23:20:50.52Z", "expiresAt": "2022-04-12T23:20:50.52Z"
    })
}

fn page(item: Value) -> Value {
    json!({
        "pagination": {"startCursor": "241de237-f989-42be-926d-c0c1fca57708", "endCursor": "315581f8-9967-45a0-9cd3-87b60b6d6414", "hasNextPage": true, "hasPreviousPage": false},
        "result": [item.clone(), item]
    })
}

fn jwk() -> Value {
    json!({"kid": "key-1", "alg": "EdDSA", "use": "sig", "kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})
}

fn grant_request() -> Value {
    json!({
        "access_token": {"access": [{
            "type": "outgoing-payment", "actions": ["create", "read"],
            "identifier": "https://ilp.interledger-test.dev/alice",
            "limits": {"receiver": "https://ilp.interledger-test.dev/incoming-payments/45a0d0ee-26dc-4c66-89e0-01fbf93156f7",
                "interval": "R12/2019-08-24T14:15:22Z/P1M", "debitAmount": usd("500")}
        }]},
        "client": "https://webmonize.com/.well-known/pay",
        "interact": {"start": ["redirect"], "finish": {"method": "redirect", "uri": "https://webmonize.com/return/876FGRD8VC", "nonce": "4edb2194-dbdf-46bb-9397-d5fd57b7c8a7"}}
    })
}

fn grant() -> Value {
    json!({
        "access_token": {"value": "OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0",
            "manage": "https://auth.rafiki.money/token/dd17a202-9982-4ed9-ae31-564947fb6379", "expires_in": 3600,
            "access": [{"type": "incoming-payment", "actions": ["create", "read", "list", "complete"],
                "identifier": "https://ilp.interledger-test.dev/bob"}]},
        "continue": {"access_token": {"value": "33OMUKMKSKU80UPRY5NM"}, "uri": "https://auth.interledger-test.dev/continue/4CF492MLVMSW9MKMXKHQ", "wait": 30}
    })
}

fn pending_grant() -> Value {
    json!({
        "interact": {"redirect": "https://auth.interledger-test.dev/4CF492MLVMSW9MKMXKHQ", "finish": "4105340a-05eb-4290-8739-f9e2b463bfa7"},
        "continue": {"access_token": {"value": "33OMUKMKSKU80UPRY5NM"}, "uri": "https://auth.interledger-test.dev/continue/4CF492MLVMSW9MKMXKHQ", "wait": 30}
    })
}

type Check = fn(&str) -> Result<(), TestCaseError>;

/// Parses `text` as `T`: an error must name a path into the document; a result serialises to
/// JSON that parses to the same result (a fixed point).
fn check<T: DeserializeOwned + Serialize>(text: &str) -> Result<(), TestCaseError> {
    let doc: Option<Value> = serde_json::from_str(text).ok();
    match resources::from_json::<T>(text) {
        Ok(parsed) => {
            let once = serde_json::to_value(&parsed).unwrap();
            let again: T = resources::from_json(&once.to_string()).map_err(|e| {
                TestCaseError::fail(format!("its own output {once} is refused: {e}"))
            })?;
            prop_assert_eq!(serde_json::to_value(&again).unwrap(), once);
        }
        Err(e) => {
            coded(&e)?;
            match (&doc, e.field()) {
                (None, field) => {
                    prop_assert_eq!(e.code(), "invalid_json");
                    prop_assert_eq!(field, None);
                }
                (Some(doc), Some(field)) => path_in(doc, &field, e.code())?,
                (Some(_), None) => {}
            }
        }
    }
    Ok(())
}

/// The segments of a rendered path (`a.b[2].c`), or `None` when the document's keys could make
/// the text ambiguous.
fn segments(field: &str) -> Option<Vec<Result<usize, String>>> {
    let mut out = Vec::new();
    for part in field.split('.') {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !name.is_empty() {
            out.push(Err(name.to_owned()));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            out.push(Ok(inner[..end].parse().ok()?));
            rest = &inner[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

fn simple_keys(doc: &Value) -> bool {
    match doc {
        Value::Object(m) => m
            .iter()
            .all(|(k, v)| !k.is_empty() && !k.contains(['.', '[', ']']) && simple_keys(v)),
        Value::Array(a) => a.iter().all(simple_keys),
        _ => true,
    }
}

/// Every segment of `field` but the last exists in `doc`; the last exists too unless the error is
/// about a missing member.
fn path_in(doc: &Value, field: &str, code: &str) -> Result<(), TestCaseError> {
    if !simple_keys(doc) {
        return Ok(());
    }
    let segs =
        segments(field).ok_or_else(|| TestCaseError::fail(format!("{field:?} is not a path")))?;
    prop_assert!(!segs.is_empty(), "empty path");
    let mut at = Some(doc);
    for (i, seg) in segs.iter().enumerate() {
        let next = match (seg, at) {
            (Err(key), Some(Value::Object(m))) => m.get(key),
            (Ok(i), Some(Value::Array(a))) => a.get(*i),
            _ => None,
        };
        let last = i + 1 == segs.len();
        prop_assert!(
            next.is_some() || (last && code == "missing_field"),
            "{code} at {field} is not in {doc}"
        );
        at = next;
    }
    Ok(())
}

/// Every model, its seed and its check.
fn models() -> Vec<(&'static str, Value, Check)> {
    vec![
        (
            "WalletAddress",
            json!({"id": "https://ilp.interledger-test.dev/alice", "publicName": "Alice", "assetCode": "USD", "assetScale": 2,
            "authServer": "https://auth.interledger-test.dev", "resourceServer": "https://ilp.interledger-test.dev"}),
            check::<WalletAddress>,
        ),
        ("JsonWebKey", jwk(), check::<JsonWebKey>),
        (
            "JsonWebKeySet",
            json!({"keys": [jwk()]}),
            check::<JsonWebKeySet>,
        ),
        (
            "DidDocument",
            json!({"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:web:x", "n": 2}),
            check::<DidDocument>,
        ),
        (
            "IncomingPayment",
            incoming_payment(),
            check::<IncomingPayment>,
        ),
        (
            "IncomingPaymentWithPaymentMethods",
            {
                let mut p = incoming_payment();
                p["methods"] = methods();
                p
            },
            check::<IncomingPaymentWithPaymentMethods>,
        ),
        (
            "AnyIncomingPayment",
            {
                let mut p = incoming_payment();
                p["methods"] = methods();
                p
            },
            check::<AnyIncomingPayment>,
        ),
        (
            "PublicIncomingPayment",
            json!({"receivedAmount": usd("0"), "authServer": "https://auth.ilp.interledger-test.dev"}),
            check::<PublicIncomingPayment>,
        ),
        (
            "CreateIncomingPaymentRequest",
            json!({"walletAddress": "https://openpayments.guide/alice/", "incomingAmount": usd("2500"),
            "expiresAt": "2022-02-03T23:20:50.52Z", "metadata": {"externalRef": "INV2022-02-0137"}}),
            check::<CreateIncomingPaymentRequest>,
        ),
        (
            "Page<IncomingPayment>",
            page(incoming_payment()),
            check::<Page<IncomingPayment>>,
        ),
        ("Quote", quote(), check::<Quote>),
        (
            "CreateQuoteRequest",
            json!({"walletAddress": "https://ilp.interledger-test.dev/alice", "receiver": "https://ilp.interledger-test.dev/incoming-payments/37a0d0ee-26dc-4c66-89e0-01fbf93156f7",
            "method": "ilp", "debitAmount": usd("2500")}),
            check::<CreateQuoteRequest>,
        ),
        (
            "OutgoingPayment",
            outgoing_payment(),
            check::<OutgoingPayment>,
        ),
        (
            "OutgoingPaymentWithSpentAmounts",
            {
                let mut p = outgoing_payment();
                p["grantSpentDebitAmount"] = usd("10");
                p["grantSpentReceiveAmount"] = usd("10");
                p
            },
            check::<OutgoingPaymentWithSpentAmounts>,
        ),
        (
            "OutgoingPaymentGrantSpentAmounts",
            json!({"spentReceiveAmount": usd("2500"), "spentDebitAmount": null}),
            check::<OutgoingPaymentGrantSpentAmounts>,
        ),
        (
            "CreateOutgoingPaymentRequest",
            json!({"walletAddress": "https://ilp.interledger-test.dev/alice/", "quoteId": "https://ilp.interledger-test.dev/quotes/ab03296b-0c8b-4776-b94e-7ee27d868d4d",
            "metadata": {"description": "Thanks for the flowers!"}}),
            check::<CreateOutgoingPaymentRequest>,
        ),
        (
            "Page<OutgoingPayment>",
            page(outgoing_payment()),
            check::<Page<OutgoingPayment>>,
        ),
        ("GrantRequest", grant_request(), check::<GrantRequest>),
        ("GrantResponse", pending_grant(), check::<GrantResponse>),
        ("Grant", grant(), check::<Grant>),
        (
            "ContinuationRequest",
            json!({"interact_ref": "ad82597c-bbfa-4eb0-b72e-328e005b8689"}),
            check::<ContinuationRequest>,
        ),
        (
            "AccessTokenResponse",
            json!({"access_token": {"value": "OZB8CDFONP219RP1LT0OS9M2PMHKUR64TB8N6BW7",
            "manage": "https://auth.interledger-test.dev/token/8f69de01-5bf9-4603-91ed-eeca101081f1", "expires_in": 3600,
            "access": [{"type": "outgoing-payment", "actions": ["create", "read"], "identifier": "https://ilp.interledger-test.dev/alice",
                "limits": {"interval": "R12/2019-08-24T14:15:22Z/P1M", "receiver": "https://ilp.interledger-test.dev/incoming-payments/45a0d0ee-26dc-4c66-89e0-01fbf93156f7", "debitAmount": usd("500")}}]}}),
            check::<AccessTokenResponse>,
        ),
        (
            "ErrorResponse",
            json!({"error": {"code": "invalid_request", "description": "Error description", "details": {"received": "x"}}}),
            check::<ErrorResponse>,
        ),
        (
            "GnapErrorResponse",
            json!({"error": {"code": "invalid_request", "description": "Error description"}}),
            check::<GnapErrorResponse>,
        ),
    ]
}

/// JSON values with the models' own member names among the keys (integers and exactly
/// representable fractions only: see the ignored BUG test for other floats).
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("id".to_owned()),
        Just("value".to_owned()),
        Just("assetCode".to_owned()),
        Just("assetScale".to_owned()),
        Just("walletAddress".to_owned()),
        Just("incomingAmount".to_owned()),
        Just("receivedAmount".to_owned()),
        Just("debitAmount".to_owned()),
        Just("completed".to_owned()),
        Just("methods".to_owned()),
        Just("type".to_owned()),
        Just("access_token".to_owned()),
        Just("access".to_owned()),
        Just("actions".to_owned()),
        Just("interact".to_owned()),
        Just("continue".to_owned()),
        Just("error".to_owned()),
        Just("code".to_owned()),
        Just("keys".to_owned()),
        Just("result".to_owned()),
        Just("pagination".to_owned()),
        Just("metadata".to_owned()),
        "[a-zA-Z_.\\[\\]]{0,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        prop_oneof![Just(1.5), Just(-0.25), Just(2.0e10), Just(0.0)].prop_map(|f| json!(f)),
        "[0-9]{0,21}".prop_map(Value::String),
        prop_oneof![
            Just("USD"),
            Just("ilp"),
            Just("2022-03-12T23:20:50.52Z"),
            Just("https://a.example/x"),
            Just("create"),
            Just("incoming-payment")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every location of a document, as pointer segments.
fn locations(doc: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match doc {
        Value::Object(m) => {
            for (k, v) in m {
                at.push(k.clone());
                locations(v, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                at.push(i.to_string());
                locations(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// A mutation: delete, replace, retype, rename, add a member.
fn mutation() -> impl Strategy<Value = (u8, usize, Value, String)> {
    (0u8..5, any::<usize>(), json_value(), "[a-zA-Z_]{0,5}")
}

fn mutate(mut doc: Value, muts: &[(u8, usize, Value, String)]) -> Value {
    for (kind, pick, with, name) in muts {
        let mut all = Vec::new();
        locations(&doc, &mut Vec::new(), &mut all);
        let path = &all[pick % all.len()];
        let Some((last, parent_path)) = path.split_last() else {
            doc = with.clone();
            continue;
        };
        let parent = doc.pointer_mut(&pointer(parent_path)).unwrap();
        match (kind, parent) {
            (0, Value::Object(m)) => {
                m.remove(last);
            }
            (0, Value::Array(a)) => {
                a.remove(last.parse::<usize>().unwrap());
            }
            (1, p) => *p.pointer_mut(&pointer(std::slice::from_ref(last))).unwrap() = with.clone(),
            (2, p) => {
                let v = p.pointer_mut(&pointer(std::slice::from_ref(last))).unwrap();
                *v = match v.take() {
                    Value::String(s) => s.parse::<u64>().map_or_else(|_| json!([s]), |n| json!(n)),
                    Value::Number(n) => json!(n.to_string()),
                    Value::Bool(b) => json!(b.to_string()),
                    Value::Null => json!({}),
                    Value::Array(a) => Value::Object(
                        a.into_iter()
                            .enumerate()
                            .map(|(i, v)| (i.to_string(), v))
                            .collect(),
                    ),
                    Value::Object(m) => Value::Array(m.into_iter().map(|(_, v)| v).collect()),
                };
            }
            (3, Value::Object(m)) => {
                if let Some(v) = m.remove(last) {
                    m.insert(format!("{last}{name}"), v);
                }
            }
            (_, Value::Object(m)) => {
                m.insert(name.clone(), with.clone());
            }
            (_, Value::Array(a)) => a.push(with.clone()),
            _ => {}
        }
    }
    doc
}

/// The paths (`a.b[1]`) of the amount objects in a document.
fn amount_paths(doc: &Value, at: &str, out: &mut Vec<String>) {
    match doc {
        Value::Object(m) if m.contains_key("assetScale") && m.contains_key("value") => {
            out.push(at.to_owned())
        }
        Value::Object(m) => {
            for (k, v) in m {
                amount_paths(
                    v,
                    &if at.is_empty() {
                        k.clone()
                    } else {
                        format!("{at}.{k}")
                    },
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                amount_paths(v, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The JSON pointer of a rendered path.
fn pointer_of(path: &str) -> String {
    segments(path)
        .unwrap()
        .into_iter()
        .map(|s| match s {
            Ok(i) => format!("/{i}"),
            Err(k) => format!("/{k}"),
        })
        .collect()
}

proptest! {
    // Each case parses the document and the text as every one of the 24 models.
    #![proptest_config(config(300))]

    /// Arbitrary JSON values and texts (invalid JSON, deep nesting) to every model.
    #[test]
    fn arbitrary_json_is_a_typed_answer(
        doc in json_value(),
        text in prop_oneof!["\\PC{0,30}", "[\\[\\]{}\":,0-9a-z ]{0,30}", (1usize..300).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n)))],
    ) {
        for (_, _, check) in models() {
            check(&doc.to_string())?;
            check(&text)?;
        }
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Mutated seeds (members deleted, replaced, retyped, renamed, added) of every model: a typed
    /// error naming a path into the document, or a result that is a fixed point.
    #[test]
    fn mutated_resources_are_typed_answers_with_paths_into_the_input(
        which in any::<prop::sample::Index>(),
        muts in proptest::collection::vec(mutation(), 1..4),
    ) {
        let models = models();
        let (_, seed, check) = &models[which.index(models.len())];
        check(&mutate(seed.clone(), &muts).to_string())?;
    }

    /// One amount member of a valid seed made bad: the error names exactly that member's path (or,
    /// inside an untagged enum, which reports at the enum, a prefix of it).
    #[test]
    fn a_bad_amount_member_is_reported_at_its_exact_path(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        member in prop_oneof![Just(("value", json!("-1"), "invalid_amount")), Just(("value", json!("18446744073709551616"), "amount_overflow")),
            Just(("assetCode", json!("usd"), "invalid_asset_code")), Just(("assetScale", json!(256), "invalid_asset_scale")),
            Just(("value", json!(5), "invalid_amount")), Just(("assetCode", json!(5), "invalid_type"))],
    ) {
        let models: Vec<_> = models().into_iter().filter(|(_, seed, _)| {
            let mut paths = Vec::new();
            amount_paths(seed, "", &mut paths);
            !paths.is_empty()
        }).collect();
        let (name, seed, check) = &models[which.index(models.len())];
        let mut paths = Vec::new();
        amount_paths(seed, "", &mut paths);
        let path = &paths[at.index(paths.len())];
        let (field, bad, code) = member;
        let mut doc = seed.clone();
        *doc.pointer_mut(&pointer_of(path)).unwrap().get_mut(field).unwrap() = bad;
        let expected = if path.is_empty() { field.to_owned() } else { format!("{path}.{field}") };
        check(&doc.to_string())?;
        let err = match *name {
            "IncomingPayment" => resources::from_json::<IncomingPayment>(&doc.to_string()).err(),
            "IncomingPaymentWithPaymentMethods" => resources::from_json::<IncomingPaymentWithPaymentMethods>(&doc.to_string()).err(),
            "AnyIncomingPayment" => resources::from_json::<AnyIncomingPayment>(&doc.to_string()).err(),
            "PublicIncomingPayment" => resources::from_json::<PublicIncomingPayment>(&doc.to_string()).err(),
            "CreateIncomingPaymentRequest" => resources::from_json::<CreateIncomingPaymentRequest>(&doc.to_string()).err(),
            "Page<IncomingPayment>" => resources::from_json::<Page<IncomingPayment>>(&doc.to_string()).err(),
            "Quote" => resources::from_json::<Quote>(&doc.to_string()).err(),
            "CreateQuoteRequest" => resources::from_json::<CreateQuoteRequest>(&doc.to_string()).err(),
            "OutgoingPayment" => resources::from_json::<OutgoingPayment>(&doc.to_string()).err(),
            "OutgoingPaymentWithSpentAmounts" => resources::from_json::<OutgoingPaymentWithSpentAmounts>(&doc.to_string()).err(),
            "OutgoingPaymentGrantSpentAmounts" => resources::from_json::<OutgoingPaymentGrantSpentAmounts>(&doc.to_string()).err(),
            "Page<OutgoingPayment>" => resources::from_json::<Page<OutgoingPayment>>(&doc.to_string()).err(),
            "GrantRequest" => resources::from_json::<GrantRequest>(&doc.to_string()).err(),
            "AccessTokenResponse" => resources::from_json::<AccessTokenResponse>(&doc.to_string()).err(),
            other => panic!("{other} has amounts but no case here"),
        };
        let err = err.ok_or_else(|| TestCaseError::fail(format!("{name}: {doc} accepted")))?;
        let field_got = err.field().unwrap_or_default();
        let exact = err.code() == code && field_got == expected;
        let untagged = err.code() == "invalid_value" && expected.starts_with(&field_got);
        prop_assert!(exact || untagged, "{}: {} at {} expected, got {} at {:?}: {}", name, code, expected, err.code(), err.field(), err);
    }
}

// BUG: numbers that are not exactly representable in few digits move by one ulp through any
// model that keeps JSON as is (metadata, DID documents): serde_json parses floats "best effort"
// unless its `float_roundtrip` feature is on, so 918.7244185572271 comes back as
// 918.7244185572272 (about one float in ten). Not a panic; run with `--ignored` to see it.
#[test]
#[ignore = "BUG: metadata floats move by one ulp (serde_json without float_roundtrip)"]
fn metadata_numbers_are_kept_exactly() {
    proptest!(config(2000), |(x in any::<f64>().prop_filter("finite", |f| f.is_finite()))| {
        let doc: DidDocument = resources::from_json(&json!({ "x": x }).to_string()).unwrap();
        prop_assert_eq!(doc.0["x"].as_f64(), Some(x));
    });
}
