// The sandbox laid out like production wallets (`--layout origins`): each ASE on a wallet origin
// that is also its resource server, and an authorization server origin of its own. Code written
// for real wallets (resource server = `new URL(walletAddress).origin`) must run unchanged:
// - the official client (`@interledger/open-payments` 7.4.0) runs its documented flow with the
//   resource server taken from the wallet address's origin, the consent given on the sandbox's
//   consent page by form POST (as a browser would), the finish hash checked independently;
// - the official client and this package run the repository's whole scenario
//   (tests/js/runtimes/scenario.mjs, which takes every URL from the wallet address documents),
//   and this package also its merchant flows; every request and response of both is checked
//   against the official OpenAPI files (tests/js/contract.mjs, one checker per origin).
// The last test runs this package's part again in the default (paths) layout, which every other
// JS test uses, and expects the same outcome.
// Needs the sandbox binary (`cargo build --features sandbox --bin open-payments-sandbox`, or
// OP_SANDBOX_BIN) and the package (`.ci/build-pkg nodejs`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as official from '@interledger/open-payments';
import * as op from 'open-payments-wasm';
import { startSandbox } from './support/sandbox.mjs';
import { contractChecker } from './contract.mjs';
import { scenario, registerShopKey, runWithPackage, balances } from './runtimes/scenario.mjs';

const FINISH_URI = 'http://127.0.0.1/return';

let sandbox, info;
before(async () => {
  sandbox = await startSandbox(null, ['--layout', 'origins']);
  ({ info } = sandbox);
});
after(() => sandbox?.stop());

const originOf = (url) => new URL(url).origin;
const aseOf = (name) => (['alice', 'shop', 'carol'].includes(name) ? 'bank-a' : 'bank-b');

async function officialClient(kid) {
  const key = await registerShopKey(op, info, kid);
  return official.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: key.exportPrivateKeyPem(),
    keyId: kid, useHttp: true, validateResponses: true, logLevel: 'silent' });
}

const RESOURCE_ROUTES = ['incoming-payments', 'outgoing-payments', 'quotes', 'outgoing-payment-grant'];

/** The contract check (tests/js/contract.mjs) for the origins layout. contract.mjs classifies
 *  the URLs of one origin, so each origin gets its own checker: an authorization server origin is
 *  an authorization server at `/`; on a wallet origin the resource server's routes are the
 *  resource server at `/`, every other path a wallet address. */
async function originsContract() {
  const none = {};
  const checkers = new Map();
  for (const [ase, as] of Object.entries(info.authServers)) {
    checkers.set(`${as} as`, await contractChecker({ baseUrl: as, authServers: { [ase]: as }, resourceServers: none }));
  }
  for (const [ase, rs] of Object.entries(info.resourceServers)) {
    checkers.set(`${rs} rs`, await contractChecker({ baseUrl: rs, authServers: none, resourceServers: { [ase]: rs } }));
    checkers.set(`${rs} wa`, await contractChecker({ baseUrl: rs, authServers: none, resourceServers: none }));
  }
  const pick = (url) => {
    if (checkers.has(`${url.origin} as`)) return `${url.origin} as`;
    const first = url.pathname.split('/')[1];
    return `${url.origin} ${RESOURCE_ROUTES.includes(first) ? 'rs' : 'wa'}`;
  };
  return {
    wrap(inner) {
      const wrapped = new Map([...checkers].map(([key, checker]) => [key, checker.wrap(inner)]));
      return (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        return (wrapped.get(pick(url)) ?? inner)(input, init);
      };
    },
    get violations() { return [...checkers.values()].flatMap((c) => c.violations); },
    get checked() { return [...checkers.values()].reduce((n, c) => n + c.checked, 0); },
  };
}

/** Runs `fn` with `globalThis.fetch` checked against the OpenAPI files; at least `min` exchanges
 *  must have been checked, none may break them. */
async function withContract(min, fn) {
  const contract = await originsContract();
  const plainFetch = globalThis.fetch;
  globalThis.fetch = contract.wrap(plainFetch);
  let result;
  try {
    result = await fn();
  } finally {
    globalThis.fetch = plainFetch;
  }
  assert.deepEqual(contract.violations, []);
  assert.ok(contract.checked >= min, `only ${contract.checked} exchanges were checked`);
  return result;
}

