//! One test per rule of the Open Payments data model (the schemas of the three Open Payments OpenAPI files, and their error bodies), each asserting the
//! error code and the JSON path of the field at fault.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use open_payments_wasm::resources::*;
use open_payments_wasm::ErrorCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn parse<T: DeserializeOwned>(value: &Value) -> Result<T, ResourceError> {
    from_json(&value.to_string())
}

fn refused<T: DeserializeOwned + std::fmt::Debug>(value: &Value) -> (String, Option<String>) {
    let err = parse::<T>(value).expect_err("should be refused");
    (err.code().to_owned(), err.field())
}

fn round_trips<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let parsed: T = parse(value).unwrap();
    assert_eq!(&serde_json::to_value(&parsed).unwrap(), value);
    parsed
}

fn usd(value: &str) -> Value {
    json!({"value": value, "assetCode": "USD", "assetScale": 2})
}

fn field(path: &str) -> Option<String> {
    Some(path.to_owned())
}

fn wallet_address() -> Value {
    json!({
        "id": "https://ilp.example/alice",
        "publicName": "Alice",
        "assetCode": "USD",
        "assetScale": 2,
        "authServer": "https://auth.example",
        "resourceServer": "https://ilp.example/op"
    })
}

fn incoming_payment() -> Value {
    json!({
        "id": "https://ilp.example/incoming-payments/1",
        "walletAddress": "https://ilp.example/alice",
        "completed": false,
        "incomingAmount": usd("2500"),
        "receivedAmount": usd("0"),
        "expiresAt": "2022-02-03T23:20:50.52Z",
        "metadata": {"externalRef": "INV-1", "nested": {"n": 1.5}},
        "createdAt": "2022-03-12T23:20:50.520+01:00",
        "methods": [{"type": "ilp", "ilpAddress": "g.ilp.abc", "sharedSecret": "1c7eaXa4rd2f_-"}]
    })
}

fn outgoing_payment() -> Value {
    json!({
        "id": "https://ilp.example/outgoing-payments/1",
        "walletAddress": "https://ilp.example/alice",
        "receiver": "https://ilp.example/incoming-payments/1",
        "receiveAmount": usd("2500"),
        "debitAmount": usd("2600"),
        "sentAmount": usd("0"),
        "createdAt": "2022-03-12T23:20:50Z"
    })
}

fn quote_request() -> Value {
    json!({
        "walletAddress": "https://ilp.example/alice",
        "receiver": "https://ilp.example/incoming-payments/1",
        "method": "ilp"
    })
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base.as_object_mut().unwrap().insert(key.to_owned(), value);
    base
}

// --- Wallet address server ---

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

// --- Incoming payments ---

#[test]
fn incoming_payment_with_methods_round_trips_with_timestamps_byte_identical() {
    let parsed: IncomingPaymentWithPaymentMethods = round_trips(&incoming_payment());
    assert_eq!(parsed.created_at.as_str(), "2022-03-12T23:20:50.520+01:00");
    let (payment, methods) = parsed.into_payment();
    assert_eq!(methods.len(), 1);
    assert_eq!(payment.received_amount.value(), 0);
}

#[test]
fn incoming_payment_with_a_malformed_timestamp_reports_its_field() {
    assert_eq!(
        refused::<IncomingPaymentWithPaymentMethods>(&with(
            incoming_payment(),
            "createdAt",
            json!("12/03/2022")
        )),
        ("invalid_timestamp".to_owned(), field("createdAt"))
    );
}

#[test]
fn incoming_payment_completed_must_be_a_boolean() {
    assert_eq!(
        refused::<IncomingPayment>(&with(incoming_payment(), "completed", json!("yes"))),
        ("invalid_type".to_owned(), field("completed"))
    );
}

#[test]
fn bad_amount_in_incoming_payment_reports_json_path() {
    let bad = with(
        incoming_payment(),
        "incomingAmount",
        json!({"value": "12.5", "assetCode": "USD", "assetScale": 2}),
    );
    assert_eq!(
        refused::<IncomingPaymentWithPaymentMethods>(&bad),
        ("invalid_amount".to_owned(), field("incomingAmount.value"))
    );
}

