// Reading the caller's values, in JS: JSON text for documents, checked primitives for the rest.
// Getters and Proxy traps run here, so whatever they throw is thrown in JS, to the caller.

import { invalid, type OpenPaymentsErrorCode } from './errors.js';

/** Finds the first BigInt (JSON has none) to name it in the error. */
function bigintReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    throw invalid('invalid_type', key === '' ? undefined : key, 'invalid type: a bigint, expected a JSON value (amounts are strings)');
  }
  return value;
}

/**
 * The JSON text of a caller's value (as `JSON.stringify` makes it: `undefined` members, functions
 * and symbols are left out). `undefined` itself, a function or a symbol is an `invalid_type`
 * error; a BigInt is one naming its key; a cycle or a throwing getter throws what
 * `JSON.stringify` throws.
 */
export function json(value: unknown, field?: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    if (e instanceof TypeError) JSON.stringify(value, bigintReplacer);
    // A value nested deeper than the engine's stack (thousands of levels; Open Payments
    // documents are a few levels deep).
    if (e instanceof RangeError) throw invalid('invalid_json', field, 'the value is nested too deeply');
    throw e;
  }
  if (text === undefined) {
    throw invalid('invalid_type', field, `invalid type: ${value === undefined ? 'undefined' : typeof value}, expected a JSON value`);
  }
  return text;
}

/** `value` when it is a string, else an `invalid_type` error about `field`. */
export function str(value: unknown, field: string, code: OpenPaymentsErrorCode = 'invalid_type'): string {
  if (typeof value !== 'string') throw invalid(code, field, `\`${field}\` must be a string`);
  return value;
}

/** A member of a caller's object (reading it may run a getter, which may throw: in JS). */
export function member(target: unknown, name: string): unknown {
  return target !== null && (typeof target === 'object' || typeof target === 'function')
    ? (target as Record<string, unknown>)[name]
    : undefined;
}

/**
 * An optional non-negative number (milliseconds, counts), rounded; `undefined`/`null` give
 * `undefined`. `error` makes the error for a bad value.
 */
export function optionalCount(
  value: unknown,
  name: string,
  error: (code: OpenPaymentsErrorCode, field: string, message: string) => Error = invalid,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER) return Math.round(value);
  throw error('invalid_value', name, `\`${name}\` must be a non-negative number`);
}

/** An optional non-negative whole number of seconds (signing times, ages). */
export function optionalSeconds(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalid('invalid_value', name, `\`${name}\` must be a non-negative whole number of seconds`);
}

/** An options argument: `undefined`/`null` (none) or an object, else an `invalid_type` error. */
export function optionsObject<T>(
  value: T,
  field = 'options',
  error: (code: OpenPaymentsErrorCode, field: string, message: string) => Error = invalid,
): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw error('invalid_type', field, `${field} must be an object`);
  return value;
}

/** The current time in unix seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
