// No input can break the module (issue 11, "What to build" 1): every export of every build
// (`open-payments-wasm` full, `/client`, `/public`, `/lean`), every operation of the clients its factories
// make, and every method of its classes (SigningKey, ...) is called with hostile inputs in each
// argument position (and as the receiver of methods): throwing getters at depths 1, 2, 5 and 60,
// Proxies whose get/ownKeys/getOwnPropertyDescriptor/has traps throw, revoked Proxies, cycles,
// BigInt, Symbol, a 1 MB string, functions, null/undefined/NaN. Each call must throw or reject
// (never hang, never trap: no `WebAssembly.RuntimeError`), unless the input is valid where it was
// put (`mayAccept` in the helper: null/undefined for an optional argument, an object without
// known members for an options bag, a boolean from an `is*` type guard, ...), and afterwards valid
// calls still give the right answers. In Node (the package imported by name, as users do) and in headless Chromium
// (pkg/npm served on 127.0.0.1, the entries index.js/client.js/public.js/lean.js imported in the page).
// tests/js/support/hostile.mjs does the calling, in both.
//
// How many calls: 10,000 per callable (export, client operation or method), cycling through its
// (position, hostile input) pairs, not 10,000 per (export, input) pair: per pair would be ~30
// million calls per runtime (over 10 minutes at the 15-40 µs a call takes), far beyond the ~60 s
// budget. An input that takes more than 1 ms on two calls in a row at one (callable, position)
// (the 1 MB string; cycles in Chromium, whose `JSON.stringify` of a cycle takes ~10 ms) gets no
// more calls there; its turns go to the next pairs (SLOW_CALL_MS in the helper).
// HOSTILE_CALLS=n changes the 10,000 (for a quick local run). The client operations run with
// `fetch` replaced by one that fails at once and counts: an operation that sends a request with a
// hostile argument accepted it. Node and Chromium run at the same time (Chromium's renderer is a
// process of its own); the whole file takes about two minutes on 2 cores.
// The unauthenticated client of the full, client and public builds also meets hostile responses (a
// `Response` whose members throw) and hostile bodies (deep nesting, huge numbers and strings, bad
// escapes, repeated members, bytes that are not UTF-8), whose verdicts must be the typed models'.
// Needs `.ci/build-pkg` (pkg/npm, linked as node_modules/open-payments-wasm).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { hammer, hostileBodies, hostileResponses, validCalls } from './support/hostile.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CALLS = Number(process.env.HOSTILE_CALLS ?? 10_000);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** [build, package specifier, entry file of pkg/npm, callables that must be among those called]. */
const BUILDS = [
  ['full', 'open-payments-wasm', 'index.js', ['parseAmount', 'formatAmount', 'validateAmount', 'resolveWalletAddressUrl',
    'signRequest', 'SigningKey#publicJwk', 'createAuthenticatedClient', 'authenticated:outgoingPayment.create',
    'authenticated:grant.request', 'unauthenticated:walletAddress.get', 'createMerchant', 'merchant:payments.finish',
    'merchant:subscriptions.charge']],
  // In Node the specifier `open-payments-wasm/client` is node.cjs (the full build): the client
  // build's own entry is imported by path there.
  ['client', new URL('../../pkg/npm/client.js', import.meta.url).href, 'client.js', ['parseAmount', 'formatAmount',
    'validateAmount', 'resolveWalletAddressUrl', 'signRequest', 'SigningKey#publicJwk', 'createAuthenticatedClient',
    'authenticated:outgoingPayment.create', 'authenticated:grant.request', 'unauthenticated:walletAddress.get']],
  ['public', 'open-payments-wasm/public', 'public.js', ['parseAmount', 'formatAmount', 'validateAmount',
    'resolveWalletAddressUrl', 'createUnauthenticatedClient', 'unauthenticated:walletAddress.get']],
  ['lean', 'open-payments-wasm/lean', 'lean.js', ['parseAmount', 'formatAmount', 'validateAmount', 'resolveWalletAddressUrl']],
];

const nodeModules = {};
let server, browser, page;
const started = Date.now();

