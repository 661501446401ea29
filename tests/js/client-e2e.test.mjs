// The npm package's client against the sandbox ASE (a native binary started here with --port 0):
// the whole payment scenario, reconciliation after a dropped connection, and the same scenario
// with the official @interledger/open-payments client to show the API is a drop-in replacement.
// Every request and response between the clients and the sandbox is checked against the official
// OpenAPI files (tests/js/contract.mjs wraps `globalThis.fetch`, which both clients call per
// request); the last test asserts that nothing violated them.
// Needs `.ci/build-pkg nodejs` and the sandbox binary
// (`cargo build --features sandbox --bin open-payments-sandbox`, or set OP_SANDBOX_BIN).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as official from '@interledger/open-payments';
import { contractChecker } from './contract.mjs';
import { startSandbox } from './support/sandbox.mjs';

const require = createRequire(import.meta.url);
const op = require('open-payments-wasm');

let sandbox, info, contract;
const plainFetch = globalThis.fetch;
before(async () => {
  sandbox = await startSandbox(null);
  ({ info } = sandbox);
  contract = await contractChecker(info);
  globalThis.fetch = contract.wrap(plainFetch);
});
after(() => {
  globalThis.fetch = plainFetch;
  sandbox?.stop();
});

const dev = (path, body) => sandbox.dev(path, body);

/** A client key registered for the sandbox wallet `shop`. */
async function registerKey(kid) {
  const key = op.generateKeyPair(kid);
  await dev('/dev/wallets/shop/keys', key.publicJwk());
  return key;
}

/** The scenario, written against the official client's API only. */
async function scenario(client) {
  const alice = await client.walletAddress.get({ url: info.wallets.alice });
  const bob = await client.walletAddress.get({ url: info.wallets.bob });
  assert.equal(bob.assetCode, 'EUR');

  const bobGrant = await client.grant.request({ url: bob.authServer }, {
    access_token: { access: [{ type: 'incoming-payment', actions: ['create', 'read', 'list', 'complete'], identifier: bob.id }] },
  });
  assert.ok(op.isFinalizedGrant(bobGrant) && !op.isPendingGrant(bobGrant));
  const bobToken = bobGrant.access_token;
  const incoming = await client.incomingPayment.create({ url: bob.resourceServer, accessToken: bobToken.value }, {
    walletAddress: bob.id, incomingAmount: { value: '1000', assetCode: 'EUR', assetScale: 2 },
  });

  const quoteGrant = await client.grant.request({ url: alice.authServer }, {
    access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] },
  });
  const qt = { url: alice.resourceServer, accessToken: quoteGrant.access_token.value };
  const fixedSend = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp',
    debitAmount: { value: '500', assetCode: 'USD', assetScale: 2 } });
  assert.equal(fixedSend.debitAmount.value, '500');
  const fixedReceive = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp',
    receiveAmount: { value: '200', assetCode: 'EUR', assetScale: 2 } });
  assert.equal(fixedReceive.receiveAmount.value, '200');
  const quote = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp' });
  assert.equal(quote.receiveAmount.value, '1000');

  const interact = op.createInteractRequest('http://127.0.0.1/return');
  const pending = await client.grant.request({ url: alice.authServer }, {
    access_token: { access: [{ type: 'outgoing-payment', actions: ['create', 'read', 'list'], identifier: alice.id,
      limits: { debitAmount: quote.debitAmount } }] },
    interact,
  });
  assert.ok(op.isPendingGrant(pending));
  const id = pending.interact.redirect.split('/').pop();
  const approved = await dev(`/dev/interactions/${id}/approve`);
  op.verifyInteractFinish({ clientNonce: interact.finish.nonce, finishNonce: pending.interact.finish,
    interactRef: approved.interactRef, grantEndpoint: alice.authServer, hash: approved.hash });
  const grant = await client.grant.continue(
    { url: pending.continue.uri, accessToken: pending.continue.access_token.value },
    { interact_ref: approved.interactRef });
  assert.ok(op.isFinalizedGrantWithAccessToken(grant));
  const ot = { url: alice.resourceServer, accessToken: grant.access_token.value };
  const payment = await client.outgoingPayment.create(ot, { walletAddress: alice.id, quoteId: quote.id });
  assert.equal(payment.quoteId, quote.id);
  const spent = await client.outgoingPayment.getGrantSpentAmounts(ot);
  assert.deepEqual(spent.spentDebitAmount, quote.debitAmount);

  const completed = await client.incomingPayment.complete({ url: incoming.id, accessToken: bobToken.value });
  assert.equal(completed.completed, true);
  assert.equal(completed.receivedAmount.value, '1000');
  const inList = await client.incomingPayment.list({ url: bob.resourceServer, accessToken: bobToken.value, walletAddress: bob.id });
  assert.ok(inList.result.some((p) => p.id === incoming.id));
  // The sandbox is shared by the tests of this file: count only this quote's payments.
  const outList = await client.outgoingPayment.list({ ...ot, walletAddress: alice.id }, { first: 100 });
  assert.equal(outList.result.filter((p) => p.quoteId === quote.id).length, 1);

  const rotated = await client.token.rotate({ url: bobToken.manage, accessToken: bobToken.value });
  assert.notEqual(rotated.access_token.value, bobToken.value);
  await client.token.revoke({ url: rotated.access_token.manage, accessToken: rotated.access_token.value });
  await assert.rejects(client.incomingPayment.get({ url: incoming.id, accessToken: rotated.access_token.value }),
    (e) => e.status === 401 || e.status === 403);
  return { alice, ot, incoming, bobToken };
}

