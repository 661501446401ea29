//! Raw export behind the `parse*` resource checks (facade: `src/js/facade/resources.ts`, which
//! lists the JS names). Each takes the JSON text of a value, validates it with the models of
//! [`crate::resources`], and answers the normalised document (unknown members of responses
//! dropped, amount values without leading zeros), or the error with the JSON path of the first
//! bad field.

use wasm_bindgen::prelude::*;

use super::{fail_with, read, run, Answer};
use crate::resources::{
    AccessTokenResponse, AnyIncomingPayment, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, DidDocument, ErrorResponse,
    GnapErrorResponse, Grant, GrantRequest, GrantResponse, IncomingPayment,
    IncomingPaymentWithPaymentMethods, JsonWebKey, JsonWebKeySet, OutgoingPayment,
    OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts, Page, PublicIncomingPayment,
    Quote, WalletAddress,
};

/// `match` from the JS parser name to the model it checks.
macro_rules! parsers {
    ($kind:expr, $json:expr, { $($name:literal => $ty:ty),* $(,)? }) => {
        match $kind {
            $($name => run(|| read::<$ty>($json)),)*
            other => fail_with("internal_error", &format!("no resource parser `{other}`"), None),
        }
    };
}

/// Checks `json` as the resource the JS parser `kind` (e.g. `"parseQuote"`) reads.
#[wasm_bindgen(js_name = parseResource)]
pub fn parse_resource(kind: &str, json: &str) -> Answer {
    parsers!(kind, json, {
        "parseWalletAddress" => WalletAddress,
        "parseJsonWebKey" => JsonWebKey,
        "parseJsonWebKeySet" => JsonWebKeySet,
        "parseDidDocument" => DidDocument,
        "parseIncomingPayment" => IncomingPaymentWithPaymentMethods,
        "parseIncomingPaymentWithoutMethods" => IncomingPayment,
        "parsePublicIncomingPayment" => PublicIncomingPayment,
        "parseAnyIncomingPayment" => AnyIncomingPayment,
        "parseCreateIncomingPaymentArgs" => CreateIncomingPaymentRequest,
        "parseIncomingPaymentPage" => Page<IncomingPayment>,
        "parseQuote" => Quote,
        "parseCreateQuoteArgs" => CreateQuoteRequest,
        "parseOutgoingPayment" => OutgoingPayment,
        "parseOutgoingPaymentWithSpentAmounts" => OutgoingPaymentWithSpentAmounts,
        "parseOutgoingPaymentGrantSpentAmounts" => OutgoingPaymentGrantSpentAmounts,
        "parseCreateOutgoingPaymentArgs" => CreateOutgoingPaymentRequest,
        "parseOutgoingPaymentPage" => Page<OutgoingPayment>,
        "parseGrantRequest" => GrantRequest,
        "parseGrantResponse" => GrantResponse,
        "parseGrantContinuation" => Grant,
        "parseAccessToken" => AccessTokenResponse,
        "parseErrorResponse" => ErrorResponse,
        "parseGnapErrorResponse" => GnapErrorResponse,
    })
}
