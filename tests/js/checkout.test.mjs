// The checkout end to end in headless Chromium: page (www/checkout.html) -> edge function
// (www/edge/handler.mjs under Node, and under workerd through Miniflare) -> sandbox ASE (native
// binary, --config with a poor shopper) -> consent page -> finish -> receipt. Every test checks
// the sandbox balances afterwards: nothing lost, nothing paid twice.
// Needs `.ci/build-pkg` (web + browser) and the sandbox binary (or cargo to run it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { startSandbox, shopEnv, pointer, root } from './support/sandbox.mjs';
import { startNodeEdge } from '../../www/edge/node.mjs';
import { startWorkerdEdge } from '../../www/edge/workerd.mjs';
import { CHROMIUM_ARGS } from '../../www/demo.mjs';

const SHOTS = `${root}target/screenshots`;
const CART_TOTAL = 7340n; // USD cents: 24.90 + 29.00 + 19.50

let browser;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => { await browser?.close(); });

/** Sandbox + edge (node or workerd) + a fresh browser context; `done()` stops them. */
async function stack(kind = 'node') {
  const sandbox = await startSandbox();
  const env = await shopEnv(sandbox);
  const server = await (kind === 'workerd' ? startWorkerdEdge : startNodeEdge)(env, 0);
  const base = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const start = await sandbox.balances();
  return {
    sandbox, env, base, page, context, start,
    delta: async () => {
      const now = await sandbox.balances();
      return Object.fromEntries(Object.keys(now).map((k) => [k, now[k] - start[k]]));
    },
    done: async () => {
      assert.deepEqual(errors, []);
      await context.close();
      await new Promise((r) => server.close(r));
      sandbox.stop();
    },
  };
}

