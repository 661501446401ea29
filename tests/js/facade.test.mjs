// The JS facade (src/js/facade/): what only the JS side of the package does, through the package
// as users import it: reading arguments, making errors in JS (real `Error` subclasses whose stack
// starts at the caller), `formatAmount` through Intl, the grant helpers, the official client's
// error fields computed from the response body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const op = createRequire(import.meta.url)('open-payments-wasm');
const THIS_FILE = 'facade.test.mjs';

function throwsCode(fn, code, field) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof op.OpenPaymentsError && e instanceof Error, String(e));
    assert.equal(e.name, 'OpenPaymentsError');
    assert.equal(e.constructor, op.OpenPaymentsError);
    assert.equal(e.code, code, e.message);
    assert.equal(e.field, field);
    assert.ok(e.stack.includes(THIS_FILE), 'the stack names the caller');
    return true;
  });
}

test('errors are real Errors made in JS: class, name, code, field, and a stack through the caller', () => {
  throwsCode(() => op.parseAmount('1.234', { assetCode: 'USD', assetScale: 2 }), 'too_many_decimals', 'value');
  throwsCode(() => op.parseAmount(12.5, { assetCode: 'USD', assetScale: 2 }), 'invalid_amount', 'value');
  throwsCode(() => op.parseAmount('1', { assetCode: 'USD', assetScale: 300 }), 'invalid_asset_scale', 'assetScale');
  throwsCode(() => op.loadPrivateKey(1, 'k'), 'invalid_type', 'pemOrJwk');
  assert.throws(() => new op.OpenPaymentsError(), TypeError);
  assert.throws(() => new op.OpenPaymentsClientError(), TypeError);
  assert.equal(Object.getPrototypeOf(op.OpenPaymentsClientError.prototype), op.OpenPaymentsError.prototype);
});

test('formatAmount goes through Intl with the exact decimal text, and checks its options', () => {
  const amount = { value: '123456789', assetCode: 'USD', assetScale: 2 };
  assert.equal(op.formatAmount(amount), '1234567.89');
  assert.equal(op.formatAmount(amount, { locale: 'en-US' }), '1,234,567.89');
  assert.equal(op.formatAmount(amount, { locale: 'en-US', style: 'currency' }), '$1,234,567.89');
  assert.equal(op.formatAmount({ value: '18446744073709551615', assetCode: 'EUR', assetScale: 2 }, { locale: 'de-DE' }),
    '184.467.440.737.095.516,15', 'no float on the way');
  throwsCode(() => op.formatAmount(amount, { locale: 'not a locale!!' }), 'invalid_format_options', 'locale');
  throwsCode(() => op.formatAmount(amount, { style: 'percent' }), 'invalid_value', 'style');
  throwsCode(() => op.formatAmount(amount, { locale: 3 }), 'invalid_type', 'locale');
});

test('keys: JSON.stringify shows the public JWK only; signing and verifying default to now', () => {
  const key = op.generateKeyPair('facade-key');
  const shown = JSON.parse(JSON.stringify(key));
  assert.equal(shown.kid, 'facade-key');
  assert.equal(shown.kty, 'OKP');
  assert.equal(shown.d, undefined, 'no secret');
  const request = { method: 'GET', url: 'https://rs.example/x', headers: { authorization: 'GNAP t' } };
  const headers = op.signRequest(request, key);
  const created = Number(/created=(\d+)/.exec(headers['Signature-Input'])[1]);
  assert.ok(Math.abs(created - Date.now() / 1000) < 5, 'signed now');
  const verified = op.verifyRequest({ ...request, headers: { ...request.headers, ...headers } }, [key]);
  assert.equal(verified.keyId, 'facade-key');
  // `fetch` sends `post` as `POST`: the signature covers the method as it goes out.
  const body = '{"a":1}';
  const post = op.signRequest({ method: 'post', url: 'https://rs.example/x', body }, key);
  const sent = { method: 'POST', url: 'https://rs.example/x', headers: post, body };
  assert.equal(op.verifyRequest(sent, { keys: [key.publicJwk()] }).keyId, 'facade-key');
  throwsCode(() => op.signRequest(request, { keyId: 'not a key' }), 'invalid_type', 'key');
  throwsCode(() => op.signRequest(request, key, { created: -1 }), 'invalid_value', 'created');
  key.free();
  throwsCode(() => op.signRequest(request, key), 'invalid_type', 'key');
});

