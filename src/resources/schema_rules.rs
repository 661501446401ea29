//! Hand-written kinds for the schema walker (`schema.rs`): where the OpenAPI files say `oneOf`
//! of several objects (access items, grant responses, the quote, outgoing payment and grant
//! request bodies) or state a rule the generated tables (`schema_table.rs`) have no kind for (one
//! subject identifier, the interval's form, at most three access items), and the request bodies,
//! which the client reads closed (`additionalProperties: false`) where the response documents are
//! read open. Each one checks what the typed model checks, with the model's own rules and
//! messages (`grant.rs`, `quote.rs` and `outgoing_payment.rs` share them), and the walker's tests
//! compare both on every mutation of a valid document.

use super::common::FieldError;
use super::grant::{
    check_access_count, check_access_item, check_client, check_grant_request, AccessAction,
    AccessItemFault, AccessType, Interval, ONE_SUB_ID, PENDING_OR_APPROVED,
};
use super::outgoing_payment::check_outgoing_source;
use super::quote::check_quote_amounts;
use super::schema::{Kind, Prop};
use super::schema_table::{
    ACCESS_TOKEN, AMOUNT, CONTINUE, INCOMING_PAYMENT_WITH_METHODS, INTERACT_RESPONSE, JSON_WEB_KEY,
    PUBLIC_INCOMING_PAYMENT, SUBJECT,
};
use super::ResourceError;
use crate::error::ErrorCode;
use crate::json::Json;

/// A property (shorter to read in the tables below, which are written by hand).
const fn prop(name: &'static str, order: u8, required: bool, kind: &'static Kind) -> Prop {
    Prop {
        name,
        order,
        required,
        kind,
    }
}

/// A rule's error with the model's code and words.
fn fault(err: &FieldError) -> (ResourceError, Option<&'static str>) {
    (ResourceError::new(err.code(), "", &err.to_string()), None)
}

/// The error of a missing member, reported at that member.
fn missing(name: &'static str) -> (ResourceError, Option<&'static str>) {
    let message = format!("missing field `{name}`");
    (
        ResourceError::new("missing_field", "", &message),
        Some(name),
    )
}

/// A member given and not `null` (as serde's `Option` reads it).
fn present(value: &Json, name: &str) -> bool {
    value.given(name).is_some()
}

/// `access-item` (`oneOf` `access-incoming`, `access-outgoing`, `access-quote`, told apart by
/// `type`; the model: `AccessItem`): every member any of them has, then the rules of
/// [`check_access_item`].
pub(crate) static ACCESS_ITEM: Kind = Kind::Rule(
    &Kind::Object(&[
        prop(
            "actions",
            1,
            true,
            &Kind::Array(&Kind::Enum(&[
                "create", "complete", "read", "read-all", "list", "list-all",
            ])),
        ),
        prop("identifier", 2, false, &Kind::Str),
        prop("limits", 3, false, &LIMITS_OUTGOING),
        prop(
            "type",
            0,
            true,
            &Kind::Enum(&["incoming-payment", "outgoing-payment", "quote"]),
        ),
    ]),
    access_item,
);

fn access_item(value: &Json) -> Result<(), (ResourceError, Option<&'static str>)> {
    // The kind has checked `type` and `actions` already.
    let Some(type_) = value
        .get("type")
        .and_then(Json::as_str)
        .and_then(AccessType::from_wire)
    else {
        return Ok(());
    };
    let actions: Vec<AccessAction> = match value.get("actions") {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|a| a.as_str().and_then(AccessAction::from_wire))
            .collect(),
        _ => Vec::new(),
    };
    check_access_item(
        type_,
        &actions,
        present(value, "identifier"),
        present(value, "limits"),
    )
    .map_err(|f| match f {
        AccessItemFault::Rule(err) => fault(&err),
        AccessItemFault::MissingIdentifier => missing("identifier"),
    })
}

/// `limits-outgoing` (`anyOf` three open objects that differ only in which amount they require;
/// the model `LimitsOutgoing` takes each member as optional, which is the set they accept).
static LIMITS_OUTGOING: Kind = Kind::Object(&[
    prop("debitAmount", 2, false, &AMOUNT),
    prop("interval", 1, false, &Kind::Text(interval)),
    prop("receiveAmount", 3, false, &AMOUNT),
    prop("receiver", 0, false, &Kind::Str),
]);