/** Cart -> wallet -> Pay -> the quote (the POST /checkout answer). */
async function toQuote(s, wallet, { dblclick = false } = {}) {
  const { page } = s;
  await page.goto(`${s.base}/checkout.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#wallet', wallet);
  const answer = page.waitForResponse((r) => r.url().endsWith('/checkout') && r.request().method() === 'POST');
  if (dblclick) await page.dblclick('#pay'); else await page.click('#pay');
  const quote = await (await answer).json();
  await page.waitForSelector('#quote-step:not([hidden])');
  return quote;
}

async function approveOnConsentPage(page, choice = '#approve') {
  await page.click('#confirm');
  await page.waitForSelector(choice);
  await page.click(choice);
}

async function buy(kind, shots) {
  const s = await stack(kind);
  try {
    const { page } = s;
    await page.goto(`${s.base}/checkout.html`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.textContent('#cart-total'), '$73.40');
    await page.fill('#wallet', 'http://wallet.example/alice');
    assert.equal(await page.getAttribute('#wallet-error', 'data-code'), 'insecure_wallet_address');
    assert.equal(await page.isDisabled('#pay'), true);
    if (shots) await page.screenshot({ path: `${SHOTS}/checkout-cart-invalid.png`, fullPage: true });
    const q = await toQuote(s, pointer(s.sandbox.info.wallets.shopper));
    assert.deepEqual(q.quote.receiveAmount, { value: String(CART_TOTAL), assetCode: 'USD', assetScale: 2 });
    assert.equal(q.quote.debitAmount.assetCode, 'EUR');
    assert.equal(await page.textContent('#quote-receive'), '$73.40');
    assert.equal(await page.textContent('#quote-debit'), '€66.73');
    assert.match(await page.textContent('#quote-expiry'), /^[45]:\d\d$/);
    if (shots) await page.screenshot({ path: `${SHOTS}/checkout-quote.png`, fullPage: true });
    await page.click('#confirm');
    await page.waitForSelector('#approve');
    if (shots) await page.screenshot({ path: `${SHOTS}/checkout-consent.png`, fullPage: true });
    await page.click('#approve');
    await page.waitForSelector('body[data-receipt="paid"]');
    assert.equal(await page.textContent('#receipt-debit'), '€66.73');
    assert.equal(await page.textContent('#receipt-receive'), '$73.40');
    assert.equal(await page.textContent('#receipt-status'), 'completed');
    assert.match(await page.textContent('#receipt-outgoing'), /\/bank-b\/op\/outgoing-payments\//);
    if (shots) await page.screenshot({ path: `${SHOTS}/checkout-receipt.png`, fullPage: true });
    const html = await page.content();
    for (const secret of [s.env.SEAL_KEY, 'PRIVATE KEY', s.env.SHOP_KEY_ID]) assert.ok(!html.includes(secret));
    const d = await s.delta();
    assert.equal(d.shop, CART_TOTAL);
    assert.equal(d.shopper, -BigInt(q.quote.debitAmount.value));
    assert.equal(d.alice + d.poor, 0n);
  } finally { await s.done(); }
}

test('purchase across assets (USD shop, EUR shopper) through Approve on the consent page (Node edge)', () => buy('node', true));
test('the same purchase with the edge function under workerd (Miniflare)', () => buy('workerd', false));

test('consent denied: clear message, nothing paid', async () => {
  const s = await stack();
  try {
    await toQuote(s, pointer(s.sandbox.info.wallets.shopper));
    await approveOnConsentPage(s.page, '#deny');
    await s.page.waitForSelector('#problem-step:not([hidden])');
    assert.equal(await s.page.getAttribute('#problem', 'data-code'), 'consent_denied');
    assert.match(await s.page.textContent('#problem'), /declined/);
    await s.page.screenshot({ path: `${SHOTS}/checkout-denied.png`, fullPage: true });
    assert.deepEqual(Object.values(await s.delta()), [0n, 0n, 0n, 0n]);
  } finally { await s.done(); }
});

test('quote expired before consent: clear message, nothing paid', async () => {
  const s = await stack();
  try {
    await toQuote(s, pointer(s.sandbox.info.wallets.shopper));
    await s.sandbox.dev('/dev/clock', { advanceSeconds: 301 });
    await approveOnConsentPage(s.page);
    await s.page.waitForSelector('#problem-step:not([hidden])');
    assert.equal(await s.page.getAttribute('#problem', 'data-code'), 'quote_expired');
    assert.deepEqual(Object.values(await s.delta()), [0n, 0n, 0n, 0n]);
  } finally { await s.done(); }
});

test('insufficient funds: clear message, nothing paid', async () => {
  const s = await stack();
  try {
    await toQuote(s, pointer(s.sandbox.info.wallets.poor));
    await approveOnConsentPage(s.page);
    await s.page.waitForSelector('#problem-step:not([hidden])');
    assert.equal(await s.page.getAttribute('#problem', 'data-code'), 'insufficient_funds');
    await s.page.screenshot({ path: `${SHOTS}/checkout-insufficient.png`, fullPage: true });
    assert.deepEqual(Object.values(await s.delta()), [0n, 0n, 0n, 0n]);
  } finally { await s.done(); }
});

test('unknown wallet: clear message before any quote', async () => {
  const s = await stack();
  try {
    await s.page.goto(`${s.base}/checkout.html`);
    await s.page.waitForSelector('body[data-ready="true"]');
    await s.page.fill('#wallet', pointer(s.sandbox.info.wallets.shopper).replace('shopper', 'nobody'));
    await s.page.click('#pay');
    await s.page.waitForSelector('#pay-error:not([hidden])');
    assert.equal(await s.page.getAttribute('#pay-error', 'data-code'), 'unknown_wallet');
    await s.page.screenshot({ path: `${SHOTS}/checkout-unknown-wallet.png`, fullPage: true });
    assert.deepEqual(Object.values(await s.delta()), [0n, 0n, 0n, 0n]);
  } finally { await s.done(); }
});

test('the public build reads wallet addresses in the browser (CORS), and has no keys or authenticated client', async () => {
  const s = await stack();
  try {
    await s.page.goto(`${s.base}/checkout.html`);
    await s.page.waitForSelector('body[data-ready="true"]');
    const wallets = s.sandbox.info.wallets;
    const seen = await s.page.evaluate(async ({ shopper, nobody }) => {
      const op = await import('/pkg/public.js');
      const client = await op.createUnauthenticatedClient({ requestTimeoutMs: 5000 });
      const wallet = await client.walletAddress.get({ url: shopper });
      const keys = await client.walletAddress.getKeys({ url: shopper });
      let missing;
      try { await client.walletAddress.get({ url: nobody }); } catch (e) {
        missing = { name: e.name, code: e.code, status: e.status, client: e instanceof op.OpenPaymentsClientError };
      }
      return { wallet, keys: Array.isArray(keys.keys), missing, amount: op.formatAmount({ value: '6673', assetCode: wallet.assetCode, assetScale: wallet.assetScale }, { locale: 'en-US', style: 'currency' }),
        keyless: [typeof op.createAuthenticatedClient, typeof op.generateKeyPair, typeof op.signRequest] };
    }, { shopper: wallets.shopper, nobody: wallets.shopper.replace('shopper', 'nobody') });
    assert.equal(seen.wallet.id, wallets.shopper);
    assert.equal(seen.wallet.publicName, 'Sandbox Shopper');
    assert.equal(seen.wallet.assetCode, 'EUR');
    assert.equal(seen.keys, true);
    assert.deepEqual(seen.missing, { name: 'OpenPaymentsClientError', code: 'not_found', status: 404, client: true });
    assert.equal(seen.amount, '€66.73');
    assert.deepEqual(seen.keyless, ['undefined', 'undefined', 'undefined']);
  } finally { await s.done(); }
});

test('double-click on Pay, a second checkout and reloads of the finish URL pay exactly once', async () => {
  const s = await stack();
  try {
    const { page } = s;
    const finishes = [];
    page.on('request', (r) => { if (r.url().includes('/checkout/finish')) finishes.push(r.url()); });
    const q = await toQuote(s, pointer(s.sandbox.info.wallets.shopper), { dblclick: true });
    // A second checkout started behind the page's back (another tab): never consented, never paid.
    const other = await page.evaluate(async (body) => (await fetch('/checkout', { method: 'POST',
      headers: { 'content-type': 'application/json' }, body })).status,
    JSON.stringify({ amount: q.quote.receiveAmount, walletAddress: await page.inputValue('#wallet') }));
    assert.equal(other, 200);
    await approveOnConsentPage(page);
    await page.waitForSelector('body[data-receipt="paid"]');
    assert.equal(finishes.length, 1);
    // Reload the finish URL twice, and submit it twice at once.
    for (let i = 0; i < 2; i++) {
      await page.goto(finishes[0]);
      await page.waitForSelector('body[data-receipt="paid"]');
    }
    const statuses = await page.evaluate(async (u) => Promise.all([fetch(u, { redirect: 'manual' }), fetch(u, { redirect: 'manual' })])
      .then((rs) => rs.map((r) => r.type === 'opaqueredirect' ? 303 : r.status)), finishes[0]);
    assert.deepEqual(statuses, [303, 303]);
    const d = await s.delta();
    assert.equal(d.shop, CART_TOTAL);
    assert.equal(d.shopper, -BigInt(q.quote.debitAmount.value));
  } finally { await s.done(); }
});

test('a tampered finish URL (hash, interact_ref, ref token) is refused; the genuine one pays once', async () => {
  const s = await stack();
  try {
    const { page } = s;
    const q = await toQuote(s, pointer(s.sandbox.info.wallets.shopper));
    const approved = await s.sandbox.dev(`/dev/interactions/${q.consentUrl.split('/').pop()}/approve`);
    const good = new URL(approved.redirect);
    const flip = (t) => (t[0] === 'A' ? 'B' : 'A') + t.slice(1);
    for (const key of ['hash', 'interact_ref', 'ref']) {
      const bad = new URL(good);
      bad.searchParams.set(key, flip(good.searchParams.get(key)));
      const res = await page.goto(bad.href);
      assert.equal(res.status(), 400, key);
      assert.match(await page.textContent('#message'), /not valid|could not be verified/);
      if (key === 'hash') await page.screenshot({ path: `${SHOTS}/checkout-tampered.png`, fullPage: true });
    }
    assert.deepEqual(Object.values(await s.delta()), [0n, 0n, 0n, 0n]);
    await page.goto(good.href);
    await page.waitForSelector('body[data-receipt="paid"]');
    const d = await s.delta();
    assert.equal(d.shop, CART_TOTAL);
    assert.equal(d.shopper, -BigInt(q.quote.debitAmount.value));
  } finally { await s.done(); }
});

/** Starts a Deno or Bun adapter process and reads its {"url"} line. */
async function startProcess(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env, DENO_NO_UPDATE_CHECK: '1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const { url } = JSON.parse(await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}`)));
  }));
  return { url, child };
}