test('grant helpers: the type guards and the interaction-finish check take the official shapes', () => {
  const pending = { interact: { redirect: 'https://as.example/i', finish: 'f' }, continue: { uri: 'u', access_token: { value: 't' } } };
  assert.equal(op.isPendingGrant(pending), true);
  assert.equal(op.isFinalizedGrant(pending), false);
  assert.equal(op.isFinalizedGrantWithAccessToken({ access_token: { value: 't' } }), true);
  assert.equal(op.isFinalizedGrantWithSubject({ subject: { sub_ids: [] } }), true);
  const interact = op.createInteractRequest('https://shop.example/finish');
  assert.equal(interact.finish.uri, 'https://shop.example/finish');
  assert.match(interact.finish.nonce, /^[\w-]{16,}$/);
  assert.throws(() => op.verifyInteractFinish({ clientNonce: interact.finish.nonce, finishNonce: 'f', interactRef: 'r',
    grantEndpoint: 'https://as.example/', hash: 'x3WQ3lWDL1zKYkTUjF9Rwy5oI5Xgd6nVHtb8u6ew3s0=' }),
  (e) => e instanceof op.OpenPaymentsClientError && e.code === 'interaction_hash_mismatch' && e.stack.includes(THIS_FILE));
  assert.throws(() => op.verifyInteractFinish({ clientNonce: 1 }),
    (e) => e instanceof op.OpenPaymentsError && e.code === 'invalid_type' && e.field === 'clientNonce');
});

test('client errors: description, code and details as the official client computes them, all own properties', async () => {
  const plain = globalThis.fetch;
  const answers = [];
  globalThis.fetch = async () => {
    const [status, body, type] = answers.shift();
    return new Response(body, { status, headers: type ? { 'content-type': type } : {} });
  };
  try {
    const client = await op.createUnauthenticatedClient({ walletAddressCache: false, maxRetries: 0 });
    const fail = async (status, body, type) => {
      answers.push([status, body, type]);
      return client.walletAddress.get({ url: 'https://wallet.example/alice' }).then(() => assert.fail('resolved'), (e) => e);
    };
    const notFound = await fail(404, '{"error":{"code":"404","description":"Not Found","details":{"id":"x"}}}', 'application/json');
    assert.ok(notFound instanceof op.OpenPaymentsClientError && notFound instanceof op.OpenPaymentsError && notFound instanceof Error);
    assert.equal(notFound.name, 'OpenPaymentsClientError');
    assert.deepEqual([notFound.code, notFound.reason, notFound.status, notFound.description], ['404', 'not_found', 404, 'Not Found']);
    assert.deepEqual(notFound.details, { id: 'x' });
    for (const key of ['code', 'status', 'description', 'details', 'validationErrors']) assert.ok(Object.hasOwn(notFound, key), key);
    assert.ok(notFound.stack.includes(THIS_FILE), notFound.stack);
    const teapot = await fail(418, 'teapot says no', 'text/plain');
    assert.deepEqual([teapot.code, teapot.reason, teapot.description], ['http_error', 'http_error', 'teapot says no']);
    assert.equal(teapot.details, undefined);
    const empty = await fail(400, '');
    assert.match(empty.description, /HTTP 400/);
    const noError = await fail(500, '{"message":"boom"}', 'application/json');
    assert.deepEqual([noError.code, noError.description], ['server_error', '{"message":"boom"}']);
    const invalid = await fail(200, '{"id":"https://wallet.example/alice"}', 'application/json');
    assert.equal(invalid.code, 'invalid_response');
    assert.equal(invalid.description, 'Could not validate OpenAPI response');
    assert.ok(Array.isArray(invalid.validationErrors) && invalid.validationErrors.length === 1);
    for (const key of ['status', 'details', 'validationErrors']) assert.ok(Object.hasOwn(invalid, key), key);
  } finally {
    globalThis.fetch = plain;
  }
});

test('a refused connection keeps the underlying error as cause', async () => {
  const client = await op.createUnauthenticatedClient({ walletAddressCache: false, maxRetries: 0 });
  const e = await client.walletAddress.get({ url: 'http://127.0.0.1:9/nobody' }).then(() => assert.fail('resolved'), (x) => x);
  assert.equal(e.code, 'network_error');
  assert.ok(e.cause instanceof Error, String(e.cause));
  assert.equal(e.description, e.cause.message);
  assert.equal(e.status, undefined);
  assert.ok(Object.hasOwn(e, 'status'));
});

