//! The error codes the JS package declares (`OpenPaymentsErrorCode` in
//! `src/js/facade/errors.ts`) are exactly the codes the Rust errors produce: a code added to a
//! Rust error without its TypeScript name (or a name left behind after a code is removed) fails
//! here.
//!
//! The Rust side is read from the source: every string literal inside an `ErrorCode::code` (or
//! `ClientError::reason`) body, the codes `ResourceError` classifies serde's messages into, and
//! the codes the JS boundary (`src/js/`, and the facade in `src/js/facade/`) gives its own failures.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            // The sandbox is a server: its codes are answers to clients, not errors of the API.
            if !path.ends_with("sandbox") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of the `{ … }` block that starts at the first `{` at or after `from`.
fn block(text: &str, from: usize) -> &str {
    let start = from + text[from..].find('{').expect("a block");
    let mut depth = 0usize;
    for (i, c) in text[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[start..=start + i];
                }
            }
            _ => {}
        }
    }
    &text[start..]
}

/// The `"snake_case"` literals of a piece of source.
fn codes_in(text: &str, out: &mut BTreeSet<String>) {
    for piece in text.split('"').skip(1).step_by(2) {
        let is_code = !piece.is_empty()
            && piece.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && piece.starts_with(|c: char| c.is_ascii_lowercase());
        if is_code {
            out.insert(piece.to_owned());
        }
    }
}

fn rust_codes() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut codes = BTreeSet::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("a source file");
        for marker in ["fn code(&self) -> &str", "pub fn reason(&self) -> &str"] {
            let mut at = 0;
            while let Some(found) = text[at..].find(marker) {
                let start = at + found;
                codes_in(block(&text, start), &mut codes);
                at = start + marker.len();
            }
        }
        if file.ends_with("resources/mod.rs") {
            let start = text.find("fn at(path").expect("ResourceError::at");
            let body = block(&text, start);
            // Only the codes it assigns, not the serde message prefixes it matches.
            for line in body
                .lines()
                .filter(|l| l.contains("(\"") && l.contains("field"))
            {
                codes_in(line, &mut codes);
            }
        }
        if file.parent().is_some_and(|p| p.ends_with("js")) {
            for pattern in ["fail_with(\"", "code: \""] {
                for (i, _) in text.match_indices(pattern) {
                    let rest = &text[i + pattern.len() - 1..];
                    let end = rest[1..].find('"').map_or(0, |e| e + 2);
                    codes_in(&rest[..end], &mut codes);
                }
            }
        }
    }
    // The facade (TypeScript) gives some failures its own codes: `invalid('code', …)`,
    // `invalidArgument('code', …)`.
    for entry in fs::read_dir(root.join("src/js/facade")).expect("the facade") {
        let path = entry.expect("a facade file").path();
        let text = fs::read_to_string(&path).expect("a facade file");
        for pattern in ["invalid('", "invalidArgument('"] {
            for (i, _) in text.match_indices(pattern) {
                let rest = &text[i + pattern.len()..];
                if let Some(end) = rest.find('\'') {
                    codes_in(&format!("\"{}\"", &rest[..end]), &mut codes);
                }
            }
        }
    }
    codes
}

fn typescript_codes() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = fs::read_to_string(root.join("src/js/facade/errors.ts")).expect("errors.ts");
    let mut codes = BTreeSet::new();
    for name in [
        "export type OpenPaymentsErrorCode =",
        "export type ClientErrorReason =",
    ] {
        let start = text.find(name).expect("the code union");
        let end = start + text[start..].find(';').expect("the end of the union");
        let union: String = text[start..end]
            .lines()
            .map(|l| l.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        codes_in(&union, &mut codes);
    }
    codes
}

#[test]
fn the_typescript_error_code_union_lists_every_rust_error_code_and_no_other() {
    let rust = rust_codes();
    let ts = typescript_codes();
    let missing: Vec<_> = rust.difference(&ts).collect();
    let extra: Vec<_> = ts.difference(&rust).collect();
    assert!(
        missing.is_empty(),
        "Rust error codes missing from OpenPaymentsErrorCode in src/js/facade/errors.ts: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "OpenPaymentsErrorCode names codes no Rust error produces: {extra:?}"
    );
    assert!(rust.len() > 60, "the scan found the codes ({})", rust.len());
}