before(async () => {
  // Chromium first: its runs go on in the renderer while Node hammers its own instances below.
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>hostile inputs</title>'); return; }
    const file = normalize(join(root, path));
    const allowed = file.startsWith(join(root, 'pkg/npm/')) || file === join(root, 'tests/js/support/hostile.mjs');
    if (!allowed || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.pageErrors = pageErrors;
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  // Load everything while this process still serves files; then start the runs, one build after
  // the other, without waiting for them.
  await page.evaluate(async (entries) => {
    window.asyncErrors = [];
    addEventListener('unhandledrejection', (e) => window.asyncErrors.push(`unhandled rejection: ${e.reason}`));
    addEventListener('error', (e) => window.asyncErrors.push(`uncaught: ${e.error ?? e.message}`));
    window.support = await import('/tests/js/support/hostile.mjs');
    window.builds = {};
    for (const [name, entry] of entries) window.builds[name] = await import(`/pkg/npm/${entry}`);
  }, BUILDS.map(([name, , entry]) => [name, entry]));
  await page.evaluate((calls) => {
    window.runs = {};
    let previous = Promise.resolve();
    for (const [name, op] of Object.entries(window.builds)) {
      const run = previous.then(async () => {
        const report = await window.support.hammer(op, { callsPerCallable: calls });
        return { report, valid: window.support.validCalls(op), asyncErrors: [...window.asyncErrors] };
      });
      window.runs[name] = run;
      previous = run.catch(() => {});
    }
  }, CALLS);

  // Node: `/client`, `/public` and `/lean` are browser builds whose entry fetches its .wasm next to it;
  // Node 20's fetch cannot read file: URLs, so it is helped to while they are imported (the full
  // build takes the `node` condition and needs no help).
  const plainFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'file:') return plainFetch(input, init);
    return new Response(await readFile(url), { headers: { 'content-type': 'application/wasm' } });
  };
  try {
    for (const [name, specifier] of BUILDS) nodeModules[name] = await import(specifier);
  } finally {
    globalThis.fetch = plainFetch;
  }
});

