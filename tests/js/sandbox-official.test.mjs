// The official client, npm @interledger/open-payments (pinned 7.4.0, `validateResponses: true`),
// runs the whole Open Payments flow against the sandbox ASE on 127.0.0.1, with the interactive
// grant approved on the sandbox's consent page by plain HTTP, like a browser would (GET the
// `interact.redirect` page, POST its form, follow nothing: read `hash` and `interact_ref` from the
// Location of the 302 to the finish URI). Every request and response between the official client
// and the sandbox is also checked against the official OpenAPI files (tests/js/contract.mjs):
// the official client sends through `ky`, which calls `globalThis.fetch` per request, so wrapping
// `globalThis.fetch` sees all of its traffic.
// Needs the sandbox binary (`cargo build --features sandbox --bin open-payments-sandbox`, or
// OP_SANDBOX_BIN) and `.ci/build-pkg nodejs` (keys, finish-hash check).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as official from '@interledger/open-payments';
import { contractChecker } from './contract.mjs';
import { startSandbox } from './support/sandbox.mjs';

const require = createRequire(import.meta.url);
const op = require('open-payments-wasm');
const FINISH_URI = 'http://127.0.0.1/return';

let sandbox, info;
before(async () => {
  sandbox = await startSandbox(null);
  ({ info } = sandbox);
});
after(() => sandbox?.stop());

/** Runs `fn` with `globalThis.fetch` validated against the OpenAPI files; returns the checker. */
async function withContract(fn) {
  const contract = await contractChecker(info);
  const plainFetch = globalThis.fetch;
  globalThis.fetch = contract.wrap(plainFetch);
  try {
    await fn();
  } finally {
    globalThis.fetch = plainFetch;
  }
  return contract;
}

/** An official client identified as the sandbox wallet `shop`, with a freshly registered key. */
async function officialClient(kid) {
  const key = op.generateKeyPair(kid);
  const res = await fetch(`${info.baseUrl}/dev/wallets/shop/keys`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(key.publicJwk()),
  });
  assert.equal(res.status, 201);
  return official.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: key.exportPrivateKeyPem(),
    keyId: kid, useHttp: true, validateResponses: true, logLevel: 'silent' });
}

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&amp;/g, '&');

