//! `src/resources/schema_table.rs` is generated from the official OpenAPI files by this test, and
//! this test fails when the file differs from what the files give.
//!
//! Regenerate: `UPDATE_SCHEMA_TABLE=1 cargo test --test resources schema_table`.
//!
//! The files are read from the installed `@interledger/open-payments` package (`npm ci`). Each
//! root schema below becomes a static `Kind` (see `src/resources/schema.rs`), and every component
//! it references (`$ref`) one more. A construct the walker has no kind for fails the generation,
//! so a new spec version cannot be checked less strictly than it says without anyone noticing.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

// serde_norway's mapping keeps the files' order: properties are checked, and the first missing
// one reported, in the order the schema lists them (as the typed models declare their fields).
use serde_norway::Value;

/// The documents the JS client checks without building typed models: (spec file, schema).
const ROOTS: [(&str, &str); 10] = [
    ("wallet-address-server", "wallet-address"),
    ("wallet-address-server", "json-web-key-set"),
    ("wallet-address-server", "did-document"),
    ("resource-server", "public-incoming-payment"),
    ("resource-server", "incoming-payment-with-methods"),
    ("resource-server", "incoming-payment"),
    ("resource-server", "quote"),
    ("resource-server", "outgoing-payment"),
    ("resource-server", "outgoing-payment-with-spent-amounts"),
    // Reached from the grant response (`POST /`), which `schema_rules.rs` writes by hand.
    ("auth-server", "interact-response"),
];

/// A response body the spec writes inline (not as a component).
struct Response {
    file: &'static str,
    path: &'static str,
    method: &'static str,
    status: &'static str,
    /// The static's name.
    name: &'static str,
    /// The members the typed model requires beyond the schema's own `required`.
    required: &'static [&'static str],
}

const RESPONSES: [Response; 5] = [
    // The list schemas list no `required`; the typed `Page` needs both members.
    Response {
        file: "resource-server",
        path: "/incoming-payments",
        method: "get",
        status: "200",
        name: "INCOMING_PAYMENT_PAGE",
        required: &["pagination", "result"],
    },
    Response {
        file: "resource-server",
        path: "/outgoing-payments",
        method: "get",
        status: "200",
        name: "OUTGOING_PAYMENT_PAGE",
        required: &["pagination", "result"],
    },
    Response {
        file: "resource-server",
        path: "/outgoing-payment-grant",
        method: "get",
        status: "200",
        name: "GRANT_SPENT_AMOUNTS",
        required: &[],
    },
    Response {
        file: "auth-server",
        path: "/continue/{id}",
        method: "post",
        status: "200",
        name: "GRANT",
        required: &[],
    },
    Response {
        file: "auth-server",
        path: "/token/{id}",
        method: "post",
        status: "200",
        name: "ACCESS_TOKEN_RESPONSE",
        required: &[],
    },
];

/// Where the typed models' rules differ from the spec's text, the kind that keeps the models'
/// rules (the walker is as strict as the models, no more, no less; the walker's tests compare
/// both): (the schema's place, as the generator names it; the kind; why).
const OVERRIDES: [(&str, &str, &str); 7] = [
    (
        "quote.expiresAt",
        "Kind::DateTime",
        "the spec says only `string`, the model reads a timestamp like every other `expiresAt`",
    ),
    (
        "receiver",
        "Kind::Str",
        "the models take the receiver as given (the server that made it checks its form)",
    ),
    (
        "page-info.*Cursor",
        "Kind::Str",
        "`minLength: 1`: the models take any cursor string and hand it back as given",
    ),
    (
        "access_token.expires_in",
        "Kind::U64",
        "`integer`: the model reads seconds as a `u64`",
    ),
    (
        "continue.wait",
        "Kind::U64",
        "`integer`: the model reads seconds as a `u64`",
    ),
    (
        "access-item",
        "super::schema_rules::ACCESS_ITEM",
        "`oneOf` three objects told apart by `type`: written by hand with the model's rules",
    ),
    (
        "subject.sub_ids",
        "super::schema_rules::SUB_IDS",
        "`minItems`/`maxItems` 1: written by hand with the model's rule",
    ),
];

