// Bounded property-based fuzz of the package's public JS API (fast-check, fixed seed), run with
// `node --test`: no input may end in anything but a value or a typed `OpenPaymentsError` (a known
// `code`, a string `field` or none); never a TypeError, RangeError or a wasm trap.
//  - amounts against a BigInt oracle: exact results, and the exact code and field for bad input;
//  - resource parsers on mutated examples of the official OpenAPI files (members deleted,
//    replaced, retyped, renamed, added), and on arbitrary values; what they return parses again
//    to itself, and an error's `field` is a path into the input;
//  - signature headers: `verifyRequest` on arbitrary and mutated `Signature`, `Signature-Input` and
//    `Content-Digest` values; `signRequest` round-trips with `verifyRequest` for arbitrary methods,
//    URLs, authorizations and bodies;
//  - keys, key sets, wallet address input and the interaction finish on any text or object.
// Two findings are kept as `test.todo` (marked BUG below): deeply nested arguments throw a
// RangeError, and numbers in metadata move by one ulp.
// FUZZ_RUNS=n scales the case counts (default 1: a few thousand cases per function, ~7 s);
// FUZZ_SEED=n explores other cases (a failure prints the seed and path that replay it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';

const require = createRequire(import.meta.url);
const op = require('open-payments-wasm');

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n) => ({ seed: SEED, numRuns: Math.max(1, Math.round(n * SCALE)), includeErrorInReport: true });
const U64_MAX = 2n ** 64n - 1n;

// ------------------------------------------------------------------ typed errors only

/** Every code the package documents (`OpenPaymentsErrorCode` in its declarations). */
const CODES = (() => {
  const dts = readFileSync(join(dirname(require.resolve('open-payments-wasm/package.json')), 'types', 'errors.d.ts'), 'utf8');
  const union = (name) => dts.match(new RegExp(`export type ${name} =([^;]*);`))?.[1] ?? '';
  const codes = new Set([...`${union('OpenPaymentsErrorCode')} ${union('ClientErrorReason')}`.matchAll(/"([a-z_0-9]+)"/g)].map((m) => m[1]));
  assert.ok(codes.has('invalid_amount') && codes.has('signature_mismatch') && codes.size > 50, 'error codes read from errors.d.ts');
  return codes;
})();

const show = (v) => {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x === undefined ? '<undefined>' : x))?.slice(0, 400);
  } catch { return String(v); }
};

/** Runs `fn`: `{ value }`, or `{ error }` when it threw a well-formed `OpenPaymentsError`;
 *  anything else thrown fails the property with what was thrown. */
