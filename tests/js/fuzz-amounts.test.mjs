// Fuzz of the amount functions against a BigInt oracle: exact results, and the exact code and
// field for bad input (`validateAmount`, `parseAmount`, `addAmounts`, `subtractAmounts`,
// `compareAmounts`, `formatAmount`). Typed errors only, FUZZ_RUNS and FUZZ_SEED:
// tests/js/support/fuzz.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { op, runs, show, typed, expectOutcome, dropped, jsError, jsonCheck, digits, oddValue } from './support/fuzz.mjs';

const U64_MAX = 2n ** 64n - 1n;

// ------------------------------------------------------------------ amounts: the oracle

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

const validCode = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('USD', 'EUR', 'XTS', 'JPY', 'USDC') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z][A-Z0-9]{2,11}$/) },
);
const validScale = fc.oneof(fc.constantFrom(0, 2, 3, 9, 18, 19, 20, 28, 29, 40, 255), fc.integer({ min: 0, max: 255 }));
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
