//! Unit tests of the keys: PEM and PKCS#8 round trips and errors, redacted `Debug`, JWK import
//! checks, public JWK and JWKS round trips.

use super::pkcs8::{PKCS8_V2_PREFIX, PKCS8_V2_PUBLIC_KEY_HEADER};
use super::*;

const RFC_PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";
const RFC_X: &str = "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs";
const RFC_D: &str = "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU";

#[test]
fn rfc_test_key_pem_round_trips_byte_for_byte() {
    let key = PrivateKey::from_pkcs8_pem(RFC_PEM, "test-key-ed25519").unwrap();
    assert_eq!(key.public_jwk().x, RFC_X);
    assert_eq!(key.to_pkcs8_pem().as_str(), RFC_PEM);
    let jwk = key.export_private_jwk_including_secret();
    assert_eq!(jwk.d, RFC_D);
}

#[test]
fn debug_never_shows_the_secret() {
    let key = PrivateKey::from_pkcs8_pem(RFC_PEM, "k").unwrap();
    let text = format!("{key:?} {:?}", key.export_private_jwk_including_secret());
    assert!(!text.contains(RFC_D), "{text}");
    assert!(text.contains("<redacted>"));
}

#[test]
fn pkcs8_v2_with_public_key_is_accepted_and_checked() {
    let key = PrivateKey::from_pkcs8_pem(RFC_PEM, "k").unwrap();
    let mut der = PKCS8_V2_PREFIX.to_vec();
    der.extend_from_slice(key.signing.as_bytes());
    der.extend_from_slice(&PKCS8_V2_PUBLIC_KEY_HEADER);
    der.extend_from_slice(key.public_key().as_bytes());
    let again = PrivateKey::from_pkcs8_der(&der, "k").unwrap();
    assert_eq!(again.public_jwk(), key.public_jwk());
    let last = der.len() - 1;
    der[last] ^= 1;
    assert_eq!(
        PrivateKey::from_pkcs8_der(&der, "k").unwrap_err().code(),
        "public_key_mismatch"
    );
}

#[test]
fn other_pem_types_and_algorithms_are_named() {
    let public = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n";
    assert_eq!(
        PrivateKey::load(public, "k").unwrap_err().code(),
        "unsupported_pem_type"
    );
    // X25519 (OID 1.3.101.110) PKCS#8.
    let x25519 = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----";
    assert_eq!(
        PrivateKey::load(x25519, "k").unwrap_err().code(),
        "unsupported_key_algorithm"
    );
    assert_eq!(
        PrivateKey::load(
            "-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----",
            "k"
        )
        .unwrap_err()
        .code(),
        "invalid_pem"
    );
    assert_eq!(
        PrivateKey::load("hello", "k").unwrap_err().code(),
        "unrecognized_key_format"
    );
    assert_eq!(
        PrivateKey::load(RFC_PEM, "").unwrap_err().code(),
        "invalid_key_id"
    );
}

