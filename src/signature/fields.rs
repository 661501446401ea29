//! Structured Field Values (RFC 9651 / RFC 8941) through the `sfv` crate: the one place that
//! parses the dictionaries in `Signature-Input`, `Signature` and `Content-Digest`. No header of
//! these is split or unquoted by hand.

use std::cell::Cell;

use sfv::visitor::{DictionaryVisitor, EntryVisitor};
use sfv::{Dictionary, KeyRef, Parser};

/// Why a dictionary field could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldError {
    /// Not valid structured-field syntax (the reason from `sfv`).
    Malformed(String),
    /// The same member name twice. RFC 9651 would keep the last one; a signature verifier must
    /// not, or an attacker could append a second `sig1` that a proxy and the server read
    /// differently.
    DuplicateKey(String),
}

/// Delegates to `sfv`'s own [`Dictionary`] visitor but refuses a repeated member name.
struct NoDuplicates<'a> {
    dict: Dictionary,
    duplicate: &'a Cell<Option<String>>,
}

#[derive(Debug)]
struct Duplicate;

impl std::fmt::Display for Duplicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("duplicate dictionary member")
    }
}

impl std::error::Error for Duplicate {}

impl<'de> DictionaryVisitor<'de> for NoDuplicates<'_> {
    type Out = Dictionary;
    type Error = Duplicate;

    fn entry(&mut self, key: &'de KeyRef) -> Result<impl EntryVisitor<'de>, Self::Error> {
        if self.dict.contains_key(key) {
            self.duplicate.set(Some(key.as_str().to_owned()));
            return Err(Duplicate);
        }
        match DictionaryVisitor::entry(&mut self.dict, key) {
            Ok(entry) => Ok(entry),
            Err(never) => match never {},
        }
    }

    fn finish(self) -> Result<Self::Out, Self::Error> {
        Ok(self.dict)
    }
}

/// Parses a dictionary field strictly: valid syntax and no repeated member names.
pub(crate) fn parse_dictionary(text: &str) -> Result<Dictionary, FieldError> {
    let duplicate = Cell::new(None);
    let visitor = NoDuplicates {
        dict: Dictionary::new(),
        duplicate: &duplicate,
    };
    Parser::new(text)
        .parse_dictionary_with_visitor(visitor)
        .map_err(|e| match duplicate.take() {
            Some(key) => FieldError::DuplicateKey(key),
            None => FieldError::Malformed(e.to_string()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_refused_and_syntax_errors_reported() {
        assert!(parse_dictionary("a=1, b=(\"x\");p=2").is_ok());
        assert_eq!(
            parse_dictionary("sig1=:AA==:, sig1=:AQ==:"),
            Err(FieldError::DuplicateKey("sig1".to_owned()))
        );
        assert!(matches!(
            parse_dictionary("sig1=(\"a\""),
            Err(FieldError::Malformed(_))
        ));
        assert!(matches!(
            parse_dictionary("Sig1=1"),
            Err(FieldError::Malformed(_))
        ));
    }
}
