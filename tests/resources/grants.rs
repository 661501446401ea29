//! The authorization server: grant requests, access items and their limits, grants, continuations
//! and access tokens.

use super::support::*;

fn outgoing_access() -> Value {
    json!({
        "type": "outgoing-payment",
        "actions": ["create", "read"],
        "identifier": "https://ilp.example/alice",
        "limits": {
            "receiver": "https://ilp.example/incoming-payments/1",
            "interval": "R12/2019-08-24T14:15:22Z/P1M",
            "debitAmount": usd("500")
        }
    })
}

fn grant_request(access: Value) -> Value {
    json!({
        "access_token": {"access": [access]},
        "client": {"walletAddress": "https://client.example/pay"},
        "interact": {"start": ["redirect"], "finish": {"method": "redirect", "uri": "https://client.example/return", "nonce": "n1"}}
    })
}

#[test]
fn grant_request_round_trips_with_each_client_form() {
    round_trips::<GrantRequest>(&grant_request(outgoing_access()));
    let jwk =
        json!({"jwk": {"kid": "k", "alg": "EdDSA", "kty": "OKP", "crv": "Ed25519", "x": "abc"}});
    let parsed: GrantRequest = round_trips(&with(grant_request(outgoing_access()), "client", jwk));
    assert!(matches!(parsed.client, Client::Jwk { .. }));
    let parsed: GrantRequest = round_trips(&with(
        grant_request(outgoing_access()),
        "client",
        json!("https://client.example/pay"),
    ));
    assert!(matches!(parsed.client, Client::Deprecated(_)));
}

#[test]
fn grant_request_client_has_wallet_address_or_jwk_not_both() {
    let both = json!({"walletAddress": "https://c.example", "jwk": {"kid": "k", "alg": "EdDSA", "kty": "OKP", "crv": "Ed25519", "x": "abc"}});
    assert_eq!(
        refused::<GrantRequest>(&with(grant_request(outgoing_access()), "client", both)),
        ("conflicting_fields".to_owned(), field("client"))
    );
    let bad_key =
        json!({"jwk": {"kid": "k", "alg": "EdDSA", "kty": "RSA", "crv": "Ed25519", "x": "abc"}});
    assert_eq!(
        refused::<GrantRequest>(&with(grant_request(outgoing_access()), "client", bad_key)),
        ("invalid_value".to_owned(), field("client.jwk.kty"))
    );
}

#[test]
fn grant_request_needs_access_token_or_subject_with_interact() {
    let subject = json!({
        "subject": {"sub_ids": [{"id": "https://ilp.example/alice", "format": "uri"}]},
        "client": {"walletAddress": "https://client.example/pay"},
        "interact": {"start": ["redirect"]}
    });
    round_trips::<GrantRequest>(&subject);
    let mut no_interact = subject;
    no_interact.as_object_mut().unwrap().remove("interact");
    assert_eq!(
        refused::<GrantRequest>(&no_interact),
        ("conflicting_fields".to_owned(), None)
    );
}

#[test]
fn subject_has_exactly_one_sub_id() {
    let two = json!({"sub_ids": [{"id": "a", "format": "uri"}, {"id": "b", "format": "uri"}]});
    assert_eq!(
        refused::<Subject>(&two),
        ("conflicting_fields".to_owned(), field("sub_ids"))
    );
}

#[test]
fn grant_request_asks_for_at_most_three_access_items() {
    let item = json!({"type": "quote", "actions": ["create"]});
    let mut body = grant_request(item.clone());
    body["access_token"]["access"] = json!([item.clone(), item.clone(), item.clone(), item]);
    assert_eq!(
        refused::<GrantRequest>(&body),
        (
            "conflicting_fields".to_owned(),
            field("access_token.access")
        )
    );
}

#[test]
fn outgoing_payment_access_requires_an_identifier() {
    let mut item = outgoing_access();
    item.as_object_mut().unwrap().remove("identifier");
    assert_eq!(
        refused::<GrantRequest>(&grant_request(item)),
        (
            "missing_field".to_owned(),
            field("access_token.access[0].identifier")
        )
    );
}

#[test]
fn access_actions_must_be_allowed_for_the_type_and_unique() {
    let quote_complete = json!({"type": "quote", "actions": ["create", "complete"]});
    assert_eq!(refused::<AccessItem>(&quote_complete).0, "invalid_format");
    let outgoing_complete = with(outgoing_access(), "actions", json!(["complete"]));
    assert_eq!(
        refused::<AccessItem>(&outgoing_complete).0,
        "invalid_format"
    );
    let twice = json!({"type": "incoming-payment", "actions": ["read", "read"]});
    assert_eq!(refused::<AccessItem>(&twice).0, "conflicting_fields");
    let unknown_action = json!({"type": "incoming-payment", "actions": ["delete"]});
    assert_eq!(
        refused::<AccessItem>(&unknown_action),
        ("invalid_value".to_owned(), field("actions[0]"))
    );
    let all = json!({"type": "incoming-payment", "actions": ["create", "complete", "read", "read-all", "list", "list-all"]});
    round_trips::<AccessItem>(&all);
}

