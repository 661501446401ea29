// A client operation runs as steps the facade drives (src/js/pending.rs, src/js/facade/pending.ts):
// each request and each wait between retries is done in JS, then reported back to the wasm. These
// tests drive the steps that the sandbox never asks for: retries with their waits, many
// operations in flight at once on one client, and an operation started from inside another (a
// logger that calls the client), whose polls nest. A replaced global `fetch` plays the server.
// Needs `.ci/build-pkg nodejs`.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const op = require('open-payments-wasm');

const plainFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = plainFetch;
});

/** A wallet address document for `url`. */
const wallet = (url) => JSON.stringify({ id: url, publicName: url.split('/').pop(), assetCode: 'USD', assetScale: 2,
  authServer: 'https://auth.example', resourceServer: 'https://wallet.example/op' });
const json = (body, status = 200) => new Response(body, { status, headers: { 'content-type': 'application/json' } });

test('idempotent requests are retried after a 5xx, with the waits of the retry policy', async () => {
  const sent = [];
  globalThis.fetch = async (url) => {
    sent.push(performance.now());
    return sent.length < 3 ? json('{"error":{"code":"busy","description":"try later"}}', 503) : json(wallet(String(url)));
  };
  const events = [];
  const client = await op.createUnauthenticatedClient({ walletAddressCache: false, logger: (e) => events.push(e) });
  const alice = await client.walletAddress.get({ url: 'https://wallet.example/alice' });
  assert.equal(alice.publicName, 'alice');
  assert.equal(sent.length, 3);
  // The default policy waits 100 ms, then 200 ms (timers run by the facade).
  assert.ok(sent[1] - sent[0] >= 95, `first wait ${sent[1] - sent[0]} ms`);
  assert.ok(sent[2] - sent[1] >= 195, `second wait ${sent[2] - sent[1]} ms`);
  assert.deepEqual(events.filter((e) => e.kind === 'retry').map((e) => [e.attempt, e.status]), [[1, 503], [2, 503]]);

  // With retries off, the first 503 is the answer.
  sent.length = 0;
  const once = await op.createUnauthenticatedClient({ walletAddressCache: false, maxRetries: 0 });
  const err = await once.walletAddress.get({ url: 'https://wallet.example/alice' }).catch((e) => e);
  assert.equal(err.status, 503, String(err));
  assert.equal(err.code, 'busy');
  assert.equal(sent.length, 1);
});

test('a network failure of a GET is retried; the last failure keeps its cause', async () => {
  let calls = 0;
  const boom = new TypeError('fetch failed: connection reset');
  globalThis.fetch = async () => {
    calls++;
    throw boom;
  };
  const client = await op.createUnauthenticatedClient({ walletAddressCache: false, maxRetries: 1 });
  const err = await client.walletAddress.get({ url: 'https://wallet.example/alice' }).catch((e) => e);
  assert.equal(calls, 2);
  assert.equal(err.code, 'network_error', String(err));
  assert.equal(err.cause, boom);
});

test('operations in flight at once on one client each get their own response', async () => {
  // Responses come back in another order than the requests went out.
  globalThis.fetch = (url) => new Promise((resolve) => {
    setTimeout(() => resolve(json(wallet(String(url)))), Math.floor(Math.random() * 20));
  });
  const client = await op.createUnauthenticatedClient({ walletAddressCache: false });
  const names = Array.from({ length: 50 }, (_, i) => `w${i}`);
  const got = await Promise.all(names.map((n) => client.walletAddress.get({ url: `https://wallet.example/${n}` })));
  assert.deepEqual(got.map((w) => w.publicName), names);
});

test('an operation started from inside another (a logger calling the client) runs to its own answer', async () => {
  globalThis.fetch = async (url) => json(wallet(String(url)));
  const inner = [];
  let client;
  const logger = (e) => {
    // Called from inside the wasm, while the outer operation is being polled.
    if (e.kind === 'request' && e.url.endsWith('/outer')) inner.push(client.walletAddress.get({ url: 'https://wallet.example/inner' }));
  };
  client = await op.createUnauthenticatedClient({ walletAddressCache: false, logger });
  const outer = await client.walletAddress.get({ url: 'https://wallet.example/outer' });
  assert.equal(outer.publicName, 'outer');
  assert.equal(inner.length, 1);
  assert.equal((await inner[0]).publicName, 'inner');
});

test('of the response headers the facade hands over those the client reads: Cache-Control is honoured in any case of its name', async () => {
  let calls = 0;
  let cacheControl;
  globalThis.fetch = async (url) => {
    calls++;
    const headers = { 'content-type': 'application/json', 'x-other': 'not read' };
    if (cacheControl !== undefined) headers['CACHE-CONTROL'] = cacheControl;
    return new Response(wallet(String(url)), { status: 200, headers });
  };
  const gets = async (value) => {
    cacheControl = value;
    calls = 0;
    const client = await op.createUnauthenticatedClient({});
    await client.walletAddress.get({ url: 'https://wallet.example/alice' });
    await client.walletAddress.get({ url: 'https://wallet.example/alice' });
    return calls;
  };
  assert.equal(await gets(undefined), 1, 'cached by default');
  assert.equal(await gets('max-age=60'), 1);
  assert.equal(await gets('no-store'), 2, 'no-store reaches the cache');
  assert.equal(await gets('public, max-age=0'), 2, 'max-age=0 reaches the cache');
});

test('a request step keeps every character of its fields: a body beyond the BMP, a token with colons and digits', async () => {
  const sent = [];
  const created = { id: 'https://wallet.example/op/incoming-payments/1', walletAddress: 'https://wallet.example/alice',
    receivedAmount: { value: '0', assetCode: 'USD', assetScale: 2 }, completed: false,
    createdAt: '2022-03-12T23:20:50.520Z', updatedAt: '2022-03-12T23:20:50.520Z', methods: [] };
  globalThis.fetch = async (url, init) => {
    sent.push({ url: String(url), method: init.method, headers: new Headers(init.headers), body: init.body });
    return json(JSON.stringify(created), 201);
  };
  const client = await op.createAuthenticatedClient({ walletAddressUrl: 'https://wallet.example/shop',
    privateKey: op.generateKeyPair('k1').exportPrivateKeyPem(), keyId: 'k1', maxRetries: 0 });
  const metadata = { note: 'café 😀 12:34 "quoted" \\ back\nline', '3:x': '' };
  const token = '12:ab:3:";keyid=\u00e9';
  await client.incomingPayment.create({ url: 'https://wallet.example/op', accessToken: token },
    { walletAddress: 'https://wallet.example/alice', metadata });
  assert.equal(sent.length, 1);
  const [request] = sent;
  assert.equal(request.method, 'POST');
  assert.equal(request.url, 'https://wallet.example/op/incoming-payments');
  assert.deepEqual(JSON.parse(request.body).metadata, metadata);
  assert.equal(request.headers.get('authorization'), `GNAP ${token}`);
  assert.match(request.headers.get('signature-input') ?? '', /^sig1=\("@method" "@target-uri" /);
  assert.match(request.headers.get('content-digest') ?? '', /^sha-512=:/);
});
