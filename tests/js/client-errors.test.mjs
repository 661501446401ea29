// Errors as the official client's (issue 11, "What to build" 3): the same failing calls through
// this package's client (`open-payments-wasm`) and the official `@interledger/open-payments`
// client, with the same arguments, (1) against the sandbox ASE and (2) against a small local
// server that answers resource-server routes as the reference Open Payments server does (the
// HTTP status as `error.code`), plus a non-JSON body, a JSON body without `error`, a response
// cut off mid-body and a refused connection. For each case: `code` equals the official's whenever
// the official sets one (else ours is a non-empty string of our own), `status`, `description` and
// `details` are the official's, `description`, `status`, `code`, `validationErrors` and `details`
// are own properties of both, both are `OpenPaymentsClientError`s and `Error`s, our `stack`
// names this file, and a refused connection keeps its `cause`. An uncaught error's first lines
// name this file too (this file run as a child script, see CHILD below).
// Needs `.ci/build-pkg` and the sandbox binary (`cargo build --features sandbox --bin
// open-payments-sandbox`, or set OP_SANDBOX_BIN).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';

const FILE = basename(fileURLToPath(import.meta.url));
const CHILD = 'OP_CLIENT_ERRORS_UNCAUGHT';
/** `client`: run every case with the client build (`open-payments-wasm/client`'s own wasm, which
 * Node would not pick: its `node` condition is the full build). client-errors-client.test.mjs sets it. */
const BUILD = process.env.OP_CLIENT_ERRORS_BUILD ?? 'full';
const op = BUILD === 'client' ? await clientBuild() : await import('open-payments-wasm');

/** pkg/npm/client.js, whose `init` fetches its .wasm by file: URL, which Node's fetch cannot read. */
async function clientBuild() {
  const { readFile } = await import('node:fs/promises');
  const plainFetch = globalThis.fetch;
  globalThis.fetch = async (input) => new Response(await readFile(new URL(String(input))),
    { headers: { 'content-type': 'application/wasm' } });
  try {
    return await import(new URL('../../pkg/npm/client.js', import.meta.url).href);
  } finally {
    globalThis.fetch = plainFetch;
  }
}

if (process.env[CHILD]) {
  // The child: a failing call awaited without a catch, as in a user's script.
  const client = await op.createUnauthenticatedClient({ walletAddressCache: false, maxRetries: 0 });
  await client.walletAddress.get({ url: process.env[CHILD] });
} else {
  await defineTests();
}

