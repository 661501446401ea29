//! Every example of the three OpenAPI files (spec 1.3.0) parses into its Rust type and serialises
//! back to the same JSON.
//!
//! The files are read at run time from the installed `@interledger/open-payments` package. Every
//! operation's request body and responses (following `$ref`s into `components/responses` and
//! `components/examples`) and every component schema's `examples` are visited; the schema of each
//! example (a `$ref`'d component, or the inline schema of an operation) picks the Rust type. An
//! example whose schema has no entry in [`parser_for`] fails the test, so none is skipped silently.
//! Examples that disagree with their own schema are listed in [`EXCEPTIONS`] with the reason.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use open_payments_wasm::resources::{self, *};
use open_payments_wasm::ErrorCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Fewer distinct examples than this means the walk is broken (there are 58 in spec 1.3.0).
const MIN_EXAMPLES: usize = 50;

type Parser = fn(&Value) -> Result<Value, resources::ResourceError>;

fn round_trip<T: DeserializeOwned + Serialize>(
    example: &Value,
) -> Result<Value, resources::ResourceError> {
    let parsed: T = resources::from_json(&example.to_string())?;
    Ok(serde_json::to_value(&parsed).unwrap())
}

/// The Rust type of each schema that has examples. `schema` is a component name, or
/// `"<operationId> request"` / `"<operationId> <status>"` for an inline schema.
fn parser_for(file: &str, schema: &str) -> Option<Parser> {
    Some(match (file, schema) {
        ("wallet-address-server", "wallet-address") => round_trip::<WalletAddress>,
        ("wallet-address-server", "json-web-key-set") => round_trip::<JsonWebKeySet>,
        (_, "json-web-key") => round_trip::<JsonWebKey>,
        ("wallet-address-server", "did-document") => round_trip::<DidDocument>,
        ("auth-server", "post-request request") => round_trip::<GrantRequest>,
        ("auth-server", "post-request 200") => round_trip::<GrantResponse>,
        ("auth-server", "post-continue request") => round_trip::<ContinuationRequest>,
        ("auth-server", "post-continue 200") => round_trip::<Grant>,
        ("auth-server", "post-token 200") => round_trip::<AccessTokenResponse>,
        ("auth-server", "interval") => round_trip::<Interval>,
        // `receiver` is a URL string in every model (its pattern is the server's to enforce).
        (_, "receiver") => round_trip::<String>,
        ("resource-server", "create-incoming-payment request") => {
            round_trip::<CreateIncomingPaymentRequest>
        }
        ("resource-server", "incoming-payment-with-methods") => {
            round_trip::<IncomingPaymentWithPaymentMethods>
        }
        ("resource-server", "list-incoming-payments 200") => round_trip::<Page<IncomingPayment>>,
        ("resource-server", "get-incoming-payment 200") => round_trip::<AnyIncomingPayment>,
        ("resource-server", "incoming-payment") => round_trip::<IncomingPayment>,
        ("resource-server", "public-incoming-payment") => round_trip::<PublicIncomingPayment>,
        ("resource-server", "ilp-payment-method") => round_trip::<IlpPaymentMethod>,
        ("resource-server", "create-quote request") => round_trip::<CreateQuoteRequest>,
        ("resource-server", "quote") => round_trip::<Quote>,
        ("resource-server", "create-outgoing-payment request") => {
            round_trip::<CreateOutgoingPaymentRequest>
        }
        ("resource-server", "outgoing-payment-with-spent-amounts") => {
            round_trip::<OutgoingPaymentWithSpentAmounts>
        }
        ("resource-server", "list-outgoing-payments 200") => round_trip::<Page<OutgoingPayment>>,
        ("resource-server", "outgoing-payment") => round_trip::<OutgoingPayment>,
        ("resource-server", "get-outgoing-payment-grant 200") => {
            round_trip::<OutgoingPaymentGrantSpentAmounts>
        }
        ("resource-server", "error-response") => round_trip::<ErrorResponse>,
        ("resource-server", "page-info") => round_trip::<PageInfo>,
        _ => return None,
    })
}

