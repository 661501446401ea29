//! Incoming payments, quotes and outgoing payments: amounts, timestamps, payment methods, closed
//! request bodies.

use super::support::*;

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