test('the package client runs the whole scenario', async () => {
  const key = await registerKey('js-e2e');
  const client = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: key, keyId: 'js-e2e' });
  const { alice, ot } = await scenario(client);
  const first = await client.outgoingPayment.list({ ...ot, walletAddress: alice.id }, { first: 100 });
  const all = [];
  for await (const p of client.outgoingPayment.listAll({ ...ot, walletAddress: alice.id }, { first: 1 })) all.push(p);
  assert.deepEqual(all.map((p) => p.id), first.result.map((p) => p.id));
  // incomingPayment.listAll, page by page (one item per page), equals one big page.
  const bob = await client.walletAddress.get({ url: info.wallets.bob });
  const listGrant = await client.grant.request({ url: bob.authServer }, {
    access_token: { access: [{ type: 'incoming-payment', actions: ['list'], identifier: bob.id }] } });
  const it = { url: bob.resourceServer, accessToken: listGrant.access_token.value, walletAddress: bob.id };
  const page = await client.incomingPayment.list(it, { first: 100 });
  assert.ok(page.result.length >= 1);
  const incoming = [];
  for await (const p of client.incomingPayment.listAll(it, { first: 1 })) incoming.push(p.id);
  assert.deepEqual(incoming, page.result.map((p) => p.id));
});

test('authenticatedRequestInterceptor signs instead of a key: the whole scenario runs', async () => {
  const key = await registerKey('js-intercept');
  const seen = [];
  const client = await op.createAuthenticatedClient({
    walletAddressUrl: info.wallets.shop,
    // The official client's option: sign the Request (here with this package's signWebRequest;
    // a KMS or an HSM would sit here) and hand it back.
    authenticatedRequestInterceptor: async (request) => {
      assert.ok(request instanceof Request);
      assert.equal(request.headers.get('signature'), null, 'the client leaves signing to the interceptor');
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      for (const [name, value] of Object.entries(await op.signWebRequest(request, key))) request.headers.set(name, value);
      return request;
    },
  });
  await scenario(client);
  assert.ok(seen.some((r) => r.startsWith('POST ') && r.endsWith('/outgoing-payments')), seen.join('\n'));
  assert.ok(!seen.some((r) => r.endsWith('/jwks.json')), 'public GETs are not intercepted');
  // Mutating the Request and returning nothing works too.
  const inPlace = await op.createAuthenticatedClient({
    walletAddressUrl: info.wallets.shop,
    authenticatedRequestInterceptor: async (request) => {
      for (const [name, value] of Object.entries(await op.signWebRequest(request, key))) request.headers.set(name, value);
    },
  });
  const alice = await inPlace.walletAddress.get({ url: info.wallets.alice });
  const grant = await inPlace.grant.request({ url: alice.authServer }, { access_token: { access: [{ type: 'quote', actions: ['read'] }] } });
  assert.ok(op.isFinalizedGrantWithAccessToken(grant));
});

