//! Checking a JSON document against a compact schema: one generic walker over static tables
//! (`schema_table.rs`, generated from the official OpenAPI files) instead of serde derive code
//! per resource type.
//!
//! Why: a serde model costs code per type (its visitor, instantiated against each deserializer);
//! a table costs a few bytes per property. The JS client answers the response body as received,
//! so where it only needs to know that a body is valid (the public documents), it checks the text
//! here and never builds the typed model: the browser build then links no per-type parser.
//!
//! The rules are the typed models' (`crate::resources`), not looser: the same fields are
//! required, the same types refused, amounts and asset codes follow `crate::amount`, timestamps
//! RFC 3339, keys base64url; `null` is accepted for an optional property as serde's `Option` does;
//! unknown members pass, as the models let them through. The first bad field is reported with
//! the same code and JSON path as the typed parser (tests compare both on mutated documents).

use std::borrow::Cow;

use crate::json::{whole_number, Json};

use super::common::{is_base64url, FieldError, Timestamp};
use super::incoming_payment::{is_ilp_address, ILP_ADDRESS_EXPECTED};
use super::ResourceError;
use crate::amount;
use crate::error::{quoted, ErrorCode};

/// What a JSON value must be.
#[derive(Debug)]
pub enum Kind {
    /// An object with these properties (others pass unchecked).
    Object(&'static [Prop]),
    /// An object with these properties and no other (`additionalProperties: false` of a request
    /// body; the models' `deny_unknown_fields`).
    Closed(&'static [Prop]),
    /// A string, or the kind given (a grant request's `client`: a wallet address, or an object).
    StrOr(&'static Kind),
    /// The first of these kinds the value passes (serde's untagged enum, named by the second
    /// member in its error).
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js-resources")),
        allow(dead_code)
    )]
    AnyOf(&'static [&'static Kind], &'static str),
    /// Any JSON object (`additionalProperties: true` and no properties).
    AnyObject,
    /// An array whose every element is the kind given.
    Array(&'static Kind),
    /// Any string.
    Str,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An RFC 3339 timestamp (`format: date-time`).
    DateTime,
    /// An amount's `value`: a string of digits that fits a `u64` (`format: uint64`).
    Uint64,
    /// An asset code (`title: Asset code`), by the rules of [`amount::validate_asset_code`].
    AssetCode,
    /// An asset scale (`title: Asset scale`): an integer 0..=255.
    AssetScale,
    /// base64url text without padding (`pattern: '^[a-zA-Z0-9-_]+$'`).
    Base64Url,
    /// An ILP address (`ilp-payment-method.ilpAddress`: its pattern, at most 1023 characters).
    IlpAddress,
    /// `true` or `false`.
    Bool,
    /// `null` or the kind given (`anyOf` the kind and `type: null`): a required property may be
    /// `null`, as serde's `Option` read with `deserialize_with`.
    OrNull(&'static Kind),
    /// A JSON integer that fits a `u64` (serde's `u64`: a negative integer is an invalid value,
    /// a fraction or a number too large is of the wrong type).
    U64,
    /// A string checked by a rule of the typed models (`schema_rules.rs`).
    Text(fn(&str) -> Result<(), ResourceError>),
    /// The kind given, then a rule of the typed models over its members taken together
    /// (`schema_rules.rs`).
    Rule(&'static Kind, Rule),
}

/// A rule over a value's members taken together: `Ok`, or the error and, when the fault is a
/// missing member, its name (the error is then reported at that member, as serde does).
pub type Rule = fn(&Json) -> Result<(), (ResourceError, Option<&'static str>)>;

/// One property of an [`Kind::Object`]. The generator lists them sorted by name: the order
/// serde_json's map hands them to the typed models, so the walker meets a document's bad fields in
/// the same order.
#[derive(Debug)]
pub struct Prop {
    /// The member name.
    pub name: &'static str,
    /// Its place in the schema's list (serde reports the first missing field in that order).
    pub order: u8,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// What its value must be.
    pub kind: &'static Kind,
}

/// Checks the JSON text `json` against `kind`: `Ok` when the typed model would accept it, else
/// the error the typed model gives (code and JSON path of the first bad field).
pub fn check(json: &str, kind: &Kind) -> Result<(), ResourceError> {
    parsed(json, kind).map(drop)
}

/// The JSON text `json` read, once it passed `kind` (else the error of [`check`]).
pub(crate) fn parsed<'a>(json: &'a str, kind: &Kind) -> Result<Json<'a>, ResourceError> {
    let value =
        Json::parse(json).map_err(|e| ResourceError::new("invalid_json", "", &e.to_string()))?;
    // Room for most paths, so that walking down and back up reallocates nothing.
    let mut path = String::with_capacity(64);
    walk(&value, kind, &mut path).map_err(|mut err| {
        err.field = path;
        err
    })?;
    Ok(value)
}

/// Checks the JSON text `json` against `kind` as [`check`] does and, when it passes, writes it as
/// the typed model would send it: `null` members the model reads as absent left out, members a
/// schema does not list dropped (closed objects refuse them instead), amount values and asset
/// scales in their plain form (`"007"` → `"7"`, `2.0` → `2`); every other value as written,
/// members in their order. For request bodies the client sends without building their model.
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-client")),
    allow(dead_code)
)]
pub fn normalised(json: &str, kind: &Kind) -> Result<String, ResourceError> {
    let value = parsed(json, kind)?;
    let mut out = String::with_capacity(json.len());
    write(&value, kind, &mut out);
    Ok(out)
}

/// Writes a value [`walk`] accepted against `kind` (see [`normalised`]).
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-client")),
    allow(dead_code)
)]
fn write(value: &Json, kind: &Kind, out: &mut String) {
    match (kind, value) {
        (Kind::Object(props) | Kind::Closed(props), Json::Object(members)) => {
            out.push('{');
            let mut first = true;
            for (i, (name, member)) in members.iter().enumerate() {
                let Some(prop) = props.iter().find(|p| p.name == name) else {
                    continue;
                };
                // A name given twice counts with its last value, as the model reads it.
                let later = members.iter().skip(i + 1).any(|(other, _)| other == name);
                if later || (member.is_null() && !prop.required) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                crate::error::push_quoted(out, name);
                out.push(':');
                write(member, prop.kind, out);
            }
            out.push('}');
        }
        (Kind::Array(item), Json::Array(items)) => {
            out.push('[');
            for (i, element) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(element, item, out);
            }
            out.push(']');
        }
        (Kind::Uint64, Json::String(s)) => match amount::value_from_str(s) {
            Ok(v) => crate::error::push_quoted(out, &v.to_string()),
            Err(_) => value.write(out),
        },
        (Kind::AssetScale, Json::Number(n)) => match whole_number(n) {
            Some(v) => out.push_str(&v.to_string()),
            None => value.write(out),
        },
        (Kind::OrNull(kind) | Kind::Rule(kind, _), _) => write(value, kind, out),
        (Kind::StrOr(kind), Json::Object(_)) => write(value, kind, out),
        (Kind::AnyOf(kinds, _), _) => {
            match kinds
                .iter()
                .find(|kind| walk(value, kind, &mut String::new()).is_ok())
            {
                Some(kind) => write(value, kind, out),
                None => value.write(out),
            }
        }
        _ => value.write(out),
    }
}

