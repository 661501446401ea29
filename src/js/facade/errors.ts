// The errors the package throws, created in JS so that their `stack` shows the caller's frames:
// `OpenPaymentsError` (every failure, with a stable `code` and the `field` it is about) and its
// subclass `OpenPaymentsClientError` (a failed Open Payments request), whose `code`,
// `description`, `status`, `details` and `validationErrors` are exactly what the official
// `@interledger/open-payments` client gives.
//
// The code union is locked to the Rust error types by tests/error_codes.rs.

import type { GnapErrorCode } from './types.js';

/** Stable machine codes of this package's errors; branch on these, not on messages. */
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
  // client: what happened, by HTTP status or cause (`OpenPaymentsClientError.reason`)
  | ClientErrorReason
  | "no_signing_key"
  // merchant flows (payments and subscriptions: the wallet's own error is the `cause`)
  | "unknown_wallet" | "invalid_argument" | "tampered_state" | "state_expired" | "tampered_hash"
  | "missing_consent_result" | "consent_denied" | "already_finished" | "quote_expired"
  | "insufficient_funds" | "limit_exceeded" | "subscription_ended" | "unexpected_grant"
  | "wallet_error" | "invalid_seal_key";

/** This package's class of a failed request, by HTTP status or by cause. */
export type ClientErrorReason =
  | "bad_request" | "unauthorized" | "forbidden" | "not_found" | "server_error" | "http_error"
  | "invalid_response" | "network_error" | "tls_error" | "timeout" | "aborted" | "request_not_sent";

/** What the wasm answers for an error (src/js/mod.rs `ErrorData`). */
export interface ErrorData {
  code: string;
  message: string;
  field?: string;
  client?: {
    reason: string;
    status?: number;
    method?: string;
    url?: string;
    serverCode?: string;
    serverDescription?: string;
    body?: string;
    /** The transport's own message, for a network failure (no method and URL in it). */
    cause?: string;
    validationErrors?: string[];
  };
  /** A merchant flow's error: the wallet's error behind it (becomes the thrown error's `cause`). */
  wallet?: ErrorData;
}

/** Only the package creates its errors. */
const TOKEN = Symbol('open-payments-wasm');

/**
 * Starts an error's stack at the caller's side of `fn` (V8 and JavaScriptCore; elsewhere the
 * stack is left as it is): the package's own frames above it are not the caller's concern.
 */
const from = (e: Error, fn: Function): void => {
  (Error as { captureStackTrace?: (target: object, fn: Function) => void }).captureStackTrace?.(e, fn);
};

const own = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/**
 * Every error this package throws. A real `Error` subclass: `instanceof Error` and
 * `instanceof OpenPaymentsError` both hold, and its stack shows the caller's frames.
 */
export class OpenPaymentsError<Code extends string = OpenPaymentsErrorCode> extends Error {
  /** Stable machine code, e.g. `"too_many_decimals"`; for a client error see the subclass. */
  declare readonly code: Code;
  /** The input field the error is about, as a JSON path (`"incomingAmount.value"`), if any. */
  declare readonly field?: string;

  /** @internal Thrown by the package only; `new` from outside throws a `TypeError`. */
  constructor(token: symbol, code: string, message: string, field?: string, options?: { cause: unknown }) {
    if (token !== TOKEN) {
      throw new TypeError(
        `${new.target?.name ?? 'OpenPaymentsError'} is thrown by open-payments-wasm and cannot be constructed; ` +
          'to fake one in a test, catch a real one (e.g. from a request to an unreachable URL)',
      );
    }
    super(message, options);
    own(this, 'code', code);
    if (field !== undefined) own(this, 'field', field);
  }
}
Object.defineProperty(OpenPaymentsError.prototype, 'name', {
  value: 'OpenPaymentsError', writable: true, configurable: true,
});

/**
 * A failed client operation (an Open Payments request); a subclass of `OpenPaymentsError`.
 * `code`, `description`, `status`, `details` and `validationErrors` are what the official client
 * gives: `code` is the server's `error.code` verbatim whenever it sent one (`"too_fast"`,
 * `"invalid_token"`, or `"404"` from servers that send the status as the code); only where the
 * official client has no code is it one of this package's (`"network_error"`, `"timeout"`,
 * `"not_found"`, …). `reason` always holds this package's class of what happened.
 */
