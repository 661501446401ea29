// Shared by the bounded property-based fuzz of the package's public JS API (fast-check, fixed
// seed; tests/js/fuzz-amounts.test.mjs, tests/js/fuzz-resources.test.mjs,
// tests/js/fuzz-signatures.test.mjs), run with `node --test`: no input may end in anything but a
// value or a typed `OpenPaymentsError` (a known `code`, a string `field` or none); never a
// TypeError, RangeError or a wasm trap. Here: the run counts, the typed-error check, the facade's
// own JSON check, strange member values and the mutations of a document.
// FUZZ_RUNS=n scales the case counts of every file (default 1: a few thousand cases per function,
// ~7 s in all); FUZZ_SEED=n explores other cases (a failure prints the seed and path that replay
// it).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';

const require = createRequire(import.meta.url);
export const op = require('open-payments-wasm');

export const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
export const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
export const runs = (n) => ({ seed: SEED, numRuns: Math.max(1, Math.round(n * SCALE)), includeErrorInReport: true });

// ------------------------------------------------------------------ typed errors only

/** Every code the package documents (`OpenPaymentsErrorCode` in its declarations). */
export const CODES = (() => {
  const dts = readFileSync(join(dirname(require.resolve('open-payments-wasm/package.json')), 'types', 'errors.d.ts'), 'utf8');
  const union = (name) => dts.match(new RegExp(`export type ${name} =([^;]*);`))?.[1] ?? '';
  const codes = new Set([...`${union('OpenPaymentsErrorCode')} ${union('ClientErrorReason')}`.matchAll(/"([a-z_0-9]+)"/g)].map((m) => m[1]));
  assert.ok(codes.has('invalid_amount') && codes.has('signature_mismatch') && codes.size > 50, 'error codes read from errors.d.ts');
  return codes;
})();

export const show = (v) => {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x === undefined ? '<undefined>' : x))?.slice(0, 400);
  } catch { return String(v); }
};

/** Runs `fn`: `{ value }`, or `{ error }` when it threw a well-formed `OpenPaymentsError`;
 *  anything else thrown fails the property with what was thrown. */
export function typed(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    if (!(error instanceof op.OpenPaymentsError)) {
      throw new Error(`not an OpenPaymentsError: ${error?.constructor?.name}: ${error?.message}`, { cause: error });
    }
    // `OpenPaymentsClientError` (a subclass) for client operations such as verifyInteractFinish.
    assert.equal(error.name, error instanceof op.OpenPaymentsClientError ? 'OpenPaymentsClientError' : 'OpenPaymentsError');
    assert.ok(CODES.has(error.code), `undocumented code ${error.code}`);
    assert.ok(error.field === undefined || typeof error.field === 'string', `field ${show(error.field)}`);
    assert.ok(typeof error.message === 'string' && error.message.length > 0, 'a message');
    return { error };
  }
}

/** Asserts the outcome: `expected` is `{ value }` or `{ code, field }`. */
export function expectOutcome(outcome, expected, input) {
  if (expected.code === undefined) {
    assert.ok(outcome.error === undefined, `${show(input)}: expected ${show(expected.value)}, threw ${outcome.error?.code} ${outcome.error?.message}`);
    assert.deepEqual(outcome.value, expected.value, show(input));
  } else {
    assert.ok(outcome.error !== undefined, `${show(input)}: expected ${expected.code}, returned ${show(outcome.value)}`);
    assert.equal(outcome.error.code, expected.code, `${show(input)}: ${outcome.error.message}`);
    assert.equal(outcome.error.field, expected.field, `${show(input)}: field of ${expected.code}`);
  }
}

// ------------------------------------------------------------------ the facade's JSON check


/** `JSON.stringify` drops these members. */
export const dropped = (v) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** JSON text with a lone surrogate escape (`\ud800`): serde_json refuses it as `invalid_json`. */
export const loneSurrogate = (text) => /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/.test(text);

/** The facade's own check, in JS, of a value it turns into JSON: `undefined` is `invalid_type`,
 *  and so is a BigInt, naming its key. */
export function jsError(value) {
  if (dropped(value)) return { code: 'invalid_type', field: undefined };
  let first;
  JSON.stringify(value, (key, v) => {
    if (typeof v === 'bigint') {
      first ??= key;
      return null;
    }
    return v;
  });
  return first === undefined ? null : { code: 'invalid_type', field: first === '' ? undefined : first };
}

/** `jsError`, then the wasm's JSON parser: it refuses a lone surrogate (`invalid_json`). */
export function jsonCheck(value) {
  return jsError(value) ?? (loneSurrogate(JSON.stringify(value)) ? { code: 'invalid_json', field: undefined } : null);
}

// ------------------------------------------------------------------ strange values, mutations