#[test]
fn ilp_payment_method_needs_an_ilp_address_and_a_base64url_secret() {
    let method = |address: &str, secret: &str| {
        with(
            incoming_payment(),
            "methods",
            json!([{"type": "ilp", "ilpAddress": address, "sharedSecret": secret}]),
        )
    };
    assert_eq!(
        refused::<IncomingPaymentWithPaymentMethods>(&method("g.ilp.abc", "a=b")),
        (
            "invalid_format".to_owned(),
            field("methods[0].sharedSecret")
        )
    );
    assert_eq!(
        refused::<IncomingPaymentWithPaymentMethods>(&method("x.ilp", "abc")),
        ("invalid_format".to_owned(), field("methods[0].ilpAddress"))
    );
    let wrong_type = with(
        incoming_payment(),
        "methods",
        json!([{"type": "card", "ilpAddress": "g.a", "sharedSecret": "a"}]),
    );
    assert_eq!(
        refused::<IncomingPaymentWithPaymentMethods>(&wrong_type),
        ("invalid_value".to_owned(), field("methods[0].type"))
    );
}

#[test]
fn get_incoming_payment_is_the_full_view_when_it_has_an_id_else_the_public_view() {
    assert!(matches!(
        parse::<AnyIncomingPayment>(&incoming_payment()).unwrap(),
        AnyIncomingPayment::Full(_)
    ));
    let public = json!({"receivedAmount": usd("10"), "authServer": "https://auth.example"});
    assert!(matches!(
        round_trips::<AnyIncomingPayment>(&public),
        AnyIncomingPayment::Public(_)
    ));
    assert_eq!(
        refused::<AnyIncomingPayment>(&json!({"receivedAmount": usd("10")})).0,
        "invalid_value"
    );
}

#[test]
fn create_incoming_payment_body_is_closed() {
    let body = json!({"walletAddress": "https://ilp.example/alice", "incomingAmount": usd("100"), "expiresAt": "2030-01-01T00:00:00Z"});
    round_trips::<CreateIncomingPaymentRequest>(&body);
    round_trips::<CreateIncomingPaymentRequest>(
        &json!({"walletAddress": "https://ilp.example/alice"}),
    );
    assert_eq!(
        refused::<CreateIncomingPaymentRequest>(&with(body, "completed", json!(true))),
        ("unknown_field".to_owned(), field("completed"))
    );
}

// --- Quotes ---

#[test]
fn quote_request_kind_follows_the_amount_given() {
    assert!(matches!(
        round_trips(&quote_request()),
        CreateQuoteRequest::IncomingAmount { .. }
    ));
    assert!(matches!(
        round_trips(&with(quote_request(), "debitAmount", usd("2500"))),
        CreateQuoteRequest::FixedSend { .. }
    ));
    assert!(matches!(
        round_trips(&with(quote_request(), "receiveAmount", usd("2500"))),
        CreateQuoteRequest::FixedReceive { .. }
    ));
}

#[test]
fn quote_request_with_both_debit_and_receive_amount_is_refused() {
    let both = with(
        with(quote_request(), "debitAmount", usd("1")),
        "receiveAmount",
        usd("1"),
    );
    assert_eq!(
        refused::<CreateQuoteRequest>(&both),
        ("conflicting_fields".to_owned(), None)
    );
}

#[test]
fn quote_request_with_a_field_outside_the_schema_is_refused() {
    assert_eq!(
        refused::<CreateQuoteRequest>(&with(quote_request(), "sentAmount", usd("1"))),
        ("unknown_field".to_owned(), field("sentAmount"))
    );
}

#[test]
fn quote_request_method_must_be_ilp() {
    assert_eq!(
        refused::<CreateQuoteRequest>(&with(quote_request(), "method", json!("card"))),
        ("invalid_value".to_owned(), field("method"))
    );
}

