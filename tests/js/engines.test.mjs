// The checkout's end-to-end purchase in the other browser engines: Firefox (Debian's firefox-esr
// through geckodriver) and WebKit (WebKitGTK's MiniBrowser through Debian's WebKitWebDriver, on
// Xvfb), driven over WebDriver (selenium-webdriver). The same flow as the first purchase in
// checkout.test.mjs (Chromium): open the page, pay with the shopper's wallet, approve at the
// sandbox's consent page, land on the receipt, and the sandbox balances moved exactly. In the same
// session: the full browser build signs and verifies, the client build signs what it verifies,
// signatures are right and verify while the wasm tiers warm up, the authenticated client's signed
// requests verify, and the public build reads across origins.
// Needs `.ci/build-pkg`, the sandbox binary and `.ci/setup` (the browsers and drivers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startSandbox, shopEnv, pointer, root } from './support/sandbox.mjs';
import { startNodeEdge } from '../../www/edge/node.mjs';
import { openSession } from './support/engines-webdriver.mjs';

const { By, until } = createRequire(import.meta.url)('selenium-webdriver');

const SHOTS = `${root}target/screenshots`;
const CART_TOTAL = 7340n; // USD cents: 24.90 + 29.00 + 19.50
const DEBIT = 6673n; // EUR cents the sandbox quotes for it (rate 0.9, fee 1 %), as in checkout.test.mjs
const WAIT = 20000;

/** Waits for `css` to match, then answers the element. */
const element = (driver, css) => driver.wait(until.elementLocated(By.css(css)), WAIT, `waiting for ${css}`);
const text = async (driver, css) => (await element(driver, css)).getText();