async function defineTests() {
  const official = await import('@interledger/open-payments');
  const { startSandbox } = await import('./support/sandbox.mjs');

  /** The members every error of both clients has as own properties (`undefined` or not). */
  const OWN = ['description', 'status', 'code', 'validationErrors', 'details'];

  let sandbox, info, local, localBase, closedPort;
  /** [ours, official] clients with the same arguments. */
  let clients, strangers;
  const started = Date.now();

  before(async () => {
    assert.equal(typeof op.createMerchant, BUILD === 'client' ? 'undefined' : 'function', `the ${BUILD} build`);
    sandbox = await startSandbox(null);
    ({ info } = sandbox);
    const key = op.generateKeyPair('js-client-errors');
    await sandbox.dev('/dev/wallets/shop/keys', key.publicJwk());
    const args = { walletAddressUrl: info.wallets.shop, privateKey: key.exportPrivateKeyPem(), keyId: 'js-client-errors',
      useHttp: true, logLevel: 'silent' };
    clients = [await op.createAuthenticatedClient(args), await official.createAuthenticatedClient(args)];
    // A key the sandbox has never seen.
    const stranger = { ...args, privateKey: op.generateKeyPair('js-unknown-key').exportPrivateKeyPem(), keyId: 'js-unknown-key' };
    strangers = [await op.createAuthenticatedClient(stranger), await official.createAuthenticatedClient(stranger)];

    local = createServer(localRoute);
    await new Promise((resolve) => local.listen(0, '127.0.0.1', resolve));
    localBase = `http://127.0.0.1:${local.address().port}`;
    // A port nobody listens on: one just closed.
    const probe = createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = probe.address().port;
    await new Promise((resolve) => probe.close(resolve));
  });

  after(() => {
    sandbox?.stop();
    local?.close();
    local?.closeAllConnections?.();
    console.log(`# ${FILE} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  /** The local server: `/{case}/...` answers as the case says, whatever the route. */
  function localRoute(req, res) {
    const mode = new URL(req.url, 'http://x').pathname.split('/')[1];
    const json = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    req.resume();
    req.on('end', () => {
      switch (mode) {
        case '404': return json(404, { error: { code: '404', description: 'Not Found' } });
        case '403': return json(403, { error: { code: '403', description: 'Forbidden' } });
        case '400': return json(400, { error: { code: '400', description: 'Bad Request', details: { field: 'receiver' } } });
        case 'text': return res.writeHead(404, { 'content-type': 'text/plain' }).end('no such page here');
        case 'no-error': return json(400, { message: 'this body has no error member', status: 400 });
        case 'cut': {
          // A success whose body stops half-way: the connection is destroyed mid-response.
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
          res.write('{"id":"http://127.0.0.1/incoming-payments/1","walletAddress":"http://127.0.0.1/al');
          setTimeout(() => res.socket.destroy(), 20);
          return undefined;
        }
        default: return json(500, { error: { code: 'test_setup', description: `unknown case ${mode}` } });
      }
    });
  }

  /** The error a call rejects with; an `Error` saying so when it does not fail. */
  async function failing(call) {
    try {
      const value = await call();
      return new Error(`the call did not fail: ${JSON.stringify(value)?.slice(0, 200)}`);
    } catch (e) {
      return e;
    }
  }

  const show = (v) => (v === undefined ? 'undefined' : JSON.stringify(v));

  /**
   * Runs `call` with both clients and returns every way ours differs from what the case needs.
   * `expect` pins what the official client gives (the premise of the case).
   */
  async function compare(call, { expect = {}, cause = false, pair = clients } = {}) {
    const [ours, theirs] = [await failing(() => call(pair[0], 'ours')), await failing(() => call(pair[1], 'official'))];
    const out = [];
    const premise = [];
    if (!(theirs instanceof official.OpenPaymentsClientError)) premise.push(`official: not an OpenPaymentsClientError: ${theirs?.stack ?? theirs}`);
    for (const [k, v] of Object.entries(expect)) if (theirs?.[k] !== v) premise.push(`official ${k} is ${show(theirs?.[k])}, the case expects ${show(v)}`);
    if (premise.length) return [`the case's premise does not hold: ${premise.join('; ')}`];
    if (!(ours instanceof op.OpenPaymentsClientError)) out.push(`ours is not an OpenPaymentsClientError: ${ours?.stack ?? ours}`);
    if (!(ours instanceof Error)) out.push('ours is not an Error');
    if (!(theirs instanceof Error)) out.push('official is not an Error');
    for (const key of OWN) {
      if (!Object.hasOwn(ours, key)) out.push(`ours: ${key} is not an own property`);
      if (!Object.hasOwn(theirs, key)) out.push(`official: ${key} is not an own property`);
    }
    if (theirs.code !== undefined) {
      if (ours.code !== theirs.code) out.push(`code: ours ${show(ours.code)}, official ${show(theirs.code)}`);
    } else if (typeof ours.code !== 'string' || ours.code === '') {
      out.push(`code: ours ${show(ours.code)}, must be a non-empty string (official has none)`);
    }
    if (ours.status !== theirs.status) out.push(`status: ours ${show(ours.status)}, official ${show(theirs.status)}`);
    if (ours.description !== theirs.description) {
      out.push(`description: ours ${show(ours.description)}, official ${show(theirs.description)}`);
    }
    try {
      assert.deepStrictEqual(ours.details, theirs.details);
    } catch {
      out.push(`details: ours ${show(ours.details)}, official ${show(theirs.details)}`);
    }
    if (!String(ours.stack).includes(FILE)) {
      out.push(`ours: stack does not name ${FILE}: ${JSON.stringify(String(ours.stack).split('\n').slice(0, 4))}`);
    }
    if (cause && !(ours.cause instanceof Error)) out.push(`ours: cause is ${show(ours.cause)}, not an Error`);
    return out;
  }

  // ---------------------------------------------------------------- (1) the sandbox ASE

  test('sandbox: GET of an incoming payment with a bad token (invalid_token)', async () => {
    const alice = await clients[0].walletAddress.get({ url: info.wallets.alice });
    assert.deepEqual(await compare((c) => c.incomingPayment.get({ url: `${alice.resourceServer}/incoming-payments/nope`, accessToken: 'bogus' }),
      { expect: { status: 401, code: 'invalid_token' } }), []);
  });

  test('sandbox: GET of an unknown incoming payment with a valid token (404)', async () => {
    const alice = await clients[0].walletAddress.get({ url: info.wallets.alice });
    const grant = await clients[0].grant.request({ url: alice.authServer }, {
      access_token: { access: [{ type: 'incoming-payment', actions: ['read'], identifier: alice.id }] } });
    const args = { url: `${alice.resourceServer}/incoming-payments/00000000-0000-4000-8000-000000000000`,
      accessToken: grant.access_token.value };
    assert.deepEqual(await compare((c) => c.incomingPayment.get(args), { expect: { status: 404 } }), []);
  });

  test('sandbox: a grant request signed with a key the wallet does not have (invalid_client)', async () => {
    const alice = await clients[0].walletAddress.get({ url: info.wallets.alice });
    const request = { access_token: { access: [{ type: 'quote', actions: ['read'] }] } };
    assert.deepEqual(await compare((c) => c.grant.request({ url: alice.authServer }, request),
      { pair: strangers, expect: { status: 401 } }), []);
  });

  test('sandbox: a continuation with a wrong token, and with an unknown interact_ref', async () => {
    const alice = await clients[0].walletAddress.get({ url: info.wallets.alice });
    const pending = (c) => c.grant.request({ url: alice.authServer }, {
      access_token: { access: [{ type: 'outgoing-payment', actions: ['create'], identifier: alice.id }] },
      interact: { start: ['redirect'], finish: { method: 'redirect', uri: 'http://127.0.0.1/return', nonce: 'client-errors-nonce' } } });
    const wrongToken = await compare(async (c) => {
      const p = await pending(c);
      return c.grant.continue({ url: p.continue.uri, accessToken: 'WRONG' }, { interact_ref: 'nope' });
    }, { expect: { status: 401 } });
    const unknownRef = await compare(async (c) => {
      const p = await pending(c);
      return c.grant.continue({ url: p.continue.uri, accessToken: p.continue.access_token.value }, { interact_ref: 'nope' });
    }, { expect: { code: 'invalid_request' } });
    assert.deepEqual({ wrongToken, unknownRef }, { wrongToken: [], unknownRef: [] });
  });

  // ---------------------------------------------------------------- (2) the local server

  const quoteBody = () => ({ walletAddress: `${localBase}/alice`, receiver: `${localBase}/incoming-payments/1`, method: 'ilp' });

  for (const status of ['404', '403', '400']) {
    test(`local server: status as the code, {"error":{"code":"${status}",...}} with status ${status} (GET and POST)`, async () => {
      const expect = { status: Number(status), code: status };
      const get = await compare((c) => c.incomingPayment.get({ url: `${localBase}/${status}/incoming-payments/1`, accessToken: 't' }), { expect });
      const post = await compare((c) => c.quote.create({ url: `${localBase}/${status}`, accessToken: 't' }, quoteBody()), { expect });
      assert.deepEqual({ get, post }, { get: [], post: [] });
    });
  }

  test('local server: a body that is not JSON (404 text/plain)', async () => {
    assert.deepEqual(await compare((c) => c.incomingPayment.get({ url: `${localBase}/text/incoming-payments/1`, accessToken: 't' }),
      { expect: { status: 404, code: undefined, description: 'no such page here' } }), []);
  });

  test('local server: a JSON error body without `error` (400)', async () => {
    assert.deepEqual(await compare((c) => c.quote.create({ url: `${localBase}/no-error`, accessToken: 't' }, quoteBody()),
      { expect: { status: 400, code: undefined } }), []);
  });

  test('local server: the connection is destroyed mid-response', async () => {
    assert.deepEqual(await compare((c) => c.incomingPayment.get({ url: `${localBase}/cut/incoming-payments/1`, accessToken: 't' }),
      { expect: { status: undefined, code: undefined } }), []);
  });

  test('a refused connection (a closed port): the underlying error is the cause', async () => {
    assert.deepEqual(await compare((c) => c.incomingPayment.get({ url: `http://127.0.0.1:${closedPort}/incoming-payments/1`, accessToken: 't' }),
      { cause: true, expect: { status: undefined, code: undefined } }), []);
  });

  test(`an uncaught client error's first lines name the script (${FILE})`, async () => {
    const env = { ...process.env, [CHILD]: `http://127.0.0.1:${closedPort}/alice` };
    delete env.NODE_TEST_CONTEXT; // a plain script, not a test file run by `node --test`
    const stderr = await new Promise((resolve) => {
      execFile(process.execPath, [fileURLToPath(import.meta.url)], { env, timeout: 30_000 },
        (error, _stdout, err) => resolve(`${err}${error && !err ? String(error) : ''}`));
    });
    // What Node prints: the source line of the top frame, then the stack (its first 10 frames,
    // Node's Error.stackTraceLimit), then the error's members. One of those frames is the caller.
    const lines = stderr.split('\n');
    const start = lines.findIndex((l) => l.startsWith('OpenPaymentsClientError'));
    assert.ok(start >= 0, `no OpenPaymentsClientError in what the child printed:\n${stderr}`);
    const frames = [];
    for (const l of lines.slice(start + 1)) {
      if (!l.startsWith('    at ')) break;
      frames.push(l);
    }
    assert.ok(frames.some((l) => l.includes(FILE)),
      `the uncaught error's stack does not name ${FILE}:\n${lines.slice(0, start + 1 + frames.length).join('\n')}`);
  });
}
