// The npm package as a user imports it (built by .ci/build-pkg), run with `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const root = new URL('../../pkg/', import.meta.url);
const op = require('open-payments-wasm');

function assertOpError(fn, code, field) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, 'is an Error');
    assert.ok(err instanceof op.OpenPaymentsError, 'is an OpenPaymentsError');
    assert.equal(err.name, 'OpenPaymentsError');
    assert.equal(err.code, code, err.message);
    assert.equal(err.field, field);
    assert.ok(err.message.length > 0);
    assert.ok(typeof err.stack === 'string' && err.stack.includes('OpenPaymentsError'));
    return true;
  });
}

test('parseAmount gives the wire object with the value as a string', () => {
  assert.deepEqual(op.parseAmount('12.34', { assetCode: 'USD', assetScale: 2 }), {
    value: '1234', assetCode: 'USD', assetScale: 2,
  });
  assert.deepEqual(op.parseAmount('184467440737095516.15', { assetCode: 'USD', assetScale: 2 }).value,
    '18446744073709551615');
});

test('parseAmount refuses what it would have to round or guess', () => {
  const usd = { assetCode: 'USD', assetScale: 2 };
  assertOpError(() => op.parseAmount('12.345', usd), 'too_many_decimals', 'value');
  assertOpError(() => op.parseAmount('0.5', { assetCode: 'JPY', assetScale: 0 }), 'too_many_decimals', 'value');
  for (const bad of ['', '+1', '-1', '1e3', '1,000', ' 1', '1.', '.5', 'abc']) {
    assertOpError(() => op.parseAmount(bad, usd), 'invalid_amount', 'value');
  }
  assertOpError(() => op.parseAmount(12.34, usd), 'invalid_amount', 'value');
  assertOpError(() => op.parseAmount('99999999999999999999', usd), 'amount_overflow', 'value');
  assertOpError(() => op.parseAmount('1', { assetCode: 'usd', assetScale: 2 }), 'invalid_asset_code', 'assetCode');
  assertOpError(() => op.parseAmount('1', { assetCode: 'USD', assetScale: 256 }), 'invalid_asset_scale', 'assetScale');
  assertOpError(() => op.parseAmount('1', { assetCode: 'USD', assetScale: 2.5 }), 'invalid_asset_scale', 'assetScale');
});

test('formatAmount is exact, with and without a locale', () => {
  const max = { value: '18446744073709551615', assetCode: 'USD', assetScale: 2 };
  assert.equal(op.formatAmount(max), '184467440737095516.15');
  assert.equal(op.formatAmount(max, { locale: 'en-US' }), '184,467,440,737,095,516.15');
  assert.equal(op.formatAmount(max, { locale: 'en-US', style: 'currency' }), '$184,467,440,737,095,516.15');
  assert.equal(op.formatAmount({ value: '5', assetCode: 'EUR', assetScale: 3 }, { locale: 'de-DE' }), '0,005');
  assert.equal(op.formatAmount({ value: '1000', assetCode: 'JPY', assetScale: 0 }, { locale: 'ja-JP', style: 'currency' }), '￥1,000');
  assertOpError(() => op.formatAmount(max, { locale: '??' }), 'invalid_format_options', 'locale');
  assertOpError(() => op.formatAmount({ value: 5, assetCode: 'EUR', assetScale: 3 }), 'invalid_amount', 'value');
});

test('arithmetic is checked and only between the same asset', () => {
  const usd = (value) => ({ value, assetCode: 'USD', assetScale: 2 });
  assert.deepEqual(op.addAmounts(usd('1'), usd('2')), usd('3'));
  assert.deepEqual(op.subtractAmounts(usd('3'), usd('2')), usd('1'));
  assert.equal(op.compareAmounts(usd('1'), usd('2')), -1);
  assert.equal(op.compareAmounts(usd('2'), usd('2')), 0);
  assertOpError(() => op.addAmounts(usd('18446744073709551615'), usd('1')), 'amount_overflow', 'value');
  assertOpError(() => op.subtractAmounts(usd('1'), usd('2')), 'amount_underflow', 'value');
  assertOpError(() => op.addAmounts(usd('1'), { value: '1', assetCode: 'EUR', assetScale: 2 }), 'asset_mismatch', 'value');
  assertOpError(() => op.compareAmounts(usd('1'), { value: '1', assetCode: 'USD', assetScale: 3 }), 'asset_mismatch', 'value');
});

test('validateAmount checks every wire rule and names the field', () => {
  assert.deepEqual(op.validateAmount({ value: '007', assetCode: 'USD', assetScale: 2 }),
    { value: '7', assetCode: 'USD', assetScale: 2 });
  assertOpError(() => op.validateAmount({ value: '1.5', assetCode: 'USD', assetScale: 2 }), 'invalid_amount', 'value');
  assertOpError(() => op.validateAmount({ value: 15, assetCode: 'USD', assetScale: 2 }), 'invalid_amount', 'value');
  assertOpError(() => op.validateAmount({ value: '1', assetCode: 'USD', assetScale: -1 }), 'invalid_asset_scale', 'assetScale');
  assertOpError(() => op.validateAmount({ value: '1', assetScale: 2 }), 'missing_field', 'assetCode');
});

test('resolveWalletAddressUrl accepts payment pointers and refuses insecure URLs', () => {
  assert.equal(op.resolveWalletAddressUrl('$wallet.example/alice'), 'https://wallet.example/alice');
  assert.equal(op.resolveWalletAddressUrl('$wallet.example'), 'https://wallet.example/.well-known/pay');
  assert.equal(op.resolveWalletAddressUrl('https://wallet.example/bob'), 'https://wallet.example/bob');
  assertOpError(() => op.resolveWalletAddressUrl('http://wallet.example/bob'), 'insecure_wallet_address', 'walletAddress');
  assertOpError(() => op.resolveWalletAddressUrl('bob'), 'invalid_wallet_address', 'walletAddress');
});

test('the web build\'s wasm loads in Node with initSync and answers as the node build', async () => {
  // The raw exports (plain strings in, JSON text out) of both builds; the facade is the same
  // code. Amounts cross as the object's kind and each member, tagged (src/js/amount.rs).
  const web = await import(new URL('npm/web/open_payments_wasm.js', root));
  web.initSync({ module: readFileSync(new URL('npm/web/open_payments_wasm_bg.wasm', root)) });
  const node = require(new URL('npm/nodejs/open_payments_wasm.js', root).pathname);
  const asset = ['o', 'sEUR', 'i2'];
  const parts = (wire) => { const a = JSON.parse(wire); return ['o', `s${a.value}`, `s${a.assetCode}`, `i${a.assetScale}`]; };
  assert.equal(web.parseAmount('0.01', ...asset), '{"value":"1","assetCode":"EUR","assetScale":2}');
  assert.equal(web.parseAmount('0.001', ...asset), node.parseAmount('0.001', ...asset));
  assert.match(web.parseAmount('0.001', ...asset), /^!\{"code":"too_many_decimals"/);
  assert.equal(web.decimalAmount(...parts(web.parseAmount('0.01', ...asset))),
    node.decimalAmount(...parts(node.parseAmount('0.01', ...asset))));
});
