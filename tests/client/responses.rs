//! The response parsers (error bodies, bad bodies of success statuses) and the interact block with
//! its finish hash.

use super::support::*;

// ------------------------------------------------------------------ parsers: errors

#[test]
fn error_responses_carry_status_server_code_description_and_body() {
    let call =
        req::get_public_incoming_payment("https://rs.example/incoming-payments/x", opts()).unwrap();
    let err = call
        .parse(&response(
            404,
            r#"{"error":{"code":"404","description":"Not Found","details":{"id":"x"}}}"#,
        ))
        .unwrap_err();
    // The server's code verbatim, as the official client's `err.code`; ours by status in `reason`.
    assert_eq!(err.code(), "404");
    assert_eq!(err.reason(), "not_found");
    match &err {
        ClientError::Http {
            method,
            url,
            status,
            server_code,
            description,
            details,
            body,
        } => {
            assert_eq!(
                details.as_ref().and_then(|d| d.get("id")),
                Some(serde_json::json!("x"))
            );
            assert_eq!(
                (method.as_str(), url.as_str(), *status),
                ("GET", "https://rs.example/incoming-payments/x", 404)
            );
            assert_eq!(server_code.as_deref(), Some("404"));
            assert_eq!(description.as_deref(), Some("Not Found"));
            assert!(body.as_deref().unwrap().contains("Not Found"));
        }
        other => panic!("{other:?}"),
    }
    // GNAP error without description: the server's code is the error's code, whether or not it
    // is one of the spec's (as the official client's `err.code`); `reason` says the status.
    let err = call
        .parse(&response(400, r#"{"error":{"code":"too_fast"}}"#))
        .unwrap_err();
    assert_eq!(err.code(), "too_fast");
    assert!(
        matches!(&err, ClientError::Http { server_code: Some(c), description: None, .. } if c == "too_fast")
    );
    let err = call
        .parse(&response(400, r#"{"error":{"code":"slow_down"}}"#))
        .unwrap_err();
    assert_eq!((err.code(), err.reason()), ("slow_down", "bad_request"));
    assert!(matches!(&err, ClientError::Http { server_code: Some(c), .. } if c == "slow_down"));
    // 500 without a body.
    let err = call.parse(&response(500, "")).unwrap_err();
    assert_eq!(err.code(), "server_error");
    assert!(matches!(
        &err,
        ClientError::Http {
            body: None,
            server_code: None,
            ..
        }
    ));
    assert_eq!(
        call.parse(&response(401, "")).unwrap_err().code(),
        "unauthorized"
    );
    assert_eq!(
        call.parse(&response(403, "")).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        call.parse(&response(418, "")).unwrap_err().code(),
        "http_error"
    );
}

#[test]
fn a_success_status_with_a_bad_body_is_an_invalid_response_naming_the_field() {
    let call = req::get_wallet_address(WALLET, opts()).unwrap();
    let err = call
        .parse(&response(200, r#"{"id":"x","assetCode":"USD","assetScale":300,"authServer":"a","resourceServer":"r"}"#))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_response");
    assert_eq!(err.field().as_deref(), Some("assetScale"));
    assert_eq!(
        call.parse(&response(200, "not json")).unwrap_err().code(),
        "invalid_response"
    );
}

// ------------------------------------------------------------------ interaction

#[test]
fn interact_block_has_a_fresh_nonce_and_the_finish_hash_is_checked() {
    let runtime = FakeRuntime::default();
    let a = new_nonce(&runtime).unwrap();
    let b = new_nonce(&runtime).unwrap();
    assert_eq!(a.len(), 32);
    assert_ne!(a, b);
    let interact = interact_request("https://app.example/return", &a);
    assert_eq!(
        serde_json::to_string(&interact).unwrap(),
        format!(
            r#"{{"start":["redirect"],"finish":{{"method":"redirect","uri":"https://app.example/return","nonce":"{a}"}}}}"#
        )
    );
    let hash = interaction_hash(&a, "finish", "ref", AS);
    let mut check = InteractFinishCheck {
        client_nonce: &a,
        finish_nonce: "finish",
        interact_ref: "ref",
        grant_endpoint: AS,
        hash: &hash,
    };
    verify_interact_finish(&check).unwrap();
    check.interact_ref = "other";
    assert_eq!(
        verify_interact_finish(&check).unwrap_err().code(),
        "interaction_hash_mismatch"
    );
}
