//! A small JSON reader (RFC 8259): text to a tree that borrows from the text and keeps every
//! number as it was written.
//!
//! Why not serde_json here: the client checks response bodies against the schema tables
//! (`crate::resources::schema`) and reads error bodies and client options, and none of these
//! needs a number as a float: an asset scale is an integer, amounts are strings, the rest passes
//! through as received. serde_json's reader converts every number (its float tables and parser
//! are about a third of the browser build's wasm); this one only checks the grammar, so the
//! public client links no number conversion at all. The typed models (`crate::resources`) still
//! read through serde_json, which the tests compare this reader with.
//!
//! Numbers of any magnitude are read (as `JSON.parse` reads them); serde_json refuses those
//! beyond `f64`'s range. Otherwise the limits are serde_json's `from_str`'s: at most [`MAX_DEPTH`] nested arrays and objects (the
//! reader recurses, and a wasm stack is small), no byte order mark, `\u` escapes must pair
//! their surrogates, control characters in strings must be escaped, nothing but whitespace after
//! the value.

use std::borrow::Cow;

/// How deep arrays and objects may nest (as serde_json's default limit allows).
pub(crate) const MAX_DEPTH: usize = 127;

/// A JSON value read by [`Json::parse`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'a> {
    Null,
    Bool(bool),
    /// A number as written: its grammar was checked (RFC 8259 §6), its value never computed.
    Number(&'a str),
    /// A string, borrowed from the text when it has no escapes.
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    /// Members in the order of the text, repeated names included (see [`Json::get`]).
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// Why a text is not JSON, and where (1-based line and column, as serde_json reports).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} at line {line} column {column}")]
pub(crate) struct JsonError {
    what: &'static str,
    line: usize,
    column: usize,
}

impl<'a> Json<'a> {
    /// Reads `text`, which must hold exactly one JSON value (whitespace around it allowed).
    pub(crate) fn parse(text: &'a str) -> Result<Self, JsonError> {
        let mut reader = Reader { text, at: 0 };
        let value = reader.value(0)?;
        reader.skip_space();
        if reader.at < text.len() {
            return Err(reader.fail("trailing characters"));
        }
        Ok(value)
    }

    /// The member `name` of an object. A name given twice means its last value, as serde_json's
    /// maps (and `JSON.parse`) read it.
    pub(crate) fn get(&self, name: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The member `name` of an object when it is given and not `null` (serde's `Option` reads
    /// `null` as absent).
    pub(crate) fn given(&self, name: &str) -> Option<&Json<'a>> {
        self.get(name).filter(|v| !v.is_null())
    }

    /// A boolean.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number written as an integer (no fraction, no exponent) that fits a `u64`.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// A `[name, value]` pair of strings (a header as the facade and `src/js/host.js` write
    /// header lists), or `None` for anything else.
    #[cfg_attr(
        not(all(
            target_arch = "wasm32",
            any(
                feature = "js-keys",
                feature = "js-public-client",
                feature = "fetch-client"
            )
        )),
        allow(dead_code)
    )]
    pub(crate) fn string_pair(&self) -> Option<(String, String)> {
        match self {
            Json::Array(parts) => match parts.as_slice() {
                [Json::String(name), Json::String(value)] => {
                    Some((name.to_string(), value.to_string()))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// What kind of value this is, in JSON words (for error messages).
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// `null`.
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Appends the value as JSON text: strings escaped as [`crate::error::push_quoted`] does,
    /// numbers as they were written, members in their order.
    pub(crate) fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => crate::error::push_quoted(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    crate::error::push_quoted(out, name);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// An integer written in JSON number syntax, for checks that need one exactly (an asset scale):
/// `Some(n)` when `number` (grammar already checked) is a whole number `n` in `i64`'s range,
/// however it is written (`2`, `2.0`, `0.2e1`, `-0`); `None` for a fraction or a larger value.
/// Exact decimal arithmetic, not a float: `2.0000000000000000001` is not 2.
pub(crate) fn whole_number(number: &str) -> Option<i64> {
    // The usual case, plain digits (an asset scale: `2`): no fraction or exponent to weigh.
    if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
        return number.parse().ok();
    }
    let (negative, rest) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(e) => (rest.get(..e)?, rest.get(e + 1..)?.parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // value = digits × 10^(exponent − fraction length), read digit by digit.
    let mut shift = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let mut digits = int.bytes().chain(frac.bytes()).collect::<Vec<u8>>();
    while shift < 0 && digits.last() == Some(&b'0') {
        digits.pop();
        shift += 1;
    }
    let mut value: i64 = 0;
    for d in digits {
        let digit = d.checked_sub(b'0').filter(|d| *d < 10)?;
        value = value.checked_mul(10)?.checked_add(i64::from(digit))?;
    }
    if value == 0 {
        return Some(0);
    }
    if shift < 0 {
        return None;
    }
    for _ in 0..shift {
        value = value.checked_mul(10)?;
    }
    Some(if negative { -value } else { value })
}

struct Reader<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn fail(&self, what: &'static str) -> JsonError {
        let before = self.text.get(..self.at).unwrap_or(self.text);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        // The column (in bytes, 1-based) of the offending character; of the last one at the end.
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1)
            + usize::from(self.at < self.text.len());
        JsonError { what, line, column }
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, JsonError> {
        self.skip_space();
        match self.peek() {
            None => Err(self.fail("EOF while parsing a value")),
            Some(b'"') => self.string().map(Json::String),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.fail("expected value")),
        }
    }

    fn word(&mut self, word: &'static str, value: Json<'a>) -> Result<Json<'a>, JsonError> {
        match self.text.get(self.at..) {
            Some(rest) if rest.starts_with(word) => {
                self.at += word.len();
                Ok(value)
            }
            _ => Err(self.fail("expected ident")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json<'a>, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.fail("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        match self.text.get(start..self.at) {
            Some(n) => Ok(Json::Number(n)),
            None => Err(self.fail("invalid number")),
        }
    }

    /// A string; `self.at` is on its opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.at += 1;
        let start = self.at;
        // Borrowed until the first escape.
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            // Plain characters in one run, up to the next quote, backslash or control character.
            let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
            self.at += rest
                .iter()
                .position(|&b| ENDS_RUN.get(usize::from(b)).copied().unwrap_or(true))
                .unwrap_or(rest.len());
            match self.peek() {
                None => return Err(self.fail("EOF while parsing a string")),
                Some(b'"') => {
                    let tail = self.text.get(run..self.at).unwrap_or_default();
                    self.at += 1;
                    return Ok(match owned {
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(tail),
                    });
                }
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.text.get(run..self.at).unwrap_or_default());
                    self.at += 1;
                    let c = self.escape()?;
                    if let Some(s) = owned.as_mut() {
                        s.push(c);
                    }
                    run = self.at;
                }
                Some(0..=0x1f) => {
                    return Err(self
                        .fail("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                // Any other byte, ASCII or part of a UTF-8 sequence: `text` is a `str`, and
                // every cut above is at an ASCII byte, so slices stay on char boundaries.
                Some(_) => self.at += 1,
            }
        }
    }

    /// The character of an escape; `self.at` is after its backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let Some(b) = self.peek() else {
            return Err(self.fail("EOF while parsing a string"));
        };
        self.at += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        if self
                            .text
                            .get(self.at..)
                            .is_some_and(|r| r.starts_with("\\u"))
                        {
                            self.at += 2;
                        } else {
                            return Err(self.fail("lone leading surrogate in hex escape"));
                        }
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.fail("lone leading surrogate in hex escape"));
                        }
                        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code)
                            .ok_or_else(|| self.fail("invalid unicode code point"))?
                    }
                    0xDC00..=0xDFFF => return Err(self.fail("unexpected end of hex escape")),
                    _ => char::from_u32(unit)
                        .ok_or_else(|| self.fail("invalid unicode code point"))?,
                }
            }
            _ => return Err(self.fail("invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.fail("invalid escape"))?;
            unit = unit * 16 + digit;
            self.at += 1;
        }
        Ok(unit)
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            Err(self.fail("recursion limit exceeded"))
        } else {
            Ok(())
        }
    }

    /// An array; `self.at` is on its `[`.
    fn array(&mut self, depth: usize) -> Result<Json<'a>, JsonError> {
        let items = self.sequence(depth, b']', LIST, |r| r.value(depth))?;
        Ok(Json::Array(items))
    }

    /// An object; `self.at` is on its `{`.
    fn object(&mut self, depth: usize) -> Result<Json<'a>, JsonError> {
        let members = self.sequence(depth, b'}', OBJECT, |r| r.member(depth))?;
        Ok(Json::Object(members))
    }

    /// One member of an object: name, colon, value.
    fn member(&mut self, depth: usize) -> Result<(Cow<'a, str>, Json<'a>), JsonError> {
        self.skip_space();
        match self.peek() {
            Some(b'"') => {}
            None => return Err(self.fail(OBJECT[0])),
            Some(_) => return Err(self.fail("key must be a string")),
        }
        let name = self.string()?;
        self.skip_space();
        match self.peek() {
            Some(b':') => self.at += 1,
            None => return Err(self.fail(OBJECT[0])),
            Some(_) => return Err(self.fail("expected `:`")),
        }
        Ok((name, self.value(depth)?))
    }

    /// The comma-separated items of an array or object up to its `close` bracket; `self.at` is
    /// on the opening one. `words` are the errors for an early end and for a bad separator.
    fn sequence<T>(
        &mut self,
        depth: usize,
        close: u8,
        words: [&'static str; 2],
        mut item: impl FnMut(&mut Self) -> Result<T, JsonError>,
    ) -> Result<Vec<T>, JsonError> {
        self.enter(depth)?;
        self.at += 1;
        self.skip_space();
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(Vec::new());
        }
        // Room for the members of most documents' objects at once (growing from 4 would
        // reallocate an incoming payment's top level twice); the tree lives for one check.
        let mut items = Vec::with_capacity(8);
        loop {
            items.push(item(self)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b) if b == close => {
                    self.at += 1;
                    return Ok(items);
                }
                None => return Err(self.fail(words[0])),
                Some(_) => return Err(self.fail(words[1])),
            }
        }
    }
}

