//! Reading the raw exports' answers (`src/js/mod.rs`): JSON text, or `!` + the error JSON.

use serde_json::Value;

/// The value of a success answer.
pub fn ok(answer: &str) -> Value {
    assert!(!answer.starts_with('!'), "an error: {answer}");
    serde_json::from_str(answer).unwrap()
}

/// The error JSON of an error answer.
pub fn error(answer: &str) -> Value {
    let json = answer
        .strip_prefix('!')
        .unwrap_or_else(|| panic!("should fail: {answer}"));
    serde_json::from_str(json).unwrap()
}

/// Asserts `answer` is an error with this code and field, and a message.
pub fn assert_error(answer: &str, code: &str, field: Option<&str>) {
    let err = error(answer);
    assert_eq!(err["code"].as_str(), Some(code), "{answer}");
    assert_eq!(err["field"].as_str(), field, "{answer}");
    assert!(
        !err["message"].as_str().unwrap_or_default().is_empty(),
        "{answer}"
    );
}