function typed(fn) {
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
function expectOutcome(outcome, expected, input) {
  if (expected.code === undefined) {
    assert.ok(outcome.error === undefined, `${show(input)}: expected ${show(expected.value)}, threw ${outcome.error?.code} ${outcome.error?.message}`);
    assert.deepEqual(outcome.value, expected.value, show(input));
  } else {
    assert.ok(outcome.error !== undefined, `${show(input)}: expected ${expected.code}, returned ${show(outcome.value)}`);
    assert.equal(outcome.error.code, expected.code, `${show(input)}: ${outcome.error.message}`);
    assert.equal(outcome.error.field, expected.field, `${show(input)}: field of ${expected.code}`);
  }
}

// ------------------------------------------------------------------ amounts: the oracle

/** `JSON.stringify` drops these members. */
const dropped = (v) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** JSON text with a lone surrogate escape (`\ud800`): serde_json refuses it as `invalid_json`. */
const loneSurrogate = (text) => /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/.test(text);

/** The facade's own check, in JS, of a value it turns into JSON: `undefined` is `invalid_type`,
 *  and so is a BigInt, naming its key. */
function jsError(value) {
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
function jsonCheck(value) {
  return jsError(value) ?? (loneSurrogate(JSON.stringify(value)) ? { code: 'invalid_json', field: undefined } : null);
}

/** The wire rules of `value`, `assetCode` and `assetScale` (src/amount.rs): the code, or null. */
const RULES = {
  value: (v) => {
    if (typeof v === 'string') {
      if (v === '' || /[^0-9]/.test(v)) return 'invalid_amount';
      return BigInt(v) > U64_MAX ? 'amount_overflow' : null;
    }
    return v === null || typeof v === 'number' || typeof v === 'boolean' ? 'invalid_amount' : 'invalid_type';
  },
  assetCode: (v) => (typeof v !== 'string' ? 'invalid_type' : /^[A-Z][A-Z0-9]{2,11}$/.test(v) ? null : 'invalid_asset_code'),
  assetScale: (v) => {
    if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 255 ? null : 'invalid_asset_scale';
    return v === null || typeof v === 'string' || typeof v === 'boolean' ? 'invalid_asset_scale' : 'invalid_type';
  },
};

/** Keys in the order the wasm reads them: serde_json's map is a BTreeMap (no `preserve_order`),
 *  so members are visited sorted by their UTF-8 bytes, not in the order they were written. */
const byteOrder = (keys) => keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** What reading `obj` as an object of `fields` gives: serde visits the members in key order and
 *  stops at the first bad one; missing members are then reported in declaration order. */
function objectOracle(obj, fields) {
  const pre = jsonCheck(obj);
  if (pre) return pre;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { code: 'invalid_type', field: undefined };
  const present = new Set();
  for (const key of byteOrder(Object.keys(obj))) {
    if (dropped(obj[key]) || !fields.includes(key)) continue;
    present.add(key);
    const code = RULES[key](obj[key]);
    if (code) return { code, field: key };
  }
  const missing = fields.find((f) => !present.has(f));
  return missing ? { code: 'missing_field', field: missing } : null;
}

const AMOUNT_FIELDS = ['value', 'assetCode', 'assetScale'];

/** `validateAmount(wire)`: the normalised amount, or the error. */
function wireOracle(wire) {
  const bad = objectOracle(wire, AMOUNT_FIELDS);
  if (bad) return bad;
  return { value: { value: BigInt(wire.value).toString(), assetCode: wire.assetCode, assetScale: wire.assetScale + 0 } };
}

/** Decimal text to minor units at `scale`, exactly (Amount::parse_decimal). */
function decimalOracle(text, scale) {
  const bad = (code) => ({ code, field: 'value' });
  if (text === '' || /[^0-9.]/.test(text)) return bad('invalid_amount');
  const parts = text.split('.');
  if (parts.length > 2 || parts[0] === '' || parts[1] === '') return bad('invalid_amount');
  const frac = (parts[1] ?? '').replace(/0+$/, '');
  if (frac.length > scale) return bad('too_many_decimals');
  const minor = BigInt(parts[0] + frac.padEnd(scale, '0'));
  return minor > U64_MAX ? bad('amount_overflow') : { value: minor.toString() };
}

/** Minor units as exact decimal text with `scale` decimals. */
function decimalText(value, scale) {
  const digits = BigInt(value).toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

// ------------------------------------------------------------------ amounts: generators

const digits = (min, max) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const validCode = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('USD', 'EUR', 'XTS', 'JPY', 'USDC') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z][A-Z0-9]{2,11}$/) },
);
const validScale = fc.oneof(fc.constantFrom(0, 2, 3, 9, 18, 19, 20, 28, 29, 40, 255), fc.integer({ min: 0, max: 255 }));
/** Strange member values: wrong types, edge numbers, near-miss strings, a BigInt, `undefined`. */
const oddValue = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -0, -1, 1.5, 255, 256, 2 ** 53, 2 ** 64, 1e21, -1e21, NaN, Infinity,
    '', ' ', '0', '2', '1.0', '-1', '+1', '1e3', '0x1f', '1_000', '1,000', '١٢', 'usd', 'US', 'USDUSDUSDUSD1', '1USD',
    'USD ', '18446744073709551616', '00018446744073709551615', [], {}, ['1'], { value: '1' }, 5n),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  digits(1, 24),
);
/** A wire value: uniform u64, small, around u64::MAX (both sides), with leading zeros. */
const wireValue = fc.oneof(
  fc.bigInt({ min: 0n, max: U64_MAX }).map(String),
  fc.bigInt({ min: 0n, max: 1000n }).map(String),
  fc.bigInt({ min: U64_MAX - 1000n, max: U64_MAX + 1000n }).map(String),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.bigInt({ min: 0n, max: U64_MAX })).map(([z, v]) => `${'0'.repeat(z)}${v}`),
);
/** Assets drawn from a few so that pairs often match. */
const asset = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(['USD', 2], ['USD', 3], ['EUR', 2], ['XTS', 0], ['XTS', 255]) },
  { weight: 1, arbitrary: fc.tuple(validCode, validScale) },
);
const goodAmount = fc.tuple(wireValue, asset).map(([value, [assetCode, assetScale]]) => ({ value, assetCode, assetScale }));
/** One change to an amount object: a member replaced or deleted, or an extra member. */
const fault = fc.tuple(fc.constantFrom('replace', 'delete', 'extra'), fc.constantFrom(...AMOUNT_FIELDS, 'extra', '0', '__x'), oddValue);
function applyFaults([obj, faults]) {
  const out = { ...obj };
  for (const [kind, key, shared] of faults) {
    const with_ = structuredClone(shared);
    if (kind === 'delete') delete out[key];
    else if (kind === 'replace' && key in out) out[key] = with_;
    else out[key] = with_;
  }
  return out;
}
const amountLike = fc.oneof(
  { weight: 6, arbitrary: goodAmount },
  { weight: 3, arbitrary: fc.tuple(goodAmount, fc.array(fault, { minLength: 1, maxLength: 2 })).map(applyFaults) },
  { weight: 1, arbitrary: oddValue },
);

// ------------------------------------------------------------------ amounts: properties

test('fuzz: validateAmount agrees with the BigInt oracle, value and error code and field', () => {
  fc.assert(fc.property(amountLike, (wire) => {
    expectOutcome(typed(() => op.validateAmount(wire)), wireOracle(wire), wire);
  }), runs(4000));
});