export const digits = (min, max) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** Strange member values: wrong types, edge numbers, near-miss strings, a BigInt, `undefined`. */
export const oddValue = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -0, -1, 1.5, 255, 256, 2 ** 53, 2 ** 64, 1e21, -1e21, NaN, Infinity,
    '', ' ', '0', '2', '1.0', '-1', '+1', '1e3', '0x1f', '1_000', '1,000', '١٢', 'usd', 'US', 'USDUSDUSDUSD1', '1USD',
    'USD ', '18446744073709551616', '00018446744073709551615', [], {}, ['1'], { value: '1' }, 5n),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  digits(1, 24),
);
/** A wire value: uniform u64, small, around u64::MAX (both sides), with leading zeros. */

/** Every location of a document: `[]` for the document, then each key or index path. */
export function locations(doc, at = [], out = []) {
  out.push(at);
  if (doc !== null && typeof doc === 'object') {
    for (const key of Object.keys(doc)) locations(doc[key], [...at, Array.isArray(doc) ? Number(key) : key], out);
  }
  return out;
}
export const getAt = (doc, path) => path.reduce((d, k) => d?.[k], doc);

/** The value retyped: a string to a number or an array, a number to a string, an object to an
 *  array of its values and back, and so on. */
export function retype(v, n) {
  switch (typeof v) {
    case 'string': return [Number(v) || n, [v], { v }, v === 'true', null][n % 5];
    case 'number': return [String(v), -v, v + 0.5, [v], v > 0 ? 2 ** 64 : -1][n % 5];
    case 'boolean': return [String(v), Number(v), null][n % 3];
    case 'bigint': return Number(v);
    default:
      if (v === null || v === undefined) return ['', 0, false, {}, []][n % 5];
      if (Array.isArray(v)) return [Object.fromEntries(v.map((x, i) => [i, x])), v[0] ?? null, v.length, {}][n % 4];
      return [Object.values(v), show(v), Object.keys(v).length, null][n % 4];
  }
}

/** A string changed at the edges: emptied, cut, grown, case-flipped, a character inserted. */
export function mutateString(s, n, extra) {
  switch (n % 8) {
    case 0: return '';
    case 1: return s.slice(0, Math.floor(s.length / 2));
    case 2: return s + extra;
    case 3: return extra + s;
    case 4: return s.toUpperCase() === s ? s.toLowerCase() : s.toUpperCase();
    case 5: return s.replace(/\d/, 'x');
    case 6: return `${s}${s}`;
    default: { const i = n % (s.length + 1); return s.slice(0, i) + extra + s.slice(i); }
  }
}

/** One mutation at a location of the document (a clone is changed in place). */
export const mutation = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'retype', 'rename', 'extra', 'string', 'duplicate', 'swap'),
  pick: fc.nat(),
  other: fc.nat(),
  value: oddValue,
  text: fc.oneof(fc.constantFrom('-', ' ', '0', 'x', 'Z', '\u0000', '\u00e9', '.5', '/', ':', '%', '#'), fc.string({ maxLength: 4 })),
});
export function mutate(doc, muts) {
  const root = { doc };
  for (const mut of muts) {
    // A fresh copy of the generated value: fast-check hands out the same `{}` and `[]` each
    // time, and a mutation must neither change them nor build a cycle from them.
    const m = { ...mut, value: structuredClone(mut.value) };
    const locs = locations(root.doc).map((p) => ['doc', ...p]);
    const path = locs[m.pick % locs.length];
    const parent = getAt(root, path.slice(0, -1));
    const key = path[path.length - 1];
    const value = parent[key];
    switch (m.kind) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key, 1);
        else if (parent === root) root.doc = undefined;
        else delete parent[key];
        break;
      case 'replace': parent[key] = m.value; break;
      case 'retype': parent[key] = retype(value, m.other); break;
      case 'rename':
        if (parent !== root && !Array.isArray(parent)) {
          delete parent[key];
          parent[mutateString(String(key), m.other, m.text) || '_'] = value;
        }
        break;
      case 'extra':
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) value[mutateString('extra', m.other, m.text)] = m.value;
        else if (Array.isArray(value)) value.push(m.value);
        break;
      case 'string': if (typeof value === 'string') parent[key] = mutateString(value, m.other, m.text); break;
      case 'duplicate': if (Array.isArray(value) && value.length) value.push(structuredClone(value[m.other % value.length])); break;
      case 'swap': {
        const there = locs[m.other % locs.length];
        const other = getAt(root, there);
        if (there.length > 1 && !path.every((k, i) => there[i] === k) && !there.every((k, i) => path[i] === k)) {
          getAt(root, there.slice(0, -1))[there[there.length - 1]] = structuredClone(value);
          parent[key] = structuredClone(other);
        }
        break;
      }
      default: throw new Error(m.kind);
    }
    if (root.doc === undefined) break;
  }
  return root.doc;
}