/** The forms of an HTML page: `[{ method, action (absolute), fields: { name: value } }]`. */
function parseForms(html, pageUrl) {
  const forms = [];
  for (const [, attrs, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attr = (text, name) => unescape(text.match(new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i'))?.[1] ?? '');
    const fields = {};
    for (const [input] of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(input, 'name');
      if (name) fields[name] = attr(input, 'value');
    }
    forms.push({ method: (attr(attrs, 'method') || 'get').toUpperCase(), action: new URL(attr(attrs, 'action') || pageUrl, pageUrl).href, fields });
  }
  return forms;
}

/** What a browser does on the consent page: load it, submit the form with `decision`, and
 * stop at the redirect. Returns the 302's Location as a URL. */
async function decideInBrowser(redirect, decision) {
  const page = await fetch(redirect, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  const forms = parseForms(await page.text(), page.url);
  const form = forms.find((f) => f.fields.decision === decision);
  assert.ok(form, `a ${decision} form on the consent page: ${JSON.stringify(forms)}`);
  assert.equal(form.method, 'POST');
  assert.equal(new URL(form.action).origin, new URL(info.baseUrl).origin, 'the form posts to the sandbox');
  const res = await fetch(form.action, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(form.fields).toString(),
  });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, FINISH_URI, 'redirected to the finish URI');
  return location;
}

/** The GNAP interaction hash (RFC 9635 §4.2.3, standard base64 as in Rafiki), computed here independently of any client. */
const finishHash = (clientNonce, finishNonce, interactRef, grantEndpoint) =>
  createHash('sha256').update(`${clientNonce}\n${finishNonce}\n${interactRef}\n${grantEndpoint}`).digest('base64');

const statusOf = (e) => e?.status ?? e?.response?.status;

test('the official client runs the whole flow, consent approved by form POST, all traffic per the OpenAPI files', async () => {
  const contract = await withContract(async () => {
    const client = await officialClient('official-flow');
    const alice = await client.walletAddress.get({ url: info.wallets.alice });
    const bob = await client.walletAddress.get({ url: info.wallets.bob });
    assert.equal(alice.assetCode, 'USD');
    assert.equal(bob.assetCode, 'EUR');
    const keys = await client.walletAddress.getKeys({ url: info.wallets.shop });
    assert.ok(keys.keys.some((k) => k.kid === 'official-flow'), 'the registered key is published');

    // Non-interactive grants.
    const bobGrant = await client.grant.request({ url: bob.authServer }, {
      access_token: { access: [{ type: 'incoming-payment', actions: ['create', 'read', 'list', 'complete'], identifier: bob.id }] },
    });
    assert.ok(official.isFinalizedGrant(bobGrant) && !official.isPendingGrant(bobGrant));
    const bobToken = bobGrant.access_token;
    const it = { url: bob.resourceServer, accessToken: bobToken.value };

    // Incoming payments: create, get, public get, list.
    const incoming = await client.incomingPayment.create(it, {
      walletAddress: bob.id, incomingAmount: { value: '1000', assetCode: 'EUR', assetScale: 2 }, metadata: { order: 'o-1' },
    });
    assert.equal(incoming.completed, false);
    assert.equal(incoming.receivedAmount.value, '0');
    const gotIncoming = await client.incomingPayment.get({ url: incoming.id, accessToken: it.accessToken });
    assert.equal(gotIncoming.id, incoming.id);
    assert.deepEqual(gotIncoming.metadata, { order: 'o-1' });
    const pub = await client.incomingPayment.getPublic({ url: incoming.id });
    assert.equal(pub.authServer, bob.authServer);
    const inList = await client.incomingPayment.list({ ...it, walletAddress: bob.id }, { first: 10 });
    assert.ok(inList.result.some((p) => p.id === incoming.id));

    // The three quote kinds.
    const quoteGrant = await client.grant.request({ url: alice.authServer }, {
      access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] },
    });
    const qt = { url: alice.resourceServer, accessToken: quoteGrant.access_token.value };
    const fixedSend = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp',
      debitAmount: { value: '500', assetCode: 'USD', assetScale: 2 } });
    assert.equal(fixedSend.debitAmount.value, '500');
    assert.equal(fixedSend.receiveAmount.assetCode, 'EUR');
    const fixedReceive = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp',
      receiveAmount: { value: '200', assetCode: 'EUR', assetScale: 2 } });
    assert.equal(fixedReceive.receiveAmount.value, '200');
    assert.equal(fixedReceive.debitAmount.assetCode, 'USD');
    const quote = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp' });
    assert.equal(quote.receiveAmount.value, '1000', 'the incomingAmount quote receives the whole amount');
    assert.equal((await client.quote.get({ url: quote.id, accessToken: qt.accessToken })).id, quote.id);

    // The interactive outgoing-payment grant, approved on the consent page.
    const nonce = 'official-client-nonce-1';
    const pending = await client.grant.request({ url: alice.authServer }, {
      access_token: { access: [{ type: 'outgoing-payment', actions: ['create', 'read', 'list'], identifier: alice.id,
        limits: { debitAmount: quote.debitAmount } }] },
      interact: { start: ['redirect'], finish: { method: 'redirect', uri: FINISH_URI, nonce } },
    });
    assert.ok(official.isPendingGrant(pending));
    const location = await decideInBrowser(pending.interact.redirect, 'approve');
    const interactRef = location.searchParams.get('interact_ref');
    const hash = location.searchParams.get('hash');
    assert.ok(interactRef && hash, `interact_ref and hash in ${location}`);
    assert.equal(hash, finishHash(nonce, pending.interact.finish, interactRef, alice.authServer));
    op.verifyInteractFinish({ clientNonce: nonce, finishNonce: pending.interact.finish, interactRef,
      grantEndpoint: alice.authServer, hash });
    const grant = await client.grant.continue(
      { url: pending.continue.uri, accessToken: pending.continue.access_token.value }, { interact_ref: interactRef });
    assert.ok(official.isFinalizedGrant(grant) && grant.access_token);
    const ot = { url: alice.resourceServer, accessToken: grant.access_token.value };

    // Outgoing payment: create, get, list, spent amounts.
    const before = (await (await fetch(`${info.baseUrl}/dev/balances`)).json()).balances;
    const payment = await client.outgoingPayment.create(ot, { walletAddress: alice.id, quoteId: quote.id });
    assert.equal(payment.quoteId, quote.id);
    assert.equal(payment.failed, false);
    assert.deepEqual(payment.debitAmount, quote.debitAmount);
    const gotPayment = await client.outgoingPayment.get({ url: payment.id, accessToken: ot.accessToken });
    assert.equal(gotPayment.id, payment.id);
    const outList = await client.outgoingPayment.list({ ...ot, walletAddress: alice.id }, { first: 100 });
    assert.equal(outList.result.filter((p) => p.quoteId === quote.id).length, 1);
    const spent = await client.outgoingPayment.getGrantSpentAmounts(ot);
    assert.deepEqual(spent.spentDebitAmount, quote.debitAmount);
    const after = (await (await fetch(`${info.baseUrl}/dev/balances`)).json()).balances;
    assert.equal(BigInt(before.alice.value) - BigInt(after.alice.value), BigInt(quote.debitAmount.value));
    assert.equal(BigInt(after.bob.value) - BigInt(before.bob.value), 1000n);

    // Complete the (now paid) incoming payment.
    const completed = await client.incomingPayment.complete({ url: incoming.id, accessToken: it.accessToken });
    assert.equal(completed.completed, true);
    assert.equal(completed.receivedAmount.value, '1000');

    // Token rotation and revocation.
    const rotated = await client.token.rotate({ url: bobToken.manage, accessToken: bobToken.value });
    assert.notEqual(rotated.access_token.value, bobToken.value);
    await assert.rejects(client.incomingPayment.get({ url: incoming.id, accessToken: bobToken.value }),
      (e) => [401, 403].includes(statusOf(e)), 'the rotated-away token is refused');
    assert.equal((await client.incomingPayment.get({ url: incoming.id, accessToken: rotated.access_token.value })).id, incoming.id);
    await client.token.revoke({ url: rotated.access_token.manage, accessToken: rotated.access_token.value });
    await assert.rejects(client.incomingPayment.get({ url: incoming.id, accessToken: rotated.access_token.value }),
      (e) => [401, 403].includes(statusOf(e)), 'a revoked token is refused');

    // Grant cancel: the grant's token stops working, and the grant cannot be cancelled twice.
    await client.grant.cancel({ url: pending.continue.uri, accessToken: grant.continue.access_token.value });
    await assert.rejects(client.outgoingPayment.get({ url: payment.id, accessToken: ot.accessToken }),
      (e) => [401, 403].includes(statusOf(e)), "a cancelled grant's token is refused");
    await assert.rejects(client.grant.cancel({ url: pending.continue.uri, accessToken: grant.continue.access_token.value }),
      (e) => statusOf(e) >= 400 && statusOf(e) < 500);
  });
  assert.deepEqual(contract.violations, []);
  assert.ok(contract.checked >= 25, `only ${contract.checked} exchanges were checked`);
});