/// `interval`: the outer form of an ISO 8601 repeating interval ([`Interval::parse`]).
fn interval(text: &str) -> Result<(), ResourceError> {
    Interval::parse(text).map(drop).map_err(|err| fault(&err).0)
}

/// `subject.sub_ids` (`minItems: 1, maxItems: 1`): exactly one subject identifier.
pub(crate) static SUB_IDS: Kind = Kind::Rule(
    &Kind::Array(&Kind::Object(&[
        prop("format", 1, true, &Kind::Enum(&["uri"])),
        prop("id", 0, true, &Kind::Str),
    ])),
    one_sub_id,
);

fn one_sub_id(value: &Json) -> Result<(), (ResourceError, Option<&'static str>)> {
    match value {
        Json::Array(items) if items.len() != 1 => Err(fault(&FieldError::Conflict(ONE_SUB_ID))),
        _ => Ok(()),
    }
}

/// The answer to a grant request (`POST /`: `oneOf` pending with `interact` and approved with
/// `access_token`, both with `continue`; the model: `GrantResponse`). The generator's tests
/// check that the spec still says so.
pub(crate) static GRANT_RESPONSE: Kind = Kind::Rule(
    &Kind::Object(&[
        prop("access_token", 1, false, &ACCESS_TOKEN),
        prop("continue", 3, true, &CONTINUE),
        prop("interact", 0, false, &INTERACT_RESPONSE),
        prop("subject", 2, false, &SUBJECT),
    ]),
    pending_or_approved,
);

