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
    let (code, text) = message.split_once(": ")?;
    let is_code = !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit());
    is_code.then_some((code, text))
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
}