/// The ILP address pattern of `ilp-payment-method.ilpAddress` (the walker's `Kind::IlpAddress`).
const ILP_ADDRESS: &str = "^(g|private|example|peer|self|test[1-3]?|local)([.][a-zA-Z0-9_~-]+)+$";

const TABLE: &str = "src/resources/schema_table.rs";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(file: &str) -> Value {
    let path = root().join(format!(
        "node_modules/@interledger/open-payments/dist/openapi/specs/{file}.yaml"
    ));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run `npm ci` to install the spec package)",
            path.display()
        )
    });
    serde_norway::from_str(&text).unwrap()
}

/// `wallet-address` → `WALLET_ADDRESS`.
fn static_name(schema: &str) -> String {
    schema.replace('-', "_").to_ascii_uppercase()
}

/// The kind [`OVERRIDES`] gives the schema at `at`, if any.
fn overridden(at: &str) -> Option<String> {
    OVERRIDES
        .iter()
        .find(|(place, _, _)| match place.split_once('*') {
            Some((start, end)) => at.starts_with(start) && at.ends_with(end),
            None => at == *place,
        })
        .map(|(_, kind, _)| (*kind).to_owned())
}

struct Generator {
    /// Component statics by name: (spec file, component name, Rust expression).
    statics: BTreeMap<String, (String, String, String)>,
    /// Inline response bodies: (static name, where it is, Rust expression).
    responses: Vec<(String, String, String)>,
}

impl Generator {
    fn component(&mut self, file: &str, doc: &Value, name: &str) -> String {
        if let Some(kind) = overridden(name) {
            return kind;
        }
        let rust = static_name(name);
        if let Some((other, _, _)) = self.statics.get(&rust) {
            assert_eq!(other, file, "{name} is reached in two spec files");
            return rust;
        }
        // Reserve the name first: schemas may refer to each other.
        let entry = |expr| (file.to_owned(), name.to_owned(), expr);
        self.statics.insert(rust.clone(), entry(String::new()));
        let node = &doc["components"]["schemas"][name];
        assert!(node.is_mapping(), "{file}: no component schema {name}");
        let expr = self.kind(file, doc, node, name);
        self.statics.insert(rust.clone(), entry(expr));
        rust
    }