fn pending_or_approved(value: &Json) -> Result<(), (ResourceError, Option<&'static str>)> {
    match (present(value, "interact"), present(value, "access_token")) {
        (true, true) => Err(fault(&FieldError::Conflict(PENDING_OR_APPROVED))),
        (false, false) => Err(missing("access_token")),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------- request bodies

/// `POST /incoming-payments` (closed; the model: `CreateIncomingPaymentRequest`).
pub(crate) static CREATE_INCOMING_PAYMENT: Kind = Kind::Closed(&[
    prop("expiresAt", 2, false, &Kind::DateTime),
    prop("incomingAmount", 1, false, &AMOUNT),
    prop("metadata", 3, false, &Kind::AnyObject),
    prop("walletAddress", 0, true, &Kind::Str),
]);

/// `POST /quotes` (`oneOf` three closed objects told apart by their amount; the model:
/// `CreateQuoteRequest`): every member any of them has, then [`check_quote_amounts`].
pub(crate) static CREATE_QUOTE: Kind = Kind::Rule(
    &Kind::Closed(&[
        prop("debitAmount", 3, false, &AMOUNT),
        prop("method", 2, true, &Kind::Enum(&["ilp"])),
        prop("receiveAmount", 4, false, &AMOUNT),
        prop("receiver", 1, true, &Kind::Str),
        prop("walletAddress", 0, true, &Kind::Str),
    ]),
    quote_amounts,
);

fn quote_amounts(value: &Json) -> Result<(), (ResourceError, Option<&'static str>)> {
    check_quote_amounts(
        present(value, "debitAmount"),
        present(value, "receiveAmount"),
    )
    .map_err(|err| fault(&err))
}

/// `POST /outgoing-payments` (`oneOf` two closed objects; the model:
/// `CreateOutgoingPaymentRequest`): every member either has, then [`check_outgoing_source`].
pub(crate) static CREATE_OUTGOING_PAYMENT: Kind = Kind::Rule(
    &Kind::Closed(&[
        prop("debitAmount", 3, false, &AMOUNT),
        prop("incomingPayment", 2, false, &Kind::Str),
        prop("metadata", 4, false, &Kind::AnyObject),
        prop("quoteId", 1, false, &Kind::Str),
        prop("walletAddress", 0, true, &Kind::Str),
    ]),
    outgoing_source,
);

fn outgoing_source(value: &Json) -> Result<(), (ResourceError, Option<&'static str>)> {
    check_outgoing_source(
        present(value, "quoteId"),
        present(value, "incomingPayment"),
        present(value, "debitAmount"),
    )
    .map_err(|err| fault(&err))
}

/// `POST {continue.uri}` (the model: `ContinuationRequest`).
pub(crate) static CONTINUATION: Kind = Kind::Object(&[prop("interact_ref", 0, false, &Kind::Str)]);

/// `POST /` of the authorization server (`anyOf` with an access token, or with a subject and
/// `interact`; the model: `GrantRequest`): every member either has, then
/// [`check_grant_request`].
pub(crate) static GRANT_REQUEST: Kind = Kind::Rule(
    &Kind::Object(&[
        prop(
            "access_token",
            0,
            false,
            &Kind::Object(&[prop("access", 0, true, &ACCESS_REQUESTED)]),
        ),
        prop("client", 1, true, &CLIENT),
        prop("interact", 2, false, &INTERACT_REQUEST),
        prop("subject", 3, false, &SUBJECT),
    ]),
    grant_request,
);

fn grant_request(value: &Json) -> Result<(), (ResourceError, Option<&'static str>)> {
    check_grant_request(
        present(value, "access_token"),
        present(value, "subject"),
        present(value, "interact"),
    )
    .map_err(|err| fault(&err))
}

/// The access a grant request asks for: access items, at most three ([`check_access_count`]).
static ACCESS_REQUESTED: Kind = Kind::Rule(&Kind::Array(&ACCESS_ITEM), access_count);

fn access_count(value: &Json) -> Result<(), (ResourceError, Option<&'static str>)> {
    match value {
        Json::Array(items) => check_access_count(items.len()).map_err(|err| fault(&err)),
        _ => Ok(()),
    }
}

/// `client` (`oneOf` a wallet address string (deprecated), `{walletAddress}` or `{jwk}`, both
/// closed; the model: `Client`), then [`check_client`].
static CLIENT: Kind = Kind::StrOr(&Kind::Rule(
    &Kind::Closed(&[
        prop("jwk", 1, false, &JSON_WEB_KEY),
        prop("walletAddress", 0, false, &Kind::Str),
    ]),
    client,
));

fn client(value: &Json) -> Result<(), (ResourceError, Option<&'static str>)> {
    check_client(present(value, "walletAddress"), present(value, "jwk")).map_err(|f| match f {
        Some(err) => fault(&err),
        None => missing("walletAddress"),
    })
}

/// `interact-request` (the model: `InteractRequest`).
static INTERACT_REQUEST: Kind = Kind::Object(&[
    prop(
        "finish",
        1,
        false,
        &Kind::Object(&[
            prop("method", 0, true, &Kind::Enum(&["redirect"])),
            prop("nonce", 2, true, &Kind::Str),
            prop("uri", 1, true, &Kind::Str),
        ]),
    ),
    prop("start", 0, true, &Kind::Array(&Kind::Enum(&["redirect"]))),
]);

// ---------------------------------------------------------------- other documents

/// `GET /incoming-payments/{id}` (`anyOf` the full view, tried first, and the public view; the
/// model: `AnyIncomingPayment`).
// Read by the `parse*` exports only (feature js-resources).
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-resources")),
    allow(dead_code)
)]
pub(crate) static ANY_INCOMING_PAYMENT: Kind = Kind::AnyOf(
    &[&INCOMING_PAYMENT_WITH_METHODS, &PUBLIC_INCOMING_PAYMENT],
    "AnyIncomingPayment",
);

/// The resource server's error body (`error-response`; the model: `ErrorResponse`).
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-resources")),
    allow(dead_code)
)]
pub(crate) static ERROR_RESPONSE: Kind = Kind::Object(&[prop(
    "error",
    0,
    true,
    &Kind::Object(&[
        prop("code", 0, true, &Kind::Str),
        prop("description", 1, true, &Kind::Str),
        prop("details", 2, false, &Kind::AnyObject),
    ]),
)]);

/// The authorization server's error body (the model: `GnapErrorResponse`, which requires
/// `error.code` where the spec marks nothing required).
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-resources")),
    allow(dead_code)
)]
pub(crate) static GNAP_ERROR_RESPONSE: Kind = Kind::Object(&[prop(
    "error",
    0,
    true,
    &Kind::Object(&[
        prop("code", 0, true, &Kind::Str),
        prop("description", 1, false, &Kind::Str),
    ]),
)]);
