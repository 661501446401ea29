// The package as users get it, in every toolchain they build with. Each folder here is a small
// real project pinning its toolchain in its own package-lock.json. Every project is copied to a
// fresh temp folder, installed with `npm ci` (one shared npm cache), given the package from its
// `npm pack` tarball (`npm install --no-save <tarball>`, as a user installs it), built with the
// toolchain's defaults and run:
//   vite, webpack, parcel, rollup  the page (src/) in headless Chromium: an amount formatted and
//                                  a wallet address fetched from the sandbox; built twice, with
//                                  the main entry and with `open-payments-wasm/public`
//   wrangler                       `wrangler deploy --dry-run --outdir`, the output run in
//                                  Miniflare (workerd): one signed grant request
//   next                           `next build` + `next start`: route handlers in the Node and the
//                                  edge runtime, one signed grant request each over plain HTTP
//   deno-bun                       Deno and Bun run main.js from node_modules: one signed grant
//   typescript                     tsc (module node16) over an .mts and a .cts file, then both run
// Every bundle must carry the .wasm once. The gzip bytes of each browser page and Worker are
// printed (benches/README.md keeps the table); OP_OFFICIAL=1 also builds the same page and
// Worker with the official @interledger/open-payments client (official/), where it builds at all.
// Needs `.ci/build-pkg` (pkg/npm) and the sandbox binary. Run: node --test tests/toolchains/
// (--test-name-pattern=vite for one toolchain; OP_TARBALL=/path/to.tgz for another build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { chromium } from 'playwright-core';
import { startSandbox, shopEnv } from '../js/support/sandbox.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// No telemetry, update checks or downloads from the toolchains; one npm cache for every project.
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', WRANGLER_SEND_METRICS: 'false', DENO_NO_UPDATE_CHECK: '1',
  CI: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
const bin = (name) => join(root, 'node_modules', '.bin', name);

let work, tarball, sandbox, env, browser;
const bytes = [];
const timings = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'op-toolchains-'));
  // OP_TARBALL: try another build of the package (e.g. a published one) instead of pkg/npm.
  if (process.env.OP_TARBALL) {
    tarball = process.env.OP_TARBALL;
  } else {
    const { stdout } = await run('npm', ['pack', '--json', '--offline', '--pack-destination', work, './pkg/npm'], { cwd: root });
    tarball = join(work, JSON.parse(stdout)[0].filename);
  }
  sandbox = await startSandbox(null);
  env = await shopEnv(sandbox);
});