test('authenticatedRequestInterceptor: failures are typed, and it excludes privateKey/keyId', async () => {
  const key = await registerKey('js-intercept-2');
  await assert.rejects(op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: key, keyId: 'js-intercept-2',
    authenticatedRequestInterceptor: (r) => r }), (e) => e instanceof op.OpenPaymentsClientError && e.code === 'conflicting_fields');
  await assert.rejects(op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, authenticatedRequestInterceptor: 'sign' }),
    (e) => e.code === 'invalid_type' && e.field === 'authenticatedRequestInterceptor');
  const failing = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop,
    authenticatedRequestInterceptor: () => { throw new Error('HSM offline'); } });
  const alice = await failing.walletAddress.get({ url: info.wallets.alice });
  await assert.rejects(failing.grant.request({ url: alice.authServer }, { access_token: { access: [{ type: 'quote', actions: ['read'] }] } }),
    (e) => e instanceof op.OpenPaymentsClientError && e.code === 'request_not_sent' && /HSM offline/.test(e.message)
      && e.method === 'POST' && e.url === alice.authServer);
  // Without an interceptor or a key, the client refuses to start.
  await assert.rejects(op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop }), (e) => e.field === 'keyId');
});

test('errors are OpenPaymentsClientError with status, method, url and what the server said', async () => {
  const key = await registerKey('js-e2e-errors');
  const client = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop,
    privateKey: key.exportPrivateKeyPem(), keyId: 'js-e2e-errors' });
  const url = `${info.wallets.alice.replace(/\/alice$/, '')}/op/incoming-payments/nope`;
  const err = await client.incomingPayment.get({ url, accessToken: 'bogus' }).catch((e) => e);
  assert.ok(err instanceof op.OpenPaymentsClientError && err instanceof op.OpenPaymentsError && err instanceof Error);
  assert.equal(err.name, 'OpenPaymentsClientError');
  assert.equal(err.method, 'GET');
  assert.equal(err.url, url);
  assert.ok([401, 403, 404].includes(err.status), String(err.status));
  const ctl = new AbortController();
  ctl.abort();
  const aborted = await client.walletAddress.get({ url: info.wallets.alice, signal: ctl.signal }).catch((e) => e);
  assert.equal(aborted.code, 'aborted');
  const refused = await client.walletAddress.get({ url: 'http://127.0.0.1:9/nobody' }).catch((e) => e);
  assert.equal(refused.code, 'network_error');
  for (const e of [err, aborted, refused]) assert.ok(typeof e.description === 'string' && e.description, 'always described');
  // Only the package makes them: `new` says so instead of returning an object that is no Error.
  for (const C of [op.OpenPaymentsClientError, op.OpenPaymentsError]) {
    assert.throws(() => new C('made up', { description: 'x' }), (e) => e instanceof TypeError && /cannot be constructed/.test(e.message));
  }
});

