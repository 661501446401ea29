// A call's timeout and abort signal cover the whole exchange, the body included: a server that
// sends its status and headers and then stalls in the middle of the body must not hang the call.
// (The official client's axios timeout is a socket idle timeout, which covers the body too.)
// Real sockets: a node:http server on 127.0.0.1 that answers the headers and half a body.
// Needs `.ci/build-pkg nodejs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const op = require('open-payments-wasm');

let server, base;
before(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    // Half a wallet address, flushed; the rest never comes.
    res.write('{"id":"http://127.0.0.1/alice","publicName":');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** The call's error and how long it took, in ms. */
async function timed(call) {
  const started = performance.now();
  const err = await call().then(() => undefined, (e) => e);
  return { err, ms: performance.now() - started };
}

test('requestTimeoutMs ends a call whose body stalls after the headers', async () => {
  const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false });
  const { err, ms } = await timed(() => client.walletAddress.get({ url: `${base}/alice`, requestTimeoutMs: 300 }));
  assert.ok(err instanceof op.OpenPaymentsClientError, String(err));
  assert.equal(err.code, 'timeout', String(err));
  assert.match(err.message, /300 ms/);
  assert.ok(ms >= 290 && ms < 3000, `${ms} ms`);
});

test('the client-wide requestTimeoutMs covers the body too', async () => {
  const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false, requestTimeoutMs: 300 });
  const { err, ms } = await timed(() => client.walletAddress.getKeys({ url: `${base}/alice` }));
  assert.equal(err?.code, 'timeout', String(err));
  assert.ok(ms >= 290 && ms < 3000, `${ms} ms`);
});

test('aborting the signal while the body is being read ends the call as aborted', async () => {
  const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const { err, ms } = await timed(() => client.walletAddress.get({ url: `${base}/alice`, signal: controller.signal }));
  assert.equal(err?.code, 'aborted', String(err));
  assert.ok(ms >= 190 && ms < 3000, `${ms} ms`);
});

test('the timeout and the signal end the call even when a replaced fetch ignores its signal', async () => {
  const wrapped = globalThis.fetch;
  let calls = 0;
  globalThis.fetch = () => {
    calls++;
    return new Promise(() => {});
  };
  try {
    const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false });
    const slow = await timed(() => client.walletAddress.get({ url: `${base}/alice`, requestTimeoutMs: 200 }));
    assert.equal(slow.err?.code, 'timeout', String(slow.err));
    assert.ok(slow.ms >= 190 && slow.ms < 3000, `${slow.ms} ms`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await timed(() => client.walletAddress.get({ url: `${base}/alice`, signal: controller.signal }));
    assert.equal(aborted.err?.code, 'aborted', String(aborted.err));
    assert.equal(calls, 2);
    // A signal aborted before the call: nothing is sent.
    const before = await timed(() => client.walletAddress.get({ url: `${base}/alice`, signal: AbortSignal.abort() }));
    assert.equal(before.err?.code, 'aborted', String(before.err));
    assert.equal(calls, 2);
  } finally {
    globalThis.fetch = wrapped;
  }
});

// In Node, calls with the same timeout that start within a few ms share one timer and one
// AbortController (src/js/host.js, `SharedDeadline`): each must still get at least its timeout,
// at most 25 ms more, and one call's end must not touch the others.
test('calls sharing a timeout each get at least their timeout, and end at most 25 ms after it', async () => {
  const wrapped = globalThis.fetch;
  const signals = [];
  globalThis.fetch = (url, init) => {
    signals.push(init?.signal);
    return new Promise(() => {});
  };
  try {
    const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false, requestTimeoutMs: 400 });
    const first = timed(() => client.walletAddress.get({ url: `${base}/alice` }));
    await new Promise((resolve) => setTimeout(resolve, 15));
    const second = timed(() => client.walletAddress.get({ url: `${base}/alice` }));
    const [a, b] = await Promise.all([first, second]);
    for (const { err, ms } of [a, b]) {
      assert.equal(err?.code, 'timeout', String(err));
      assert.ok(ms >= 398 && ms < 400 + 25 + 200, `${ms} ms`);
    }
    assert.equal(signals.length, 2);
    assert.ok(signals.every((s) => s instanceof AbortSignal && s.aborted), 'the requests were aborted');
  } finally {
    globalThis.fetch = wrapped;
  }
});