/** Decimal text: well-formed (leading zeros, long fractions, near u64::MAX), corrupted by one
 *  character, or arbitrary. */
const decimalInput = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(digits(1, 22), fc.option(digits(0, 30), { nil: undefined })).map(([i, f]) => (f === undefined ? i : `${i}.${f}`)) },
  { weight: 2, arbitrary: fc.tuple(fc.bigInt({ min: 0n, max: U64_MAX + 10n }), fc.integer({ min: 0, max: 30 })).map(([v, s]) => decimalText(v, s)) },
  { weight: 2, arbitrary: fc.tuple(digits(1, 10), fc.nat(), fc.constantFrom(...'+-eE,_\' \t.a\u0660\u00e9\u0000\u00a0', '\ud800', '0x'), fc.boolean())
    .map(([t, at, ch, del]) => { const i = at % (t.length + 1); return del ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + ch + t.slice(i); }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 300 }), digits(1, 3), fc.integer({ min: 0, max: 300 })).map(([z, d, t]) => `${'0'.repeat(z)}${d}.${'0'.repeat(t)}`) },
);

test('fuzz: parseAmount converts decimal text exactly or names the rule it breaks', () => {
  fc.assert(fc.property(decimalInput, validCode, validScale, (text, assetCode, assetScale) => {
    const expected = decimalOracle(text, assetScale);
    const outcome = typed(() => op.parseAmount(text, { assetCode, assetScale }));
    expectOutcome(outcome, expected.code ? expected : { value: { value: expected.value, assetCode, assetScale } }, { text, assetScale });
  }), runs(4000));
});

test('fuzz: parseAmount refuses bad asset options and non-string input with typed errors', () => {
  const options = fc.oneof(
    fc.tuple(fc.record({ assetCode: validCode, assetScale: validScale }), fc.array(fault.map(([k, key, v]) => [k, key === 'value' ? 'assetCode' : key, v]), { minLength: 1, maxLength: 2 })).map(applyFaults),
    oddValue,
  );
  fc.assert(fc.property(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('1', '0.5', '12.34') }, { weight: 1, arbitrary: oddValue }), options, (text, asset) => {
    const outcome = typed(() => op.parseAmount(text, asset));
    if (typeof text !== 'string') {
      expectOutcome(outcome, { code: 'invalid_amount', field: 'value' }, { text, asset });
    } else if (Array.isArray(asset)) {
      // serde reads a struct from an array too (`["USD", 2]` is accepted): typed either way.
    } else {
      const bad = objectOracle(asset, ['assetCode', 'assetScale']);
      const expected = bad ?? decimalOracle(text, asset.assetScale);
      expectOutcome(outcome, expected.code ? expected : { value: { value: expected.value, assetCode: asset.assetCode, assetScale: asset.assetScale + 0 } }, { text, asset });
    }
  }), runs(3000));
});

test('fuzz: addAmounts, subtractAmounts and compareAmounts agree with BigInt arithmetic', () => {
  const pair = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(amountLike, amountLike) },
    // Same asset, values near each other and near u64::MAX: carries and borrows at the edge.
    { weight: 2, arbitrary: fc.tuple(asset, wireValue, fc.bigInt({ min: -3n, max: 3n })).map(([[assetCode, assetScale], v, d]) => {
      const w = BigInt(v) + d < 0n ? 0n : BigInt(v) + d;
      return [{ value: v, assetCode, assetScale }, { value: String(w), assetCode, assetScale }];
    }) },
  );
  fc.assert(fc.property(pair, ([a, b]) => {
    // Both operands become JSON (in JS) before the wasm reads either.
    const ea = wireOracle(a);
    const eb = wireOracle(b);
    const bad = jsError(a) ?? jsError(b) ?? (ea.code ? ea : eb.code ? eb : null);
    const same = !bad && a.assetCode === b.assetCode && a.assetScale === b.assetScale;
    const mismatch = { code: 'asset_mismatch', field: 'value' };
    const x = bad ? 0n : BigInt(a.value);
    const y = bad ? 0n : BigInt(b.value);
    const amount = (v) => ({ value: { value: v.toString(), assetCode: a.assetCode, assetScale: a.assetScale } });
    const expect = (ok) => bad ?? (same ? ok() : mismatch);
    expectOutcome(typed(() => op.addAmounts(a, b)), expect(() => (x + y > U64_MAX ? { code: 'amount_overflow', field: 'value' } : amount(x + y))), { a, b });
    expectOutcome(typed(() => op.subtractAmounts(a, b)), expect(() => (x < y ? { code: 'amount_underflow', field: 'value' } : amount(x - y))), { a, b });
    expectOutcome(typed(() => op.compareAmounts(a, b)), expect(() => ({ value: x < y ? -1 : x > y ? 1 : 0 })), { a, b });
  }), runs(4000));
});