#[test]
fn bad_amount_in_quote_request_reports_json_path() {
    let bad = with(
        quote_request(),
        "debitAmount",
        json!({"value": "-1", "assetCode": "USD", "assetScale": 2}),
    );
    assert_eq!(
        refused::<CreateQuoteRequest>(&bad),
        ("invalid_amount".to_owned(), field("debitAmount.value"))
    );
}

#[test]
fn quote_needs_both_amounts_and_tolerates_unknown_fields() {
    let quote = json!({
        "id": "https://ilp.example/quotes/1",
        "walletAddress": "https://ilp.example/alice",
        "receiver": "https://ilp.example/incoming-payments/1",
        "receiveAmount": usd("2500"),
        "debitAmount": usd("2600"),
        "method": "ilp",
        "createdAt": "2022-03-12T23:20:50.52Z",
        "expiresAt": "2022-04-12T23:20:50.52Z"
    });
    round_trips::<Quote>(&quote);
    let parsed: Quote = parse(&with(quote.clone(), "sentAmount", usd("1"))).unwrap();
    assert_eq!(serde_json::to_value(parsed).unwrap(), quote);
    let mut missing = quote;
    missing.as_object_mut().unwrap().remove("receiveAmount");
    assert_eq!(
        refused::<Quote>(&missing),
        ("missing_field".to_owned(), field("receiveAmount"))
    );
}

// --- Outgoing payments ---

#[test]
fn bad_amount_in_outgoing_payment_reports_json_path() {
    let bad = with(
        outgoing_payment(),
        "sentAmount",
        json!({"value": "18446744073709551616", "assetCode": "USD", "assetScale": 2}),
    );
    assert_eq!(
        refused::<OutgoingPayment>(&bad),
        ("amount_overflow".to_owned(), field("sentAmount.value"))
    );
    let bad = with(
        outgoing_payment(),
        "debitAmount",
        json!({"value": 2600, "assetCode": "USD", "assetScale": 2}),
    );
    assert_eq!(
        refused::<OutgoingPayment>(&bad).1,
        field("debitAmount.value")
    );
}

#[test]
fn outgoing_payment_failed_defaults_to_false_and_is_not_invented() {
    let parsed: OutgoingPayment = round_trips(&outgoing_payment());
    assert!(!parsed.has_failed());
    let failed: OutgoingPayment = round_trips(&with(outgoing_payment(), "failed", json!(true)));
    assert!(failed.has_failed());
}

#[test]
fn outgoing_payment_with_spent_amounts_keeps_the_grant_totals() {
    let doc = with(outgoing_payment(), "grantSpentDebitAmount", usd("2600"));
    let parsed: OutgoingPaymentWithSpentAmounts = round_trips(&doc);
    assert_eq!(parsed.grant_spent_debit_amount.unwrap().value(), 2600);
    assert_eq!(parsed.grant_spent_receive_amount, None);
}

#[test]
fn outgoing_payment_request_is_from_a_quote_or_from_an_incoming_payment_with_debit_amount() {
    let from_quote = json!({"walletAddress": "https://ilp.example/alice", "quoteId": "https://ilp.example/quotes/1"});
    assert!(matches!(
        round_trips(&from_quote),
        CreateOutgoingPaymentRequest::FromQuote { .. }
    ));
    let direct = json!({
        "walletAddress": "https://ilp.example/alice",
        "incomingPayment": "https://ilp.example/incoming-payments/1",
        "debitAmount": usd("100"),
        "metadata": {"a": 1}
    });
    assert!(matches!(
        round_trips(&direct),
        CreateOutgoingPaymentRequest::FromIncomingPayment { .. }
    ));

    let conflicting = with(
        from_quote.clone(),
        "incomingPayment",
        json!("https://ilp.example/incoming-payments/1"),
    );
    assert_eq!(
        refused::<CreateOutgoingPaymentRequest>(&conflicting),
        ("conflicting_fields".to_owned(), None)
    );
    let quote_with_amount = with(from_quote, "debitAmount", usd("1"));
    assert_eq!(
        refused::<CreateOutgoingPaymentRequest>(&quote_with_amount).0,
        "conflicting_fields"
    );
    let mut no_amount = direct;
    no_amount.as_object_mut().unwrap().remove("debitAmount");
    assert_eq!(
        refused::<CreateOutgoingPaymentRequest>(&no_amount).0,
        "conflicting_fields"
    );
    let neither = json!({"walletAddress": "https://ilp.example/alice"});
    assert_eq!(
        refused::<CreateOutgoingPaymentRequest>(&neither).0,
        "conflicting_fields"
    );
}

