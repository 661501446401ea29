//! The wallet address server: wallet addresses, their keys (JWKs) and DID documents.

use super::support::*;

#[test]
fn unknown_fields_in_wallet_address_are_tolerated() {
    let extended = with(wallet_address(), "somethingNew", json!({"x": 1}));
    let parsed: WalletAddress = parse(&extended).unwrap();
    assert_eq!(serde_json::to_value(parsed).unwrap(), wallet_address());
}

#[test]
fn wallet_address_public_name_is_optional_and_stays_absent() {
    let mut doc = wallet_address();
    doc.as_object_mut().unwrap().remove("publicName");
    let parsed: WalletAddress = round_trips(&doc);
    assert_eq!(parsed.public_name, None);
}

#[test]
fn wallet_address_asset_follows_the_amount_rules() {
    assert_eq!(
        refused::<WalletAddress>(&with(wallet_address(), "assetCode", json!("usd"))),
        ("invalid_asset_code".to_owned(), field("assetCode"))
    );
    assert_eq!(
        refused::<WalletAddress>(&with(wallet_address(), "assetScale", json!(256))),
        ("invalid_asset_scale".to_owned(), field("assetScale"))
    );
}

#[test]
fn wallet_address_without_auth_server_is_refused() {
    let mut doc = wallet_address();
    doc.as_object_mut().unwrap().remove("authServer");
    assert_eq!(
        refused::<WalletAddress>(&doc),
        ("missing_field".to_owned(), field("authServer"))
    );
}

#[test]
fn jwk_must_be_an_ed25519_signing_key() {
    let key = json!({"kid": "k1", "alg": "EdDSA", "use": "sig", "kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
    let set = json!({"keys": [key.clone()]});
    round_trips::<JsonWebKeySet>(&set);
    assert_eq!(
        refused::<JsonWebKeySet>(&json!({"keys": [with(key.clone(), "alg", json!("RS256"))]})),
        ("invalid_value".to_owned(), field("keys[0].alg"))
    );
    assert_eq!(
        refused::<JsonWebKey>(&with(key.clone(), "crv", json!("P-256"))),
        ("invalid_value".to_owned(), field("crv"))
    );
    assert_eq!(
        refused::<JsonWebKey>(&with(key, "x", json!("not+base64/url="))),
        ("invalid_format".to_owned(), field("x"))
    );
}

#[test]
fn did_document_is_any_json_object() {
    round_trips::<DidDocument>(
        &json!({"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:web:x"}),
    );
    assert_eq!(refused::<DidDocument>(&json!([1])).0, "invalid_type");
}
