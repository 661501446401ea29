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
const classes = {};
export function installErrorClass(instance, name, parentName) {
  const C = instance.constructor;
  instance.free();
  for (const key of ['free', Symbol.dispose]) {
    if (key !== undefined && Object.prototype.hasOwnProperty.call(C.prototype, key)) delete C.prototype[key];
  }
  const Parent = classes[parentName] ?? Error;
  Object.setPrototypeOf(C.prototype, Parent.prototype);
  Object.setPrototypeOf(C, Parent);
  Object.defineProperty(C.prototype, 'name', { value: name, writable: true, configurable: true });
  classes[name] = C;
}
export function makeOpenPaymentsError(code, message, field, className, extra) {
  const e = Reflect.construct(Error, [message], classes[className] ?? classes.OpenPaymentsError ?? Error);
  Object.defineProperty(e, 'code', { value: code, enumerable: true });
  if (field !== undefined) Object.defineProperty(e, 'field', { value: field, enumerable: true });
  if (extra) {
    for (const [key, value] of Object.entries(extra)) {
      if (value !== undefined && value !== null) Object.defineProperty(e, key, { value, enumerable: true });
    }
  }
  return e;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = installErrorClass)]
    fn install_error_class(instance: JsValue, name: &str, parent: &str);
    #[wasm_bindgen(js_name = makeOpenPaymentsError)]
    fn make_error(
        code: &str,
        message: &str,
        field: Option<String>,
        class_name: &str,
        extra: JsValue,
    ) -> JsValue;
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
  | "invalid_interaction_hash" | "interaction_hash_mismatch"
  // client: the server's GNAP error code when it is one of the spec's (as the official client's
  // `err.code`), else the HTTP status of the server's answer; transport; configuration
  | "invalid_request" | "invalid_client" | "request_denied" | "too_fast" | "invalid_continuation"
  | "invalid_rotation" | "invalid_interaction" | "user_denied" | "unknown_interaction"
  | "bad_request" | "unauthorized" | "forbidden" | "not_found" | "server_error" | "http_error"
  | "invalid_response" | "network_error" | "timeout" | "aborted" | "request_not_sent"
  | "no_signing_key";

/**
 * Every error this package throws. A real `Error` subclass: `instanceof Error` and
 * `instanceof OpenPaymentsError` both hold, and it has a stack trace.
 */
export class OpenPaymentsError extends Error {
  protected constructor();
  /** `"OpenPaymentsClientError"` for failed client operations (the subclass). */
  readonly name: "OpenPaymentsError" | "OpenPaymentsClientError";
  /** Stable machine code, e.g. `"too_many_decimals"`. */
  readonly code: OpenPaymentsErrorCode;
  /** The input field the error is about, as a JSON path (`"incomingAmount.value"`), if any. */
  readonly field?: string;
}

/**
 * A failed client operation (an Open Payments request). A subclass of `OpenPaymentsError`.
 * `code`: when the server answered with one of the spec's GNAP error codes (`"too_fast"`,
 * `"invalid_continuation"`, `"invalid_client"`, …), that code, as in the official client's
 * `err.code`; otherwise one of ours, by HTTP status (`"unauthorized"`, `"not_found"`, …) or by
 * what happened (`"timeout"`, `"network_error"`, `"aborted"`, `"invalid_response"`, …). What the
 * server sent, whatever it was, is in `serverCode` and `description`.
 */
export class OpenPaymentsClientError extends OpenPaymentsError {
  private constructor();
  readonly name: "OpenPaymentsClientError";
  /** The HTTP status of the server's answer, when there was one. */
  readonly status?: number;
  /** The request method, e.g. `"POST"`. */
  readonly method?: string;
  /** The request URL. */
  readonly url?: string;
  /** `error.code` of the server's error body, if any. */
  readonly serverCode?: string;
  /**
   * What went wrong, always (as in the official client): the server's `error.description`, else
   * its response body, else this error's message; for a response that is not the expected
   * resource, `"the response is not a valid resource"` (the details in `validationErrors`).
   */
  readonly description: string;
  /** `error.details` of the server's error body, if any (as the official client). */
  readonly details?: { [key: string]: unknown };
  /** Why a success response is not the expected resource (as the official client). */
  readonly validationErrors?: string[];
  /** The server's response body as text (at most 4 KiB), if any. */
  readonly body?: string;
}
"#;

/// The class behind `OpenPaymentsClientError`: a subclass of `OpenPaymentsError` for failures of
/// client operations (its TypeScript declaration is written below).
#[wasm_bindgen(skip_typescript)]
pub struct OpenPaymentsClientError {
    _private: u8,
}

/// Errors of this package come from the package: `new` on either class throws a `TypeError`
/// that says so, instead of returning an object that is not an `Error` (no message, no stack).
fn not_constructible(class: &str) -> JsValue {
    js_sys::TypeError::new(&format!(
        "{class} is thrown by open-payments-wasm and cannot be constructed; \
         to fake one in a test, catch a real one (e.g. from a request to an unreachable URL)"
    ))
    .into()
}

#[wasm_bindgen]
impl OpenPaymentsError {
    /// Throws: see [`not_constructible`].
    #[wasm_bindgen(constructor, skip_typescript)]
    pub fn new() -> Result<OpenPaymentsError, JsValue> {
        Err(not_constructible("OpenPaymentsError"))
    }
}

#[wasm_bindgen]
impl OpenPaymentsClientError {
    /// Throws: see [`not_constructible`].
    #[wasm_bindgen(constructor, skip_typescript)]
    pub fn new() -> Result<OpenPaymentsClientError, JsValue> {
        Err(not_constructible("OpenPaymentsClientError"))
    }
}

thread_local! {
    static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Makes the exported class a subclass of `Error`, once, before the first error is built.
/// (A `start` function would do it at load time, but wasm-bindgen exports it as `start()` and
/// test harnesses skip it; the first error is the first moment it matters.)
fn ensure_installed() {
    if !INSTALLED.with(|i| i.replace(true)) {
        install_error_class(
            JsValue::from(OpenPaymentsError { _private: 0 }),
            "OpenPaymentsError",
            "Error",
        );
        install_error_class(
            JsValue::from(OpenPaymentsClientError { _private: 0 }),
            "OpenPaymentsClientError",
            "OpenPaymentsError",
        );
    }
}

fn new_error(code: &str, message: &str, field: Option<String>) -> JsValue {
    ensure_installed();
    make_error(
        code,
        message,
        field,
        "OpenPaymentsError",
        JsValue::UNDEFINED,
    )
}

/// An `OpenPaymentsClientError` (a subclass of `OpenPaymentsError`) with extra enumerable
/// properties taken from the plain object `extra` (`undefined`/`null` members are left out).
#[cfg(feature = "js-public-client")]
pub(crate) fn client_error(
    code: &str,
    message: &str,
    field: Option<String>,
    extra: JsValue,
) -> JsValue {
    ensure_installed();
    make_error(code, message, field, "OpenPaymentsClientError", extra)
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