/// What is expected of an example that does not follow its own schema.
enum Expect {
    /// Refused with this error code and field.
    Refused(&'static str, Option<&'static str>),
    /// Accepted; these top-level fields (not in the schema) are dropped by the round trip.
    Drops(&'static [&'static str]),
}

/// Examples of spec 1.3.0 that contradict their schema, keyed by their location in [`walk`].
const EXCEPTIONS: &[(&str, Expect, &str)] = &[
    (
        "wallet-address-server components.schemas.json-web-key.examples[0]",
        Expect::Refused("missing_field", Some("alg")),
        "the WA copy of the JWK examples lacks `alg`, which the same schema requires (the AS copy has it)",
    ),
    (
        "wallet-address-server components.schemas.json-web-key.examples[1]",
        Expect::Refused("missing_field", Some("alg")),
        "same as examples[0]: `alg` is required but missing",
    ),
    (
        "resource-server components.schemas.incoming-payment.examples[1]",
        Expect::Refused("missing_field", Some("completed")),
        "`completed` is in the schema's `required` list but this example omits it",
    ),
    (
        "resource-server components.schemas.public-incoming-payment.examples[0]",
        Expect::Refused("missing_field", Some("authServer")),
        "`authServer` is required but this example only has `receivedAmount`",
    ),
    (
        "resource-server components.schemas.ilp-payment-method.examples[0]",
        Expect::Refused("invalid_format", Some("ilpAddress")),
        "a placeholder (`type: string`, `ilpAddress: string`): not an ILP address (nor is `string` the type `ilp`)",
    ),
    (
        "resource-server components.schemas.quote.examples[0]",
        Expect::Drops(&["sentAmount"]),
        "`sentAmount` is not a quote field (the schema is closed); responses are read tolerantly",
    ),
    (
        "resource-server components.schemas.quote.examples[1]",
        Expect::Refused("missing_field", Some("receiveAmount")),
        "`receiveAmount` is required but missing (and it shows the stray `sentAmount`)",
    ),
    (
        "resource-server components.schemas.outgoing-payment.examples[1]",
        Expect::Refused("missing_field", Some("receiveAmount")),
        "`receiveAmount` is required but missing (its receiver also breaks the receiver pattern)",
    ),
];

struct Example {
    file: String,
    location: String,
    schema: String,
    value: Value,
}

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("node_modules/@interledger/open-payments/dist/openapi/specs")
}

fn load(file: &str) -> Value {
    let path = spec_dir().join(format!("{file}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run `npm ci` to install the spec package)",
            path.display()
        )
    });
    serde_norway::from_str(&text).unwrap()
}

/// Follows a local `$ref` (`#/components/...`) once.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("local $ref");
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"))
        }
        None => node,
    }
}

/// The schema key of a media type object: the component it `$ref`s, or `inline` for an inline one.
fn schema_key(media: &Value, inline: &str) -> String {
    match media
        .get("schema")
        .and_then(|s| s.get("$ref"))
        .and_then(Value::as_str)
    {
        Some(reference) => reference.rsplit('/').next().unwrap().to_owned(),
        None => inline.to_owned(),
    }
}

fn collect_media(
    doc: &Value,
    file: &str,
    location: &str,
    media: &Value,
    inline: &str,
    out: &mut Vec<Example>,
) {
    let schema = schema_key(media, inline);
    if let Some(example) = media.get("example") {
        out.push(Example {
            file: file.to_owned(),
            location: format!("{location} example"),
            schema: schema.clone(),
            value: example.clone(),
        });
    }
    if let Some(examples) = media.get("examples").and_then(Value::as_object) {
        for (name, example) in examples {
            let example = resolve(doc, example);
            out.push(Example {
                file: file.to_owned(),
                location: format!("{location} examples.{name}"),
                schema: schema.clone(),
                value: example
                    .get("value")
                    .expect("example object has a value")
                    .clone(),
            });
        }
    }
}

