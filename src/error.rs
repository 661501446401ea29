//! What every error of this crate has in common: a stable machine code and the field it is about.
//!
//! Each module has its own `thiserror` enum; this trait is how callers (and the JS binding layer)
//! read the code and field of any of them without knowing the concrete type.

/// An error with a stable machine-readable code and, where it is about one, the input field.
///
/// Codes are `snake_case` strings that never change meaning once released, so callers may branch
/// on them; messages are for people and may be reworded.
pub trait ErrorCode: std::error::Error {
    /// The stable machine code, e.g. `too_many_decimals`.
    fn code(&self) -> &str;
    /// The input field the error is about (a JSON path such as `incomingAmount.value`), if any.
    fn field(&self) -> Option<String>;
}

/// Renders an error as a serde custom error message that keeps its code: `"<code>: <message>"`.
///
/// Serde only carries strings through a deserializer; [`split_coded_message`] recovers the code on
/// the other side, so a bad amount nested deep in a resource still reports `invalid_asset_scale`.
pub(crate) fn coded_message<E: ErrorCode>(err: &E) -> String {
    format!("{}: {}", err.code(), err)
}

/// Splits a message made by [`coded_message`] into its code and text, if it is one of ours.
pub(crate) fn split_coded_message(message: &str) -> Option<(&str, &str)> {
    // Split at the first `:` (a code has none) and a char pattern: a `&str` pattern's searcher
    // links core's string-slicing panic, whose message prints with Unicode escaping tables.
    let (code, text) = message.split_once(':')?;
    let text = text.strip_prefix(' ')?;
    let is_code = !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit());
    is_code.then_some((code, text))
}

/// Appends `text` to `out` as a JSON string literal (RFC 8259 §7): in double quotes, with `"`, `\`
/// and control characters escaped. Error messages quote what they were given this way (not with
/// `{:?}`, whose Unicode escaping tables would cost the lean wasm build kilobytes), and the JS
/// boundary writes its hand-made JSON answers with it.
pub(crate) fn push_quoted(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(text.len() + 2);
    out.push('"');
    // Plain text is copied in runs up to the next byte that needs an escape: every such byte
    // is ASCII, so each cut is on a char boundary (no `char` decoding on the hot path: request
    // URLs and signature headers cross the boundary this way on every call).
    let mut run = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(run..i).unwrap_or_default());
        run = i + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            for nibble in [usize::from(b >> 4), usize::from(b & 0xf)] {
                out.push(char::from(HEX.get(nibble).copied().unwrap_or(b'0')));
            }
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(text.get(run..).unwrap_or_default());
    out.push('"');
}

/// The most characters of a found value an error message repeats.
const QUOTED_CHARS: usize = 128;

/// `text` as a JSON string literal for an error message (see [`push_quoted`]). Past
/// [`QUOTED_CHARS`] characters only the start is quoted, followed by `…` and the whole length:
/// a message names what was found, it does not copy it (a hostile document's megabyte string
/// must not become a megabyte message, copied on to every layer that reports it).
pub(crate) fn quoted(text: &str) -> String {
    let (head, cut) = shortened(text);
    let mut out = String::with_capacity(head.len() + 32);
    push_quoted(&mut out, head);
    if cut {
        push_length(&mut out, text);
    }
    out
}

/// The part of `text` an error message repeats (its first [`QUOTED_CHARS`] characters), and
/// whether that is less than the whole; then [`push_length`] says how long the whole was.
pub(crate) fn shortened(text: &str) -> (&str, bool) {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => (text, false),
        Some((cut, _)) => (text.get(..cut).unwrap_or_default(), true),
    }
}

/// `… (N bytes)`: the length of a text [`shortened`] cut.
pub(crate) fn push_length(out: &mut String, text: &str) {
    out.push_str("… (");
    push_decimal(out, text.len());
    out.push_str(" bytes)");
}

/// Appends the decimal digits of `n` without `core::fmt` (which costs more than the rest of a
/// request step's field, or of a JSON path's array index).
pub(crate) fn push_decimal(out: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from_digit((n % 10) as u32, 10).unwrap_or('0'));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_messages_round_trip_and_plain_messages_do_not_match() {
        assert_eq!(
            split_coded_message("amount_overflow: too big"),
            Some(("amount_overflow", "too big"))
        );
        assert_eq!(
            split_coded_message("invalid type: string \"x\", expected u8"),
            None
        );
        assert_eq!(split_coded_message("no colon"), None);
    }

    #[test]
    fn quoted_text_is_a_json_string_literal() {
        let text = "a\"b\\c\nd\u{1}é€😀";
        let json = super::quoted(text);
        assert_eq!(json, "\"a\\\"b\\\\c\\nd\\u0001é€😀\"");
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }

    #[test]
    fn every_character_round_trips_wherever_it_stands() {
        let chars = (0u8..0x80)
            .map(char::from)
            .chain(['é', '€', '😀', '\u{7f}', '\u{2028}']);
        for c in chars {
            for text in [
                c.to_string(),
                format!("{c}ab"),
                format!("ab{c}"),
                format!("a{c}{c}b"),
            ] {
                let mut json = String::new();
                push_quoted(&mut json, &text);
                assert_eq!(
                    serde_json::from_str::<String>(&json).unwrap(),
                    text,
                    "{json}"
                );
                let escaped = json.len() - text.len() - 2;
                let needs = text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
                assert_eq!(escaped > 0, needs, "{json}");
            }
        }
    }

    #[test]
    fn long_text_is_quoted_by_its_start_and_length() {
        let exact = "é".repeat(QUOTED_CHARS);
        assert_eq!(quoted(&exact), format!("\"{exact}\""));
        let long = format!("{exact}xyz");
        assert_eq!(
            quoted(&long),
            format!("\"{exact}\"… ({} bytes)", long.len())
        );
    }
}