for (const [name, cmd, args] of [
  ['Deno', `${root}node_modules/.bin/deno`, ['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'www/edge/deno.mjs']],
  ['Bun', `${root}node_modules/.bin/bun`, ['www/edge/bun.mjs']],
]) {
  test(`the ${name} adapter starts and answers POST /checkout with a quote`, async () => {
    const sandbox = await startSandbox();
    let proc;
    try {
      proc = await startProcess(cmd, args, await shopEnv(sandbox));
      const res = await fetch(`${proc.url}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: { value: '1000', assetCode: 'USD', assetScale: 2 }, walletAddress: pointer(sandbox.info.wallets.shopper) }) });
      const body = await res.json();
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(body.quote.receiveAmount.value, '1000');
      assert.match(body.consentUrl, /\/bank-b\/auth\/interact\//);
    } finally { proc?.child.kill(); sandbox.stop(); }
  });
}

test('subscribe monthly: consent on the wallet page, first month charged, a second charge this month refused, cancel', async () => {
  const s = await stack();
  try {
    const { page } = s;
    await page.goto(`${s.base}/checkout.html`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#wallet', pointer(s.sandbox.info.wallets.shopper));
    await page.click('#subscribe');
    await page.waitForSelector('#subscribe-step:not([hidden])');
    assert.equal(await page.textContent('#sub-amount'), '$73.40');
    assert.match(await page.textContent('#sub-interval'), /^every month, from \d+ \w+ \d{4}$/);
    await page.screenshot({ path: `${SHOTS}/checkout-subscribe.png`, fullPage: true });
    await page.click('#sub-confirm');
    await page.waitForSelector('#approve');
    assert.match(await page.textContent('body'), /every month/);
    await page.screenshot({ path: `${SHOTS}/checkout-subscribe-consent.png`, fullPage: true });
    await page.click('#approve');
    await page.waitForSelector('body[data-receipt="paid"]');
    assert.equal(await page.textContent('#receipt-title'), 'Subscribed: first month paid');
    assert.equal(await page.textContent('#receipt-receive'), '$73.40');
    await page.waitForSelector('#subscription-list li[data-status="active"]');
    await page.screenshot({ path: `${SHOTS}/checkout-subscribed.png`, fullPage: true });
    let d = await s.delta();
    assert.equal(d.shop, CART_TOTAL);
    // The shop charges again within the same month: over the consented limit, refused, nothing paid.
    await page.click('#subscription-list button[data-action="charge"]');
    await page.waitForSelector('#subscriptions-status[data-code="limit_exceeded"]');
    d = await s.delta();
    assert.equal(d.shop, CART_TOTAL);
    await page.click('#subscription-list button[data-action="cancel"]');
    await page.waitForSelector('#subscription-list li[data-status="cancelled"]');
    assert.equal(await page.locator('#subscription-list button').count(), 0);
    d = await s.delta();
    assert.equal(d.shop, CART_TOTAL);
    assert.ok(d.shopper < 0n, 'the shopper paid the first month (in EUR)');
  } finally { await s.done(); }
});

test('every response carries the payment page headers (CSP, no framing, no referrer) and no Referer carries the finish URL', async () => {
  const s = await stack();
  try {
    const { page } = s;
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    const sent = [];
    page.on('request', (r) => sent.push({ url: r.url(), referer: r.headers().referer ?? '' }));
    for (const path of ['/checkout.html', '/checkout.js', '/style.css', '/pkg/lean.js', '/checkout/receipt?r=x', '/nowhere']) {
      const res = await fetch(`${s.base}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.doesNotMatch(csp, /unsafe-inline/, path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    }
    const post = await fetch(`${s.base}/checkout`, { method: 'POST', body: '{}' });
    assert.equal(post.headers.get('referrer-policy'), 'no-referrer');
    // A purchase under the policy: the page and its wasm work, nothing is blocked, and no request
    // after the finish redirect names interact_ref or hash in its Referer.
    await toQuote(s, pointer(s.sandbox.info.wallets.shopper));
    await approveOnConsentPage(page);
    await page.waitForSelector('body[data-receipt="paid"]');
    assert.deepEqual(violations, []);
    assert.ok(sent.some((r) => r.url.includes('/checkout/finish?')), 'the finish URL was visited');
    const leaks = sent.filter((r) => /interact_ref|hash=/.test(r.referer));
    assert.deepEqual(leaks, []);
  } finally { await s.done(); }
});