test('fuzz: formatAmount gives the exact decimal text, with and without a locale', () => {
  const options = fc.oneof(
    fc.constantFrom(undefined, null, { locale: 'en-US', useGrouping: false }, {}),
    fc.record({ locale: fc.constantFrom('en-US', 'de-DE', ['fr-FR'], 'xx-invalid-', 7, undefined),
      style: fc.constantFrom('decimal', 'currency', 'percent', undefined),
      currencyDisplay: fc.constantFrom('code', 'symbol', 'bogus', undefined),
      useGrouping: fc.constantFrom(true, false, 'yes', undefined) }, { requiredKeys: [] }),
    oddValue,
  );
  fc.assert(fc.property(amountLike, options, (amount, opts) => {
    const wire = wireOracle(amount);
    const outcome = typed(() => op.formatAmount(amount, opts));
    if (wire.code) return expectOutcome(outcome, wire, amount);
    const text = decimalText(wire.value.value, amount.assetScale);
    if (opts === undefined || opts === null || (typeof opts === 'object' && !Array.isArray(opts) && opts.locale === undefined
      && Object.values(opts).every((v) => v === undefined))) {
      return expectOutcome(outcome, { value: text }, { amount, opts });
    }
    if (opts?.locale === 'en-US' && opts.useGrouping === false && opts.style === undefined && Object.keys(opts).length === 2) {
      // Intl.NumberFormat fed the exact decimal text: no float, no rounding. Node 20 caps fraction
      // digits at 20, so larger scales are refused (typed) with a locale.
      if (outcome.error) assert.equal(outcome.error.code, 'invalid_format_options', `${show(amount)}: ${outcome.error.message}`);
      else assert.equal(outcome.value, text, show(amount));
    }
  }), runs(3000));
});

// ------------------------------------------------------------------ resource parsers

const SPECS = join(dirname(require.resolve('@interledger/open-payments/package.json')), 'dist', 'openapi', 'specs');
const spec = (name) => yaml.load(readFileSync(join(SPECS, name), 'utf8'));
const AS = spec('auth-server.yaml');
const RS = spec('resource-server.yaml');
const WA = spec('wallet-address-server.yaml');