test('error handling written for the official client works unchanged: same code, status and description', async () => {
  const oursKey = await registerKey('js-e2e-errors-ours');
  const theirsKey = await registerKey('js-e2e-errors-official');
  const ours = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: oursKey,
    keyId: 'js-e2e-errors-ours' });
  const theirs = await official.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop,
    privateKey: theirsKey.exportPrivateKeyPem(), keyId: 'js-e2e-errors-official',
    useHttp: true, logLevel: 'silent' });
  // The same failing calls, written against the official client's API only.
  const failures = async (client, nonce) => {
    const alice = await client.walletAddress.get({ url: info.wallets.alice });
    const pending = await client.grant.request({ url: alice.authServer }, {
      access_token: { access: [{ type: 'outgoing-payment', actions: ['create'], identifier: alice.id }] },
      interact: { start: ['redirect'], finish: { method: 'redirect', uri: 'http://127.0.0.1/return', nonce } } });
    const cont = { url: pending.continue.uri, accessToken: pending.continue.access_token.value };
    return [
      await client.grant.continue(cont, { interact_ref: 'nope' }).catch((e) => e),
      await client.grant.continue({ ...cont, accessToken: 'WRONG' }, { interact_ref: 'nope' }).catch((e) => e),
      await client.incomingPayment.get({ url: `${alice.resourceServer}/incoming-payments/nope`, accessToken: 'bogus' })
        .catch((e) => e),
    ];
  };
  const mine = await failures(ours, 'nonce-ours-0001');
  const official7 = await failures(theirs, 'nonce-theirs-001');
  for (const [i, e] of mine.entries()) {
    const t = official7[i];
    assert.ok(e instanceof op.OpenPaymentsClientError, String(e));
    assert.ok(t instanceof official.OpenPaymentsClientError, String(t));
    assert.equal(e.status, t.status, `call ${i}`);
    assert.equal(e.description, t.description, `call ${i}`);
    assert.equal(e.serverCode, t.code, `call ${i}`);
  }
  // GNAP codes of the spec are `err.code` in both clients ...
  assert.deepEqual(mine.slice(0, 2).map((e) => e.code), ['invalid_request', 'invalid_continuation']);
  assert.deepEqual(official7.slice(0, 2).map((e) => e.code), ['invalid_request', 'invalid_continuation']);
  // ... and so is any other code a server sends (the sandbox's `invalid_token`), verbatim as the
  // official client; what the status means is in `reason`.
  assert.equal(mine[2].code, official7[2].code);
  assert.equal(mine[2].code, 'invalid_token');
  assert.equal(mine[2].reason, { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[mine[2].status]);
});

