//! Hand-written kinds for the schema walker (`schema.rs`): where the OpenAPI files say `oneOf`
//! of several objects (access items, grant responses) or state a rule the generated tables
//! (`schema_table.rs`) have no kind for (one subject identifier, the interval's form). Each one
//! checks what the typed model checks, with the model's own rules and messages (`grant.rs`
//! shares them), and the walker's tests compare both on every mutation of a valid document.

use super::common::FieldError;
use super::grant::{
    check_access_item, AccessAction, AccessItemFault, AccessType, Interval, ONE_SUB_ID,
    PENDING_OR_APPROVED,
};
use super::schema::{Kind, Prop};
use super::schema_table::{ACCESS_TOKEN, AMOUNT, CONTINUE, INTERACT_RESPONSE, SUBJECT};
use super::ResourceError;
use crate::error::ErrorCode;
use crate::json::Json;

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
    value.get(name).is_some_and(|v| !v.is_null())
}

/// `access-item` (`oneOf` `access-incoming`, `access-outgoing`, `access-quote`, told apart by
/// `type`; the model: `AccessItem`): every member any of them has, then the rules of
/// [`check_access_item`].
pub(crate) static ACCESS_ITEM: Kind = Kind::Rule(
    &Kind::Object(&[
        Prop {
            name: "actions",
            order: 1,
            required: true,
            kind: &Kind::Array(&Kind::Enum(&[
                "create", "complete", "read", "read-all", "list", "list-all",
            ])),
        },
        Prop {
            name: "identifier",
            order: 2,
            required: false,
            kind: &Kind::Str,
        },
        Prop {
            name: "limits",
            order: 3,
            required: false,
            kind: &LIMITS_OUTGOING,
        },
        Prop {
            name: "type",
            order: 0,
            required: true,
            kind: &Kind::Enum(&["incoming-payment", "outgoing-payment", "quote"]),
        },
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
    Prop {
        name: "debitAmount",
        order: 2,
        required: false,
        kind: &AMOUNT,
    },
    Prop {
        name: "interval",
        order: 1,
        required: false,
        kind: &Kind::Text(interval),
    },
    Prop {
        name: "receiveAmount",
        order: 3,
        required: false,
        kind: &AMOUNT,
    },
    Prop {
        name: "receiver",
        order: 0,
        required: false,
        kind: &Kind::Str,
    },
]);

/// `interval`: the outer form of an ISO 8601 repeating interval ([`Interval::parse`]).
fn interval(text: &str) -> Result<(), ResourceError> {
    Interval::parse(text).map(drop).map_err(|err| fault(&err).0)
}

/// `subject.sub_ids` (`minItems: 1, maxItems: 1`): exactly one subject identifier.
pub(crate) static SUB_IDS: Kind = Kind::Rule(
    &Kind::Array(&Kind::Object(&[
        Prop {
            name: "format",
            order: 1,
            required: true,
            kind: &Kind::Enum(&["uri"]),
        },
        Prop {
            name: "id",
            order: 0,
            required: true,
            kind: &Kind::Str,
        },
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
        Prop {
            name: "access_token",
            order: 1,
            required: false,
            kind: &ACCESS_TOKEN,
        },
        Prop {
            name: "continue",
            order: 3,
            required: true,
            kind: &CONTINUE,
        },
        Prop {
            name: "interact",
            order: 0,
            required: false,
            kind: &INTERACT_RESPONSE,
        },
        Prop {
            name: "subject",
            order: 2,
            required: false,
            kind: &SUBJECT,
        },
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
