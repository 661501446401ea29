// The demo page in headless Chromium (Debian's, driven by playwright-core): a person's typing is
// checked and formatted by the wasm module, and bad input shows the error's message and code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/serve.mjs';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server, browser, page, base;
before(async () => {
  server = await startServer(0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  assert.deepEqual(errors, []);
});
after(async () => {
  await browser?.close();
  server?.close();
});

const text = (sel) => page.locator(sel).textContent();

test('the page formats the starting amount exactly', async () => {
  assert.equal(await text('#formatted'), '$49.90');
  assert.equal(await text('#plain'), '49.90');
  assert.equal(await text('#wire'), '{"value":"4990","assetCode":"USD","assetScale":2}');
  mkdirSync('target/screenshots', { recursive: true });
  await page.screenshot({ path: 'target/screenshots/amount-page.png', fullPage: true });
});

test('typing an amount with too many decimals shows the refusal', async () => {
  await page.fill('#amount', '12.345');
  assert.equal(await page.getAttribute('#amount-error', 'data-code'), 'too_many_decimals');
  assert.equal(await page.getAttribute('#amount', 'aria-invalid'), 'true');
  assert.match(await text('#amount-error'), /rounded/);
  await page.fill('#amount', '1,000');
  assert.equal(await page.getAttribute('#amount-error', 'data-code'), 'invalid_amount');
  await page.fill('#amount', '1234567.5');
  assert.equal(await page.isHidden('#amount-error'), true);
  assert.equal(await text('#formatted'), '$1,234,567.50');
});

test('changing asset and locale reformats through Intl without floats', async () => {
  await page.fill('#asset-code', 'EUR');
  await page.selectOption('#locale', 'de-DE');
  await page.fill('#amount', '184467440737095516.15');
  assert.equal(await text('#formatted'), '184.467.440.737.095.516,15\u00a0€');
  await page.fill('#amount', '184467440737095516.16');
  assert.equal(await page.getAttribute('#amount-error', 'data-code'), 'amount_overflow');
  await page.fill('#asset-code', 'eur');
  assert.equal(await page.getAttribute('#amount-error', 'data-code'), 'invalid_asset_code');
  await page.fill('#asset-code', 'JPY');
  await page.fill('#amount', '0.5');
  assert.equal(await page.getAttribute('#amount-error', 'data-code'), 'too_many_decimals');
});

test('the wallet address field resolves payment pointers and refuses http', async () => {
  await page.fill('#wallet', '$wallet.example');
  assert.equal(await text('#wallet-url'), 'Your wallet will be asked at https://wallet.example/.well-known/pay');
  await page.fill('#wallet', 'http://wallet.example/alice');
  assert.equal(await page.getAttribute('#wallet-error', 'data-code'), 'insecure_wallet_address');
});