test('consent denied by form POST: 302 with result=grant_rejected, and the grant cannot be continued', async () => {
  const contract = await withContract(async () => {
    const client = await officialClient('official-deny');
    const alice = await client.walletAddress.get({ url: info.wallets.alice });
    const pending = await client.grant.request({ url: alice.authServer }, {
      access_token: { access: [{ type: 'outgoing-payment', actions: ['create', 'read'], identifier: alice.id }] },
      interact: { start: ['redirect'], finish: { method: 'redirect', uri: FINISH_URI, nonce: 'official-deny-nonce' } },
    });
    assert.ok(official.isPendingGrant(pending));
    const location = await decideInBrowser(pending.interact.redirect, 'deny');
    assert.equal(location.searchParams.get('result'), 'grant_rejected');
    assert.equal(location.searchParams.get('interact_ref'), null);
    assert.equal(location.searchParams.get('hash'), null);
    const cont = { url: pending.continue.uri, accessToken: pending.continue.access_token.value };
    await assert.rejects(client.grant.continue(cont, { interact_ref: 'anything' }),
      (e) => statusOf(e) >= 400 && statusOf(e) < 500, 'continuing a rejected grant fails');
    // The decided interaction is not offered again, and cannot be approved by posting the form anyway.
    const again = await fetch(pending.interact.redirect, { headers: { accept: 'text/html' } });
    assert.equal(again.status, 409);
    assert.deepEqual(parseForms(await again.text(), again.url), []);
    const late = await fetch(pending.interact.redirect, { method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=approve' });
    assert.equal(late.status, 409, 'a denied interaction cannot be approved afterwards');
  });
  assert.deepEqual(contract.violations, []);
  assert.ok(contract.checked >= 3, `only ${contract.checked} exchanges were checked`);
});