export class OpenPaymentsClientError extends OpenPaymentsError<OpenPaymentsErrorCode | GnapErrorCode | (string & {})> {
  /** This package's class of what happened, by HTTP status or cause; never the server's code. */
  declare readonly reason: ClientErrorReason | OpenPaymentsErrorCode;
  /** What went wrong, always a string, computed as the official client does. */
  declare readonly description: string;
  /** The HTTP status of the server's answer, when there was one (own property, maybe `undefined`). */
  declare readonly status: number | undefined;
  /** `error.details` of the server's error body (own property, maybe `undefined`). */
  declare readonly details: { [key: string]: unknown } | undefined;
  /** Why a success response is not the expected resource (own property, maybe `undefined`). */
  declare readonly validationErrors: string[] | undefined;
  /** The request method, e.g. `"POST"`. */
  declare readonly method?: string;
  /** The request URL. */
  declare readonly url?: string;
  /** `error.code` of the server's error body, if any, as text. */
  declare readonly serverCode?: string;
  /** The server's response body as text (at most 4 KiB), if any. */
  declare readonly body?: string;
}
Object.defineProperty(OpenPaymentsClientError.prototype, 'name', {
  value: 'OpenPaymentsClientError', writable: true, configurable: true,
});

/** An `OpenPaymentsError` for a failure found in the facade itself (a bad argument). */
export function invalid(code: OpenPaymentsErrorCode, field: string | undefined, message: string): OpenPaymentsError {
  const e = new OpenPaymentsError(TOKEN, code, message, field);
  from(e, invalid);
  return e;
}

/** The `OpenPaymentsClientError` for a bad argument of a client operation. */
export function invalidArgument(code: OpenPaymentsErrorCode, field: string, message: string): OpenPaymentsClientError {
  return clientError({ code, message, field, client: { reason: code } }, undefined);
}

/** The error for the wasm's error data; a client error when `client` is set. */
export function errorFromData(data: ErrorData, client: boolean | { cause?: unknown }): OpenPaymentsError<string> {
  if (!client && data.client === undefined) return invalid(data.code as OpenPaymentsErrorCode, data.field, data.message);
  return clientError(data, typeof client === 'object' ? client : undefined);
}

/** `errorFromData`, its stack starting at the caller's side of `fn`. */
export function errorAt(fn: Function, data: ErrorData, client: boolean | { cause?: unknown }): OpenPaymentsError<string> {
  const e = errorFromData(data, client);
  from(e, fn);
  return e;
}

/**
 * A merchant flow's error (src/js/merchant.rs): an `OpenPaymentsError` with the flow's code
 * (`limit_exceeded`, `consent_denied`, …), its stack at the caller's side of `fn`, and the
 * wallet's `OpenPaymentsClientError` (status, description, details) as `cause` when there is one.
 */
export function flowErrorAt(fn: Function, data: ErrorData, ctx: { cause?: unknown }): OpenPaymentsError {
  const cause = data.wallet === undefined ? undefined : clientError(data.wallet, ctx);
  const e = new OpenPaymentsError(TOKEN, data.code, data.message, data.field,
    cause === undefined ? undefined : { cause });
  from(e, fn);
  return e;
}

/** What the official client computes from a response body: `code`, `description`, `details`. */
function official(body: string | undefined, fallback: string): { code: unknown; description: string; details: unknown } {
  let parsed: unknown = body;
  if (body !== undefined) {
    try {
      parsed = JSON.parse(body);
    } catch {
      // not JSON: the text itself, as the official client
    }
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const error = (parsed as { error?: { code?: unknown; description?: unknown; details?: unknown } }).error;
    const description = error?.description;
    return {
      code: error?.code,
      description: typeof description === 'string' && description !== '' ? description : JSON.stringify(parsed),
      details: error?.details,
    };
  }
  return { code: undefined, description: typeof parsed === 'string' && parsed !== '' ? parsed : fallback, details: undefined };
}

function clientError(data: ErrorData, ctx: { cause?: unknown } | undefined): OpenPaymentsClientError {
  const info = data.client ?? { reason: data.code };
  const reason = info.reason;
  const cause = reason === 'network_error' ? ctx?.cause : undefined;
  const e = new OpenPaymentsClientError(TOKEN, data.code, data.message, data.field,
    cause === undefined ? undefined : { cause });
  let code: unknown = data.code;
  let description = data.message;
  let details: unknown;
  if (info.validationErrors !== undefined) {
    description = 'Could not validate OpenAPI response';
  } else if (info.status !== undefined) {
    const fromBody = official(info.body, data.message);
    description = fromBody.description;
    code = fromBody.code ?? info.serverCode ?? data.code;
    details = fromBody.details;
    if (info.body === undefined && info.serverDescription) description = info.serverDescription;
  } else if (info.cause !== undefined) {
    // The failure's message as src/js/host.js read it (in a try: the `cause` itself may be any
    // value a replaced `fetch` rejected with, even one whose `message` throws).
    description = info.cause;
  }
  own(e, 'code', code);
  own(e, 'description', description);
  own(e, 'status', info.status);
  own(e, 'validationErrors', info.validationErrors);
  own(e, 'details', details);
  own(e, 'reason', reason);
  for (const key of ['method', 'url', 'serverCode', 'body'] as const) {
    if (info[key] !== undefined) own(e, key, info[key]);
  }
  return e;
}