after(async () => {
  await browser?.close();
  server?.close();
  console.log(`# hostile.test.mjs took ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** Everything that went wrong in one run, as lines (empty when all is well). */
function problems(name, required, { report, valid, asyncErrors }) {
  const out = [];
  if (report.firstTrap) out.push(`trapped (WebAssembly.RuntimeError): ${JSON.stringify(report.firstTrap)}`);
  if (report.errorNames.RuntimeError) out.push(`${report.errorNames.RuntimeError} calls threw a RuntimeError`);
  for (const h of report.hangs) out.push(`never settled: ${h}`);
  for (const [call, times] of Object.entries(report.accepted)) out.push(`accepted a hostile input: ${call} (${times}x)`);
  for (const e of asyncErrors) out.push(`escaped asynchronously: ${e}`);
  if (!report.firstTrap) { // (after a trap the run stops: the rest was not called)
    for (const callable of required) if (!report.callables.includes(callable)) out.push(`${callable} was not called`);
    if (!report.hangs.length && report.calls !== report.callables.length * CALLS) {
      out.push(`${report.calls} calls, not ${CALLS} for each of ${report.callables.length} callables`);
    }
  }
  const check = (what, f) => {
    try {
      f();
    } catch (e) {
      out.push(`afterwards ${what}: ${e.message.split('\n')[0]}${valid[what]?.ok === false ? ` (${valid[what].error})` : ''}`);
    }
  };
  check('parseAmount', () => assert.deepEqual(valid.parseAmount.value, { value: '1234', assetCode: 'USD', assetScale: 2 }));
  check('formatAmount', () => assert.equal(valid.formatAmount.value, '12.34'));
  check('resolveWalletAddressUrl', () => assert.equal(valid.resolveWalletAddressUrl.value, 'https://wallet.example/alice'));
  if (name === 'full' || name === 'client') {
    check('generateKeyPair', () => assert.equal(valid.generateKeyPair?.value, 'k'));
    check('signRequest', () => {
      assert.equal(valid.signRequest?.ok, true);
      assert.ok(['signature', 'signature-input', 'content-digest'].every((h) => valid.signRequest.value.headers.includes(h)));
      if (name === 'full') assert.equal(valid.signRequest.value.keyId, 'k2', 'verifyRequest accepts the signature');
    });
  }
  return out;
}

// Runs `run` (which resolves to a report) with every uncaught exception and unhandled rejection
// of the process collected, including late ones that surface within 50 ms after it settles.
async function catchingAsyncErrors(run) {
  const asyncErrors = [];
  const onError = (e) => asyncErrors.push(`${e?.constructor?.name}: ${e?.message}`);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    const report = await run();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { report, asyncErrors };
  } finally {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  }
}

function summary(t, runtime, name, report) {
  t.diagnostic(`${runtime} ${name}: ${report.calls} calls of ${report.callables.length} callables in ${report.ms} ms`);
  t.diagnostic(`thrown, by constructor: ${JSON.stringify(report.errorNames)}`);
  if (Object.keys(report.slow).length) t.diagnostic(`slow inputs (> 1 ms a call; at how many (callable, position) pairs): ${JSON.stringify(report.slow)}`);
}

for (const [name, , , required] of BUILDS) {
  test(`Node, ${name} build: hostile inputs throw or reject, never trap or hang; valid calls work afterwards`, { timeout: 180_000 }, async (t) => {
    const { report, asyncErrors } = await catchingAsyncErrors(() => hammer(nodeModules[name], { callsPerCallable: CALLS }));
    summary(t, 'Node', name, report);
    assert.deepEqual(problems(name, required, { report, valid: validCalls(nodeModules[name]), asyncErrors }), []);
  });
}

for (const [name, , , required] of BUILDS) {
  test(`Chromium, ${name} build: hostile inputs throw or reject, never trap or hang; valid calls work afterwards`, { timeout: 180_000 }, async (t) => {
    const run = await page.evaluate((build) => window.runs[build], name);
    summary(t, 'Chromium', name, run.report);
    run.asyncErrors.push(...page.pageErrors);
    assert.deepEqual(problems(name, required, run), []);
  });
}

// Hostile responses: a replaced `fetch` resolving to Responses whose body stream fails with a
// string, undefined, a plain object, a revoked Proxy or an Error whose `message`/`name` throw,
// and Response subclasses whose `arrayBuffer`, `status` or `headers` throw or answer nonsense.
// Status, headers and body are read in JS (src/js/host.js), so each call rejects with a
// `network_error` and the module keeps working. (Found 2026-12-03: the body used to be read in
// wasm through gloo-net, which trapped the instance on a body failing with a non-Error.)
function responseProblems(report, valid) {
  const out = [];
  for (const t of report.traps) out.push(`trapped: ${t}`);
  for (const h of report.hangs) out.push(`never settled: ${h}`);
  for (const r of report.resolved) out.push(`resolved: ${r}`);
  for (const [name, n] of Object.entries(report.rejections)) {
    if (name !== 'OpenPaymentsClientError:network_error') out.push(`rejected with ${name} (${n}x)`);
  }
  if (!report.traps.length && !report.hangs.length && report.calls !== CALLS) out.push(`${report.calls} calls, not ${CALLS}`);
  return [...out, ...validProblems(valid)];
}

/** What went wrong in a `hostileBodies` run, then in the valid calls after it. */
function bodyProblems(report, valid) {
  return [...report.wrong, ...report.traps.map((t) => `trapped: ${t}`), ...validProblems(valid)];
}

/** The valid calls (`validCalls`) that threw. */
function validProblems(valid) {
  return Object.entries(valid).filter(([, call]) => !call.ok).map(([name, call]) => `afterwards ${name} threw ${call.error}`);
}

for (const name of ['full', 'client', 'public']) {
  test(`Node, ${name} build: hostile responses reject with network_error, never trap; valid calls work afterwards`, { timeout: 120_000 }, async () => {
    const { report, asyncErrors } = await catchingAsyncErrors(() => hostileResponses(nodeModules[name], { calls: CALLS }));
    assert.deepEqual([...responseProblems(report, validCalls(nodeModules[name])), ...asyncErrors], []);
  });

  test(`Chromium, ${name} build: hostile responses reject with network_error, never trap; valid calls work afterwards`, { timeout: 120_000 }, async () => {
    // After the hammer runs of every build (they replace `fetch` too).
    await page.evaluate(() => Promise.allSettled(Object.values(window.runs)));
    const run = await page.evaluate(async ([build, calls]) => {
      const op = window.builds[build];
      const before = window.asyncErrors.length;
      const report = await window.support.hostileResponses(op, { calls });
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { report, valid: window.support.validCalls(op), asyncErrors: window.asyncErrors.slice(before) };
    }, [name, CALLS]);
    assert.deepEqual([...responseProblems(run.report, run.valid), ...run.asyncErrors], []);
  });
}

for (const name of ['full', 'client', 'public']) {
  // Response bodies a hostile server may send (support/hostile.mjs HOSTILE_BODIES): deep
  // nesting, huge numbers and strings, bad escapes, repeated members, bytes that are not UTF-8.
  test(`Node, ${name} build: hostile response bodies get the typed models' verdicts, never trap; valid calls work afterwards`, { timeout: 120_000 }, async () => {
    const { report, asyncErrors } = await catchingAsyncErrors(() => hostileBodies(nodeModules[name]));
    assert.deepEqual([...bodyProblems(report, validCalls(nodeModules[name])), ...asyncErrors], []);
    assert.ok(report.calls >= 100, `${report.calls} calls`);
  });

  test(`Chromium, ${name} build: hostile response bodies get the typed models' verdicts, never trap; valid calls work afterwards`, { timeout: 120_000 }, async () => {
    await page.evaluate(() => Promise.allSettled(Object.values(window.runs)));
    const run = await page.evaluate(async (build) => {
      const op = window.builds[build];
      const before = window.asyncErrors.length;
      const report = await window.support.hostileBodies(op);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { report, valid: window.support.validCalls(op), asyncErrors: window.asyncErrors.slice(before) };
    }, name);
    assert.deepEqual([...bodyProblems(run.report, run.valid), ...run.asyncErrors], []);
  });
}