test('listAll ends with invalid_response when a server repeats a cursor, instead of looping for ever', async () => {
  const wrapped = globalThis.fetch;
  let requests = 0;
  const page = (hasNextPage) => JSON.stringify({
    pagination: { startCursor: 'c1', endCursor: 'c1', hasNextPage, hasPreviousPage: false }, result: [] });
  globalThis.fetch = async () => {
    requests += 1;
    // Always "there is more, from c1" (a client without the check stops after 5: the test fails, not hangs).
    return new Response(page(requests < 5), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  try {
    const client = await op.createAuthenticatedClient({ walletAddressUrl: 'http://127.0.0.1:9/shop',
      privateKey: op.generateKeyPair('k-loop'), keyId: 'k-loop' });
    const args = { url: 'http://127.0.0.1:9/op', accessToken: 't', walletAddress: 'http://127.0.0.1:9/alice' };
    for (const listAll of [client.incomingPayment.listAll, client.outgoingPayment.listAll]) {
      requests = 0;
      await assert.rejects(async () => { for await (const p of listAll(args)) assert.fail(String(p)); },
        (e) => e instanceof op.OpenPaymentsClientError && e.code === 'invalid_response'
          && e.field === 'pagination.endCursor' && e.url === args.url);
      assert.equal(requests, 2, 'the first page, and the one whose cursor repeats');
    }
    // A cursor passed in is already "seen": a server answering with it again is caught on page one.
    requests = 0;
    await assert.rejects(async () => { for await (const p of client.incomingPayment.listAll(args, { cursor: 'c1' })) assert.fail(String(p)); },
      (e) => e.code === 'invalid_response');
    assert.equal(requests, 1);
  } finally {
    globalThis.fetch = wrapped;
  }
});

test('privateKey as code written for the official client gives it: a key file path, a Buffer, DER, a KeyObject', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { join, relative } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  const kid = 'js-key-forms';
  await dev('/dev/wallets/shop/keys', op.loadPrivateKey(pem, kid).publicJwk());
  const dir = mkdtempSync(join(tmpdir(), 'op-key-'));
  const file = join(dir, 'private.key');
  writeFileSync(file, pem);
  const grantWith = async (client) => {
    const alice = await client.walletAddress.get({ url: info.wallets.alice });
    return client.grant.request({ url: alice.authServer }, { access_token: { access: [{ type: 'quote', actions: ['read'] }] } });
  };
  try {
    const forms = { path: file, relativePath: relative(process.cwd(), file), buffer: Buffer.from(pem),
      der: privateKey.export({ format: 'der', type: 'pkcs8' }), keyObject: privateKey };
    for (const [form, key] of Object.entries(forms)) {
      const client = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: key, keyId: kid });
      assert.ok(op.isFinalizedGrantWithAccessToken(await grantWith(client)), form);
    }
    // The same path with the official client: the same line of code runs on both.
    const theirs = await official.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: file, keyId: kid,
      useHttp: true, logLevel: 'silent' });
    assert.ok(official.isFinalizedGrantWithAccessToken(await grantWith(theirs)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Neither a key nor a readable file: a typed error that does not repeat what was given.
  for (const privateKey of ['SECRET-not-a-key', Buffer.from('SECRET-not-a-key'), generateKeyPairSync('x25519').privateKey,
    generateKeyPairSync('ed25519').publicKey]) {
    await assert.rejects(op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey, keyId: kid }),
      (e) => e instanceof op.OpenPaymentsError && e.field === 'privateKey' && !e.message.includes('SECRET'));
  }
});

test('requests time out after 5000 ms by default, as with the official client', async () => {
  const wrapped = globalThis.fetch;
  // A server that never answers (the request is only ever ended by its signal).
  globalThis.fetch = (url, init) => new Promise((_, reject) => {
    init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
  try {
    const client = await op.createUnauthenticatedClient({ maxRetries: 0 });
    const started = performance.now();
    const err = await client.walletAddress.get({ url: 'http://127.0.0.1:9/silent' }).catch((e) => e);
    const waited = performance.now() - started;
    assert.equal(err.code, 'timeout', String(err));
    assert.match(err.message, /5000 ms/);
    assert.ok(waited >= 4900 && waited < 8000, `${waited} ms`);
  } finally {
    globalThis.fetch = wrapped;
  }
});

test('logger events carry no token', async () => {
  const key = await registerKey('js-e2e-log');
  const events = [];
  const client = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: key.exportPrivateJwk(),
    keyId: 'js-e2e-log', logger: (e) => events.push(JSON.stringify(e)) });
  const bob = await client.walletAddress.get({ url: info.wallets.bob });
  const g = await client.grant.request({ url: bob.authServer }, {
    access_token: { access: [{ type: 'incoming-payment', actions: ['list'], identifier: bob.id }] } });
  await client.incomingPayment.list({ url: bob.resourceServer, accessToken: g.access_token.value, walletAddress: bob.id });
  const text = events.join('\n');
  assert.ok(text.includes('GNAP [redacted]'));
  assert.ok(!text.includes(g.access_token.value));
});

