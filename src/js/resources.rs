//! JS exports that check Open Payments resources: each `parse*` takes a value as `JSON.parse`
//! gives it, validates it with the models of `crate::resources`, and returns the normalised
//! plain object (unknown fields of responses dropped, amount values without leading zeros).
//! Invalid input throws an `OpenPaymentsError` whose `field` is the JSON path of the bad field.

use wasm_bindgen::prelude::*;

use serde::de::DeserializeOwned;

use super::{from_js, to_js};
use crate::resources::{
    AccessTokenResponse, AnyIncomingPayment, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, DidDocument, ErrorResponse,
    GnapErrorResponse, Grant, GrantRequest, GrantResponse, IncomingPayment,
    IncomingPaymentWithPaymentMethods, JsonWebKey, JsonWebKeySet, OutgoingPayment,
    OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts, Page, PublicIncomingPayment,
    Quote, WalletAddress,
};

/// Reads a resource from a JS value (see [`from_js`]: same codes and paths as natively).
fn parse<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_js(value)
}

/// Declares `pub fn $name(value: unknown) -> $ts`: parse as `$ty`, return the normalised object.
macro_rules! parser {
    ($(#[doc = $doc:literal])* $name:ident, $js:ident, $ty:ty, $ts:literal) => {
        $(#[doc = $doc])*
        #[wasm_bindgen(js_name = $js, unchecked_return_type = $ts)]
        pub fn $name(#[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue) -> Result<JsValue, JsValue> {
            to_js(&parse::<$ty>(value)?)
        }
    };
}

parser!(
    /// Checks a wallet address document.
    parse_wallet_address, parseWalletAddress, WalletAddress, "WalletAddress"
);
parser!(
    /// Checks one JWK (Ed25519 signing key).
    parse_json_web_key, parseJsonWebKey, JsonWebKey, "JWK"
);
parser!(
    /// Checks a key set (`jwks.json`).
    parse_json_web_key_set, parseJsonWebKeySet, JsonWebKeySet, "JWKS"
);
parser!(
    /// Checks that a DID document is a JSON object.
    parse_did_document, parseDidDocument, DidDocument, "DIDDocument"
);
parser!(
    /// Checks an incoming payment with its payment methods (create, or authorized get).
    parse_incoming_payment, parseIncomingPayment, IncomingPaymentWithPaymentMethods, "IncomingPaymentWithPaymentMethods"
);
parser!(
    /// Checks an incoming payment without methods (list item, `complete` response).
    parse_incoming_payment_without_methods, parseIncomingPaymentWithoutMethods, IncomingPayment, "IncomingPayment"
);
parser!(
    /// Checks the public view of an incoming payment (unauthenticated get).
    parse_public_incoming_payment, parsePublicIncomingPayment, PublicIncomingPayment, "PublicIncomingPayment"
);
parser!(
    /// Checks a `GET /incoming-payments/{id}` answer: the full view when it has an `id`, else the public view.
    parse_any_incoming_payment, parseAnyIncomingPayment, AnyIncomingPayment,
    "IncomingPaymentWithPaymentMethods | PublicIncomingPayment"
);
parser!(
    /// Checks a create-incoming-payment body (closed: unknown fields are refused).
    parse_create_incoming_payment_args, parseCreateIncomingPaymentArgs, CreateIncomingPaymentRequest,
    "CreateIncomingPaymentArgs"
);
parser!(
    /// Checks a page of incoming payments.
    parse_incoming_payment_page, parseIncomingPaymentPage, Page<IncomingPayment>, "IncomingPaymentPaginationResult"
);
parser!(
    /// Checks a quote.
    parse_quote, parseQuote, Quote, "Quote"
);
parser!(
    /// Checks a create-quote body: at most one of `debitAmount` and `receiveAmount`, no unknown fields.
    parse_create_quote_args, parseCreateQuoteArgs, CreateQuoteRequest, "CreateQuoteArgs"
);
parser!(
    /// Checks an outgoing payment (get, list item).
    parse_outgoing_payment, parseOutgoingPayment, OutgoingPayment, "OutgoingPayment"
);
parser!(
    /// Checks a created outgoing payment with its grant's spent amounts.
    parse_outgoing_payment_with_spent_amounts, parseOutgoingPaymentWithSpentAmounts, OutgoingPaymentWithSpentAmounts,
    "OutgoingPaymentWithSpentAmounts"
);
parser!(
    /// Checks the spent amounts of an outgoing payment grant (both keys required, `null` allowed).
    parse_outgoing_payment_grant_spent_amounts, parseOutgoingPaymentGrantSpentAmounts,
    OutgoingPaymentGrantSpentAmounts, "OutgoingPaymentGrantSpentAmounts"
);
parser!(
    /// Checks a create-outgoing-payment body: `quoteId`, or `incomingPayment` with `debitAmount`.
    parse_create_outgoing_payment_args, parseCreateOutgoingPaymentArgs, CreateOutgoingPaymentRequest,
    "CreateOutgoingPaymentArgs"
);
parser!(
    /// Checks a page of outgoing payments.
    parse_outgoing_payment_page, parseOutgoingPaymentPage, Page<OutgoingPayment>, "OutgoingPaymentPaginationResult"
);
parser!(
    /// Checks a grant request body.
    parse_grant_request, parseGrantRequest, GrantRequest, "GrantRequest"
);
parser!(
    /// Checks a grant response: pending (`interact`) or approved (`access_token`), never both.
    parse_grant_response, parseGrantResponse, GrantResponse, "PendingGrant | Grant"
);
parser!(
    /// Checks a continuation response (`continue`, with `access_token` and/or `subject` once approved).
    parse_grant_continuation, parseGrantContinuation, Grant, "Grant"
);
parser!(
    /// Checks a token rotation response.
    parse_access_token, parseAccessToken, AccessTokenResponse, "AccessToken"
);
parser!(
    /// Checks a resource server error body.
    parse_error_response, parseErrorResponse, ErrorResponse, "ErrorResponse"
);
parser!(
    /// Checks an authorization server (GNAP) error body; unknown codes are kept.
    parse_gnap_error_response, parseGnapErrorResponse, GnapErrorResponse, "GnapErrorResponse"
);
