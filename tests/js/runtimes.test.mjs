// The same end-to-end scenario (tests/js/runtimes/scenario.mjs) against the sandbox ASE on
// 127.0.0.1 in every runtime the package targets: Node, Deno, Bun, Cloudflare workerd
// (miniflare), Vercel's edge-runtime and headless Chromium; then with the official
// @interledger/open-payments client. Every run must do exactly the same to the sandbox.
// Each runtime imports the published package by name (`open-payments-wasm`, pkg/npm linked into
// node_modules by .ci/build-pkg) and never initialises it by hand: its conditional `exports`
// pick the entry. Needs `.ci/build-pkg` and the sandbox binary (`cargo test --all-features`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { EdgeVM } from '@edge-runtime/vm';
import { chromium } from 'playwright-core';
import { contractChecker } from './contract.mjs';
import { startSandbox } from './support/sandbox.mjs';
import { wasmModulePlugin, workerdWorker } from './support/bundling.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = promisify(execFile);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let sandbox, info;
const results = {};

before(async () => {
  sandbox = await startSandbox(null);
  ({ info } = sandbox);
});
after(() => sandbox?.stop());

/** What the merchant flows (tests/js/runtimes/merchant-flow.mjs) must do in every runtime. */
const MERCHANT = {
  alicePaid: '3200',
  outcomes: { forged: 'tampered_hash', denied: 'consent_denied', overLimit: 'limit_exceeded', afterCancel: 'subscription_ended' },
};

/** The runs of `open-payments-wasm/client` (no merchant flows in that entry). */
const CLIENT_ONLY = ['chromium-client', 'workerd-client'];

/** Where the package signs with WebCrypto's Ed25519 (faster there than its wasm signer); the
 *  other runtimes sign in wasm (src/js/facade/authenticated.ts, `webCryptoSignsFaster`). */
const WEBCRYPTO_SIGNING = ['workerd', 'workerd-client', 'chromium', 'chromium-client'];

function record(runtime, result) {
  assert.equal(result.received.value, '1000');
  if (runtime !== 'official') {
    const expected = WEBCRYPTO_SIGNING.includes(runtime) ? 'WebCrypto' : 'wasm';
    const seen = result.webCryptoSignatures > 10 ? 'WebCrypto' : result.webCryptoSignatures === 0 ? 'wasm' : String(result.webCryptoSignatures);
    assert.equal(seen, expected, `${runtime}: which signer signed the requests`);
  }
  results[runtime] = result.delta;
  if (CLIENT_ONLY.includes(runtime)) assert.equal(result.merchant, undefined, `${runtime}: no merchant flows`);
  else if (runtime !== 'official') assert.deepEqual(result.merchant, MERCHANT, `${runtime}: merchant flows`);
}

test('Node (`node` condition), every request and response checked against the OpenAPI files', async () => {
  const op = await import('open-payments-wasm');
  const { runWithPackage } = await import('./runtimes/scenario.mjs');
  const contract = await contractChecker(info);
  const plainFetch = globalThis.fetch;
  globalThis.fetch = contract.wrap(plainFetch);
  try {
    record('node', await runWithPackage(op, info, 'node'));
  } finally {
    globalThis.fetch = plainFetch;
  }
  assert.deepEqual(contract.violations, []);
  assert.ok(contract.checked >= 20, `only ${contract.checked} exchanges were checked`);
});

test('Deno', async () => {
  const { stdout } = await run(bin('deno'), ['run', '--quiet', '--no-prompt', `--allow-net=127.0.0.1`,
    `--allow-read=${root}`, join(root, 'tests/js/runtimes/deno.mjs'), JSON.stringify(info)], { cwd: root });
  record('deno', JSON.parse(stdout.trim().split('\n').pop()));
});

test('Bun', async () => {
  const { stdout } = await run(bin('bun'), [join(root, 'tests/js/runtimes/bun.mjs'), JSON.stringify(info)], { cwd: root });
  record('bun', JSON.parse(stdout.trim().split('\n').pop()));
});