/** The example values of a schema, request body or response (resolving `$ref` to components). */
function examples(doc, node) {
  const content = node?.content?.['application/json'] ?? node;
  const list = Array.isArray(content?.examples) ? content.examples : Object.values(content?.examples ?? {}).map((e) => {
    const ref = e.$ref?.match(/^#\/components\/examples\/(.+)$/)?.[1];
    return (ref ? doc.components.examples[ref] : e).value;
  });
  return content?.example === undefined ? list : [...list, content.example];
}
const ok = (status) => (node) => node.responses[status];
const body = (node) => node.requestBody;

// Some examples break their own schema's `required` (tests/openapi_examples.rs lists them): a
// public incoming payment without `authServer`, an incoming payment without `completed`, a quote
// and an outgoing payment without `receiveAmount`, JWKs without `alg`. They are completed here,
// so that every seed is valid before it is mutated.
const withReceive = (x) => (x.debitAmount && !x.receiveAmount ? { ...x, receiveAmount: x.debitAmount } : x);
const publicIncoming = examples(RS, RS.components.schemas['public-incoming-payment'])
  .map((p) => ({ authServer: 'https://auth.ilp.interledger-test.dev', ...p }));

/** Which parser reads which example of the OpenAPI files (a few hand-made seeds where the files
 *  have none). */
const SEEDS = {
  parseGrantRequest: examples(AS, body(AS.paths['/'].post)),
  parseGrantResponse: examples(AS, ok(200)(AS.paths['/'].post)),
  parseGrantContinuation: examples(AS, ok(200)(AS.paths['/continue/{id}'].post)),
  parseAccessToken: examples(AS, ok(200)(AS.paths['/token/{id}'].post)),
  // The wallet address file's copies of the JWK examples lack `alg`, which the same schema
  // requires (tests/openapi_examples.rs): given it here.
  parseJsonWebKey: [...examples(AS, AS.components.schemas['json-web-key']), ...examples(WA, WA.components.schemas['json-web-key']).map((k) => ({ alg: 'EdDSA', ...k }))],
  parseJsonWebKeySet: examples(WA, WA.components.schemas['json-web-key-set']),
  parseWalletAddress: [...examples(WA, ok(200)(WA.paths['/'].get)), ...examples(WA, WA.components.schemas['wallet-address'])],
  parseDidDocument: [{}, { '@context': 'https://www.w3.org/ns/did/v1', id: 'did:example:1' }],
  parseCreateIncomingPaymentArgs: examples(RS, body(RS.paths['/incoming-payments'].post)),
  parseIncomingPayment: [...examples(RS, ok(201)(RS.paths['/incoming-payments'].post)), ...examples(RS, ok(200)(RS.paths['/incoming-payments/{id}'].get))],
  parseAnyIncomingPayment: [...examples(RS, ok(200)(RS.paths['/incoming-payments/{id}'].get)), ...publicIncoming],
  parseIncomingPaymentWithoutMethods: [...examples(RS, ok(200)(RS.paths['/incoming-payments/{id}/complete'].post)),
    ...examples(RS, RS.components.schemas['incoming-payment']).map((p) => ({ completed: false, ...p }))],
  parsePublicIncomingPayment: publicIncoming,
  parseIncomingPaymentPage: examples(RS, ok(200)(RS.paths['/incoming-payments'].get)),
  parseCreateQuoteArgs: examples(RS, body(RS.paths['/quotes'].post)),
  parseQuote: [...examples(RS, ok(201)(RS.paths['/quotes'].post)), ...examples(RS, ok(200)(RS.paths['/quotes/{id}'].get)), ...examples(RS, RS.components.schemas.quote).map(withReceive)],
  parseCreateOutgoingPaymentArgs: examples(RS, body(RS.paths['/outgoing-payments'].post)),
  parseOutgoingPayment: [...examples(RS, ok(200)(RS.paths['/outgoing-payments/{id}'].get)), ...examples(RS, RS.components.schemas['outgoing-payment']).map(withReceive)],
  parseOutgoingPaymentWithSpentAmounts: [...examples(RS, ok(201)(RS.paths['/outgoing-payments'].post)), ...examples(RS, RS.components.schemas['outgoing-payment-with-spent-amounts'])],
  parseOutgoingPaymentGrantSpentAmounts: examples(RS, ok(200)(RS.paths['/outgoing-payment-grant'].get)),
  parseOutgoingPaymentPage: examples(RS, ok(200)(RS.paths['/outgoing-payments'].get)),
  parseErrorResponse: Object.values(RS.components.examples).map((e) => e.value),
  parseGnapErrorResponse: [{ error: { code: 'invalid_request', description: 'The request is missing a required parameter' } }, { error: { code: 'invalid_client' } }],
};

test('fuzz: every parser accepts its unmutated examples (the seeds are right)', () => {
  for (const [name, seeds] of Object.entries(SEEDS)) {
    assert.equal(typeof op[name], 'function', name);
    assert.ok(seeds.length > 0, `${name} has seeds`);
    for (const seed of seeds) {
      const outcome = typed(() => op[name](structuredClone(seed)));
      assert.ok(!outcome.error, `${name} refused its example ${show(seed)}: ${outcome.error?.code} ${outcome.error?.field} ${outcome.error?.message}`);
    }
  }
});

/** Every location of a document: `[]` for the document, then each key or index path. */
function locations(doc, at = [], out = []) {
  out.push(at);
  if (doc !== null && typeof doc === 'object') {
    for (const key of Object.keys(doc)) locations(doc[key], [...at, Array.isArray(doc) ? Number(key) : key], out);
  }
  return out;
}
const getAt = (doc, path) => path.reduce((d, k) => d?.[k], doc);

/** The value retyped: a string to a number or an array, a number to a string, an object to an
 *  array of its values and back, and so on. */
function retype(v, n) {
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
function mutateString(s, n, extra) {
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
const mutation = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'retype', 'rename', 'extra', 'string', 'duplicate', 'swap'),
  pick: fc.nat(),
  other: fc.nat(),
  value: oddValue,
  text: fc.oneof(fc.constantFrom('-', ' ', '0', 'x', 'Z', '\u0000', '\u00e9', '.5', '/', ':', '%', '#'), fc.string({ maxLength: 4 })),
});
function mutate(doc, muts) {
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

/** The segments of an error's `field` (`a.b[2].c`), or null when the input's keys would make the
 *  text ambiguous. */
function fieldSegments(field) {
  const out = [];
  for (const part of field.split('.')) {
    const m = part.match(/^([^[\]]*)((?:\[\d+\])*)$/);
    if (!m) return null;
    if (m[1] !== '') out.push(m[1]);
    for (const i of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}
const simpleKeys = (doc) => locations(doc).every((p) => p.every((k) => typeof k === 'number' || /^[A-Za-z_@$][\w$@-]*$/.test(k)));

/** The error's `field` leads into the input: every segment but the last exists, and the last one
 *  exists too unless the member is missing (or was dropped as `undefined`). */
function assertFieldInInput(doc, error) {
  if (error.field === undefined || !simpleKeys(doc)) return;
  const segments = fieldSegments(error.field);
  assert.ok(segments !== null && segments.length > 0, `field ${error.field} is not a path`);
  let at = doc;
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const has = at !== null && typeof at === 'object' && Object.hasOwn(at, seg) && !dropped(at[seg]);
    assert.ok(has || (last && error.code === 'missing_field'), `${error.code}: field ${error.field} is not in ${show(doc)}`);
    at = has ? at[seg] : undefined;
  });
}

/** Numbers in open members (metadata, DID documents) may move by an ulp in the wasm: see the
 *  BUG below. Everything else must come back exactly. */
const floatDrift = { count: 0 };
function sameDocument(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b) || a === b) return true;
    const near = Math.abs(a - b) <= Math.abs(a) * 4 * Number.EPSILON;
    if (near) floatDrift.count++;
    return near;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameDocument(a[k], b[k]));
}