/** The purchase, in a session already open in `engine`. */
async function buy(engine, driver, sandbox, env, base) {
  const start = await sandbox.balances();

  // The cart, computed and formatted by the wasm (lean build) in this engine.
  await driver.get(`${base}/checkout.html`);
  await element(driver, 'body[data-ready="true"]');
  assert.equal(await text(driver, '#cart-total'), '$73.40');

  // An insecure wallet address is refused before any request; Pay stays disabled.
  const wallet = await element(driver, '#wallet');
  await wallet.sendKeys('http://wallet.example/alice');
  assert.equal(await (await element(driver, '#wallet-error')).getAttribute('data-code'), 'insecure_wallet_address');
  assert.equal(await (await element(driver, '#pay')).isEnabled(), false);

  // The shopper's wallet (EUR) pays the USD cart: the quote.
  await wallet.clear();
  await wallet.sendKeys(pointer(sandbox.info.wallets.shopper));
  await driver.wait(async () => (await driver.findElement(By.css('#pay'))).isEnabled(), WAIT, 'Pay enabled');
  await (await element(driver, '#pay')).click();
  await element(driver, '#quote-step:not([hidden])');
  assert.equal(await text(driver, '#quote-receive'), '$73.40');
  assert.equal(await text(driver, '#quote-debit'), '€66.73');
  assert.match(await text(driver, '#quote-expiry'), /^[45]:\d\d$/);

  // The sandbox's consent page, then back through the edge function's finish URL to the receipt.
  // (Each click leaves for another origin: wait for the new URL before looking into the page.)
  await (await element(driver, '#confirm')).click();
  await driver.wait(until.urlMatches(/\/bank-b\/auth\/interact\//), WAIT, 'the consent page');
  await (await element(driver, '#approve')).click();
  await driver.wait(until.urlContains(`${base}/checkout.html?receipt=`), WAIT, 'back on the checkout page');
  await element(driver, 'body[data-receipt="paid"]');
  assert.equal(await text(driver, '#receipt-debit'), '€66.73');
  assert.equal(await text(driver, '#receipt-receive'), '$73.40');
  assert.equal(await text(driver, '#receipt-status'), 'completed');
  assert.match(await text(driver, '#receipt-outgoing'), /\/bank-b\/op\/outgoing-payments\//);
  const html = await driver.getPageSource();
  for (const secret of [env.SEAL_KEY, 'PRIVATE KEY', env.SHOP_KEY_ID]) assert.ok(!html.includes(secret));
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(`${SHOTS}/engines-${engine}-receipt.png`, Buffer.from(await driver.takeScreenshot(), 'base64'));

  // Exactly the quoted amounts moved, once.
  const now = await sandbox.balances();
  const d = Object.fromEntries(Object.keys(now).map((k) => [k, now[k] - start[k]]));
  assert.equal(d.shop, CART_TOTAL);
  assert.equal(d.shopper, -DEBIT);
  assert.equal(d.alice + d.poor, 0n);
}

/** The full browser build (`/pkg/index.js`, release wasm) verifies in this engine what `signer`
 *  signs (the full build itself, or the client build `/pkg/client.js`, whose Ed25519 has no
 *  precomputed tables), enough times for the JIT tiers to take over (WebKitGTK's baseline wasm
 *  tier miscomputes Ed25519 in the debug test build; see .ci/test). */
async function signInPage(driver, rounds, signer = '/pkg/index.js') {
  await driver.manage().setTimeouts({ script: 60000 });
  const seen = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
    (async (rounds) => {
      const op = await import('/pkg/index.js');
      const signing = await import(${JSON.stringify(signer)});
      const key = signing.generateKeyPair('engine-key');
      const jwks = op.createJwks([key.publicJwk()]);
      let verified = 0; const errors = [];
      for (let i = 0; i < rounds; i++) {
        const request = { method: 'POST', url: 'https://rs.example/outgoing-payments?n=' + i,
          headers: { authorization: 'GNAP token-' + i }, body: JSON.stringify({ n: i }) };
        try {
          const headers = signing.signRequest(request, key);
          if (op.verifyRequest({ ...request, headers: { ...request.headers, ...headers } }, jwks).keyId === 'engine-key') verified++;
          // A changed body must not verify.
          try { op.verifyRequest({ ...request, body: '{}', headers: { ...request.headers, ...headers } }, jwks); errors.push('tampered body verified'); }
          catch (e) { if (e.code !== 'content_digest_mismatch') errors.push('tampered: ' + e.code); }
        } catch (e) {
          // What a second look says: does the same signature verify now, does signing again agree?
          let again;
          try { again = signing.signRequest(request, key); } catch (e2) { again = String(e2.code); }
          let reverified;
          try { op.verifyRequest({ ...request, headers: { ...request.headers, ...again } }, jwks); reverified = 'verifies'; } catch (e3) { reverified = String(e3.code); }
          errors.push(String(e.code) + ' ' + e.message + ' (round ' + i + '; signed again: ' + reverified + ')');
        }
      }
      const usd = (value) => ({ value, assetCode: 'USD', assetScale: 2 });
      const total = op.addAmounts(usd('18446744073709551614'), usd('1')).value;
      let overflow;
      try { op.addAmounts(usd(total), usd('1')); } catch (e) { overflow = e.code; }
      return { verified, errors: errors.slice(0, 5), errorCount: errors.length, total, overflow };
    })(${rounds}).then(done, (e) => done({ failed: String(e) }));`);
  assert.deepEqual(seen, { verified: rounds, errors: [], errorCount: 0, total: '18446744073709551615', overflow: 'amount_overflow' });
}

/** Signatures and verifications while the engine's wasm tiers warm up: `loads` fresh page loads
 *  (fresh modules each time), `rounds` requests signed (by the full build, or in every other load
 *  by the client build) and verified (full build) in each. Without the second computation of a
 *  rejection in `verifyRequest` and of a signature in `signRequest` in JavaScriptCore pages
 *  (src/js/facade/keys.ts), WebKitGTK 2.50 rejected a valid signature (`signature_mismatch`, or
 *  a trap) in about one load in twenty, each time right when repeated, and the client build made
 *  a signature that did not verify in one of 200. */
async function verifyWhileWarming(driver, base, loads, rounds) {
  for (let load = 0; load < loads; load++) {
    await driver.get(`${base}/checkout.html`);
    const signer = load % 2 ? '/pkg/client.js' : '/pkg/index.js';
    try {
      await signInPage(driver, rounds, signer);
    } catch (e) {
      e.message = `page load ${load}, ${signer} signing: ${e.message}`;
      throw e;
    }
  }
}

/** The authenticated client in the page: `loads` fresh page loads, `rounds` signed
 *  `incomingPayment.get` calls each, through a fetch that verifies every request's signature
 *  (full build) and answers an incoming payment. In JavaScriptCore pages the client computes each
 *  signature until two computations agree (src/js/facade/authenticated.ts). */
async function clientSignsInPage(driver, base, loads, rounds) {
  let verified = 0;
  const rejected = [];
  for (let load = 0; load < loads; load++) {
    await driver.get(`${base}/checkout.html`);
    const seen = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
      (async (rounds) => {
        const op = await import('/pkg/index.js');
        const key = op.generateKeyPair('page-key');
        const jwks = op.createJwks([key.publicJwk()]);
        const url = 'https://rs.example/op/incoming-payments/08394f02-7b7b-45e2-b645-51d04e7c330c';
        const payment = JSON.stringify({ id: url, walletAddress: 'https://rs.example/alice',
          incomingAmount: { value: '2500', assetCode: 'USD', assetScale: 2 },
          receivedAmount: { value: '0', assetCode: 'USD', assetScale: 2 }, completed: false,
          createdAt: '2022-03-12T23:20:50.520Z', updatedAt: '2022-03-12T23:20:50.520Z',
          methods: [{ type: 'ilp', ilpAddress: 'g.ilp.iwuyge987y.98y08y', sharedSecret: '1c7eaXa4rd2fFOBl1iydvCT1tV5TbM3RW1WLCafu_JA' }] });
        let verified = 0; const rejected = [];
        globalThis.fetch = async (target, init) => {
          try {
            op.verifyRequest({ method: init.method, url: String(target), headers: Object.fromEntries(init.headers), body: init.body ?? undefined }, jwks);
            verified++;
          } catch (e) { rejected.push(String(e.code) + ' ' + e.message); }
          return new Response(payment, { status: 200, headers: { 'content-type': 'application/json' } });
        };
        const client = await op.createAuthenticatedClient({ walletAddressUrl: 'https://rs.example/shop', privateKey: key, keyId: 'page-key' });
        for (let i = 0; i < rounds; i++) await client.incomingPayment.get({ url, accessToken: 'token-' + i });
        return { verified, rejected };
      })(${rounds}).then(done, (e) => done({ verified: 0, rejected: [String(e)] }));`);
    verified += seen.verified;
    rejected.push(...seen.rejected.map((r) => `load ${load}: ${r}`));
  }
  assert.deepEqual({ verified, rejected: rejected.slice(0, 5) }, { verified: loads * rounds, rejected: [] });
}

/** The public build reads wallet addresses from the sandbox's origin (CORS) through the page's
 *  fetch, as in checkout.test.mjs. */
async function publicClientInPage(driver, sandbox, base) {
  await driver.get(`${base}/checkout.html`);
  await element(driver, 'body[data-ready="true"]');
  const { shopper } = sandbox.info.wallets;
  const seen = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
    (async ([shopper, nobody]) => {
      const op = await import('/pkg/public.js');
      const client = await op.createUnauthenticatedClient({ requestTimeoutMs: 5000 });
      const wallet = await client.walletAddress.get({ url: shopper });
      const keys = await client.walletAddress.getKeys({ url: shopper });
      let missing;
      try { await client.walletAddress.get({ url: nobody }); } catch (e) {
        missing = { name: e.name, code: e.code, status: e.status, client: e instanceof op.OpenPaymentsClientError };
      }
      return { id: wallet.id, assetCode: wallet.assetCode, keys: Array.isArray(keys.keys), missing,
        amount: op.formatAmount({ value: '6673', assetCode: wallet.assetCode, assetScale: wallet.assetScale }, { locale: 'en-US', style: 'currency' }) };
    })(${JSON.stringify([shopper, shopper.replace('shopper', 'nobody')])}).then(done, (e) => done({ failed: String(e) }));`);
  assert.deepEqual(seen, { id: shopper, assetCode: 'EUR', keys: true, amount: '€66.73',
    missing: { name: 'OpenPaymentsClientError', code: 'not_found', status: 404, client: true } });
}

for (const [engine, name] of [['firefox', 'Firefox (firefox-esr, geckodriver)'], ['webkit', 'WebKit (WebKitGTK MiniBrowser, WebKitWebDriver, Xvfb)']]) {
  test(`${name}`, { timeout: 90000 }, async (t) => {
    const sandbox = await startSandbox();
    const env = await shopEnv(sandbox);
    const server = await startNodeEdge(env, 0);
    const base = `http://127.0.0.1:${server.address().port}`;
    let session;
    try {
      session = await openSession(engine);
      const { driver } = session;
      const withLog = (fn) => async () => {
        try { await fn(); } catch (e) { e.message += `\n--- ${engine} driver log ---\n${session.log().slice(-4000)}`; throw e; }
      };
      await t.test('checkout purchase across assets: consent approved, receipt, balances exact',
        withLog(() => buy(engine, driver, sandbox, env, base)));
      await t.test('the full browser build signs and verifies (500 Ed25519 round trips), u64 amounts exact to the last unit',
        withLog(() => signInPage(driver, 500)));
      await t.test('the client build (`open-payments-wasm/client`) signs what the full build verifies (200 round trips)',
        withLog(() => signInPage(driver, 200, '/pkg/client.js')));
      await t.test('signatures are right and verify while the wasm tiers warm up (20 fresh page loads × 400)',
        withLog(() => verifyWhileWarming(driver, base, 20, 400)));
      await t.test('the authenticated client signs right in the page (10 fresh page loads × 200 signed GETs)',
        withLog(() => clientSignsInPage(driver, base, 10, 200)));
      await t.test('the public build reads wallet addresses across origins (CORS)',
        withLog(() => publicClientInPage(driver, sandbox, base)));
    } finally {
      await session?.quit();
      await new Promise((r) => server.close(r));
      sandbox.stop();
    }
  });
}
