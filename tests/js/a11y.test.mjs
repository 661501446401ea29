// Accessibility of the checkout demo in headless Chromium (Debian's, driven by playwright-core):
// axe-core's WCAG 2.1 A and AA rules on every state a shopper can see (the shop's page, the
// sandbox wallet's consent page, the edge function's error page), focus on each step's heading,
// no alert while a wallet address is typed, a polite warning before the quote expires, and a
// whole purchase with the keyboard alone. Needs what tests/js/checkout.test.mjs needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startSandbox, shopEnv, pointer } from './support/sandbox.mjs';
import { startNodeEdge } from '../../www/edge/node.mjs';
import { CHROMIUM_ARGS, purchase } from '../../www/demo.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CART_TOTAL = 7340n; // USD cents
const QUOTE_SECONDS = 300; // the sandbox's quote lifetime

let browser, sandbox, env, server, base;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  sandbox = await startSandbox();
  env = await shopEnv(sandbox);
  server = await startNodeEdge(env, 0);
  base = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
  sandbox?.stop();
});

const shopper = () => pointer(sandbox.info.wallets.shopper);

/** A fresh page (own cookies and clock). `clock`: fake timers (Playwright's page.clock), so a
 *  state can jump to the quote's last minute. Alerts that appear are recorded in `__alerts`. */
