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

use serde_json::{Map, Number, Value};

use super::common::{is_base64url, FieldError, Timestamp};
use super::ResourceError;
use crate::amount;
use crate::error::{coded_message, quoted};

/// What a JSON value must be.
#[derive(Debug)]
// `DateTime` and `Bool` are for schemas with timestamps and flags (incoming payments, quotes),
// which the generator maps; none of today's roots has them.
#[allow(dead_code)]
pub enum Kind {
    /// An object with these properties (others pass unchecked).
    Object(&'static [Prop]),
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
    /// `true` or `false`.
    Bool,
}

/// One property of an [`Kind::Object`].
#[derive(Debug)]
pub struct Prop {
    /// The member name.
    pub name: &'static str,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// What its value must be.
    pub kind: &'static Kind,
}

/// Checks the JSON text `json` against `kind`: `Ok` when the typed model would accept it, else
/// the error the typed model gives (code and JSON path of the first bad field).
pub fn check(json: &str, kind: &Kind) -> Result<(), ResourceError> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| ResourceError::new("invalid_json", "", &e.to_string()))?;
    let mut path = String::new();
    walk(&value, kind, &mut path).map_err(|message| {
        let at = if path.is_empty() { "." } else { path.as_str() };
        ResourceError::at(at, &message)
    })
}

/// Checks `value` against `kind`. On an error `path` is left at the bad field and the message
/// is one [`ResourceError::at`] classifies (serde's words or a coded rule message).
fn walk(value: &Value, kind: &Kind, path: &mut String) -> Result<(), String> {
    match (kind, value) {
        (Kind::Object(props), Value::Object(map)) => object(map, props, path),
        (Kind::AnyObject, Value::Object(_)) | (Kind::Str, Value::String(_)) => Ok(()),
        (Kind::Bool, Value::Bool(_)) => Ok(()),
        (Kind::Array(item), Value::Array(items)) => {
            let len = path.len();
            for (i, element) in items.iter().enumerate() {
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
                walk(element, item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Kind::Enum(names), Value::String(s)) => {
            if names.contains(&s.as_str()) {
                Ok(())
            } else {
                Err(format!(
                    "unknown variant {}, expected one of {}",
                    quoted(s),
                    names
                        .iter()
                        .map(|n| quoted(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
        (Kind::DateTime, Value::String(s)) => {
            Timestamp::parse(s).map(drop).map_err(|e| coded_message(&e))
        }
        (Kind::Base64Url, Value::String(s)) => {
            if is_base64url(s) {
                Ok(())
            } else {
                Err(coded_message(&FieldError::format(
                    "must be base64url without padding ([A-Za-z0-9_-]+)",
                    s,
                )))
            }
        }
        (Kind::Uint64, Value::String(s)) => amount::value_from_str(s)
            .map(drop)
            .map_err(|e| coded_message(&e)),
        (Kind::Uint64, Value::Null | Value::Bool(_) | Value::Number(_)) => {
            Err(coded_message(&amount::value_not_a_string()))
        }
        (Kind::AssetCode, Value::String(s)) => {
            amount::validate_asset_code(s).map_err(|e| coded_message(&e))
        }
        (Kind::AssetScale, Value::Number(n)) => scale(n).map_err(|e| coded_message(&e)),
        (Kind::AssetScale, Value::String(s)) => Err(coded_message(&amount::scale_from_string(s))),
        (Kind::AssetScale, Value::Bool(_)) => {
            Err(coded_message(&amount::scale_from_other("a boolean")))
        }
        (Kind::AssetScale, Value::Null) => Err(coded_message(&amount::scale_from_other("null"))),
        _ => Err(format!(
            "invalid type: {}, expected {}",
            found(value),
            expected(kind)
        )),
    }
}

/// The properties of an object, in the order the document has them (as serde reads them), then
/// the first required one missing (in the schema's order, as serde reports it).
fn object(map: &Map<String, Value>, props: &[Prop], path: &mut String) -> Result<(), String> {
    let len = path.len();
    for (name, value) in map {
        let Some(prop) = props.iter().find(|p| p.name == name) else {
            continue;
        };
        if value.is_null() && !prop.required {
            continue;
        }
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
        walk(value, prop.kind, path)?;
        path.truncate(len);
    }
    match props
        .iter()
        .find(|p| p.required && !map.contains_key(p.name))
    {
        Some(missing) => Err(format!("missing field `{}`", missing.name)),
        None => Ok(()),
    }
}

/// An asset scale given as a JSON number.
fn scale(n: &Number) -> Result<(), amount::AmountError> {
    if let Some(v) = n.as_u64() {
        amount::scale_from_u64(v).map(drop)
    } else if let Some(v) = n.as_i64() {
        amount::scale_from_i64(v).map(drop)
    } else {
        match n.as_f64() {
            Some(v) if v.fract() == 0.0 && (0.0..=255.0).contains(&v) => Ok(()),
            _ => Err(amount::scale_not_an_integer()),
        }
    }
}

/// What was found, in JSON words (strings quoted with JSON escapes).
fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        // Integers printed as integers: a float is described, not printed (printing one links
        // core's float formatting, about 15 KB of wasm, for an error text).
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => format!("integer `{u}`"),
            (None, Some(i)) => format!("integer `{i}`"),
            (None, None) => "a number with a fraction".to_owned(),
        },
        Value::String(s) => format!("string {}", quoted(s)),
        Value::Array(_) => "array".to_owned(),
        Value::Object(_) => "object".to_owned(),
    }
}

/// What a kind expects, in words.
fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Object(_) | Kind::AnyObject => "an object",
        Kind::Array(_) => "an array",
        Kind::Str | Kind::DateTime | Kind::Base64Url => "a string",
        Kind::Enum(_) => "one of the listed strings",
        Kind::Uint64 => amount::EXPECTING_VALUE,
        Kind::AssetCode => amount::EXPECTING_ASSET_CODE,
        Kind::AssetScale => "an integer from 0 to 255",
        Kind::Bool => "a boolean",
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
        from_json, DidDocument, JsonWebKeySet, PublicIncomingPayment, WalletAddress,
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
    fn agree<T: DeserializeOwned>(kind: &Kind, valid: &Value) -> usize {
        let docs = mutations(valid);
        let mut refused = 0;
        for doc in &docs {
            let text = doc.to_string();
            let typed = from_json::<T>(&text).map(drop);
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
            );
        assert!(n > 500, "{n} documents");
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