/// The error of a rule of this crate (amounts, asset codes, formats): its own code and words,
/// as the typed models report it. The field is set by [`check`].
fn rule<E: ErrorCode>(err: &E) -> ResourceError {
    ResourceError::new(err.code(), "", &err.to_string())
}

/// Checks `value` against `kind`. On an error `path` is left at the bad field, and the error has
/// the typed models' code and words (serde's for types, enums and missing fields; ours for the
/// rules of `crate::amount` and the formats).
fn walk(value: &Json, kind: &Kind, path: &mut String) -> Result<(), ResourceError> {
    match (kind, value) {
        (Kind::Object(props), Json::Object(members)) => object(members, props, false, path),
        (Kind::Closed(props), Json::Object(members)) => object(members, props, true, path),
        (Kind::AnyObject, Json::Object(_)) | (Kind::Str, Json::String(_)) => Ok(()),
        (Kind::Bool, Json::Bool(_)) => Ok(()),
        (Kind::OrNull(_), Json::Null) => Ok(()),
        (Kind::OrNull(kind), value) => walk(value, kind, path),
        (Kind::U64, Json::Number(n)) => unsigned(n),
        (Kind::AnyOf(kinds, name), value) => {
            let passes = |kind: &&Kind| walk(value, kind, &mut path.clone()).is_ok();
            if kinds.iter().any(passes) {
                Ok(())
            } else {
                let message = format!("data did not match any variant of untagged enum {name}");
                Err(ResourceError::new("invalid_value", "", &message))
            }
        }
        (Kind::StrOr(_), Json::String(_)) => Ok(()),
        (Kind::StrOr(kind), value) => walk(value, kind, path),
        (Kind::Text(check), Json::String(s)) => check(s),
        (Kind::Rule(kind, rule), value) => {
            walk(value, kind, path)?;
            rule(value).map_err(|(err, member)| {
                if let Some(member) = member {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(member);
                }
                err
            })
        }
        (Kind::Array(item), Json::Array(items)) => {
            let len = path.len();
            for (i, element) in items.iter().enumerate() {
                path.push('[');
                crate::error::push_decimal(path, i);
                path.push(']');
                walk(element, item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Kind::Enum(names), Json::String(s)) => {
            if names.contains(&s.as_ref()) {
                Ok(())
            } else {
                let message = format!(
                    "unknown variant {}, expected one of {}",
                    quoted(s),
                    names
                        .iter()
                        .map(|n| quoted(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                Err(ResourceError::new("invalid_value", "", &message))
            }
        }
        (Kind::DateTime, Json::String(s)) => Timestamp::parse(s).map(drop).map_err(|e| rule(&e)),
        (Kind::Base64Url, Json::String(s)) => {
            if is_base64url(s) {
                Ok(())
            } else {
                Err(rule(&FieldError::format(
                    "must be base64url without padding ([A-Za-z0-9_-]+)",
                    s,
                )))
            }
        }
        (Kind::IlpAddress, Json::String(s)) => {
            if is_ilp_address(s) {
                Ok(())
            } else {
                Err(rule(&FieldError::format(ILP_ADDRESS_EXPECTED, s)))
            }
        }
        (Kind::Uint64, Json::String(s)) => {
            amount::value_from_str(s).map(drop).map_err(|e| rule(&e))
        }
        (Kind::Uint64, Json::Null | Json::Bool(_) | Json::Number(_)) => {
            Err(rule(&amount::value_not_a_string()))
        }
        (Kind::AssetCode, Json::String(s)) => amount::validate_asset_code(s).map_err(|e| rule(&e)),
        (Kind::AssetScale, Json::Number(n)) => scale(n).map_err(|e| rule(&e)),
        (Kind::AssetScale, Json::String(s)) => Err(rule(&amount::scale_from_string(s))),
        (Kind::AssetScale, Json::Bool(_)) => Err(rule(&amount::scale_from_other("a boolean"))),
        (Kind::AssetScale, Json::Null) => Err(rule(&amount::scale_from_other("null"))),
        _ => {
            let message = format!(
                "invalid type: {}, expected {}",
                found(value),
                expected(kind)
            );
            Err(ResourceError::new("invalid_type", "", &message))
        }
    }
}

/// The schema's properties the object has, in the order of their names, then the first
/// required one missing, in the schema's order. That is how the typed models meet them (serde
/// reads the members of serde_json's map, which is sorted by name, and reports the first missing
/// field in declaration order), so both report the same first bad field. A name given twice
/// counts with its last value, as in that map. In a `closed` object a member the schema does not
/// list is an error where serde meets it: in name order among the members.
fn object(
    members: &[(Cow<'_, str>, Json<'_>)],
    props: &[Prop],
    closed: bool,
    path: &mut String,
) -> Result<(), ResourceError> {
    let unknown = if closed {
        members
            .iter()
            .map(|(name, _)| name.as_ref())
            .filter(|name| !props.iter().any(|p| p.name == *name))
            .min()
    } else {
        None
    };
    // One pass over the members: the last value of each property (on the stack for the schemas'
    // objects, which list at most a few dozen: this runs for every object of every response).
    let mut stack: [Option<&Json>; 32] = [None; 32];
    let mut heap: Vec<Option<&Json>>;
    let values: &mut [Option<&Json>] = match stack.get_mut(..props.len()) {
        Some(values) => values,
        None => {
            heap = vec![None; props.len()];
            &mut heap
        }
    };
    for (name, value) in members {
        let slot = props
            .iter()
            .position(|p| p.name == name)
            .and_then(|i| values.get_mut(i));
        if let Some(slot) = slot {
            *slot = Some(value);
        }
    }
    let len = path.len();
    let mut missing: Option<&Prop> = None;
    for (prop, value) in props.iter().zip(values.iter()) {
        match value {
            None => {
                if prop.required && missing.is_none_or(|m| prop.order < m.order) {
                    missing = Some(prop);
                }
            }
            Some(value) if value.is_null() && !prop.required => {}
            Some(value) => {
                if let Some(name) = unknown.filter(|name| *name < prop.name) {
                    return Err(unknown_field(name, props, path));
                }
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(prop.name);
                walk(value, prop.kind, path)?;
                path.truncate(len);
            }
        }
    }
    if let Some(name) = unknown {
        return Err(unknown_field(name, props, path));
    }
    match missing {
        Some(missing) => {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(missing.name);
            let message = format!("missing field `{}`", missing.name);
            Err(ResourceError::new("missing_field", "", &message))
        }
        None => Ok(()),
    }
}

/// serde's error for a member a closed object does not list (its path is the member's), naming
/// the members it does list in the schema's order.
fn unknown_field(name: &str, props: &[Prop], path: &mut String) -> ResourceError {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
    // The listed names in the schema's order (`order` numbers the props 0..n).
    let names: Vec<String> = (0..props.len())
        .filter_map(|i| props.iter().find(|p| usize::from(p.order) == i))
        .map(|p| format!("`{}`", p.name))
        .collect();
    let expected = match names.as_slice() {
        [] => "there are no fields".to_owned(),
        [one] => format!("expected {one}"),
        [a, b] => format!("expected {a} or {b}"),
        _ => format!("expected one of {}", names.join(", ")),
    };
    let message = format!("unknown field {}, {expected}", quoted_name(name));
    ResourceError::new("unknown_field", "", &message)
}

/// A member name as serde quotes it in messages, between backticks; a long one by its start and
/// length, as [`quoted`] does (a message names what was found, it does not copy it).
fn quoted_name(name: &str) -> String {
    let (head, cut) = crate::error::shortened(name);
    let mut out = format!("`{head}`");
    if cut {
        crate::error::push_length(&mut out, name);
    }
    out
}

/// An asset scale given as a JSON number: a whole number 0..=255 however it is written (`2`,
/// `2.0`, `2e0`, as the typed models accept any number that is exactly such an integer). Read
/// exactly: a number that is whole only once rounded to a double (`2.0000000000000000001`,
/// `1e-400`) is refused, where the typed models, reading through serde_json's `f64`, take the
/// double (the one place the two differ, on purpose: money fields are never rounded silently).
fn scale(n: &str) -> Result<(), amount::AmountError> {
    match whole_number(n) {
        Some(v @ 0..) => amount::scale_from_u64(v.unsigned_abs()).map(drop),
        Some(v) => amount::scale_from_i64(v).map(drop),
        None => Err(amount::scale_not_an_integer()),
    }
}

/// A number read as serde_json reads a `u64`: an integer without fraction or exponent in
/// range; a negative integer is an invalid value; anything else (a fraction, an exponent, a
/// number outside `i64` and `u64`, `-0`) is a float to serde_json, so of the wrong type.
fn unsigned(n: &str) -> Result<(), ResourceError> {
    if n.parse::<u64>().is_ok() {
        return Ok(());
    }
    match n.parse::<i64>() {
        Ok(v) if v < 0 => Err(ResourceError::new(
            "invalid_value",
            "",
            &format!("invalid value: integer `{v}`, expected u64"),
        )),
        _ => Err(ResourceError::new(
            "invalid_type",
            "",
            "invalid type: a number with a fraction, expected u64",
        )),
    }
}

/// What was found, in JSON words (strings quoted with JSON escapes).
fn found(value: &Json) -> String {
    match value {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => format!("boolean `{b}`"),
        // Integers printed as integers: a float is described, not printed (printing one links
        // core's float formatting, about 15 KB of wasm, for an error text).
        Json::Number(n) if n.bytes().all(|b| b == b'-' || b.is_ascii_digit()) => {
            format!("integer `{n}`")
        }
        Json::Number(_) => "a number with a fraction".to_owned(),
        Json::String(s) => format!("string {}", quoted(s)),
        Json::Array(_) => "array".to_owned(),
        Json::Object(_) => "object".to_owned(),
    }
}

/// What a kind expects, in words.
fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Object(_) | Kind::Closed(_) | Kind::AnyObject => "an object",
        Kind::Array(_) => "an array",
        Kind::Str | Kind::DateTime | Kind::Base64Url | Kind::IlpAddress => "a string",
        Kind::Enum(_) => "one of the listed strings",
        Kind::Uint64 => amount::EXPECTING_VALUE,
        Kind::AssetCode => amount::EXPECTING_ASSET_CODE,
        Kind::AssetScale => "an integer from 0 to 255",
        Kind::Bool => "a boolean",
        Kind::OrNull(kind) | Kind::Rule(kind, _) | Kind::StrOr(kind) => expected(kind),
        Kind::U64 => "u64",
        Kind::AnyOf(..) => "one of the alternatives",
        Kind::Text(_) => "a string",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use serde::de::DeserializeOwned;
    use serde_json::{json, Value};

    use super::super::schema_table::*;
    use super::*;
    use crate::error::ErrorCode;
    use crate::resources::{
        from_json, AccessTokenResponse, ContinuationRequest, CreateIncomingPaymentRequest,
        CreateOutgoingPaymentRequest, CreateQuoteRequest, DidDocument, Grant, GrantRequest,
        GrantResponse, IncomingPayment, IncomingPaymentWithPaymentMethods, JsonWebKeySet,
        OutgoingPayment, OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts, Page,
        PublicIncomingPayment, Quote, WalletAddress,
    };

    /// Values put in place of each member in turn: every JSON kind, and the edge cases of the
    /// string and integer rules.
    fn replacements() -> Vec<Value> {
        vec![
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(255),
            json!(256),
            json!(2.0),
            json!(1.5),
            json!(""),
            json!("x"),
            json!("USD"),
            json!("usd"),
            json!("12"),
            json!("18446744073709551616"),
            json!("sig"),
            json!("EdDSA"),
            json!("a+b"),
            json!("2022-03-12T23:20:50Z"),
            json!([]),
            json!([1]),
            json!({}),
            json!({"value": "1", "assetCode": "USD", "assetScale": 2}),
            // The grant rules: access types and actions, an interval, one subject identifier.
            json!("quote"),
            json!("outgoing-payment"),
            json!(["read", "read"]),
            json!(["complete"]),
            json!("R/2016-08-24T08:00:00Z/P1D"),
            json!([{"id": "https://ilp.example/alice", "format": "uri"}]),
            json!(18446744073709551615u64),
            json!(1e3),
        ]
    }

    /// Every document made from `doc` by removing one member, replacing one value (at any depth)
    /// or adding an unknown member, plus `doc` itself and other JSON kinds in its place.
    fn mutations(doc: &Value) -> Vec<Value> {
        let mut out = vec![doc.clone()];
        out.extend(replacements());
        match doc {
            Value::Object(map) => {
                let mut extra = map.clone();
                extra.insert("unknownMember".to_owned(), json!([1, {"a": null}]));
                out.push(Value::Object(extra));
                for (key, value) in map {
                    let mut without = map.clone();
                    without.remove(key);
                    out.push(Value::Object(without));
                    for replaced in mutations(value) {
                        let mut with = map.clone();
                        with.insert(key.clone(), replaced);
                        out.push(Value::Object(with));
                    }
                }
            }
            Value::Array(items) => {
                out.push(Value::Array(Vec::new()));
                for (i, item) in items.iter().enumerate() {
                    for replaced in mutations(item) {
                        let mut with = items.clone();
                        with[i] = replaced;
                        out.push(Value::Array(with));
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// The walker and the typed model agree on every mutation: both accept, or both refuse with
    /// the same code and field.
    fn agree<T: DeserializeOwned + serde::Serialize>(kind: &Kind, valid: &Value) -> usize {
        let docs = mutations(valid);
        let mut refused = 0;
        for doc in &docs {
            let text = doc.to_string();
            let model = from_json::<T>(&text);
            // What the walker writes is what the model would write (as JSON values).
            if let Ok(model) = &model {
                let written = normalised(&text, kind).unwrap();
                assert_eq!(
                    serde_json::from_str::<Value>(&written).unwrap(),
                    serde_json::to_value(model).unwrap(),
                    "{text}\n wrote {written}"
                );
            }
            let typed = model.map(drop);
            let walked = check(&text, kind);
            match (&typed, &walked) {
                (Ok(()), Ok(())) => {}
                (Err(a), Err(b)) if a.code() == b.code() && a.field() == b.field() => refused += 1,
                _ => panic!("{text}\n typed:  {typed:?}\n walker: {walked:?}"),
            }
        }
        // The mutations must reach both outcomes, or the comparison proves nothing.
        assert!(
            refused > 0 && refused < docs.len(),
            "{refused} of {}",
            docs.len()
        );
        docs.len()
    }

    #[test]
    fn the_walker_and_the_typed_models_agree() {
        let n = agree::<WalletAddress>(
            &WALLET_ADDRESS,
            &json!({
                "id": "https://ilp.example/alice", "publicName": "Alice", "assetCode": "USD",
                "assetScale": 2, "authServer": "https://auth.example",
                "resourceServer": "https://ilp.example/op"
            }),
        ) + agree::<JsonWebKeySet>(
            &JSON_WEB_KEY_SET,
            &json!({"keys": [
                {"kid": "k1", "alg": "EdDSA", "use": "sig", "kty": "OKP", "crv": "Ed25519", "x": "abc_-1"},
                {"kid": "k2", "alg": "EdDSA", "kty": "OKP", "crv": "Ed25519", "x": "xyz"}
            ]}),
        ) + agree::<DidDocument>(&DID_DOCUMENT, &json!({"id": "did:web:x", "a": [1]}))
            + agree::<PublicIncomingPayment>(
                &PUBLIC_INCOMING_PAYMENT,
                &json!({
                    "authServer": "https://auth.example",
                    "receivedAmount": {"value": "120", "assetCode": "USD", "assetScale": 2}
                }),
            )
            + agree::<IncomingPaymentWithPaymentMethods>(
                &INCOMING_PAYMENT_WITH_METHODS,
                &json!({
                    "id": "https://ilp.example/op/incoming-payments/1",
                    "walletAddress": "https://ilp.example/alice",
                    "completed": false,
                    "incomingAmount": {"value": "2500", "assetCode": "USD", "assetScale": 2},
                    "receivedAmount": {"value": "0", "assetCode": "USD", "assetScale": 2},
                    "expiresAt": "2032-02-03T23:20:50.520Z",
                    "metadata": {"externalRef": "INV-1"},
                    "createdAt": "2022-03-12T23:20:50.520Z",
                    "updatedAt": "2022-03-12T23:20:50.520Z",
                    "methods": [{"type": "ilp", "ilpAddress": "g.ilp.a1", "sharedSecret": "c2VjcmV0"}]
                }),
            );
        assert!(n > 1000, "{n} documents");
    }

    fn amount(value: &str) -> Value {
        json!({"value": value, "assetCode": "USD", "assetScale": 2})
    }

    /// An incoming payment without its methods (lists, `complete`).
    fn incoming() -> Value {
        json!({
            "id": "https://ilp.example/op/incoming-payments/1",
            "walletAddress": "https://ilp.example/alice",
            "completed": true,
            "incomingAmount": amount("2500"),
            "receivedAmount": amount("2500"),
            "expiresAt": "2032-02-03T23:20:50.520Z",
            "metadata": {"externalRef": "INV-1"},
            "createdAt": "2022-03-12T23:20:50.520Z"
        })
    }

    fn outgoing() -> Value {
        json!({
            "id": "https://ilp.example/op/outgoing-payments/1",
            "walletAddress": "https://ilp.example/alice",
            "quoteId": "https://ilp.example/op/quotes/1",
            "failed": false,
            "receiver": "https://ilp.example/op/incoming-payments/2",
            "receiveAmount": amount("2500"),
            "debitAmount": amount("2600"),
            "sentAmount": amount("0"),
            "metadata": {"description": "x"},
            "createdAt": "2022-03-12T23:20:50.520Z"
        })
    }

    #[test]
    fn the_walker_and_the_typed_models_agree_on_the_resource_server_documents() {
        let mut spent = outgoing();
        spent["grantSpentDebitAmount"] = amount("2600");
        spent["grantSpentReceiveAmount"] = amount("2500");
        let page_info = json!({
            "startCursor": "a", "endCursor": "b", "hasNextPage": true, "hasPreviousPage": false
        });
        let n = agree::<IncomingPayment>(&INCOMING_PAYMENT, &incoming())
            + agree::<Quote>(
                &QUOTE,
                &json!({
                    "id": "https://ilp.example/op/quotes/1",
                    "walletAddress": "https://ilp.example/alice",
                    "receiver": "https://ilp.example/op/incoming-payments/2",
                    "receiveAmount": amount("2500"),
                    "debitAmount": amount("2600"),
                    "method": "ilp",
                    "expiresAt": "2032-02-03T23:20:50.520Z",
                    "createdAt": "2022-03-12T23:20:50.520Z"
                }),
            )
            + agree::<OutgoingPayment>(&OUTGOING_PAYMENT, &outgoing())
            + agree::<OutgoingPaymentWithSpentAmounts>(
                &OUTGOING_PAYMENT_WITH_SPENT_AMOUNTS,
                &spent,
            )
            + agree::<OutgoingPaymentGrantSpentAmounts>(
                &GRANT_SPENT_AMOUNTS,
                &json!({"spentReceiveAmount": null, "spentDebitAmount": amount("10")}),
            )
            + agree::<Page<IncomingPayment>>(
                &INCOMING_PAYMENT_PAGE,
                &json!({"pagination": page_info, "result": [incoming(), incoming()]}),
            )
            + agree::<Page<OutgoingPayment>>(
                &OUTGOING_PAYMENT_PAGE,
                &json!({"pagination": page_info, "result": [outgoing()]}),
            );
        assert!(n > 3000, "{n} documents");
    }

    /// An access token with an item of each type (the outgoing one with limits).
    fn access_token() -> Value {
        json!({
            "value": "tok",
            "manage": "https://auth.example/token/1",
            "expires_in": 600,
            "access": [
                {"type": "incoming-payment", "actions": ["create", "read"], "identifier": "https://ilp.example/alice"},
                {"type": "outgoing-payment", "actions": ["create"], "identifier": "https://ilp.example/alice",
                 "limits": {"debitAmount": amount("100"), "interval": "R/2016-08-24T08:00:00Z/P1D",
                            "receiver": "https://ilp.example/op/incoming-payments/2"}},
                {"type": "quote", "actions": ["create", "read-all"]}
            ]
        })
    }

    fn continue_() -> Value {
        json!({"access_token": {"value": "ctok"}, "uri": "https://auth.example/continue/1", "wait": 5})
    }

    #[test]
    fn the_walker_and_the_typed_models_agree_on_the_grant_documents() {
        let n = agree::<GrantResponse>(
            &super::super::schema_rules::GRANT_RESPONSE,
            &json!({
                "interact": {"redirect": "https://auth.example/interact/1", "finish": "nonce"},
                "continue": continue_()
            }),
        ) + agree::<GrantResponse>(
            &super::super::schema_rules::GRANT_RESPONSE,
            &json!({"access_token": access_token(), "continue": continue_()}),
        ) + agree::<Grant>(
            &GRANT,
            &json!({
                "access_token": access_token(),
                "subject": {"sub_ids": [{"id": "https://ilp.example/alice", "format": "uri"}]},
                "continue": continue_()
            }),
        ) + agree::<AccessTokenResponse>(
            &ACCESS_TOKEN_RESPONSE,
            &json!({"access_token": access_token()}),
        );
        assert!(n > 3000, "{n} documents");
        // The rules over several members, which no single mutation above breaks.
        let interact = json!({"redirect": "https://auth.example/i", "finish": "n"});
        let outgoing = json!({"type": "outgoing-payment", "actions": ["read"]});
        let mut token = access_token();
        token["access"] = json!([outgoing]);
        for (doc, code, field) in [
            (
                json!({"interact": interact, "access_token": access_token(), "continue": continue_()}),
                "conflicting_fields",
                None,
            ),
            (
                json!({"interact": null, "continue": continue_()}),
                "missing_field",
                Some("access_token"),
            ),
            (
                json!({"access_token": token, "continue": continue_()}),
                "missing_field",
                Some("access_token.access[0].identifier"),
            ),
        ] {
            let text = doc.to_string();
            let typed = from_json::<GrantResponse>(&text).unwrap_err();
            let walked = check(&text, &super::super::schema_rules::GRANT_RESPONSE).unwrap_err();
            assert_eq!(
                (typed.code(), typed.field()),
                (code, field.map(str::to_owned))
            );
            assert_eq!(
                (walked.code(), walked.field()),
                (code, field.map(str::to_owned))
            );
            assert_eq!(walked.to_string(), typed.to_string());
        }
    }

    #[test]
    fn the_walker_and_the_typed_models_agree_on_the_request_bodies() {
        use super::super::schema_rules::{
            CONTINUATION, CREATE_INCOMING_PAYMENT, CREATE_OUTGOING_PAYMENT, CREATE_QUOTE,
            GRANT_REQUEST,
        };
        let wallet = "https://ilp.example/alice";
        let receiver = "https://ilp.example/op/incoming-payments/2";
        let mut n = agree::<CreateIncomingPaymentRequest>(
            &CREATE_INCOMING_PAYMENT,
            &json!({
                "walletAddress": wallet, "incomingAmount": amount("2500"),
                "expiresAt": "2032-02-03T23:20:50.520Z", "metadata": {"externalRef": "INV-1"}
            }),
        );
        for amount_member in [None, Some("debitAmount"), Some("receiveAmount")] {
            let mut quote = json!({"walletAddress": wallet, "receiver": receiver, "method": "ilp"});
            if let Some(member) = amount_member {
                quote[member] = amount("100");
            }
            n += agree::<CreateQuoteRequest>(&CREATE_QUOTE, &quote);
        }
        n += agree::<CreateOutgoingPaymentRequest>(
            &CREATE_OUTGOING_PAYMENT,
            &json!({"walletAddress": wallet, "quoteId": "https://ilp.example/op/quotes/1", "metadata": {"a": 1}}),
        ) + agree::<CreateOutgoingPaymentRequest>(
            &CREATE_OUTGOING_PAYMENT,
            &json!({"walletAddress": wallet, "incomingPayment": receiver, "debitAmount": amount("100")}),
        ) + agree::<ContinuationRequest>(&CONTINUATION, &json!({"interact_ref": "ref"}));
        let access = json!([
            {"type": "incoming-payment", "actions": ["create", "read"], "identifier": wallet},
            {"type": "outgoing-payment", "actions": ["create"], "identifier": wallet,
             "limits": {"debitAmount": amount("100"), "interval": "R/2016-08-24T08:00:00Z/P1D"}},
            {"type": "quote", "actions": ["create"]}
        ]);
        let interact = json!({
            "start": ["redirect"],
            "finish": {"method": "redirect", "uri": "https://shop.example/return", "nonce": "n"}
        });
        n += agree::<GrantRequest>(
            &GRANT_REQUEST,
            &json!({"access_token": {"access": access}, "client": {"walletAddress": wallet}, "interact": interact}),
        ) + agree::<GrantRequest>(
            &GRANT_REQUEST,
            &json!({
                "client": {"jwk": {"kid": "k1", "alg": "EdDSA", "kty": "OKP", "crv": "Ed25519", "x": "abc"}},
                "subject": {"sub_ids": [{"id": wallet, "format": "uri"}]},
                "interact": interact
            }),
        ) + agree::<GrantRequest>(
            &GRANT_REQUEST,
            &json!({"access_token": {"access": [{"type": "quote", "actions": ["read"]}]}, "client": wallet}),
        );
        assert!(n > 3000, "{n} documents");
        // The rules over several members, which no single mutation above breaks.
        for (text, field) in [
            (
                r#"{"walletAddress":"w","receiver":"r","method":"ilp","debitAmount":{"value":"1","assetCode":"USD","assetScale":2},"receiveAmount":{"value":"1","assetCode":"USD","assetScale":2}}"#,
                None,
            ),
            (
                r#"{"walletAddress":"w","receiver":"r","method":"ilp","zzz":1,"aaa":2}"#,
                Some("aaa"),
            ),
            (
                r#"{"receiver":"r","zzz":1,"walletAddress":5}"#,
                Some("walletAddress"),
            ),
        ] {
            let typed = from_json::<CreateQuoteRequest>(text).unwrap_err();
            let walked = check(text, &CREATE_QUOTE).unwrap_err();
            assert_eq!(
                (typed.code(), typed.field()),
                (walked.code(), walked.field()),
                "{text}"
            );
            assert_eq!(walked.field().as_deref(), field, "{text}");
            assert_eq!(typed.to_string(), walked.to_string());
        }
        for text in [
            r#"{"client":{"walletAddress":"w","jwk":{"kid":"k","alg":"EdDSA","kty":"OKP","crv":"Ed25519","x":"a"}},"access_token":{"access":[]}}"#,
            r#"{"client":{},"access_token":{"access":[]}}"#,
            r#"{"client":"w","subject":{"sub_ids":[{"id":"w","format":"uri"}]}}"#,
            r#"{"client":"w","access_token":{"access":[{"type":"quote","actions":["read"]},{"type":"quote","actions":["read"]},{"type":"quote","actions":["read"]},{"type":"quote","actions":["read"]}]}}"#,
        ] {
            let typed = from_json::<GrantRequest>(text).unwrap_err();
            let walked = check(text, &GRANT_REQUEST).unwrap_err();
            assert_eq!(
                (typed.code(), typed.field()),
                (walked.code(), walked.field()),
                "{text}"
            );
            assert_eq!(typed.to_string(), walked.to_string());
        }
    }

    #[test]
    fn the_walker_and_the_typed_models_agree_on_the_other_documents() {
        use super::super::schema_rules::{
            ANY_INCOMING_PAYMENT, ERROR_RESPONSE, GNAP_ERROR_RESPONSE,
        };
        use crate::resources::{AnyIncomingPayment, ErrorResponse, GnapErrorResponse};
        let mut full = incoming();
        full["methods"] =
            json!([{"type": "ilp", "ilpAddress": "g.ilp.a1", "sharedSecret": "c2VjcmV0"}]);
        let n = agree::<AnyIncomingPayment>(&ANY_INCOMING_PAYMENT, &full)
            + agree::<AnyIncomingPayment>(
                &ANY_INCOMING_PAYMENT,
                &json!({"authServer": "https://auth.example", "receivedAmount": amount("1")}),
            )
            + agree::<ErrorResponse>(
                &ERROR_RESPONSE,
                &json!({"error": {"code": "404", "description": "Not Found", "details": {"b": 1, "a": [2]}}}),
            )
            + agree::<GnapErrorResponse>(
                &GNAP_ERROR_RESPONSE,
                &json!({"error": {"code": "invalid_client", "description": "unknown key"}}),
            );
        assert!(n > 1000, "{n} documents");
    }

    /// Every document the typed model accepts builds the same model from the checked tree
    /// (`from_checked.rs`, what the client reads responses with) as serde does.
    fn built<T>(kind: &Kind, valid: &Value) -> usize
    where
        T: DeserializeOwned
            + crate::resources::from_checked::FromChecked
            + PartialEq
            + std::fmt::Debug,
    {
        let mut n = 0;
        for doc in mutations(valid) {
            let text = doc.to_string();
            if let Ok(typed) = from_json::<T>(&text) {
                let tree = parsed(&text, kind).unwrap();
                assert_eq!(T::from_checked(&tree).as_ref(), Some(&typed), "{text}");
                n += 1;
            }
        }
        n
    }

    #[test]
    fn the_models_built_from_checked_documents_are_serdes() {
        use super::super::schema_rules::GRANT_RESPONSE;
        use crate::resources::{
            OutgoingPaymentGrantSpentAmounts as Spent, OutgoingPaymentWithSpentAmounts as Created,
        };
        let mut full = incoming();
        full["methods"] =
            json!([{"type": "ilp", "ilpAddress": "g.ilp.a1", "sharedSecret": "c2VjcmV0"}]);
        let mut created = outgoing();
        created["grantSpentDebitAmount"] = amount("6");
        let page_info = json!({"startCursor": "a", "hasNextPage": true, "hasPreviousPage": false});
        let quote = json!({
            "id": "q", "walletAddress": "w", "receiver": "r", "receiveAmount": amount("5"),
            "debitAmount": amount("6"), "method": "ilp", "expiresAt": "2032-02-03T23:20:50Z",
            "createdAt": "2022-03-12T23:20:50.520Z"
        });
        let subject = json!({"sub_ids": [{"id": "https://ilp.example/alice", "format": "uri"}]});
        let n = built::<WalletAddress>(
            &WALLET_ADDRESS,
            &json!({"id": "w", "publicName": "A", "assetCode": "USD", "assetScale": 2,
                    "authServer": "a", "resourceServer": "r"}),
        ) + built::<JsonWebKeySet>(
            &JSON_WEB_KEY_SET,
            &json!({"keys": [{"kid": "k", "alg": "EdDSA", "use": "sig", "kty": "OKP", "crv": "Ed25519", "x": "ab"}]}),
        ) + built::<DidDocument>(
            &DID_DOCUMENT,
            &json!({"id": "did:web:x", "n": [1.5, -2, 1e300, 0.1]}),
        ) + built::<PublicIncomingPayment>(
            &PUBLIC_INCOMING_PAYMENT,
            &json!({"authServer": "a", "receivedAmount": amount("1")}),
        ) + built::<IncomingPaymentWithPaymentMethods>(
            &INCOMING_PAYMENT_WITH_METHODS,
            &full,
        ) + built::<IncomingPayment>(&INCOMING_PAYMENT, &incoming())
            + built::<Page<IncomingPayment>>(
                &INCOMING_PAYMENT_PAGE,
                &json!({"pagination": page_info, "result": [incoming()]}),
            )
            + built::<Quote>(&QUOTE, &quote)
            + built::<OutgoingPayment>(&OUTGOING_PAYMENT, &outgoing())
            + built::<Created>(&OUTGOING_PAYMENT_WITH_SPENT_AMOUNTS, &created)
            + built::<Page<OutgoingPayment>>(
                &OUTGOING_PAYMENT_PAGE,
                &json!({"pagination": page_info, "result": [outgoing()]}),
            )
            + built::<Spent>(
                &GRANT_SPENT_AMOUNTS,
                &json!({"spentReceiveAmount": null, "spentDebitAmount": amount("1")}),
            )
            + built::<GrantResponse>(
                &GRANT_RESPONSE,
                &json!({"interact": {"redirect": "r", "finish": "f"}, "continue": continue_()}),
            )
            + built::<GrantResponse>(
                &GRANT_RESPONSE,
                &json!({"access_token": access_token(), "subject": subject, "continue": continue_()}),
            )
            + built::<Grant>(
                &GRANT,
                &json!({"access_token": access_token(), "subject": subject, "continue": continue_()}),
            )
            + built::<AccessTokenResponse>(
                &ACCESS_TOKEN_RESPONSE,
                &json!({"access_token": access_token()}),
            );
        assert!(n > 500, "{n} documents");
    }

    /// Several faults at once: the first one reported is the typed model's (bad members by name,
    /// before missing ones; of several missing, the first in the schema's list).
    #[test]
    fn of_several_faults_the_first_is_the_typed_models() {
        let docs = [
            "{}",
            r#"{"resourceServer":"x"}"#,
            r#"{"assetScale":"2","id":7}"#,
            r#"{"id":"x","publicName":1,"assetCode":"us"}"#,
            r#"{"assetScale":2,"assetScale":300,"assetCode":"USD"}"#,
            r#"{"authServer":null,"id":null}"#,
        ];
        for text in docs {
            let typed = from_json::<WalletAddress>(text).map(drop);
            let walked = check(text, &WALLET_ADDRESS);
            let (Err(a), Err(b)) = (&typed, &walked) else {
                panic!("{text}: {typed:?} {walked:?}")
            };
            assert_eq!((a.code(), a.field()), (b.code(), b.field()), "{text}");
        }
        let text =
            r#"{"receivedAmount":{"value":"1","assetCode":"USD","assetScale":2},"methods":[]}"#;
        let typed = from_json::<IncomingPaymentWithPaymentMethods>(text).unwrap_err();
        let walked = check(text, &INCOMING_PAYMENT_WITH_METHODS).unwrap_err();
        assert_eq!(
            (typed.code(), typed.field()),
            (walked.code(), walked.field())
        );
        assert_eq!(walked.field().as_deref(), Some("id"));
    }

    #[test]
    fn text_that_is_not_json_is_invalid_json() {
        let err = check("{", &WALLET_ADDRESS).unwrap_err();
        assert_eq!(err.code(), "invalid_json");
        assert_eq!(
            err.to_string(),
            from_json::<WalletAddress>("{").unwrap_err().to_string()
        );
    }
}