/** The GNAP interaction hash (RFC 9635 §4.2.3), computed here independently of any client. */
const finishHash = (clientNonce, finishNonce, interactRef, grantEndpoint) =>
  createHash('sha256').update(`${clientNonce}\n${finishNonce}\n${interactRef}\n${grantEndpoint}`).digest('base64');

/** What a browser does on the consent page: load it, submit the Approve form, stop at the
 *  redirect to the finish URI. Returns that Location. */
async function approveInBrowser(redirect) {
  const page = await fetch(redirect, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 200);
  const html = await page.text();
  const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)]
    .find(([, , inner]) => /name="decision" value="approve"/.test(inner));
  assert.ok(form, 'an Approve form on the consent page');
  const action = new URL(form[1].match(/action="([^"]*)"/)[1].replace(/&amp;/g, '&'), page.url);
  assert.equal(action.origin, originOf(redirect), 'the form posts to the authorization server origin');
  const res = await fetch(action, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=approve',
  });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, FINISH_URI);
  return location;
}

test('each ASE has a wallet origin (its resource server) and an authorization server origin; /dev stays on the base URL', async () => {
  assert.equal(info.layout, 'origins');
  const base = originOf(info.baseUrl);
  const dev = await (await fetch(`${info.baseUrl}/dev/info`)).json();
  assert.deepEqual(dev, info, '/dev/info reports what the binary printed');
  for (const [name, url] of Object.entries(info.wallets)) {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200, url);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const doc = await res.json();
    assert.equal(doc.id, url);
    assert.equal(doc.resourceServer, new URL(url).origin, `${name}: resourceServer is the wallet address's origin`);
    assert.equal(doc.resourceServer, info.resourceServers[aseOf(name)]);
    assert.equal(doc.authServer, info.authServers[aseOf(name)]);
    assert.equal(doc.authServer, originOf(doc.authServer), 'authServer is an origin, no path');
    assert.notEqual(originOf(doc.authServer), doc.resourceServer, `${name}: the authorization server is another origin`);
    assert.notEqual(doc.resourceServer, base);
    assert.notEqual(originOf(doc.authServer), base);
  }
  assert.notEqual(info.resourceServers['bank-a'], info.resourceServers['bank-b'], 'one wallet origin per ASE');
  assert.notEqual(info.authServers['bank-a'], info.authServers['bank-b'], 'one authorization server per ASE');
  assert.equal((await fetch(`${info.baseUrl}/bank-a/alice`)).status, 404, 'the base URL serves /dev only');
  // The same CORS answer on every listener.
  const preflights = [];
  for (const origin of [info.baseUrl, ...Object.values(info.resourceServers), ...Object.values(info.authServers)]) {
    const res = await fetch(`${origin}/x`, { method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    assert.equal(res.status, 204, origin);
    preflights.push(['allow-origin', 'allow-methods', 'allow-headers', 'expose-headers']
      .map((h) => res.headers.get(`access-control-${h}`)));
  }
  for (const p of preflights) assert.deepEqual(p, preflights[0]);
  assert.equal(preflights[0][0], '*');
});

test('the official client, written for production wallets (resource server = new URL(walletAddress).origin), pays with consent given on the page', async () => {
  const client = await officialClient('official-origins');
  const before = await balances(info);
  const alice = await client.walletAddress.get({ url: info.wallets.alice });
  const bob = await client.walletAddress.get({ url: info.wallets.bob });
  const aliceRs = new URL(info.wallets.alice).origin;
  const bobRs = new URL(info.wallets.bob).origin;

  const incomingGrant = await client.grant.request({ url: bob.authServer }, {
    access_token: { access: [{ type: 'incoming-payment', actions: ['create', 'read', 'complete'], identifier: bob.id }] },
  });
  assert.ok(official.isFinalizedGrant(incomingGrant));
  assert.ok(incomingGrant.access_token.manage.startsWith(`${bob.authServer}/token/`));
  const incoming = await client.incomingPayment.create({ url: bobRs, accessToken: incomingGrant.access_token.value }, {
    walletAddress: bob.id, incomingAmount: { value: '2500', assetCode: 'EUR', assetScale: 2 },
  });
  assert.ok(incoming.id.startsWith(`${bobRs}/incoming-payments/`), incoming.id);

  const quoteGrant = await client.grant.request({ url: alice.authServer }, {
    access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] },
  });
  const quote = await client.quote.create({ url: aliceRs, accessToken: quoteGrant.access_token.value },
    { walletAddress: alice.id, receiver: incoming.id, method: 'ilp' });
  assert.ok(quote.id.startsWith(`${aliceRs}/quotes/`), quote.id);
  assert.equal(quote.receiveAmount.value, '2500');

  const nonce = crypto.randomUUID();
  const pending = await client.grant.request({ url: alice.authServer }, {
    access_token: { access: [{ type: 'outgoing-payment', actions: ['create', 'read'], identifier: alice.id,
      limits: { debitAmount: quote.debitAmount } }] },
    interact: { start: ['redirect'], finish: { method: 'redirect', uri: FINISH_URI, nonce } },
  });
  assert.ok(official.isPendingGrant(pending));
  assert.ok(pending.interact.redirect.startsWith(`${alice.authServer}/interact/`), pending.interact.redirect);
  assert.ok(pending.continue.uri.startsWith(`${alice.authServer}/continue/`), pending.continue.uri);
  const location = await approveInBrowser(pending.interact.redirect);
  const interactRef = location.searchParams.get('interact_ref');
  assert.equal(location.searchParams.get('hash'), finishHash(nonce, pending.interact.finish, interactRef, alice.authServer),
    'the finish hash is over the wallet\'s authServer');
  const grant = await client.grant.continue(
    { url: pending.continue.uri, accessToken: pending.continue.access_token.value }, { interact_ref: interactRef });
  assert.ok(official.isFinalizedGrant(grant));

  const payment = await client.outgoingPayment.create({ url: aliceRs, accessToken: grant.access_token.value },
    { walletAddress: alice.id, quoteId: quote.id });
  assert.ok(payment.id.startsWith(`${aliceRs}/outgoing-payments/`), payment.id);
  assert.equal(payment.failed, false);
  const received = await client.incomingPayment.get({ url: incoming.id, accessToken: incomingGrant.access_token.value });
  assert.equal(received.receivedAmount.value, '2500');
  const after = await balances(info);
  const delta = (name) => BigInt(after[name].value) - BigInt(before[name].value);
  assert.equal(delta('bob'), 2500n);
  assert.equal(-delta('alice'), BigInt(quote.debitAmount.value));
});

