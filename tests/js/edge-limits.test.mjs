// Limits of the payment edge function (www/edge/): a request body above 64 KB is answered 413
// without being read to the end, by the handler itself and by every adapter (Node, workerd behind
// its node:http front, Deno, Bun); and a SEAL_KEY that is not base64 answers 500 `misconfigured`,
// as an unset, empty or wrong-length key does.
// Needs pkg/npm (`.ci/build-pkg`) and, for the SEAL_KEY tests, the sandbox binary (OP_SANDBOX_BIN,
// else target/debug, else cargo).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import * as op from 'open-payments-wasm';
import { startNodeEdge } from '../../www/edge/node.mjs';
import { startWorkerdEdge } from '../../www/edge/workerd.mjs';
import { createCheckoutHandler } from '../../www/edge/handler.mjs';
import { startSandbox, shopEnv, pointer, root } from './support/sandbox.mjs';

const LIMIT = 64 * 1024;
const BIG = 10 * 1024 * 1024;
const CHUNK = 64 * 1024;
const env = () => ({ SEAL_KEY: randomBytes(32).toString('base64') });

/** A request body of `total` bytes made on demand; `pulled()` is how much was read from it. */
function countingStream(total) {
  let made = 0;
  const stream = new ReadableStream({
    pull(controller) {
      if (made >= total) { controller.close(); return; }
      const n = Math.min(CHUNK, total - made);
      made += n;
      controller.enqueue(new Uint8Array(n).fill(0x20));
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => made };
}

/** POSTs `total` bytes to `url` over node:http, streamed (chunked) in 64 KB writes with
 *  backpressure, or only announced by Content-Length (`declare`: headers only, no body sent).
 *  Stops writing once the response arrives; resolves with the status, body and bytes written. */
function post(url, { total = BIG, declare = false } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers = { 'content-type': 'application/json' };
    if (declare) headers['content-length'] = String(total);
    const started = Date.now();
    let sent = 0;
    let response = null;
    const req = httpRequest({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: 'POST', headers });
    req.on('response', (res) => {
      response = res;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString(), sent, ms: Date.now() - started });
        req.destroy();
      });
      res.on('error', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString(), sent, ms: Date.now() - started }));
    });
    // Writing into a connection the server closed after its answer fails: that is expected.
    req.on('error', (e) => { if (!response) reject(Object.assign(e, { sent })); });
    if (declare) { req.flushHeaders(); return; }
    // One chunk per turn of the event loop, so that an early answer is read before the next write.
    const chunk = Buffer.alloc(CHUNK, 0x20);
    const pump = () => {
      if (response || req.destroyed) return;
      if (sent >= total) { req.end(); return; }
      sent += CHUNK;
      if (req.write(chunk)) setImmediate(pump); else req.once('drain', () => setImmediate(pump));
    };
    pump();
  });
}

function assertTooLarge(r, what) {
  assert.equal(r.status, 413, `${what}: ${r.status} ${r.text}`);
  assert.ok(r.ms < 5000, `${what}: answered after ${r.ms} ms`);
}

test('the handler answers 413 to a body above 64 KB and stops reading it', async () => {
  const handler = createCheckoutHandler(op);
  const url = 'http://shop.example/checkout';
  const streamed = countingStream(BIG);
  const res = await handler.fetch(new Request(url, { method: 'POST', body: streamed.stream, duplex: 'half',
    headers: { 'content-type': 'application/json' } }), env());
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, 'payload_too_large');
  assert.ok(streamed.pulled() <= LIMIT + 2 * CHUNK, `read ${streamed.pulled()} of ${BIG} bytes`);
  // A larger Content-Length is refused before any byte is read.
  const announced = countingStream(BIG);
  const res2 = await handler.fetch(new Request(url, { method: 'POST', body: announced.stream, duplex: 'half',
    headers: { 'content-type': 'application/json', 'content-length': String(BIG) } }), env());
  assert.equal(res2.status, 413);
  assert.equal(announced.pulled(), 0);
  // At the limit the body is read and judged as JSON (400 here), not refused for its size.
  const res3 = await handler.fetch(new Request(url, { method: 'POST', body: ' '.repeat(LIMIT) }), env());
  assert.equal(res3.status, 400);
  assert.equal((await res3.json()).error.code, 'bad_request');
});

