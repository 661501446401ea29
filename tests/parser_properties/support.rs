//! The shared setup: the proptest configuration (`FUZZ_RUNS`, `FUZZ_SEED`), the test key and the
//! check that an error has a stable machine code.

pub(crate) use base64::engine::general_purpose::STANDARD;
pub(crate) use base64::Engine;
pub(crate) use open_payments_wasm::amount::{validate_asset_code, Amount};
pub(crate) use open_payments_wasm::resources::{self, *};
pub(crate) use open_payments_wasm::signature::{
    content_digest, interaction_hash, prepare_signature, sign_request, signature_base_for,
    verify_content_digest, verify_interaction_hash, verify_request, DigestError, Jwks,
    OwnedHttpRequest, PrivateKey, PublicKey, VerifyError, VerifyOptions,
};
pub(crate) use open_payments_wasm::ErrorCode;
pub(crate) use proptest::prelude::*;
pub(crate) use proptest::test_runner::{RngSeed, TestCaseError};
pub(crate) use serde::de::DeserializeOwned;
pub(crate) use serde::Serialize;
pub(crate) use serde_json::{json, Map, Value};
pub(crate) use sfv::FieldType;
pub(crate) use sha2::{Digest, Sha256};

pub(crate) const CREATED: u64 = 1_700_000_000;

/// `cases` cases from a fixed seed (a failure reproduces from the test name alone), no
/// regression files written. As in tests/js/support/fuzz.mjs, `FUZZ_RUNS=n` multiplies the
/// cases and `FUZZ_SEED=n` explores other ones.
pub(crate) fn config(cases: u32) -> ProptestConfig {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u32>().ok());
    ProptestConfig {
        cases: cases.saturating_mul(env("FUZZ_RUNS").unwrap_or(1)),
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(env("FUZZ_SEED").map_or(20_261_202, u64::from)),
        ..ProptestConfig::default()
    }
}

pub(crate) fn key() -> PrivateKey {
    PrivateKey::from_seed("k1", &[7; 32]).unwrap()
}

pub(crate) fn jwks() -> Jwks {
    Jwks::new(vec![key().public_key()]).unwrap()
}

/// Every error of the crate has a stable machine code.
pub(crate) fn coded<E: ErrorCode>(err: &E) -> Result<(), TestCaseError> {
    let code = err.code();
    prop_assert!(
        !code.is_empty()
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "bad code {code:?}"
    );
    prop_assert!(!err.to_string().is_empty());
    Ok(())
}