after(async () => {
  await browser?.close();
  sandbox?.stop();
  if (bytes.length) {
    console.log('\nbytes shipped (gzip -9 of each file, summed)\n| toolchain | what | files | raw | gzip | note |\n|---|---|---:|---:|---:|---|');
    for (const b of bytes) console.log(`| ${b.toolchain} | ${b.what} | ${b.files} | ${b.raw} | ${b.gzip} | ${b.note} |`);
  }
  console.log(`\ntimes (s): ${timings.map(([n, s]) => `${n} ${s.toFixed(1)}`).join(', ')}`);
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Copies a project out of the repo, `npm ci`, then installs the packed package. */
async function project(name) {
  const dir = join(work, name);
  cpSync(join(here, name), dir, { recursive: true, filter: (src) => !/\/(node_modules|dist|\.next|\.parcel-cache)$/.test(src) });
  await run('npm', ['ci', '--prefer-offline'], { cwd: dir, env: ENV });
  await run('npm', ['install', '--no-save', '--prefer-offline', tarball], { cwd: dir, env: ENV });
  return dir;
}

async function timed(name, fn) {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    timings.push([name, (performance.now() - start) / 1000]);
  }
}

function files(dir) {
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

function measure(toolchain, what, paths, note = '') {
  const contents = paths.map((p) => readFileSync(p));
  bytes.push({ toolchain, what, note, files: paths.length,
    raw: contents.reduce((n, c) => n + c.length, 0), gzip: contents.reduce((n, c) => n + gzipSync(c, { level: 9 }).length, 0) });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json' };

/**
 * Serves `site`, opens `page` in headless Chromium with ?wallet=<alice> and answers what the page
 * set (data-result or data-error) and every file it downloaded (the bytes a browser page ships).
 */
async function browse(site, page) {
  const served = [];
  const server = createServer((req, res) => {
    const file = normalize(join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!file.startsWith(site) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
    served.push(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser ??= await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    const url = `http://127.0.0.1:${server.address().port}/${page}?wallet=${encodeURIComponent(sandbox.info.wallets.alice)}`;
    await tab.goto(url);
    await tab.waitForFunction(() => document.body?.dataset.result || document.body?.dataset.error, null, { timeout: 30_000 })
      .catch(() => {});
    const { result, error } = await tab.evaluate(() => ({ ...document.body.dataset }));
    const downloaded = [...new Set(served)].filter((f) => !f.endsWith('.html'));
    return { result: result && JSON.parse(result), error: error ?? (result ? undefined : `no result; ${errors.join('; ')}`), downloaded };
  } finally {
    await tab.close();
    server.close();
  }
}

function oneWasm(toolchain, dir) {
  const wasm = files(dir).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `${toolchain}: one .wasm in ${relative(work, dir)}: ${wasm.map((f) => relative(dir, f))}`);
}

// OP_OFFICIAL=1: also build the same page and Worker with the official @interledger/open-payments
// client, where the toolchain builds it at all, and print its bytes (benches/README.md).
const OFFICIAL = process.env.OP_OFFICIAL === '1' ? '@interledger/open-payments@7.4.0' : null;

/** Builds the official client's page (or Worker) in `dir` in place of ours; what happened. */
async function official(toolchain, dir, source, build, what) {
  await run('npm', ['install', '--no-save', '--prefer-offline', OFFICIAL], { cwd: dir, env: ENV });
  cpSync(join(here, 'official', what === 'Worker' ? 'worker.js' : 'page.js'), join(dir, source));
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  try {
    await run(build[0], build.slice(1), { cwd: dir, env: ENV, maxBuffer: 1 << 24 });
  } catch (e) {
    const lines = `${e.stdout}\n${e.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    const first = [/Can't resolve|Cannot load|Cannot find|Could not resolve|is not exported|@parcel\/[\w-]+: /, /error/i]
      .map((re) => lines.find((l) => re.test(l))).find(Boolean) ?? 'build failed';
    bytes.push({ toolchain, what: `${what}, official client`, files: 0, raw: 0, gzip: 0, note: `does not build: ${first.trim().slice(0, 160)}` });
    return null;
  }
  return join(dir, 'dist');
}

// The page, built twice: with the package's main entry, and with `open-payments-wasm/public`
// (amounts, wallet addresses and the unauthenticated client, without keys or signing).
const PAGES = [['open-payments-wasm', 'browser page'], ['open-payments-wasm/public', 'browser page, /public entry']];
for (const [toolchain, source, build] of [
  ['vite', 'src/main.js', ['npx', 'vite', 'build']],
  ['webpack', 'src/index.js', ['npx', 'webpack', '--mode', 'production']],
  ['parcel', 'src/main.js', ['npx', 'parcel', 'build', 'index.html', '--no-cache']],
  ['rollup', 'src/main.js', ['npx', 'rollup', '-c']],
]) {
  test(`${toolchain}: the page in headless Chromium (main and /public entries)`, () => timed(toolchain, async () => {
    const dir = await project(toolchain);
    // Vite and Parcel write the page into dist (served as the site root); the webpack and
    // Rollup pages are the project's own index.html, loading dist/main.js.
    const site = () => (existsSync(join(dir, 'dist', 'index.html')) ? join(dir, 'dist') : dir);
    const code = readFileSync(join(dir, source), 'utf8');
    for (const [specifier, what] of PAGES) {
      writeFileSync(join(dir, source), code.replace("from 'open-payments-wasm'", `from '${specifier}'`));
      rmSync(join(dir, 'dist'), { recursive: true, force: true });
      await run(build[0], build.slice(1), { cwd: dir, env: ENV, maxBuffer: 1 << 24 });
      oneWasm(toolchain, join(dir, 'dist'));
      const { result, error, downloaded } = await browse(site(), 'index.html');
      assert.equal(error, undefined, `${toolchain} (${specifier}): ${error}`);
      assert.deepEqual(result, { price: '1,234.56', assetCode: 'USD', id: sandbox.info.wallets.alice });
      assert.equal(downloaded.filter((f) => f.endsWith('.wasm')).length, 1, `${toolchain}: the page fetches one .wasm`);
      measure(toolchain, what, downloaded);
    }
    if (OFFICIAL) {
      const out = await official(toolchain, dir, source, build, 'browser page');
      if (out) {
        const { error, downloaded } = await browse(site(), 'index.html');
        measure(toolchain, 'browser page, official client', downloaded, error ? `builds; fails in the page: ${error.split('\n')[0]}` : 'builds and runs');
      }
    }
  }));
}

test('wrangler: `deploy --dry-run` output run in Miniflare, one signed grant request', () => timed('wrangler', async () => {
  const dir = await project('wrangler');
  const build = ['npx', 'wrangler', 'deploy', '--dry-run', '--outdir', 'dist'];
  await run(build[0], build.slice(1), { cwd: dir, env: ENV });
  const out = join(dir, 'dist');
  oneWasm('wrangler', out);
  const bindings = { SHOP_WALLET_ADDRESS: env.SHOP_WALLET_ADDRESS, SHOP_PRIVATE_KEY: env.SHOP_PRIVATE_KEY, SHOP_KEY_ID: env.SHOP_KEY_ID };
  /** Runs the Worker in `out` in workerd (Miniflare): its status and body. */
  const worker = async (flags = []) => {
    // The main module first: Miniflare runs the first module.
    const shipped = files(out).filter((f) => /\.(m?js|wasm)$/.test(f)).sort((a, b) => a.endsWith('.wasm') - b.endsWith('.wasm'));
    const mf = new Miniflare({
      modulesRoot: out,
      modules: shipped.map((f) => ({ type: f.endsWith('.wasm') ? 'CompiledWasm' : 'ESModule', path: f })),
      compatibilityDate: '2026-04-01', compatibilityFlags: flags, bindings,
    });
    try {
      const res = await mf.dispatchFetch('http://worker/');
      return { status: res.status, text: await res.text(), shipped };
    } finally {
      await mf.dispose();
    }
  };
  const { status, text, shipped } = await worker();
  assert.equal(status, 200, text);
  assert.deepEqual(JSON.parse(text), { runtime: 'workerd', authServer: `${new URL(env.SHOP_WALLET_ADDRESS).origin}/bank-a/auth`, token: true });
  measure('wrangler', 'Worker', shipped);
  if (OFFICIAL) {
    if (await official('wrangler', dir, 'src/index.js', build, 'Worker')) {
      measure('wrangler', 'Worker, official client', (await worker()).shipped, 'builds');
    }
    // The official client needs Node's modules: the same with `nodejs_compat`.
    writeFileSync(join(dir, 'wrangler.toml'), `${readFileSync(join(dir, 'wrangler.toml'), 'utf8')}compatibility_flags = ["nodejs_compat"]\n`);
    if (await official('wrangler + nodejs_compat', dir, 'src/index.js', build, 'Worker')) {
      const ran = await worker(['nodejs_compat']);
      measure('wrangler + nodejs_compat', 'Worker, official client', ran.shipped,
        ran.status === 200 ? 'builds and runs' : `builds; fails in workerd: ${JSON.parse(ran.text).error?.split('\n')[0]}`);
    }
  }
}));

/** A free port on 127.0.0.1. */
async function freePort() {
  const s = createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

let nextDir;
for (const bundler of ['turbopack', 'webpack']) {
  test(`next (${bundler}): \`next build${bundler === 'webpack' ? ' --webpack' : ''}\` + \`next start\`, route handlers in the Node and the edge runtime`,
    () => timed(`next ${bundler}`, () => nextBuildAndStart(bundler)));
}

async function nextBuildAndStart(bundler) {
  nextDir ??= await project('next');
  const dir = nextDir;
  rmSync(join(dir, '.next'), { recursive: true, force: true });
  await run('npx', ['next', 'build', ...(bundler === 'webpack' ? ['--webpack'] : [])], { cwd: dir, env: ENV, maxBuffer: 1 << 24 });
  // The edge route imports the .wasm as a module (one file); the Node route's chunk inlines it.
  const wasm = files(join(dir, '.next')).filter((f) => f.endsWith('.wasm') && !f.includes('/.next/cache/'));
  assert.equal(wasm.length, 1, `next (${bundler}): one .wasm in .next: ${wasm.map((f) => relative(dir, f))}`);
  const port = await freePort();
  const server = spawn(join(dir, 'node_modules', '.bin', 'next'), ['start', '-p', String(port), '-H', '127.0.0.1'],
    { cwd: dir, env: { ...ENV, SHOP_WALLET_ADDRESS: env.SHOP_WALLET_ADDRESS, SHOP_PRIVATE_KEY: env.SHOP_PRIVATE_KEY,
      SHOP_KEY_ID: env.SHOP_KEY_ID }, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let log = '';
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try { await fetch(`http://127.0.0.1:${port}/`); break; } catch (e) {
        if (Date.now() > deadline) throw new Error(`next start did not listen: ${log}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    for (const [path, runtime] of [['/api/node', 'nodejs'], ['/api/edge', 'edge']]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      const text = await res.text();
      assert.equal(res.status, 200, `${path}: ${text}\n${log}`);
      assert.deepEqual(JSON.parse(text), { runtime, authServer: `${new URL(env.SHOP_WALLET_ADDRESS).origin}/bank-a/auth`, token: true });
    }
  } finally {
    server.kill();
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve()));
  }
}

test('deno and bun: main.js from node_modules, one signed grant request each', () => timed('deno-bun', async () => {
  const dir = await project('deno-bun');
  const runEnv = { ...ENV, SHOP_WALLET_ADDRESS: env.SHOP_WALLET_ADDRESS, SHOP_PRIVATE_KEY: env.SHOP_PRIVATE_KEY, SHOP_KEY_ID: env.SHOP_KEY_ID };
  for (const cmd of [[bin('deno'), 'run', '--allow-read', '--allow-net', '--allow-env', 'main.js'], [bin('bun'), 'main.js']]) {
    const { stdout } = await run(cmd[0], cmd.slice(1), { cwd: dir, env: runEnv });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop()),
      { authServer: `${new URL(env.SHOP_WALLET_ADDRESS).origin}/bank-a/auth`, token: true, price: '1,234.56' }, cmd[0]);
  }
}));

test('typescript: tsc over an ES module and a CommonJS module, both run', () => timed('typescript', async () => {
  const dir = await project('typescript');
  await run('npx', ['tsc', '-p', '.'], { cwd: dir, env: ENV }).catch((e) => { throw new Error(`${e.stdout}${e.stderr}`); });
  for (const [file, module] of [['dist/esm.mjs', 'esm'], ['dist/cjs.cjs', 'cjs']]) {
    const { stdout } = await run(process.execPath, [file], { cwd: dir });
    assert.deepEqual(JSON.parse(stdout), { module, price: '1,234.56' });
  }
}));
