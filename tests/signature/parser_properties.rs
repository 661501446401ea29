//! Property tests of the signature header parsers: no input panics, and edits never verify unless
//! they keep the meaning.

use super::support::*;

use proptest::prelude::*;

fn mutate(text: &str, at: usize, insert: char, delete: bool) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = at % (chars.len() + 1);
    if delete && at < chars.len() {
        chars.remove(at);
    } else {
        chars.insert(at, insert);
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_signature_headers_never_panic_and_never_verify(input in "\\PC{0,120}", sig in "\\PC{0,120}") {
        let (_, jwks, mut req) = fixture();
        req.set_header("Signature-Input", &input);
        req.set_header("Signature", &sig);
        prop_assert!(req.verify(&jwks, CREATED).is_err());
    }

    #[test]
    fn one_character_edits_of_valid_headers_never_panic(
        which in 0usize..4, at in 0usize..300, insert in any::<char>(), delete in any::<bool>()
    ) {
        let (_, jwks, mut req) = fixture();
        let name = ["Signature-Input", "Signature", "Content-Digest", "Authorization"][which];
        let value = mutate(&req.header(name), at, insert, delete);
        let changed = value != req.header(name);
        req.set_header(name, &value);
        let result = req.verify(&jwks, CREATED);
        // An edit may only verify if the structured field still means the same thing
        // (e.g. optional whitespace after a comma); otherwise it must be a typed error.
        if let Ok(()) = result {
            prop_assert!(changed);
        }
    }

    #[test]
    fn content_digest_parser_never_panics(header in "\\PC{0,200}", body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = verify_content_digest(&header, &body);
    }
}
