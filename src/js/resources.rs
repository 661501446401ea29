//! Raw export behind the `parse*` resource checks (facade: `src/js/facade/resources.ts`, which
//! lists the JS names). Each takes the JSON text of a value, checks it against the schema of the
//! model the parser names (`crate::resources::schema`: the models' rules, tested against them on
//! every mutation of each document) and answers the normalised document as the model would write
//! it (unknown members of responses dropped, `null` members left out, amount values without
//! leading zeros), or the error with the JSON path of the first bad field. No typed model is
//! built: the walker's tables cost a few bytes per property where a model costs code per type.

use wasm_bindgen::prelude::*;

use super::{fail, fail_with, Answer};
use crate::resources::schema::{normalised, Kind};
use crate::resources::schema_rules::{
    ANY_INCOMING_PAYMENT, CREATE_INCOMING_PAYMENT, CREATE_OUTGOING_PAYMENT, CREATE_QUOTE,
    ERROR_RESPONSE, GNAP_ERROR_RESPONSE, GRANT_REQUEST, GRANT_RESPONSE,
};
use crate::resources::schema_table::{
    ACCESS_TOKEN_RESPONSE, DID_DOCUMENT, GRANT, GRANT_SPENT_AMOUNTS, INCOMING_PAYMENT,
    INCOMING_PAYMENT_PAGE, INCOMING_PAYMENT_WITH_METHODS, JSON_WEB_KEY, JSON_WEB_KEY_SET,
    OUTGOING_PAYMENT, OUTGOING_PAYMENT_PAGE, OUTGOING_PAYMENT_WITH_SPENT_AMOUNTS,
    PUBLIC_INCOMING_PAYMENT, QUOTE, WALLET_ADDRESS,
};

/// The schema each JS parser checks against (the model it is named after in the comments).
fn schema_of(parser: &str) -> Option<&'static Kind> {
    Some(match parser {
        "parseWalletAddress" => &WALLET_ADDRESS,
        "parseJsonWebKey" => &JSON_WEB_KEY,
        "parseJsonWebKeySet" => &JSON_WEB_KEY_SET,
        "parseDidDocument" => &DID_DOCUMENT,
        // IncomingPaymentWithPaymentMethods
        "parseIncomingPayment" => &INCOMING_PAYMENT_WITH_METHODS,
        "parseIncomingPaymentWithoutMethods" => &INCOMING_PAYMENT,
        "parsePublicIncomingPayment" => &PUBLIC_INCOMING_PAYMENT,
        "parseAnyIncomingPayment" => &ANY_INCOMING_PAYMENT,
        "parseCreateIncomingPaymentArgs" => &CREATE_INCOMING_PAYMENT,
        // Page<IncomingPayment>
        "parseIncomingPaymentPage" => &INCOMING_PAYMENT_PAGE,
        "parseQuote" => &QUOTE,
        "parseCreateQuoteArgs" => &CREATE_QUOTE,
        "parseOutgoingPayment" => &OUTGOING_PAYMENT,
        "parseOutgoingPaymentWithSpentAmounts" => &OUTGOING_PAYMENT_WITH_SPENT_AMOUNTS,
        "parseOutgoingPaymentGrantSpentAmounts" => &GRANT_SPENT_AMOUNTS,
        "parseCreateOutgoingPaymentArgs" => &CREATE_OUTGOING_PAYMENT,
        // Page<OutgoingPayment>
        "parseOutgoingPaymentPage" => &OUTGOING_PAYMENT_PAGE,
        "parseGrantRequest" => &GRANT_REQUEST,
        "parseGrantResponse" => &GRANT_RESPONSE,
        // Grant
        "parseGrantContinuation" => &GRANT,
        // AccessTokenResponse
        "parseAccessToken" => &ACCESS_TOKEN_RESPONSE,
        "parseErrorResponse" => &ERROR_RESPONSE,
        "parseGnapErrorResponse" => &GNAP_ERROR_RESPONSE,
        _ => return None,
    })
}

/// Checks `json` as the resource the JS parser `kind` (e.g. `"parseQuote"`) reads.
#[wasm_bindgen(js_name = parseResource)]
pub fn parse_resource(kind: &str, json: &str) -> Answer {
    match schema_of(kind) {
        Some(schema) => normalised(json, schema).unwrap_or_else(|e| fail(&e)),
        None => fail_with(
            "internal_error",
            &format!("no resource parser `{kind}`"),
            None,
        ),
    }
}
