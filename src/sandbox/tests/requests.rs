//! Request bodies: malformed JSON and unknown members are 400 and change nothing.

use super::*;

#[test]
fn malformed_json_and_unknown_fields_are_400_and_change_nothing() {
    let mut s = Sbx::new();
    let (ip, q, token) = s.payable_quote();
    let (itoken, qtoken) = s.create_only_tokens();
    let before = s.snapshot();
    let op_url = format!("{}/outgoing-payments", rs("bank-b"));
    let ip_url = format!("{}/incoming-payments", rs("bank-a"));
    let q_url = format!("{}/quotes", rs("bank-b"));
    let raw: &[(&str, &str, &[u8])] = &[
        (&op_url, &token, b"{\"walletAddress\":"),
        (&op_url, &token, b"not json"),
        (&ip_url, &itoken, b"{\"walletAddress\": }"),
        (&q_url, &qtoken, b"[1, 2"),
    ];
    for (url, tok, bytes) in raw {
        let r = signed_raw(&mut s.state, &s.key, "POST", url, Some(tok), bytes);
        assert_eq!(
            (r.status, code(&r)),
            (400, "invalid_request".to_owned()),
            "{url} {}",
            String::from_utf8_lossy(bytes)
        );
    }
    let cases = [
        (&op_url, &token, json!("not an object")),
        (&op_url, &token, json!({ "walletAddress": 5, "quoteId": q })),
        (
            &op_url,
            &token,
            json!({ "walletAddress": wallet("shopper"), "quoteId": q, "extra": 1 }),
        ),
        (
            &op_url,
            &token,
            json!({ "walletAddress": wallet("shopper"), "quoteId": q, "incomingPayment": ip, "debitAmount": amount("1", "EUR", 2) }),
        ),
        (
            &ip_url,
            &itoken,
            json!({ "walletAddress": wallet("shop"), "surprise": true }),
        ),
        (
            &ip_url,
            &itoken,
            json!({ "walletAddress": wallet("shop"), "incomingAmount": { "value": "-1", "assetCode": "USD", "assetScale": 2 } }),
        ),
        (
            &q_url,
            &qtoken,
            json!({ "walletAddress": wallet("shopper"), "receiver": ip, "method": "ilp", "debitAmount": amount("1", "EUR", 2), "unknown": [] }),
        ),
    ];
    for (url, tok, bad) in cases {
        let r = s.signed("POST", url, Some(tok), bad.clone());
        assert_eq!(
            (r.status, code(&r)),
            (400, "invalid_request".to_owned()),
            "{url} {bad}"
        );
    }
    // Grant requests: malformed, and an unknown field in `client` (whose schema forbids extra
    // properties; the top level of a grant request allows GNAP extensions).
    let grants = s.state.grants.len();
    let r = signed_raw(
        &mut s.state,
        &s.key,
        "POST",
        &auth("bank-a"),
        None,
        b"{\"access_token\":",
    );
    assert_eq!(r.status, 400, "{:?}", body(&r));
    let r = s.signed(
        "POST",
        &auth("bank-a"),
        None,
        json!({
            "access_token": { "access": [{ "type": "quote", "actions": ["create"] }] },
            "client": { "walletAddress": wallet("shop"), "bogus": 1 }
        }),
    );
    assert_eq!(r.status, 400, "{:?}", body(&r));
    assert_eq!(s.state.grants.len(), grants);
    // The dev clock endpoint also rejects malformed JSON and leaves the clock alone.
    assert_eq!(s.dev_post("clock", json!({ "advance": 5 })).status, 400);
    assert_eq!(s.state.clock_offset_seconds, 0);
    assert_eq!(s.snapshot(), before);
    // The quote is still usable.
    assert_eq!(s.pay(&token, &q).status, 201);
}
