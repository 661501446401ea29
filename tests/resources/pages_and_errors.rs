//! List pages and error bodies: GNAP error codes, resource server errors, invalid JSON text.

use super::support::*;

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