let officialDelta;
test('the official client runs the repository\'s whole scenario (URLs from the wallet address documents), all traffic per the OpenAPI files', async () => {
  const client = await officialClient('official-scenario');
  const result = await withContract(20, () => scenario(op, client, info));
  assert.equal(result.received.value, '1000');
  officialDelta = result.delta;
});

let packageResult;
test('this package runs the whole scenario and the merchant flows, doing what the official client did, all traffic per the OpenAPI files', async () => {
  const result = await withContract(30, () => runWithPackage(op, info, 'node-origins'));
  assert.equal(result.received.value, '1000');
  assert.equal(result.delta.bob, '1000');
  assert.ok(BigInt(result.delta.alice) < 0n, 'alice paid');
  if (officialDelta) assert.deepEqual(result.delta, officialDelta);
  assert.ok(/^[1-9][0-9]*$/.test(result.merchant.alicePaid), `the merchant flows ran: ${JSON.stringify(result.merchant)}`);
  packageResult = result;
});

test('the same run in the default (paths) layout does exactly the same', async (t) => {
  if (!packageResult) return t.skip('the origins-layout run failed');
  const paths = await startSandbox(null);
  try {
    assert.equal(paths.info.layout, 'paths');
    const alice = await (await fetch(paths.info.wallets.alice, { headers: { accept: 'application/json' } })).json();
    assert.equal(alice.resourceServer, `${paths.info.baseUrl}/bank-a/op`, 'every ASE under the base URL');
    const result = await runWithPackage(op, paths.info, 'node-paths');
    const { runtime: _a, ...inOrigins } = packageResult;
    const { runtime: _b, ...inPaths } = result;
    assert.deepEqual(inPaths, inOrigins);
  } finally {
    paths.stop();
  }
});