fn walk(file: &str) -> Vec<Example> {
    let doc = load(file);
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(op_id) = op.get("operationId").and_then(Value::as_str) else {
                assert!(
                    ["parameters", "description", "summary"].contains(&method.as_str()),
                    "{file} {path}: operation {method} without operationId"
                );
                continue;
            };
            if let Some(body) = op.get("requestBody") {
                let body = resolve(&doc, body);
                if let Some(media) = body.pointer("/content/application~1json") {
                    let location = format!("{op_id} request");
                    collect_media(&doc, file, &location, media, &location, &mut out);
                }
            }
            for (status, response) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let response = resolve(&doc, response);
                if let Some(media) = response.pointer("/content/application~1json") {
                    let location = format!("{op_id} {status}");
                    collect_media(&doc, file, &location, media, &location, &mut out);
                }
            }
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap();
    for (name, schema) in schemas {
        for (i, example) in schema
            .get("examples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            out.push(Example {
                file: file.to_owned(),
                location: format!("components.schemas.{name}.examples[{i}]"),
                schema: name.clone(),
                value: example.clone(),
            });
        }
        assert!(
            schema.get("example").is_none(),
            "{file} {name}: singular `example` not walked"
        );
    }
    out
}

#[test]
fn every_openapi_example_round_trips_through_its_rust_type() {
    let mut seen = BTreeSet::new();
    let mut exceptions_hit = BTreeSet::new();
    let mut failures = Vec::new();
    for file in ["wallet-address-server", "auth-server", "resource-server"] {
        for ex in walk(file) {
            // The shared error examples are referenced by many operations: check each once.
            if !seen.insert((ex.file.clone(), ex.schema.clone(), ex.value.to_string())) {
                continue;
            }
            let key = format!("{} {}", ex.file, ex.location);
            let parse = parser_for(&ex.file, &ex.schema)
                .unwrap_or_else(|| panic!("{key}: no Rust type for schema `{}`", ex.schema));
            let outcome = parse(&ex.value);
            let exception = EXCEPTIONS.iter().find(|(at, _, _)| *at == key);
            match (exception, outcome) {
                (None, Ok(back)) if back == ex.value => {}
                (None, Ok(back)) => failures.push(format!(
                    "{key}: round trip changed it:\n  {}\n  {back}",
                    ex.value
                )),
                (None, Err(e)) => {
                    failures.push(format!("{key}: refused: {} {:?} {e}", e.code(), e.field()))
                }
                (Some((at, Expect::Drops(fields), _)), Ok(back)) => {
                    let mut expected = ex.value.clone();
                    for field in *fields {
                        assert!(
                            expected.as_object_mut().unwrap().remove(*field).is_some(),
                            "{key}: no {field}"
                        );
                    }
                    if back == expected {
                        exceptions_hit.insert(*at);
                    } else {
                        failures.push(format!(
                            "{key}: expected only {fields:?} dropped, got {back}"
                        ));
                    }
                }
                (Some((at, Expect::Refused(code, field), _)), Err(e)) => {
                    if e.code() == *code && e.field().as_deref() == *field {
                        exceptions_hit.insert(*at);
                    } else {
                        failures.push(format!(
                            "{key}: expected {code} {field:?}, got {} {:?}",
                            e.code(),
                            e.field()
                        ));
                    }
                }
                (Some((_, expect, _)), outcome) => {
                    let wanted = match expect {
                        Expect::Drops(_) => "accepted",
                        Expect::Refused(..) => "refused",
                    };
                    failures.push(format!("{key}: expected {wanted}, got {outcome:?}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let unused: Vec<_> = EXCEPTIONS
        .iter()
        .map(|(at, _, _)| *at)
        .filter(|at| !exceptions_hit.contains(at))
        .collect();
    assert!(
        unused.is_empty(),
        "exceptions that matched no example: {unused:?}"
    );
    assert!(
        seen.len() >= MIN_EXAMPLES,
        "only {} examples checked",
        seen.len()
    );
    println!(
        "{} distinct OpenAPI examples checked, {} documented exceptions",
        seen.len(),
        EXCEPTIONS.len()
    );
}
