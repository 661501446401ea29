//! `OpenPaymentsError`: the one error class every export throws.
//!
//! It must be a real `Error` (stack trace, `instanceof Error`, `Error.isError`) and also an
//! exported class (`instanceof OpenPaymentsError`). wasm-bindgen cannot export a class that
//! extends `Error`, so the exported class below is made a subclass of `Error` when the module
//! starts, and errors are built with `Reflect.construct(Error, [message], OpenPaymentsError)`:
//! genuine `Error` objects whose prototype is `OpenPaymentsError.prototype`.

use wasm_bindgen::prelude::*;

use crate::error::ErrorCode;

#[wasm_bindgen(inline_js = r#"
let ErrorClass = null;
export function installOpenPaymentsErrorClass(instance) {
  const C = instance.constructor;
  instance.free();
  for (const key of ['free', Symbol.dispose]) {
    if (key !== undefined && Object.prototype.hasOwnProperty.call(C.prototype, key)) delete C.prototype[key];
  }
  Object.setPrototypeOf(C.prototype, Error.prototype);
  Object.setPrototypeOf(C, Error);
  Object.defineProperty(C.prototype, 'name', { value: 'OpenPaymentsError', writable: true, configurable: true });
  ErrorClass = C;
}
export function makeOpenPaymentsError(code, message, field) {
  const e = Reflect.construct(Error, [message], ErrorClass ?? Error);
  Object.defineProperty(e, 'code', { value: code, enumerable: true });
  if (field !== undefined) Object.defineProperty(e, 'field', { value: field, enumerable: true });
  return e;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = installOpenPaymentsErrorClass)]
    fn install_error_class(instance: JsValue);
    #[wasm_bindgen(js_name = makeOpenPaymentsError)]
    fn make_error(code: &str, message: &str, field: Option<String>) -> JsValue;
}

/// The class behind `OpenPaymentsError` (its TypeScript declaration is written below).
#[wasm_bindgen(skip_typescript)]
pub struct OpenPaymentsError {
    _private: u8,
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &str = r#"
/** Stable machine codes of `OpenPaymentsError`; branch on these, not on messages. */
export type OpenPaymentsErrorCode =
  | "invalid_amount" | "too_many_decimals" | "amount_overflow" | "amount_underflow"
  | "asset_mismatch" | "invalid_asset_scale" | "invalid_asset_code"
  | "invalid_wallet_address" | "insecure_wallet_address"
  | "missing_field" | "unknown_field" | "invalid_type" | "invalid_value" | "invalid_json"
  | "invalid_timestamp" | "invalid_format" | "conflicting_fields"
  | "invalid_format_options" | "internal_error"
  // keys
  | "random_unavailable" | "invalid_key_id" | "unrecognized_key_format" | "invalid_pem"
  | "unsupported_pem_type" | "unsupported_key_algorithm" | "invalid_pkcs8" | "invalid_jwk"
  | "missing_jwk_member" | "wrong_key_type" | "wrong_curve" | "wrong_key_algorithm" | "wrong_key_use"
  | "invalid_base64url" | "wrong_key_length" | "invalid_public_key" | "public_key_mismatch"
  | "key_id_mismatch" | "duplicate_key_id"
  // Content-Digest
  | "missing_content_digest" | "invalid_content_digest" | "unsupported_digest_algorithm"
  | "content_digest_mismatch"
  // signing and verification
  | "invalid_method" | "invalid_target_uri" | "invalid_header_value" | "missing_covered_header"
  | "unsupported_component" | "invalid_created" | "missing_signature" | "malformed_signature_header"
  | "duplicate_signature_label" | "missing_signature_label" | "invalid_covered_component"
  | "duplicate_covered_component" | "missing_signature_parameter" | "invalid_signature_parameter"
  | "unsupported_signature_algorithm" | "missing_covered_component" | "signature_too_old"
  | "signature_created_in_future" | "signature_expired" | "content_length_mismatch"
  | "unknown_key_id" | "invalid_signature_value" | "signature_mismatch"
  // interaction hash
  | "invalid_interaction_hash" | "interaction_hash_mismatch";

/**
 * Every error this package throws. A real `Error` subclass: `instanceof Error` and
 * `instanceof OpenPaymentsError` both hold, and it has a stack trace.
 */
export class OpenPaymentsError extends Error {
  private constructor();
  readonly name: "OpenPaymentsError";
  /** Stable machine code, e.g. `"too_many_decimals"`. */
  readonly code: OpenPaymentsErrorCode;
  /** The input field the error is about, as a JSON path (`"incomingAmount.value"`), if any. */
  readonly field?: string;
}
"#;

thread_local! {
    static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Makes the exported class a subclass of `Error`, once, before the first error is built.
/// (A `start` function would do it at load time, but wasm-bindgen exports it as `start()` and
/// test harnesses skip it; the first error is the first moment it matters.)
fn ensure_installed() {
    if !INSTALLED.with(|i| i.replace(true)) {
        install_error_class(JsValue::from(OpenPaymentsError { _private: 0 }));
    }
}

fn new_error(code: &str, message: &str, field: Option<String>) -> JsValue {
    ensure_installed();
    make_error(code, message, field)
}

/// The JS error for any core error.
pub(crate) fn to_js<E: ErrorCode>(err: &E) -> JsValue {
    new_error(err.code(), &err.to_string(), err.field())
}

/// An error with an explicit code, for failures found in the binding layer itself.
pub(crate) fn with_code(code: &str, message: &str, field: Option<&str>) -> JsValue {
    new_error(code, message, field.map(str::to_owned))
}

/// A failure that is not the caller's fault (e.g. a value JS cannot represent).
pub(crate) fn internal(message: &str) -> JsValue {
    new_error("internal_error", message, None)
}