/** A parser's outcome on `doc`: typed; a result parses again to itself; an error names a path of the input. */
function checkParser(name, doc) {
  const outcome = typed(() => op[name](doc));
  if (outcome.error) {
    // The path is checked against the value as the wasm sees it (JSON: Dates as strings, Maps as {}).
    if (jsonCheck(doc) === null) assertFieldInInput(JSON.parse(JSON.stringify(doc)), outcome.error);
    return outcome;
  }
  const again = typed(() => op[name](outcome.value));
  assert.ok(!again.error, `${name}: its own result ${show(outcome.value)} is refused: ${again.error?.code} ${again.error?.field} ${again.error?.message}`);
  assert.ok(sameDocument(again.value, outcome.value), `${name}: not a fixed point: ${show(outcome.value)} then ${show(again.value)}`);
  return outcome;
}

for (const [name, seeds] of Object.entries(SEEDS)) {
  test(`fuzz: ${name} on mutated examples returns or throws a typed error`, () => {
    const input = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([seed, muts]) => mutate(structuredClone(seed), muts));
    fc.assert(fc.property(input, (doc) => { checkParser(name, doc); }), runs(2000));
  });
}

test('fuzz: every parser on arbitrary values returns or throws a typed error', () => {
  const names = Object.keys(SEEDS);
  const anything = fc.anything({ maxDepth: 3, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true,
    withNullPrototype: true, withSparseArray: true, withDate: true, withTypedArray: true, key: fc.string({ unit: 'binary', maxLength: 6 }) });
  fc.assert(fc.property(fc.constantFrom(...names), anything, (name, doc) => { checkParser(name, doc); }), runs(4000));
});

// BUG: a value nested deeper than JSON.stringify's recursion (about 4,200 levels here; what
// `JSON.parse` makes of a hostile server's or user's text, which it parses at any depth) makes
// every function that turns an argument into JSON (src/js/facade/json.ts `json`) throw the
// RangeError "Maximum call stack size exceeded" of `JSON.stringify`, not an OpenPaymentsError:
// every parse*, validateAmount, formatAmount, add/subtract/compareAmounts, parseAmount's asset,
// createJwks, verifyRequest's key set, loadPrivateKey's JWK. From 128 levels up to that depth the
// answer is the typed `invalid_json` (serde_json's recursion limit).
test.todo('BUG: a deeply nested argument (JSON.parse("[".repeat(1e4) + "]".repeat(1e4))) throws RangeError, not an OpenPaymentsError', () => {
  const deep = JSON.parse(`${'['.repeat(10000)}${']'.repeat(10000)}`);
  for (const name of Object.keys(SEEDS)) typed(() => op[name](deep));
  typed(() => op.validateAmount({ value: deep }));
  typed(() => op.addAmounts(deep, deep));
  typed(() => op.parseAmount('1', deep));
  typed(() => op.createJwks([{ kid: 'k1', x: deep }]));
  typed(() => op.loadPrivateKey({ d: deep }, 'k1'));
});

// BUG: numbers in open members (`metadata`, DID documents, any JSON the models keep as is) come
// back changed by one ulp in about one case in ten: 918.7244185572271 -> 918.7244185572272,
// 2.599315742396724e-207 -> 2.5993157423967238e-207. serde_json parses floats "best effort"
// unless its `float_roundtrip` feature is on (Cargo.toml); a parse* result is then not the input
// with unknown members dropped, as documented, and re-parsing it moves it again. Not a crash:
// the fixed-point checks above allow 4 ulp for numbers (`sameDocument`).
test.todo('BUG: parse* keeps numbers in metadata exactly (918.7244185572271 comes back as 918.7244185572272)', () => {
  for (const x of [918.7244185572271, 208.94840438445158, 2.599315742396724e-207]) {
    assert.equal(op.parseDidDocument({ x }).x, x);
    const base = structuredClone(SEEDS.parseIncomingPayment[0]);
    assert.equal(op.parseIncomingPayment({ ...base, metadata: { x } }).metadata.x, x);
  }
});

// ------------------------------------------------------------------ signature headers

// A fixed Ed25519 key (PKCS#8 of a fixed seed): failures reproduce from the seed alone.
const PEM = `-----BEGIN PRIVATE KEY-----\n${Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'),
  Buffer.alloc(32, 7)]).toString('base64')}\n-----END PRIVATE KEY-----\n`;
const KEY = op.loadPrivateKey(PEM, 'k1');
const JWKS = op.createJwks([KEY]);
const CREATED = 1_700_000_000;
const NOW = CREATED + 10;
const REQ = { method: 'POST', url: 'https://wallet.example/alice/outgoing-payments?x=1', headers: { authorization: 'GNAP 4398ABCD' },
  body: '{"walletAddress":"https://wallet.example/alice","quoteId":"https://wallet.example/quotes/1"}' };
const SIGNED = op.signRequest(REQ, KEY, { created: CREATED });
const VERIFIED = { keyId: 'k1', created: CREATED, components: ['@method', '@target-uri', 'authorization', 'content-digest', 'content-length', 'content-type'] };
const NAMES = { signature: 'Signature', input: 'Signature-Input', digest: 'Content-Digest' };
const verifyWith = (changes) => op.verifyRequest({ ...REQ, headers: { ...REQ.headers, ...SIGNED, ...changes } }, JWKS, { now: NOW });