/// The bytes that end a run of plain string characters: quote, backslash, control characters
/// (one table load per byte instead of three comparisons).
// Built at compile time, where an index out of bounds fails the build instead of panicking.
#[allow(clippy::indexing_slicing)]
static ENDS_RUN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// The errors of an unfinished array: early end, bad separator.
const LIST: [&str; 2] = ["EOF while parsing a list", "expected `,` or `]`"];
/// The errors of an unfinished object: early end, bad separator.
const OBJECT: [&str; 2] = ["EOF while parsing an object", "expected `,` or `}`"];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// serde_json's verdict on `text`, and what it holds (written back out, keys sorted).
    fn by_serde(text: &str) -> Option<serde_json::Value> {
        serde_json::from_str(text).ok()
    }

    /// This reader's tree as a serde_json value (numbers through serde_json, for comparison).
    fn to_value(json: &Json) -> serde_json::Value {
        use serde_json::Value;
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => serde_json::from_str(n).unwrap(),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
            // Collected into serde_json's map: a repeated name keeps its last value.
            Json::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(n, v)| (n.to_string(), to_value(v)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn reads_what_serde_json_reads_and_refuses_what_it_refuses() {
        let deep_ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let cases = [
            "",
            " ",
            "null",
            "true",
            "false",
            "nul",
            "tru",
            "truex",
            "0",
            "-0",
            "01",
            "-",
            "1.",
            "1.5",
            ".5",
            "1e5",
            "1E+5",
            "1e-5",
            "1e",
            "1e+",
            "-1.25e-3",
            "123456789012345678901234567890",
            "\"\"",
            "\"a\"",
            "\"a",
            "\"\\\"\"",
            "\"\\u00e9\"",
            "\"\\uD83D\\uDE00\"",
            "\"\\uD83D\"",
            "\"\\uDE00\"",
            "\"\\uD83Dx\"",
            "\"\\uD83D\\u0041\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12G4\"",
            "\"tab\there\"",
            "\"nl\nx\"",
            "\"é€😀\"",
            "\"\\/\\b\\f\\n\\r\\t\"",
            "[]",
            "[ ]",
            "[1,]",
            "[,1]",
            "[1 2]",
            "[1,2",
            "[",
            "{}",
            "{ }",
            "{\"a\":1}",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":}",
            "{\"a\":1",
            "{\"b\":1,\"a\":2,\"b\":3}",
            "{\"a\":{\"b\":[1,{\"c\":null}]}}",
            " {\"a\" : [ true , false ] } ",
            "1 2",
            "{} x",
            "\u{feff}{}",
            "[1]\n",
            "\"\\u0000\"",
            "[-]",
            "[-a]",
            "{\"a\":1}}",
            "[\"a\",]",
            deep_ok.as_str(),
            too_deep.as_str(),
        ];
        for text in cases {
            let ours = Json::parse(text);
            match by_serde(text) {
                Some(expected) => assert_eq!(to_value(&ours.unwrap()), expected, "{text:?}"),
                None => assert!(ours.is_err(), "{text:?} was read: {ours:?}"),
            }
        }
    }

    /// JSON documents built by the grammar from pieces that are sometimes wrong (bad escapes,
    /// unpaired surrogates, raw control characters, malformed numbers, missing or doubled
    /// separators), so that both valid and nearly valid texts come out.
    #[cfg(not(target_arch = "wasm32"))]
    fn near_json() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        use proptest::sample::select;
        const IN_STRING: &[&str] = &[
            "a",
            "é",
            "😀",
            "\t",
            "\u{1}",
            "\u{7f}",
            "\\n",
            "\\\"",
            "\\/",
            "\\u00e9",
            "\\uD83D",
            "\\uDE00",
            "\\uD83D\\uDE00",
            "\\uD83D\\u0041",
            "\\x",
            "\\u12G4",
            "\\",
        ];
        const IN_NUMBER: &[&str] = &["-", "0", "1", "12", ".", "5", "e", "E", "+", "00"];
        const WORDS: &[&str] = &["true", "false", "null", "nul", "tru", "nulll"];
        const SEPARATORS: &[&str] = &[",", ",", ",", ", ", ",,", " ", "\n,"];
        const COLONS: &[&str] = &[":", ":", ":", " : ", "", "::"];
        let string = proptest::collection::vec(select(IN_STRING), 0..4)
            .prop_map(|pieces| format!("\"{}\"", pieces.concat()));
        let number = proptest::collection::vec(select(IN_NUMBER), 1..5).prop_map(|p| p.concat());
        let leaf = prop_oneof![
            string.clone(),
            number,
            select(WORDS).prop_map(str::to_owned)
        ];
        leaf.prop_recursive(5, 48, 6, move |inner| {
            let string = string.clone();
            prop_oneof![
                (
                    proptest::collection::vec(inner.clone(), 0..5),
                    select(SEPARATORS)
                )
                    .prop_map(|(items, sep)| format!("[{}]", items.join(sep))),
                (
                    proptest::collection::vec((string, select(COLONS), inner), 0..5),
                    select(SEPARATORS),
                )
                    .prop_map(|(members, sep)| {
                        let members: Vec<String> = members
                            .into_iter()
                            .map(|(k, c, v)| format!("{k}{c}{v}"))
                            .collect();
                        format!("{{{}}}", members.join(sep))
                    }),
            ]
        })
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]

        /// Read exactly when serde_json reads them, to the same value; numbers beyond `f64`'s
        /// range aside, which this reader keeps as text (as `JSON.parse` reads them, to
        /// `Infinity`) and serde_json refuses.
        #[test]
        fn near_json_texts_agree_with_serde_json(text in near_json()) {
            let beyond_f64 = serde_json::from_str::<serde_json::Value>(&text)
                .is_err_and(|e| e.to_string().starts_with("number out of range"));
            proptest::prop_assume!(!beyond_f64);
            let ours = Json::parse(&text);
            match by_serde(&text) {
                Some(expected) => proptest::prop_assert_eq!(to_value(&ours.unwrap()), expected),
                None => proptest::prop_assert!(ours.is_err(), "{:?} was read: {:?}", text, ours),
            }
        }

        /// Every document serde_json writes reads back to the same value.
        #[test]
        fn written_documents_read_back(value in arbitrary_value()) {
            let text = serde_json::to_string_pretty(&value).unwrap();
            proptest::prop_assert_eq!(to_value(&Json::parse(&text).unwrap()), value);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn arbitrary_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e300f64..1e300).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn numbers_and_strings_are_kept_as_written() {
        let json = Json::parse(r#"{"n":1.50e+2,"s":"a\u00e9","t":"plain","n":7}"#).unwrap();
        let Json::Object(members) = &json else {
            panic!()
        };
        assert_eq!(members[0].1, Json::Number("1.50e+2"));
        assert!(matches!(
            &members[2].1,
            Json::String(Cow::Borrowed("plain"))
        ));
        assert_eq!(json.get("n"), Some(&Json::Number("7")));
        assert_eq!(json.get("s").and_then(Json::as_str), Some("aé"));
        let mut out = String::new();
        json.write(&mut out);
        assert_eq!(out, r#"{"n":1.50e+2,"s":"aé","t":"plain","n":7}"#);
    }

    #[test]
    fn errors_say_where() {
        let err = Json::parse("{\n  \"a\": x}").unwrap_err();
        assert_eq!(err.to_string(), "expected value at line 2 column 8");
    }

    #[test]
    fn whole_numbers_are_read_exactly() {
        for (text, want) in [
            ("2", Some(2)),
            ("-0", Some(0)),
            ("2.0", Some(2)),
            ("0.2e1", Some(2)),
            ("200e-2", Some(2)),
            ("2.5", None),
            ("2.0000000000000000001", None),
            ("-3", Some(-3)),
            ("1e18", Some(10_i64.pow(18))),
            ("1e19", None),
            ("0.000e-5", Some(0)),
            ("1e-400", None),
            ("0e999999", Some(0)),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
        ] {
            assert_eq!(whole_number(text), want, "{text}");
        }
    }
}