test('outgoingPayment.create after a dropped connection returns the committed payment, once', async () => {
  const key = await registerKey('js-e2e-fault');
  const client = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: key, keyId: 'js-e2e-fault' });
  const alice = await client.walletAddress.get({ url: info.wallets.alice });
  const shop = await client.walletAddress.get({ url: info.wallets.shop });
  const sg = await client.grant.request({ url: shop.authServer }, {
    access_token: { access: [{ type: 'incoming-payment', actions: ['create'], identifier: shop.id }] } });
  const incoming = await client.incomingPayment.create({ url: shop.resourceServer, accessToken: sg.access_token.value },
    { walletAddress: shop.id, incomingAmount: { value: '300', assetCode: 'USD', assetScale: 2 } });
  const qg = await client.grant.request({ url: alice.authServer }, { access_token: { access: [{ type: 'quote', actions: ['create'] }] } });
  const quote = await client.quote.create({ url: alice.resourceServer, accessToken: qg.access_token.value },
    { walletAddress: alice.id, receiver: incoming.id, method: 'ilp' });
  const interact = op.createInteractRequest('http://127.0.0.1/return');
  const pending = await client.grant.request({ url: alice.authServer }, {
    access_token: { access: [{ type: 'outgoing-payment', actions: ['create', 'list'], identifier: alice.id }] }, interact });
  const approved = await dev(`/dev/interactions/${pending.interact.redirect.split('/').pop()}/approve`);
  const grant = await client.grant.continueAfterInteraction(
    { url: pending.continue.uri, accessToken: pending.continue.access_token.value },
    { clientNonce: interact.finish.nonce, finishNonce: pending.interact.finish, interactRef: approved.interactRef,
      grantEndpoint: alice.authServer, hash: approved.hash });
  const ot = { url: alice.resourceServer, accessToken: grant.access_token.value };
  await dev('/dev/faults', { dropConnectionAfterCommit: 'outgoing-payment', times: 1 });
  const payment = await client.outgoingPayment.create(ot, { walletAddress: alice.id, quoteId: quote.id });
  assert.equal(payment.quoteId, quote.id);
  const list = await client.outgoingPayment.list({ ...ot, walletAddress: alice.id }, { first: 100 });
  assert.equal(list.result.filter((p) => p.quoteId === quote.id).length, 1);
  // Found by listing, it is answered as listed: every member the server sent.
  assert.deepEqual(payment, list.result.find((p) => p.quoteId === quote.id));
});

test('the same scenario runs with the official @interledger/open-payments client', async () => {
  const key = await registerKey('js-e2e-official');
  const client = await official.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop,
    privateKey: key.exportPrivateKeyPem(), keyId: 'js-e2e-official', useHttp: true, logLevel: 'silent' });
  await scenario(client);
});

test('walletAddress.get is cached per URL by default; walletAddressCache: false or ttlSeconds: 0 turns it off', async () => {
  const plainFetch = globalThis.fetch;
  const sent = [];
  globalThis.fetch = (input, init) => { sent.push(typeof input === 'string' ? input : input.url); return plainFetch(input, init); };
  try {
    const cached = await op.createUnauthenticatedClient({});
    const a = await cached.walletAddress.get({ url: info.wallets.alice });
    const b = await cached.walletAddress.get({ url: info.wallets.alice });
    assert.deepEqual(a, b);
    await cached.walletAddress.get({ url: info.wallets.bob });
    assert.equal(sent.length, 2, 'alice once, bob once');
    for (const walletAddressCache of [false, { ttlSeconds: 0 }]) {
      sent.length = 0;
      const uncached = await op.createUnauthenticatedClient({ walletAddressCache });
      await uncached.walletAddress.get({ url: info.wallets.alice });
      await uncached.walletAddress.get({ url: info.wallets.alice });
      assert.equal(sent.length, 2, JSON.stringify(walletAddressCache));
    }
    sent.length = 0;
    await assert.rejects(cached.walletAddress.get({ url: `${info.wallets.alice}-nobody` }));
    await assert.rejects(cached.walletAddress.get({ url: `${info.wallets.alice}-nobody` }));
    assert.ok(sent.length >= 2, 'errors are not cached');
  } finally {
    globalThis.fetch = plainFetch;
  }
});

test('every exchange of the tests above followed the official OpenAPI files', () => {
  assert.deepEqual(contract.violations, []);
  assert.ok(contract.checked >= 45, `only ${contract.checked} exchanges were checked`);
});