/** The scenario in workerd, through the package entry `subpath` picks with the `workerd` condition. */
async function inWorkerd(subpath, runtime) {
  const { mf, wasm } = await workerdWorker(root, { entryPoints: [join(root, 'tests/js/runtimes/worker.mjs')] }, subpath);
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules/open-payments-wasm/package.json'), 'utf8'));
  const build = manifest.exports[subpath].workerd === './edge.js' ? 'web' : 'client';
  try {
    assert.ok(wasm[0]?.endsWith(`/${build}/open_payments_wasm_bg.wasm`), `${runtime}: the ${build} build's .wasm`);
    assert.equal(wasm.length, 1, 'the workerd entry imports its .wasm as a module');
    const res = await mf.dispatchFetch('http://worker/', { method: 'POST', body: JSON.stringify(info) });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    record(runtime, JSON.parse(text));
  } finally {
    await mf.dispose();
  }
}

test('Cloudflare workerd (miniflare)', () => inWorkerd('.', 'workerd'));

test('Cloudflare workerd (miniflare), `open-payments-wasm/client`', () => inWorkerd('./client', 'workerd-client'));

test("Vercel's edge-runtime", async () => {
  const wasm = wasmModulePlugin({ external: false });
  // es2022: esbuild's esnext output decodes the inlined .wasm with Uint8Array.fromBase64, which
  // the EdgeVM lacks.
  const bundle = await esbuild.build({
    entryPoints: [join(root, 'tests/js/runtimes/edge.mjs')], bundle: true, write: false, format: 'iife',
    platform: 'neutral', target: 'es2022', conditions: ['edge-light'], loader: { '.wasm': 'binary' }, plugins: [wasm.plugin],
    logLevel: 'silent',
  });
  assert.equal(wasm.found.length, 1, 'the edge-light entry imports its .wasm as a module');
  const vm = new EdgeVM();
  vm.evaluate(bundle.outputFiles[0].text);
  const runScenario = vm.evaluate('runScenario');
  record('edge-runtime', JSON.parse(await runScenario(JSON.stringify(info))));
});

/** The scenario in Chromium, through the package entry `subpath` picks with the `browser` condition. */
async function inChromium(subpath, runtime) {
  // The page maps the bare name to the package's `browser` condition, as a bundler would.
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules/open-payments-wasm/package.json'), 'utf8'));
  const entry = new URL(manifest.exports[subpath].browser, 'http://x/pkg/npm/').pathname;
  const page = `<!doctype html><title>runtime test</title>
<script type="importmap">${JSON.stringify({ imports: { 'open-payments-wasm': entry } })}</script>`;
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') { res.writeHead(200, { 'content-type': 'text/html' }).end(page); return; }
    const file = normalize(join(root, path));
    const allowed = file.startsWith(join(root, 'pkg/npm/')) || file.startsWith(join(root, 'tests/js/runtimes/'));
    if (!allowed || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const result = await page.evaluate(async ([sandboxInfo, name]) => {
      const op = await import('open-payments-wasm');
      const { runWithPackage } = await import('/tests/js/runtimes/scenario.mjs');
      return runWithPackage(op, sandboxInfo, name);
    }, [info, runtime]);
    record(runtime, result);
  } finally {
    await browser.close();
    server.close();
  }
}

test('headless Chromium', () => inChromium('.', 'chromium'));

test('headless Chromium, `open-payments-wasm/client` (the client build)', () => inChromium('./client', 'chromium-client'));

test('the official client runs the same scenario', async () => {
  const { stdout } = await run(process.execPath, [join(root, 'tests/js/runtimes/official.mjs'), JSON.stringify(info)], { cwd: root });
  record('official', JSON.parse(stdout.trim().split('\n').pop()));
});

test('every runtime, and the official client, did exactly the same to the sandbox', () => {
  const runtimes = Object.keys(results);
  assert.deepEqual(runtimes.sort(), ['bun', 'chromium', 'deno', 'edge-runtime', 'node', 'official', 'workerd',
    ...CLIENT_ONLY].sort());
  for (const name of runtimes) assert.deepEqual(results[name], results.node, `${name} differs from node`);
  assert.ok(results.node.bob === '1000', `bob received 10.00 EUR: ${JSON.stringify(results.node)}`);
  assert.ok(BigInt(results.node.alice) < 0n, 'alice paid');
});
