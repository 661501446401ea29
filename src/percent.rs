//! Percent-encoding (RFC 3986 §2.1) in one place for the client (query components of list
//! requests) and the sandbox (finish redirect parameters, form bodies).

use std::fmt::Write;

/// Appends `text` to `out` with every byte but the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) written as `%XX`.
pub(crate) fn encode_into(text: &str, out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// `text` percent-encoded (see [`encode_into`]).
#[cfg(feature = "sandbox")]
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    encode_into(text, &mut out);
    out
}

/// Decodes an `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte; a `%`
/// not followed by two hex digits stays as it is; invalid UTF-8 is replaced.
#[cfg(feature = "sandbox")]
pub(crate) fn decode_form(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(all(test, feature = "sandbox"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for text in [
            "a b&c=d",
            "https://w.example/a?x=1#y",
            "ünïcode ~-._",
            "%%2",
            "",
        ] {
            assert_eq!(decode_form(&encode(text)), text);
        }
        assert_eq!(encode("a b/ü"), "a%20b%2F%C3%BC");
        assert_eq!(decode_form("a+b%2"), "a b%2");
    }
}