test('the signature fuzz starts from a request that verifies', () => {
  assert.deepEqual(verifyWith({}), VERIFIED);
});

/** Structured-field-ish text: dictionaries of labels with byte sequences, inner lists, parameters. */
const sfItem = fc.oneof(
  fc.constantFrom(':AAAA:', ':', '::', ':=:', '?1', '?0', '1', '-1', '999999999999999', '9999999999999999', '1.5', '"x"', '"\\"', '@1', '%"a"', 'tok', '*'),
  fc.base64String({ maxLength: 100 }).map((b) => `:${b}:`),
  fc.stringMatching(/^"[ -!#-[\]-~]{0,8}"$/),
  fc.integer().map(String),
);
const sfParams = fc.array(fc.tuple(fc.constantFrom('keyid', 'created', 'expires', 'alg', 'nonce', 'tag', 'KEYID', 'a'), sfItem), { maxLength: 3 })
  .map((ps) => ps.map(([k, v]) => `;${k}=${v}`).join(''));
const sfMember = fc.tuple(fc.constantFrom('sig1', 'sig2', 'sha-256', 'sha-512', 'Sig1', '1sig', '*', ''),
  fc.oneof(sfItem, fc.array(fc.oneof(sfItem, fc.constantFrom('"@method"', '"@target-uri"', '"authorization"', '"content-digest"',
    '"@status"', '"@query-param"', '"Authorization"', '"content-length"', '"content-type"', '"@path"')), { maxLength: 7 }).map((xs) => `(${xs.join(' ')})`)), sfParams)
  .map(([k, v, p]) => `${k}=${v}${p}`);
const sfText = fc.oneof(
  fc.array(sfMember, { minLength: 1, maxLength: 3 }).map((ms) => ms.join(', ')),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

test('fuzz: verifyRequest with arbitrary Signature, Signature-Input and Content-Digest values throws a typed error', () => {
  const change = fc.record({ signature: sfText, input: sfText, digest: sfText }, { requiredKeys: [] })
    .filter((c) => Object.keys(c).length > 0);
  fc.assert(fc.property(change, (c) => {
    const changes = Object.fromEntries(Object.entries(c).map(([k, v]) => [NAMES[k], v]));
    const outcome = typed(() => verifyWith(changes));
    if (!outcome.error) {
      // Only a change that leaves the signature intact may verify (e.g. another digest member).
      assert.deepEqual(outcome.value, VERIFIED);
      assert.ok(Object.entries(c).every(([k, v]) => k === 'digest' && v.includes(SIGNED['Content-Digest'].slice(0, -1))),
        `verified with ${show(changes)}`);
    }
  }), runs(3000));
});

/** One edit of a header value: a character inserted, deleted or replaced, or a piece appended. */
const edit = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace', 'append', 'prepend', 'duplicate', 'number', 'case'),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom(...'=:;,()"*. \t@-aZ09+/\\?', ', sig1=:AAAA:', ';alg="ed25519"', ';alg="rsa"', ';expires=1',
    ';created=1', ';keyid="k2"', ' "@path"', ', sig2=("@method");keyid="k1";created=1', ', sha-256=:AAAA:', '\u0000', '\u00e9', '\r\n'),
  fc.string({ unit: 'binary-ascii', maxLength: 3 })),
});
function applyEdit(s, e) {
  const i = e.at % (s.length + 1);
  switch (e.kind) {
    case 'insert': return s.slice(0, i) + e.text + s.slice(i);
    case 'delete': return s.slice(0, i) + s.slice(i + 1 + (e.at % 3));
    case 'replace': return s.slice(0, i) + e.text + s.slice(i + e.text.length);
    case 'append': return s + e.text;
    case 'prepend': return e.text + s;
    case 'duplicate': return `${s}, ${s}`;
    case 'number': return s.replace(/\d+/, (d) => String(BigInt(d) + BigInt(e.at % 5) - 2n));
    default: return s.slice(0, i) + s.slice(i).toUpperCase();
  }
}

test('fuzz: verifyRequest with mutated signature headers throws a typed error or verifies unchanged', () => {
  let verified = 0;
  const input = fc.record({ which: fc.subarray(Object.keys(NAMES), { minLength: 1 }), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) });
  fc.assert(fc.property(input, ({ which, edits }) => {
    const changes = {};
    for (const k of which) changes[NAMES[k]] = edits.reduce(applyEdit, SIGNED[NAMES[k]]);
    const outcome = typed(() => verifyWith(changes));
    if (!outcome.error) {
      verified++;
      assert.deepEqual(outcome.value, VERIFIED, show(changes));
    }
  }), runs(4000));
  // Some edits are harmless (whitespace after a comma, another label or digest member).
  assert.ok(verified < 4000 * SCALE / 4, `${verified} mutated requests verified`);
});

/** Methods as `fetch` sends them: the facade signs `get` as `GET` (fetch upper-cases these). */
const FETCH_NORMALISED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const sent = (m) => (FETCH_NORMALISED.has(m.toUpperCase()) ? m.toUpperCase() : m);

