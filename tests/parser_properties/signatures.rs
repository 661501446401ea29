//! Structured fields and signature headers: dictionaries re-serialise to a fixed point, digests,
//! interaction hashes and keys never panic, signatures round-trip, any request is a typed answer.

use super::support::*;

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