test('every authenticated operation answers the body as received, and refuses one its schema refuses', async () => {
  const plain = globalThis.fetch;
  const amount = (value) => ({ value, assetCode: 'USD', assetScale: 2 });
  const rs = 'https://rs.example';
  const incoming = { walletAddress: 'https://wallet.example/shop', id: `${rs}/incoming-payments/1`, completed: true,
    receivedAmount: amount('5'), createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:01Z', extra: [1, { a: null }] };
  const quote = { id: `${rs}/quotes/1`, walletAddress: 'https://wallet.example/alice', receiver: `${rs}/incoming-payments/1`,
    receiveAmount: amount('5'), debitAmount: amount('6'), method: 'ilp', createdAt: '2026-01-01T00:00:00Z', sentAmount: amount('0') };
  const outgoing = { id: `${rs}/outgoing-payments/1`, walletAddress: 'https://wallet.example/alice', quoteId: quote.id,
    receiver: quote.receiver, receiveAmount: amount('5'), debitAmount: amount('6'), sentAmount: amount('0'),
    createdAt: '2026-01-01T00:00:00Z', grantSpentDebitAmount: amount('6'), state: 'SENDING' };
  const page = (item) => ({ result: [item], pagination: { hasPreviousPage: false, hasNextPage: false, startCursor: '1', endCursor: '1' } });
  const token = { value: 't', manage: 'https://auth.example/token/1', access: [{ type: 'quote', actions: ['create'] }], expires_in: 60 };
  const cont = { access_token: { value: 'c' }, uri: 'https://auth.example/continue/1', wait: 5 };
  const grant = { access_token: token, continue: cont, extra: 'x' };
  // [operation, the body the server answers, a member whose wrong value the schema refuses]
  const cases = [
    ['incomingPayment.complete', (c, a) => c.incomingPayment.complete(a), incoming, ['receivedAmount', 'x', 'receivedAmount']],
    ['incomingPayment.list', (c, a) => c.incomingPayment.list({ ...a, walletAddress: incoming.walletAddress }), page(incoming), ['pagination', null, 'pagination']],
    ['quote.get', (c, a) => c.quote.get(a), quote, ['method', 'card', 'method']],
    ['quote.create', (c, a) => c.quote.create(a, { walletAddress: quote.walletAddress, receiver: quote.receiver, method: 'ilp' }), quote, ['expiresAt', 'soon', 'expiresAt']],
    ['outgoingPayment.get', (c, a) => c.outgoingPayment.get(a), outgoing, ['failed', 'no', 'failed']],
    ['outgoingPayment.list', (c, a) => c.outgoingPayment.list({ ...a, walletAddress: outgoing.walletAddress }), page(outgoing), ['result', [{ id: 1 }], 'result[0].id']],
    ['outgoingPayment.create', (c, a) => c.outgoingPayment.create(a, { walletAddress: outgoing.walletAddress, quoteId: quote.id }), outgoing, ['sentAmount', amount('-1'), 'sentAmount.value']],
    ['outgoingPayment.getGrantSpentAmounts', (c, a) => c.outgoingPayment.getGrantSpentAmounts(a), { spentDebitAmount: null, spentReceiveAmount: amount('5') }, ['spentDebitAmount', 7, 'spentDebitAmount']],
    ['grant.request', (c) => c.grant.request({ url: 'https://auth.example' }, { access_token: { access: [{ type: 'quote', actions: ['create'] }] } }), grant, ['access_token', { ...token, access: [{ type: 'quote', actions: ['complete'] }] }, 'access_token.access[0]']],
    ['grant.continue', (c) => c.grant.continue({ url: cont.uri, accessToken: 'c' }), grant, ['continue', { uri: 'x' }, 'continue.access_token']],
    ['token.rotate', (c) => c.token.rotate({ url: token.manage, accessToken: 't' }), { access_token: token }, ['access_token', { ...token, expires_in: -1 }, 'access_token.expires_in']],
  ];
  let answer;
  globalThis.fetch = async () => new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } });
  try {
    const client = await op.createAuthenticatedClient({ walletAddressUrl: 'https://wallet.example/shop',
      privateKey: op.generateKeyPair('k1').exportPrivateKeyPem(), keyId: 'k1', maxRetries: 0 });
    const args = { url: `${rs}/x`, accessToken: 't' };
    for (const [name, call, body, [member, bad, field]] of cases) {
      answer = JSON.stringify(body);
      assert.equal(JSON.stringify(await call(client, args)), answer, name);
      answer = JSON.stringify({ ...body, [member]: bad });
      const e = await call(client, args).then(() => assert.fail(`${name} resolved`), (x) => x);
      assert.equal(e.code, 'invalid_response', `${name}: ${e.message}`);
      assert.ok(e.message.includes(field), `${name}: ${e.message} does not name ${field}`);
      assert.ok(e.stack.includes(THIS_FILE), e.stack);
    }
  } finally {
    globalThis.fetch = plain;
  }
});

test('results are the server\'s objects as received: every member, in order', async () => {
  const plain = globalThis.fetch;
  const jwks = '{"keys":[{"x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kty":"OKP","crv":"Ed25519","kid":"k","alg":"EdDSA","use":"sig","extra":1}]}';
  const wallet = '{"publicName":"Alice","id":"https://wallet.example/alice","assetScale":2,"assetCode":"USD","authServer":"https://auth.example","resourceServer":"https://rs.example","updatedAt":"x"}';
  globalThis.fetch = async (url) => new Response(String(url).endsWith('jwks.json') ? jwks : wallet,
    { status: 200, headers: { 'content-type': 'application/json' } });
  try {
    const client = await op.createUnauthenticatedClient();
    assert.equal(JSON.stringify(await client.walletAddress.getKeys({ url: 'https://wallet.example/alice/jwks.json' })), jwks);
    assert.equal(JSON.stringify(await client.walletAddress.get({ url: 'https://wallet.example/alice' })), wallet);
    assert.equal(JSON.stringify(await client.walletAddress.get({ url: 'https://wallet.example/alice' })), wallet, 'from the cache too');
  } finally {
    globalThis.fetch = plain;
  }
});