    /// The `required` list of an object schema.
    fn required(node: &Value) -> Vec<String> {
        node.get("required")
            .and_then(Value::as_sequence)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The `Kind::Object` of these properties (in the schema's order).
    fn object(
        &mut self,
        file: &str,
        doc: &Value,
        props: &[(String, Value)],
        required: &[String],
        at: &str,
    ) -> String {
        for name in required {
            assert!(
                props.iter().any(|(n, _)| n == name),
                "{at}: required {name} not listed"
            );
        }
        assert!(
            props.len() < 256,
            "{at}: too many properties for `Prop::order`"
        );
        // Sorted by name (the walker's order, serde_json's map's), each with its place in the
        // schema's list.
        let mut sorted: Vec<(usize, &(String, Value))> = props.iter().enumerate().collect();
        sorted.sort_by(|a, b| a.1 .0.cmp(&b.1 .0));
        let mut out = String::from("Kind::Object(&[\n");
        for (order, (name, prop)) in sorted {
            let kind = self.kind(file, doc, prop, &format!("{at}.{name}"));
            let _ = writeln!(
                out,
                "    Prop {{ name: {name:?}, order: {order}, required: {}, kind: &{kind} }},",
                required.contains(name)
            );
        }
        out.push_str("])");
        out
    }

    /// The Rust expression of the `Kind` of `node` (`at` names it in failures).
    fn kind(&mut self, file: &str, doc: &Value, node: &Value, at: &str) -> String {
        let overridden = OVERRIDES
            .iter()
            .find(|(place, _, _)| match place.split_once('*') {
                Some((start, end)) => at.starts_with(start) && at.ends_with(end),
                None => at == *place,
            });
        if let Some((_, kind, _)) = overridden {
            return (*kind).to_owned();
        }
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{at}: $ref {reference} is not a local schema"));
            // A component is a static of its own: the expression is its name.
            return self.component(file, doc, name);
        }
        // One alternative is that alternative; an alternative or `null` is that alternative or
        // `null`.
        for choice in ["anyOf", "oneOf"] {
            if let Some(alternatives) = node.get(choice).and_then(Value::as_sequence) {
                let null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
                if let [one, other] = alternatives.as_slice() {
                    if null(other) && !null(one) {
                        return format!("Kind::OrNull(&{})", self.kind(file, doc, one, at));
                    }
                }
                assert_eq!(
                    alternatives.len(),
                    1,
                    "{at}: `{choice}` of several has no kind in the walker"
                );
                return self.kind(file, doc, &alternatives[0], at);
            }
        }
        // `allOf` of objects: one object with the properties and `required` of each part, in order.
        if let Some(parts) = node.get("allOf").and_then(Value::as_sequence) {
            let mut props = Vec::new();
            let mut required = Vec::new();
            for part in parts {
                let part = match part.get("$ref").and_then(Value::as_str) {
                    Some(reference) => {
                        &doc["components"]["schemas"]
                            [reference.strip_prefix("#/components/schemas/").unwrap()]
                    }
                    None => part,
                };
                assert_eq!(
                    part.get("type").and_then(Value::as_str),
                    Some("object"),
                    "{at}: `allOf` of a non-object"
                );
                for (name, prop) in part.get("properties").and_then(Value::as_mapping).unwrap() {
                    props.push((name.as_str().unwrap().to_owned(), prop.clone()));
                }
                required.extend(Self::required(part));
            }
            return self.object(file, doc, &props, &required, at);
        }
        for unsupported in ["oneOf", "anyOf", "allOf", "not"] {
            assert!(
                node.get(unsupported).is_none(),
                "{at}: `{unsupported}` has no kind in the walker"
            );
        }
        let ty = node.get("type").and_then(Value::as_str);
        let title = node.get("title").and_then(Value::as_str);
        match ty {
            Some("object") => match node.get("properties").and_then(Value::as_mapping) {
                None => "Kind::AnyObject".to_owned(),
                Some(props) => {
                    let props: Vec<(String, Value)> = props
                        .iter()
                        .map(|(name, prop)| {
                            let name = name.as_str().expect("property names are strings");
                            (name.to_owned(), prop.clone())
                        })
                        .collect();
                    self.object(file, doc, &props, &Self::required(node), at)
                }
            },
            Some("array") => {
                let items = node
                    .get("items")
                    .unwrap_or_else(|| panic!("{at}: array without items"));
                format!(
                    "Kind::Array(&{})",
                    self.kind(file, doc, items, &format!("{at}[]"))
                )
            }
            Some("string") => {
                if let Some(values) = node.get("enum").and_then(Value::as_sequence) {
                    let names: Vec<String> = values
                        .iter()
                        .map(|v| format!("{:?}", v.as_str().expect("string enum")))
                        .collect();
                    return format!("Kind::Enum(&[{}])", names.join(", "));
                }
                let format = node.get("format").and_then(Value::as_str);
                let pattern = node.get("pattern").and_then(Value::as_str);
                match (format, pattern, title) {
                    (Some("uint64"), None, _) => "Kind::Uint64".to_owned(),
                    (Some("date-time"), None, _) => "Kind::DateTime".to_owned(),
                    (None, None, Some("Asset code")) => "Kind::AssetCode".to_owned(),
                    (None, Some("^[a-zA-Z0-9-_]+$"), _) => "Kind::Base64Url".to_owned(),
                    (None, Some(ILP_ADDRESS), _) => {
                        assert_eq!(
                            node.get("maxLength").and_then(Value::as_u64),
                            Some(1023),
                            "{at}: the ILP address kind checks at most 1023 characters"
                        );
                        "Kind::IlpAddress".to_owned()
                    }
                    (None | Some("uri"), None, _) => "Kind::Str".to_owned(),
                    other => panic!("{at}: string {other:?} has no kind in the walker"),
                }
            }
            Some("integer") => {
                let range = (
                    node.get("minimum").and_then(Value::as_u64),
                    node.get("maximum").and_then(Value::as_u64),
                );
                assert!(
                    title == Some("Asset scale") && range == (Some(0), Some(255)),
                    "{at}: only the asset scale integer has a kind in the walker"
                );
                "Kind::AssetScale".to_owned()
            }
            Some("boolean") => "Kind::Bool".to_owned(),
            other => panic!("{at}: type {other:?} has no kind in the walker"),
        }
    }
}

fn generate() -> String {
    let mut generator = Generator {
        statics: BTreeMap::new(),
        responses: Vec::new(),
    };
    let mut docs = BTreeMap::new();
    for (file, schema) in ROOTS {
        let doc = docs.entry(file).or_insert_with(|| load(file)).clone();
        generator.component(file, &doc, schema);
    }
    for Response {
        file,
        path,
        method,
        status,
        name,
        required,
    } in RESPONSES
    {
        let doc = docs.entry(file).or_insert_with(|| load(file)).clone();
        let node = &doc["paths"][path][method]["responses"][status]["content"]["application/json"]
            ["schema"];
        assert!(
            node.is_mapping(),
            "{file}: no {method} {path} {status} body"
        );
        let mut node = node.clone();
        if !required.is_empty() {
            let list = node
                .as_mapping_mut()
                .unwrap()
                .entry(Value::from("required"))
                .or_insert_with(|| Value::Sequence(Vec::new()));
            for name in required {
                list.as_sequence_mut().unwrap().push(Value::from(*name));
            }
        }
        let expr = generator.kind(file, &doc, &node, name);
        let at = format!("{file}.yaml`: `{method} {path}` {status}");
        generator.responses.push((name.to_owned(), at, expr));
    }
    let mut out = String::from(
        "//! The schemas the walker (`schema.rs`) checks documents against, generated from the OpenAPI\n\
         //! files of `@interledger/open-payments` 7.4.0 (spec 1.3.0) by `tests/resources/schema_table.rs`:\n\
         //! `UPDATE_SCHEMA_TABLE=1 cargo test --test resources schema_table` rewrites it, and the same\n\
         //! test fails when it differs from what the files give. Do not edit by hand.\n\n\
         use super::schema::{Kind, Prop};\n",
    );
    for (name, (file, component, expr)) in &generator.statics {
        let _ = write!(
            out,
            "\n/// `{file}.yaml`: `#/components/schemas/{component}`.\npub(crate) static {name}: Kind = {expr};\n",
        );
    }
    for (name, at, expr) in &generator.responses {
        let _ = write!(
            out,
            "\n/// `{at}.\npub(crate) static {name}: Kind = {expr};\n"
        );
    }
    out
}

/// `schema_rules.rs` writes the grant response by hand: it holds only while the spec says
/// `oneOf` pending (`interact` + `continue`) and approved (`access_token` + `continue`).
#[test]
fn the_grant_response_is_what_the_hand_written_kind_assumes() {
    let doc = load("auth-server");
    let body =
        &doc["paths"]["/"]["post"]["responses"]["200"]["content"]["application/json"]["schema"];
    let shapes: Vec<(Vec<String>, Vec<String>)> = body["oneOf"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|alternative| {
            let props = alternative["properties"].as_mapping().unwrap();
            let refs = props
                .iter()
                .map(|(name, p)| {
                    format!("{}={}", name.as_str().unwrap(), p["$ref"].as_str().unwrap())
                })
                .collect();
            (refs, Generator::required(alternative))
        })
        .collect();
    let continue_ = "continue=#/components/schemas/continue";
    assert_eq!(
        shapes,
        [
            (
                vec![
                    "interact=#/components/schemas/interact-response".to_owned(),
                    continue_.to_owned()
                ],
                vec!["interact".to_owned(), "continue".to_owned()]
            ),
            (
                vec![
                    "access_token=#/components/schemas/access_token".to_owned(),
                    continue_.to_owned()
                ],
                vec!["access_token".to_owned(), "continue".to_owned()]
            ),
        ]
    );
}

#[test]
fn the_schema_table_is_what_the_openapi_files_give() {
    let generated = generate();
    let path = root().join(TABLE);
    if std::env::var_os("UPDATE_SCHEMA_TABLE").is_some() {
        std::fs::write(&path, &generated).unwrap();
        // rustfmt lays it out as the committed file is laid out.
        let status = std::process::Command::new("rustfmt")
            .args(["--edition", "2021"])
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
    }
    // Compare modulo layout: the committed file is rustfmt's.
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<String>()
            .replace(",]", "]")
            .replace(",}", "}")
            .replace(",)", ")")
    };
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        squash(&committed) == squash(&generated),
        "{TABLE} differs from the OpenAPI files: run `UPDATE_SCHEMA_TABLE=1 cargo test --test resources schema_table`"
    );
}