test('fuzz: signRequest round-trips with verifyRequest for arbitrary methods, URLs and bodies', () => {
  const method = fc.oneof(
    fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'get', 'post', 'Put', 'PATCH', 'patch', 'QUERY', 'M-SEARCH', 'HEAD', 'options'),
    fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,10}$/),
    fc.string({ maxLength: 6 }),
  );
  const url = fc.oneof(
    { weight: 4, arbitrary: fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('https://a.example', 'http://127.0.0.1:8080', 'HTTPS://A.example:443', 'ftp://a.example', 'https://u@a.example', '/relative', 'https://'),
      fc.string({ unit: 'binary-ascii', maxLength: 12 })).map(([a, p]) => a + p) },
  );
  const input = fc.record({
    method,
    url,
    authorization: fc.option(fc.oneof(fc.string({ maxLength: 20 }).map((t) => `GNAP ${t}`), fc.string({ unit: 'binary-ascii', maxLength: 8 })), { nil: undefined }),
    body: fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.uint8Array({ maxLength: 40 })), { nil: undefined }),
    created: fc.oneof(fc.constant(CREATED), fc.integer({ min: 0, max: 2 ** 40 })),
  });
  let roundTrips = 0;
  fc.assert(fc.property(input, ({ method: m, url: u, authorization, body: b, created }) => {
    const headers = authorization === undefined ? {} : { authorization };
    const signed = typed(() => op.signRequest({ method: m, url: u, headers, body: b }, KEY, { created }));
    if (signed.error) return;
    roundTrips++;
    const received = { method: sent(m), url: u, headers: { ...headers, ...signed.value }, body: b };
    const verified = typed(() => op.verifyRequest(received, JWKS, { now: created + 5 }));
    assert.ok(!verified.error, `${show({ m, u, authorization, b })}: ${verified.error?.code} ${verified.error?.message}`);
    assert.equal(verified.value.keyId, 'k1');
    assert.equal(verified.value.created, created);
    const hasBody = b !== undefined && b.length > 0;
    assert.equal(verified.value.components.includes('content-digest'), hasBody);
    // The method is compared case-sensitively (RFC 9421 §2.2.1).
    const other = received.method === received.method.toLowerCase() ? received.method.toUpperCase() : received.method.toLowerCase();
    if (other !== received.method) {
      expectOutcome(typed(() => op.verifyRequest({ ...received, method: other }, JWKS, { now: created + 5 })), { code: 'signature_mismatch', field: 'signature' }, received);
    }
    if (hasBody) {
      const bytes = typeof b === 'string' ? new TextEncoder().encode(b) : Uint8Array.from(b);
      bytes[0] ^= 1;
      expectOutcome(typed(() => op.verifyRequest({ ...received, body: bytes }, JWKS, { now: created + 5 })), { code: 'content_digest_mismatch', field: 'content-digest' }, received);
    }
  }), runs(3000));
  assert.ok(roundTrips > 1000 * SCALE, `only ${roundTrips} requests could be signed`);
});

// ------------------------------------------------------------------ keys, key sets, other text input

test('fuzz: loadPrivateKey, createJwks, resolveWalletAddressUrl and verifyInteractFinish take anything with typed errors', () => {
  const privateJwk = KEY.exportPrivateJwk();
  const publicJwk = KEY.publicJwk();
  assert.deepEqual(op.loadPrivateKey(KEY.exportPrivateKeyPem(), 'k1').publicJwk(), publicJwk);
  assert.deepEqual(op.loadPrivateKey(privateJwk, 'k1').publicJwk(), publicJwk);
  const keyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.tuple(fc.constantFrom(PEM, JSON.stringify(privateJwk), `$wallet.example/alice`, 'https://wallet.example/alice'), fc.array(edit, { minLength: 1, maxLength: 3 }))
      .map(([t, edits]) => edits.reduce(applyEdit, t)),
  );
  const keyObject = fc.tuple(fc.constantFrom(privateJwk, publicJwk), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([k, muts]) => mutate(structuredClone(k), muts));
  const kid = fc.oneof(fc.constant('k1'), fc.string({ unit: 'binary', maxLength: 8 }));
  fc.assert(fc.property(fc.oneof(keyText, keyObject), kid, keyObject, (input, keyId, jwk) => {
    const loaded = typed(() => op.loadPrivateKey(input, keyId));
    if (loaded.value) {
      assert.equal(loaded.value.keyId, keyId);
      loaded.value.free();
    }
    const text = typeof input === 'string' ? input : show(input);
    const url = typed(() => op.resolveWalletAddressUrl(text));
    if (url.value) assert.match(url.value, /^https?:\/\//);
    const set = typed(() => op.createJwks([jwk]));
    if (set.value) assert.equal(set.value.keys.length, 1);
    typed(() => op.verifyInteractFinish({ clientNonce: text, finishNonce: 'f', interactRef: keyId, grantEndpoint: 'https://auth.example/', hash: text }));
  }), runs(2000));
});