#[test]
fn jwk_import_checks_every_member() {
    let ok = format!(
        r#"{{"kty":"OKP","crv":"Ed25519","kid":"test-key-ed25519","d":"{RFC_D}","x":"{RFC_X}"}}"#
    );
    let key = PrivateKey::load(&ok, "test-key-ed25519").unwrap();
    assert_eq!(key.public_jwk().x, RFC_X);
    // `alg` may name the algorithm as Open Payments does (`EdDSA`) or fully specified
    // (`Ed25519`, RFC 9864, as WebCrypto exports it); the public JWK written says `EdDSA`.
    for alg in ["EdDSA", "Ed25519"] {
        let with_alg = ok.replace(
            "\"kty\":\"OKP\",",
            &format!("\"alg\":\"{alg}\",\"kty\":\"OKP\","),
        );
        let loaded = PrivateKey::load(&with_alg, "test-key-ed25519").unwrap();
        assert_eq!(loaded.public_jwk().alg, JWK_ALG, "{alg}");
        let public = with_alg.replace(&format!(",\"d\":\"{RFC_D}\""), "");
        let set = Jwks::from_json(&format!("{{\"keys\":[{public}]}}")).unwrap();
        assert_eq!(set.keys().len(), 1, "{alg}");
    }
    let cases = [
        (ok.replace("Ed25519", "X25519"), "wrong_curve"),
        (ok.replace("OKP", "EC"), "wrong_key_type"),
        (
            ok.replace(RFC_D, "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9"),
            "wrong_key_length",
        ),
        (
            ok.replace(RFC_D, "n4Ni+HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU"),
            "invalid_base64url",
        ),
        (
            ok.replace(RFC_X, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            "public_key_mismatch",
        ),
        (
            ok.replace("\"kid\":\"test-key-ed25519\"", "\"kid\":\"other\""),
            "key_id_mismatch",
        ),
        (
            ok.replace(&format!(",\"d\":\"{RFC_D}\""), ""),
            "missing_jwk_member",
        ),
        (
            ok.replace("\"kty\":\"OKP\",", "\"alg\":\"ES256\","),
            "missing_jwk_member",
        ),
        (
            ok.replace("\"kty\":\"OKP\",", "\"alg\":\"ES256\",\"kty\":\"OKP\","),
            "wrong_key_algorithm",
        ),
        ("{\"kty\":1}".to_owned(), "invalid_jwk"),
        (
            ok.replace("\"kty\":\"OKP\",", "\"alg\":\"Ed448\",\"kty\":\"OKP\","),
            "wrong_key_algorithm",
        ),
    ];
    for (json, code) in cases {
        assert_eq!(
            PrivateKey::load(&json, "test-key-ed25519")
                .unwrap_err()
                .code(),
            code,
            "{json}"
        );
    }
}

#[test]
fn public_jwk_and_jwks_round_trip() {
    let a = PrivateKey::generate("a").unwrap();
    let b = PrivateKey::generate("b").unwrap();
    assert_ne!(a.public_jwk().x, b.public_jwk().x);
    let jwk = a.public_jwk();
    assert_eq!(
        serde_json::to_value(&jwk).unwrap(),
        serde_json::json!({"kid":"a","alg":"EdDSA","kty":"OKP","crv":"Ed25519","x":jwk.x,"use":"sig"})
    );
    let jwks = Jwks::new(vec![a.public_key(), b.public_key()]).unwrap();
    let text = serde_json::to_string(&jwks.to_document()).unwrap();
    let back = Jwks::from_json(&text).unwrap();
    assert_eq!(back, jwks);
    assert!(back.find("b").is_some() && back.find("c").is_none());
    assert_eq!(
        Jwks::new(vec![a.public_key(), a.public_key()])
            .unwrap_err()
            .code(),
        "duplicate_key_id"
    );
}

/// The members of a read JWK, in declaration order.
fn members(v: &JwkInput) -> [Option<String>; 7] {
    [&v.kid, &v.alg, &v.kty, &v.crv, &v.x, &v.d, &v.key_use].map(Clone::clone)
}

/// What serde's derive (kept for Rust callers) read from `json` before `JwkInput::read`, through
/// a JSON value (a repeated member means its last value).
fn by_serde(json: &str) -> Result<[Option<String>; 7], ()> {
    crate::resources::from_secret_json::<JwkInput>(json)
        .map(|v| members(&v))
        .map_err(|_| ())
}

fn by_reader(json: &str) -> Result<[Option<String>; 7], KeyError> {
    JwkInput::parse(json).map(|v| members(&v))
}

#[test]
fn the_jwk_reader_reads_what_serde_reads() {
    let members = ["kid", "alg", "kty", "crv", "x", "d", "use", "other"];
    let values = [
        r#""a""#,
        r#""\u0041\n""#,
        "null",
        "1",
        "true",
        "[]",
        "{}",
        r#"["a"]"#,
    ];
    let mut documents = vec![
        "{}".to_owned(),
        "[]".to_owned(),
        "1".to_owned(),
        "null".to_owned(),
        r#"{"kid":"a","kid":"b"}"#.to_owned(),
        r#"{"kid":1,"kid":"b"}"#.to_owned(),
        "{".to_owned(),
    ];
    for m in members {
        for v in values {
            documents.push(format!(r#"{{"{m}":{v}}}"#));
            documents.push(format!(r#"{{"kty":"OKP","{m}":{v},"crv":"Ed25519"}}"#));
        }
    }
    for doc in &documents {
        let (serde, ours) = (by_serde(doc), by_reader(doc));
        match (&serde, &ours) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{doc}"),
            (Err(()), Err(e)) => assert_eq!(e.code(), "invalid_jwk", "{doc}"),
            _ => panic!("{doc}: serde {serde:?}, reader {ours:?}"),
        }
    }
}

#[test]
fn the_jwk_reader_names_the_bad_member() {
    let err = JwkInput::parse(r#"{"kty":"OKP","x":5}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "x: invalid type: number, expected a string"
    );
    assert_eq!(
        (err.code(), err.field()),
        ("invalid_jwk", Some("x".to_owned()))
    );
    let value = Json::parse(r#"[{"kid":"a"},{"kid":[]}]"#).unwrap();
    let err = JwkInput::read_all(&value, "").unwrap_err();
    assert!(
        err.to_string().contains("[1].kid: invalid type: array"),
        "{err}"
    );
    assert_eq!(err.field().as_deref(), Some("[1].kid"));
    let err = Jwks::from_json(r#"{"keys":{}}"#).unwrap_err();
    assert!(
        err.to_string().contains("keys: invalid type: object"),
        "{err}"
    );
    assert_eq!(Jwks::from_json("[]").unwrap_err().code(), "invalid_jwk");
    assert_eq!(Jwks::from_json("{}").unwrap_err().code(), "invalid_jwk");
    assert_eq!(Jwks::from_json(r#"{"keys":[]}"#).unwrap().keys().len(), 0);
}