for (const name of ['full', 'client', 'public']) {
  // A body larger than the wasm could hold would exhaust its memory: an allocation failure traps
  // the instance (reproduced with a 2.1 GB body before the limit: the call threw
  // `RuntimeError: unreachable`). Bodies above 64 MiB are refused in JS (src/js/host.js), as a
  // typed error; a declared `Content-Length` above it is refused before the body is read.
  test(`Node, ${name} build: a response body above 64 MiB is refused as invalid_response before it reaches the wasm`, { timeout: 120_000 }, async () => {
    const op = nodeModules[name];
    const wrapped = globalThis.fetch;
    const limit = 64 * 1024 * 1024;
    const wallet = JSON.stringify({ id: 'https://wallet.example/alice', publicName: 'Alice', assetCode: 'USD', assetScale: 2,
      authServer: 'https://auth.example', resourceServer: 'https://wallet.example/op' });
    let reads = 0;
    try {
      const client = await op.createUnauthenticatedClient({ walletAddressCache: false, maxRetries: 0 });
      const get = () => client.walletAddress.get({ url: 'https://wallet.example/alice' });
      // One byte over the limit: a JSON string that would otherwise be read (and refused as the
      // wrong type by the schema).
      const big = new Uint8Array(limit + 1).fill(0x61);
      big[0] = 0x22;
      big[limit] = 0x22;
      globalThis.fetch = async () => new Response(big, { status: 200 });
      const err = await get().catch((e) => e);
      assert.ok(err instanceof op.OpenPaymentsClientError, String(err));
      assert.equal(err.code, 'invalid_response');
      assert.equal(err.status, 200);
      const said = String(err.validationErrors?.[0]).slice(0, 200);
      assert.ok(said.includes(`larger than ${limit} bytes`), said);
      // The limit itself passes through (and gets the schema's verdict).
      globalThis.fetch = async () => new Response(big.subarray(0, limit - 1).with(limit - 2, 0x22), { status: 200 });
      const atLimit = await get().catch((e) => e);
      assert.equal(atLimit.code, 'invalid_response');
      assert.ok(!String(atLimit.validationErrors?.[0]).slice(0, 200).includes('larger than'));
      // A declared length above the limit: refused without reading the body.
      globalThis.fetch = async () => {
        // highWaterMark 0: `pull` runs only when the body is read.
        const stream = new ReadableStream({ pull() { reads++; throw new Error('the body was read'); } }, { highWaterMark: 0 });
        return new Response(stream, { status: 200, headers: { 'content-length': String(3 * 1024 ** 3) } });
      };
      const declared = await get().catch((e) => e);
      assert.equal(declared.code, 'invalid_response', String(declared));
      assert.ok(String(declared.validationErrors?.[0]).includes('larger than'), String(declared.validationErrors));
      assert.equal(reads, 0);
      // Afterwards the instance answers as before.
      globalThis.fetch = async () => new Response(wallet, { status: 200 });
      assert.equal((await get()).publicName, 'Alice');
      assert.deepEqual(validProblems(validCalls(op)), []);
    } finally {
      globalThis.fetch = wrapped;
    }
  });
}