async function openPage(t, { clock = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 }, bypassCSP: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  t.after(() => assert.deepEqual(errors, []));
  await context.addInitScript(() => {
    // An alert counts when it appears or its text changes (what a screen reader reads out).
    window.__alerts = [];
    const last = new Map();
    new MutationObserver(() => {
      for (const alert of document.querySelectorAll('[role="alert"]')) {
        const text = alert.hidden ? '' : alert.textContent.trim();
        if (text && text !== last.get(alert)) window.__alerts.push(`${alert.id}: ${text}`);
        last.set(alert, text);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden'] });
  });
  if (clock) await page.clock.install();
  return page;
}

async function openCart(page) {
  await page.goto(`${base}/checkout.html`);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Cart -> wallet -> Pay -> the quote card. */
async function toQuote(page) {
  await openCart(page);
  await page.fill('#wallet', shopper());
  await page.click('#pay');
  await page.waitForSelector('#quote-step:not([hidden])');
}

/** ... -> Confirm -> the sandbox wallet's consent page. */
async function toConsent(page) {
  await toQuote(page);
  await page.click('#confirm');
  await page.waitForSelector('#approve');
}

/** Cart -> wallet -> Subscribe monthly -> the subscription review card. */
async function toSubscription(page) {
  await openCart(page);
  await page.fill('#wallet', shopper());
  await page.click('#subscribe');
  await page.waitForSelector('#subscribe-step:not([hidden])');
}

/** ... -> the wallet's consent -> Approve -> the receipt with the subscriptions list. */
async function toSubscribed(page) {
  await toSubscription(page);
  await page.click('#sub-confirm');
  await page.waitForSelector('#approve');
  await page.click('#approve');
  await page.waitForSelector('body[data-receipt="paid"]');
  await page.waitForSelector('#subscription-list li[data-status="active"]');
}

/** The selector of the focused element (`#id`, or the tag name). */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.id ? `#${el.id}` : el?.tagName.toLowerCase();
});

/** Every state a shopper can see: how to reach it, and where focus must be once there (`null`:
 *  a page just loaded, focus at its start). A new state (a subscription, say) is one entry. */
const STATES = [
  { name: 'cart', reach: openCart, focus: null },
  {
    name: 'cart, bad wallet address (checked when leaving the field)',
    reach: async (page) => {
      await openCart(page);
      await page.focus('#wallet');
      await page.keyboard.type('http://wallet.example/alice');
      assert.equal(await page.isHidden('#wallet-error'), true, 'no error while typing');
      await page.keyboard.press('Tab');
      await page.waitForSelector('#wallet-error:not([hidden])');
      assert.equal(await page.getAttribute('#wallet-error', 'data-code'), 'insecure_wallet_address');
      assert.equal(await page.getAttribute('#wallet', 'aria-invalid'), 'true');
      assert.equal((await page.evaluate(() => window.__alerts)).length, 1, 'one alert, on blur');
    },
    focus: null,
  },
  {
    name: 'cart, unknown wallet (the shop answered)',
    reach: async (page) => {
      await openCart(page);
      await page.fill('#wallet', shopper().replace('shopper', 'nobody'));
      await page.click('#pay');
      await page.waitForSelector('#pay-error:not([hidden])');
      assert.equal(await page.getAttribute('#pay-error', 'data-code'), 'unknown_wallet');
    },
    focus: '#pay',
  },
  { name: 'quote', reach: toQuote, focus: '#quote-title' },
  {
    name: 'quote, about a minute left (polite warning)',
    clock: true,
    reach: async (page) => {
      await toQuote(page);
      await page.clock.fastForward((QUOTE_SECONDS - 55) * 1000);
      await page.waitForFunction(() => document.getElementById('quote-notice').textContent.includes('minute'));
      assert.equal(await page.getAttribute('#quote-notice', 'aria-live'), 'polite');
      assert.equal(await page.isEnabled('#confirm'), true);
    },
    focus: '#quote-title',
  },
  {
    name: 'quote expired',
    clock: true,
    reach: async (page) => {
      await toQuote(page);
      await page.clock.fastForward((QUOTE_SECONDS + 1) * 1000);
      await page.waitForSelector('#quote-notice[data-code="quote_expired"]');
      assert.equal(await page.isDisabled('#confirm'), true);
    },
    focus: '#quote-title',
  },
  {
    name: 'back from the quote to the cart',
    reach: async (page) => {
      await toQuote(page);
      await page.click('#cancel');
      await page.waitForSelector('#cart-step:not([hidden])');
    },
    focus: '#cart-title',
  },
  { name: 'consent page (the sandbox wallet)', reach: toConsent, focus: null },
  {
    name: 'receipt',
    reach: async (page) => {
      await purchase(page, base, shopper());
      await page.waitForSelector('body[data-receipt="paid"]');
    },
    focus: '#receipt-title',
  },
  { name: 'subscription review', reach: toSubscription, focus: '#subscribe-title' },
  {
    name: 'subscription consent page (the sandbox wallet)',
    reach: async (page) => {
      await toSubscription(page);
      await page.click('#sub-confirm');
      await page.waitForSelector('#approve');
    },
    focus: null,
  },
  { name: 'subscribed: receipt and the subscriptions list', reach: toSubscribed, focus: '#receipt-title' },
  {
    name: 'subscriptions list after a charge the wallet refused (over the month\'s limit)',
    reach: async (page) => {
      await toSubscribed(page);
      await page.click('#subscription-list button[data-action="charge"]');
      await page.waitForSelector('#subscriptions-status[data-code="limit_exceeded"]');
    },
    focus: '#subscriptions-title',
  },
  {
    name: 'payment not completed (consent denied)',
    reach: async (page) => {
      await toConsent(page);
      await page.click('#deny');
      await page.waitForSelector('#problem-step:not([hidden])');
      assert.equal(await page.getAttribute('#problem', 'data-code'), 'consent_denied');
    },
    focus: '#problem-title',
  },
  {
    name: 'payment not completed (the edge function\'s page: a tampered finish URL)',
    reach: async (page) => {
      let consentUrl;
      page.on('response', async (r) => { if (r.url().endsWith('/checkout') && r.ok()) consentUrl = (await r.json()).consentUrl; });
      await toQuote(page);
      const approved = await sandbox.dev(`/dev/interactions/${consentUrl.split('/').pop()}/approve`);
      const bad = new URL(approved.redirect);
      const hash = bad.searchParams.get('hash');
      bad.searchParams.set('hash', (hash[0] === 'A' ? 'B' : 'A') + hash.slice(1));
      assert.equal((await page.goto(bad.href)).status(), 400);
    },
    focus: null,
  },
];

/** axe-core's WCAG 2.1 A/AA rules on the page as it is: the violations, one line each. */
async function audit(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG21_AA);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const state of STATES) {
  test(`axe WCAG 2.1 AA, no violations: ${state.name}`, async (t) => {
    const page = await openPage(t, { clock: state.clock });
    await state.reach(page);
    if (state.focus !== null) assert.equal(await focused(page), state.focus, 'focus on the step');
    assert.deepEqual(await audit(page), []);
  });
}

/** Presses Tab until `selector` has focus (at most 30 times). */
async function tabTo(page, selector) {
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

test('a purchase with the keyboard alone (Tab, Enter, Space): cart, quote, consent page, receipt', async (t) => {
  const page = await openPage(t);
  const start = await sandbox.balances();
  await openCart(page);
  await tabTo(page, '#wallet');
  await page.keyboard.type(shopper());
  assert.deepEqual(await page.evaluate(() => window.__alerts), [], 'no alert while typing');
  await tabTo(page, '#pay');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#quote-step:not([hidden])');
  assert.equal(await focused(page), '#quote-title');
  const debit = await page.textContent('#quote-debit');
  await tabTo(page, '#confirm');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#approve');
  assert.match(await page.textContent('#amount'), new RegExp(debit.replace(/[$.]/g, '\\$&')));
  await tabTo(page, '#approve');
  await page.keyboard.press(' ');
  await page.waitForSelector('body[data-receipt="paid"]');
  assert.equal(await focused(page), '#receipt-title');
  assert.equal(await page.textContent('#receipt-debit'), debit);
  const now = await sandbox.balances();
  assert.equal(now.shop - start.shop, CART_TOTAL);
  assert.ok(now.shopper < start.shopper);
});