#[test]
fn grant_spent_amounts_are_null_when_nothing_was_spent_and_both_keys_are_required() {
    let none = json!({"spentReceiveAmount": null, "spentDebitAmount": null});
    let parsed: OutgoingPaymentGrantSpentAmounts = round_trips(&none);
    assert_eq!(parsed.spent_debit_amount, None);
    round_trips::<OutgoingPaymentGrantSpentAmounts>(
        &json!({"spentReceiveAmount": usd("1"), "spentDebitAmount": null}),
    );
    assert_eq!(
        refused::<OutgoingPaymentGrantSpentAmounts>(&json!({"spentReceiveAmount": null})),
        ("missing_field".to_owned(), field("spentDebitAmount"))
    );
}

// --- Pagination ---

#[test]
fn bad_amount_in_a_list_page_reports_the_item_path() {
    let mut bad = incoming_payment();
    bad["receivedAmount"]["assetScale"] = json!(-1);
    let page = json!({"pagination": {"hasNextPage": false, "hasPreviousPage": false}, "result": [incoming_payment(), bad]});
    assert_eq!(
        refused::<Page<IncomingPayment>>(&page),
        (
            "invalid_asset_scale".to_owned(),
            field("result[1].receivedAmount.assetScale")
        )
    );
}

#[test]
fn an_empty_page_has_only_the_two_booleans() {
    let page =
        json!({"pagination": {"hasNextPage": false, "hasPreviousPage": false}, "result": []});
    let parsed: Page<OutgoingPayment> = round_trips(&page);
    assert_eq!(parsed.pagination.end_cursor, None);
}

// --- Grants (AS) ---

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

// --- Errors ---

#[test]
fn gnap_error_codes_of_the_spec_and_rafiki_are_known_and_unknown_codes_still_parse() {
    for code in [
        "invalid_request",
        "invalid_client",
        "request_denied",
        "too_fast",
        "invalid_continuation",
        "invalid_rotation",
        "invalid_interaction",
        "user_denied",
        "unknown_interaction",
    ] {
        let body: GnapErrorResponse =
            round_trips(&json!({"error": {"code": code, "description": "d"}}));
        assert!(
            !matches!(body.error.code, GnapErrorCode::Other(_)),
            "{code}"
        );
        assert_eq!(body.error.code.as_str(), code);
    }
    let body: GnapErrorResponse = round_trips(&json!({"error": {"code": "brand_new"}}));
    assert_eq!(
        body.error.code,
        GnapErrorCode::Other("brand_new".to_owned())
    );
    assert_eq!(GnapErrorCode::from_wire("too_fast"), GnapErrorCode::TooFast);
}

#[test]
fn resource_server_error_has_code_description_and_optional_details() {
    round_trips::<ErrorResponse>(&json!({"error": {"code": "401", "description": "Unauthorized"}}));
    round_trips::<ErrorResponse>(
        &json!({"error": {"code": "invalid_request", "description": "d", "details": {"k": [1]}}}),
    );
    assert_eq!(
        refused::<ErrorResponse>(&json!({"error": {"code": "x"}})),
        ("missing_field".to_owned(), field("error.description"))
    );
}

#[test]
fn invalid_json_text_is_reported_as_invalid_json() {
    let err = from_json::<Quote>("{\"id\": ").unwrap_err();
    assert_eq!(err.code(), "invalid_json");
}