#[test]
fn only_outgoing_payment_access_has_limits() {
    let incoming = json!({"type": "incoming-payment", "actions": ["read"], "limits": {"debitAmount": usd("1")}});
    assert_eq!(refused::<AccessItem>(&incoming).0, "conflicting_fields");
}

#[test]
fn bad_amount_in_grant_limits_reports_json_path() {
    let mut item = outgoing_access();
    item["limits"]["debitAmount"]["assetCode"] = json!("usd");
    assert_eq!(
        refused::<GrantRequest>(&grant_request(item)),
        (
            "invalid_asset_code".to_owned(),
            field("access_token.access[0].limits.debitAmount.assetCode")
        )
    );
}

#[test]
fn limits_interval_is_an_iso8601_repeating_interval() {
    for ok in [
        "R/2016-08-24T08:00:00Z/P1D",
        "R-1/P1Y2M10DT2H30M/2022-05-11T15:30:00Z",
        "R11/2022-08-24T14:15:22Z/P1M",
    ] {
        assert!(Interval::parse(ok).is_ok(), "{ok}");
    }
    let mut item = outgoing_access();
    item["limits"]["interval"] = json!("P1M");
    assert_eq!(
        refused::<AccessItem>(&item),
        ("invalid_format".to_owned(), field("limits.interval"))
    );
}

#[test]
fn grant_response_with_interact_is_pending_and_with_access_token_is_approved() {
    let cont = json!({"access_token": {"value": "c"}, "uri": "https://auth.example/continue/1", "wait": 5});
    let pending = json!({"interact": {"redirect": "https://auth.example/i/1", "finish": "f"}, "continue": cont});
    assert!(matches!(round_trips(&pending), GrantResponse::Pending(_)));
    let token = json!({"value": "t", "manage": "https://auth.example/token/1", "access": [{"type": "quote", "actions": ["create"]}]});
    let approved = json!({"access_token": token, "continue": cont});
    match round_trips(&approved) {
        GrantResponse::Approved(grant) => assert!(grant.access_token.is_some()),
        other => panic!("{other:?}"),
    }
    // Tokens are secrets: `Debug` of a grant shows neither the access nor the continue token.
    let secret = json!({"access_token": with(token.clone(), "value", json!("SECRET-ACCESS")),
        "continue": with(cont.clone(), "access_token", json!({"value": "SECRET-CONTINUE"}))});
    let shown = format!("{:?}", round_trips::<GrantResponse>(&secret));
    assert!(
        !shown.contains("SECRET") && shown.contains("<redacted>"),
        "{shown}"
    );
    let neither = json!({"continue": cont});
    assert_eq!(
        refused::<GrantResponse>(&neither),
        ("missing_field".to_owned(), field("access_token"))
    );
    let both = with(pending.clone(), "access_token", token);
    assert_eq!(refused::<GrantResponse>(&both).0, "conflicting_fields");
}

#[test]
fn a_broken_interact_is_an_error_not_an_approved_grant() {
    let cont = json!({"access_token": {"value": "c"}, "uri": "https://auth.example/continue/1"});
    let broken = json!({"interact": {"redirect": "https://auth.example/i/1"}, "continue": cont});
    assert_eq!(
        refused::<GrantResponse>(&broken),
        ("missing_field".to_owned(), field("interact.finish"))
    );
}

#[test]
fn continuation_response_may_hold_only_continue() {
    let cont = json!({"continue": {"access_token": {"value": "c"}, "uri": "https://auth.example/continue/1", "wait": 30}});
    let grant: Grant = round_trips(&cont);
    assert_eq!(grant.access_token, None);
    assert_eq!(
        refused::<Grant>(&json!({"continue": {"uri": "https://auth.example/continue/1"}})),
        ("missing_field".to_owned(), field("continue.access_token"))
    );
}

#[test]
fn continuation_request_without_interact_ref_is_polling() {
    let polling: ContinuationRequest = round_trips(&json!({}));
    assert_eq!(polling.interact_ref, None);
    round_trips::<ContinuationRequest>(&json!({"interact_ref": "r"}));
}

#[test]
fn access_token_expires_in_is_an_optional_whole_number() {
    let token = json!({"access_token": {"value": "t", "manage": "https://auth.example/token/1", "access": []}});
    round_trips::<AccessTokenResponse>(&token);
    let mut bad = token;
    bad["access_token"]["expires_in"] = json!("3600");
    assert_eq!(
        refused::<AccessTokenResponse>(&bad),
        ("invalid_type".to_owned(), field("access_token.expires_in"))
    );
}