test('the Node adapter answers 413 to a 10 MB body long before it is sent, and to a large Content-Length at once', async () => {
  const server = await startNodeEdge(env(), 0);
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const streamed = await post(`${base}/checkout`);
    assertTooLarge(streamed, 'streamed');
    assert.ok(streamed.sent < BIG, `the whole body was sent (${streamed.sent} bytes) before the answer`);
    assert.equal(JSON.parse(streamed.text).error.code, 'payload_too_large');
    for (const total of [LIMIT + 1, 200 * 1024 * 1024]) {
      assertTooLarge(await post(`${base}/checkout`, { total, declare: true }), `declared ${total}`);
    }
    // Any path, not only the handler's: the adapter reads no large body for anyone.
    assertTooLarge(await post(`${base}/nowhere`), 'unknown path');
    // The server still serves normal requests.
    const ok = await fetch(`${base}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    assert.equal(ok.status, 400);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('the workerd adapter (node:http front) answers 413 the same way', async () => {
  const server = await startWorkerdEdge(env(), 0);
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const streamed = await post(`${base}/checkout`);
    assertTooLarge(streamed, 'streamed');
    assert.ok(streamed.sent < BIG, `the whole body was sent (${streamed.sent} bytes) before the answer`);
    for (const total of [LIMIT + 1, 200 * 1024 * 1024]) {
      assertTooLarge(await post(`${base}/checkout`, { total, declare: true }), `declared ${total}`);
    }
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

/** Starts a Deno or Bun adapter process and reads its {"url"} line. */
async function startProcess(cmd, args, processEnv) {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...processEnv, DENO_NO_UPDATE_CHECK: '1', PORT: '0' },
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
  test(`the ${name} adapter answers 413 to a 10 MB body before it is sent`, async () => {
    const proc = await startProcess(cmd, args, env());
    try {
      const streamed = await post(`${proc.url}/checkout`);
      assertTooLarge(streamed, 'streamed');
      assert.ok(streamed.sent < BIG, `the whole body was sent (${streamed.sent} bytes) before the answer`);
      for (const total of [LIMIT + 1, 200 * 1024 * 1024]) {
        assertTooLarge(await post(`${proc.url}/checkout`, { total, declare: true }), `declared ${total}`);
      }
    } finally { proc.child.kill(); }
  });
}

// ---------------------------------------------------------------- SEAL_KEY

let sandbox, good;
before(async () => {
  sandbox = await startSandbox();
  good = await shopEnv(sandbox);
});
after(() => sandbox?.stop());

test('a SEAL_KEY that is not base64 answers 500 misconfigured, like an unset, empty or short one, and pays nothing', async () => {
  const handler = createCheckoutHandler(op);
  const start = await sandbox.balances();
  const checkout = () => new Request('http://shop.example/checkout', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: { value: '1000', assetCode: 'USD', assetScale: 2 }, walletAddress: pointer(sandbox.info.wallets.shopper) }) });
  // A full environment (shop wallet and key registered with the sandbox): only SEAL_KEY is wrong.
  for (const key of ['not base64 at all!', '%%%%', 'QUJD=====', undefined, '', randomBytes(16).toString('base64')]) {
    const env = { ...good, SEAL_KEY: key };
    const res = await handler.fetch(checkout(), env);
    const body = await res.json();
    assert.equal(res.status, 500, `${JSON.stringify(key)}: ${JSON.stringify(body)}`);
    assert.equal(body.error.code, 'misconfigured', JSON.stringify(key));
    assert.match(body.error.message, /SEAL_KEY/);
    // The finish and receipt URLs too (not "bad token": the link is fine, the server is not).
    const finish = await handler.fetch(new Request('http://shop.example/checkout/finish?ref=abc&hash=x&interact_ref=y'), env);
    assert.equal(finish.status, 500, `finish, ${JSON.stringify(key)}`);
    assert.match(await finish.text(), /SEAL_KEY/);
    const receipt = await handler.fetch(new Request('http://shop.example/checkout/receipt?r=abc'), env);
    assert.equal(receipt.status, 500, `receipt, ${JSON.stringify(key)}`);
    assert.equal((await receipt.json()).error.code, 'misconfigured');
  }
  assert.deepEqual(await sandbox.balances(), start);
});