test('a call that ends leaves the others sharing its timeout running', async () => {
  const wrapped = globalThis.fetch;
  const body = JSON.stringify({ id: 'https://example.com/alice', publicName: 'Alice', assetCode: 'USD', assetScale: 2,
    authServer: 'https://example.com/auth', resourceServer: 'https://example.com/op' });
  const signals = [];
  globalThis.fetch = (url, init) => {
    signals.push(init.signal);
    const ms = signals.length === 1 ? 10 : signals.length === 2 ? 300 : 0;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(new Response(body, { headers: { 'content-type': 'application/json' } })), ms);
      init.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(init.signal.reason);
      });
    });
  };
  try {
    const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false, requestTimeoutMs: 1000 });
    const [quick, slow] = await Promise.all([
      client.walletAddress.get({ url: 'https://example.com/alice' }),
      client.walletAddress.get({ url: 'https://example.com/alice' }),
    ]);
    assert.equal(quick.publicName, 'Alice');
    assert.equal(slow.publicName, 'Alice');
    assert.ok(!signals[1].aborted);
    // A timeout beyond what timers hold (2^31 - 1 ms) is not a timeout at once.
    const far = await client.walletAddress.get({ url: 'https://example.com/alice', requestTimeoutMs: 1e12 });
    assert.equal(far.publicName, 'Alice');
    const farWithSignal = await client.walletAddress.get({
      url: 'https://example.com/alice', requestTimeoutMs: 1e12, signal: new AbortController().signal,
    });
    assert.equal(farWithSignal.publicName, 'Alice');
  } finally {
    globalThis.fetch = wrapped;
  }
});

test('a call that ended does not hold the process open until its timeout', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = `
    const op = require('open-payments-wasm');
    const body = JSON.stringify({ id: 'https://example.com/alice', publicName: 'Alice', assetCode: 'USD', assetScale: 2,
      authServer: 'https://example.com/auth', resourceServer: 'https://example.com/op' });
    globalThis.fetch = async () => new Response(body, { headers: { 'content-type': 'application/json' } });
    op.createUnauthenticatedClient({ walletAddressCache: false, requestTimeoutMs: 20000 })
      .then((c) => c.walletAddress.get({ url: 'https://example.com/alice' }))
      .then((w) => console.log(w.publicName));`;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: new URL('.', import.meta.url).pathname });
  const ms = performance.now() - started;
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'Alice');
  assert.ok(ms < 10000, `the process took ${ms} ms to exit`);
});

test('a signal-like object whose methods throw never leaves a call hanging', async () => {
  const body = JSON.stringify({ id: 'https://example.com/alice', publicName: 'Alice', assetCode: 'USD', assetScale: 2,
    authServer: 'https://example.com/auth', resourceServer: 'https://example.com/op' });
  const wrapped = globalThis.fetch;
  globalThis.fetch = async () => new Response(body, { headers: { 'content-type': 'application/json' } });
  try {
    const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false });
    /** What the call gave (the wallet's name or the error's code), or `hung` after 2 s. */
    const outcome = (signal) => Promise.race([
      client.walletAddress.get({ url: 'https://example.com/alice', signal }).then((w) => w.publicName, (e) => e.code),
      new Promise((resolve) => setTimeout(resolve, 2000, 'hung').unref()),
    ]);
    const throws = () => {
      throw new Error('a hostile signal');
    };
    // It listens, but removing its listener throws: the call still answers.
    assert.equal(await outcome({ aborted: false, addEventListener() {}, removeEventListener: throws }), 'Alice');
    // Listening throws: the call ends as a network failure, before anything is sent.
    assert.equal(await outcome({ aborted: false, addEventListener: throws, removeEventListener: throws }), 'network_error');
    // Reading `aborted` throws: the same.
    assert.equal(await outcome({ get aborted() { return throws(); }, addEventListener() {}, removeEventListener() {} }), 'network_error');
  } finally {
    globalThis.fetch = wrapped;
  }
});
