// Which Ed25519 signer serves each runtime: signed `incomingPayment.get` calls per second against
// an in-memory fetch (benches/signers-payload.mjs), through the client as the package sets itself
// up there and through one that signs in wasm, in Node, Deno, Bun, Cloudflare workerd (miniflare),
// headless Chromium, Firefox and WebKit, each with the entries its conditions pick (`.` and
// `./client`).
// Usage: node benches/signers.mjs   (needs `.ci/build-pkg` and `.ci/setup`)
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { workerdWorker } from '../tests/js/support/bundling.mjs';
import { openSession } from '../tests/js/support/engines-webdriver.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = promisify(execFile);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const RUNNER = `import * as op from 'open-payments-wasm';
import { measure } from ${JSON.stringify(join(root, 'benches/signers-payload.mjs'))};
console.log(JSON.stringify(await measure(op)));`;

async function inNode() {
  const { measure } = await import('./signers-payload.mjs');
  return measure(await import('open-payments-wasm'));
}

async function inProcess(command, args) {
  const { stdout } = await run(command, args, { cwd: root });
  return JSON.parse(stdout.trim().split('\n').pop());
}

/** workerd's clock stands still while code runs: bursts are timed from here, per request. */
async function inWorkerd(subpath) {
  const { mf } = await workerdWorker(root, {
    stdin: {
      contents: `import * as op from 'open-payments-wasm';
import { prepare, burst } from './benches/signers-payload.mjs';
let clients;
export default { async fetch(request) {
  clients ??= await prepare(op);
  const { which, n } = await request.json();
  await burst(clients[which], n);
  return Response.json({ webCryptoSignatures: clients.webCryptoSignatures() });
} };`,
      resolveDir: root, loader: 'js',
    },
  }, subpath);
  try {
    const send = async (which, n) => (await mf.dispatchFetch('http://worker/', { method: 'POST', body: JSON.stringify({ which, n }) })).json();
    for (const which of ['chosen', 'wasm']) await send(which, 300);
    const before = (await send('chosen', 0)).webCryptoSignatures;
    const after = (await send('chosen', 10)).webCryptoSignatures;
    const rates = { chosen: [], wasm: [] };
    for (let r = 0; r < 10; r++) {
      for (const which of r % 2 ? ['wasm', 'chosen'] : ['chosen', 'wasm']) {
        const t0 = performance.now();
        await send(which, 300);
        rates[which].push(300 / ((performance.now() - t0) / 1000));
      }
    }
    return { signer: after - before >= 10 ? 'WebCrypto' : 'wasm', chosen: median(rates.chosen), wasm: median(rates.wasm) };
  } finally {
    await mf.dispose();
  }
}

/** A page that maps the bare name to the entry the `browser` condition picks for `subpath`. */
async function servePage(subpath) {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules/open-payments-wasm/package.json'), 'utf8'));
  const entry = new URL(manifest.exports[subpath].browser, 'http://x/pkg/npm/').pathname;
  // The page's module imports both (scripts that WebDriver runs cannot use the import map).
  const page = `<!doctype html><title>signers</title>
<script type="importmap">${JSON.stringify({ imports: { 'open-payments-wasm': entry } })}</script>
<script type="module">import * as op from 'open-payments-wasm';
import { measure } from '/benches/signers-payload.mjs';
window.measureSigners = () => measure(op);</script>`;
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') { res.writeHead(200, { 'content-type': 'text/html' }).end(page); return; }
    const file = normalize(join(root, path));
    const allowed = file.startsWith(join(root, 'pkg/npm/')) || file === join(root, 'benches/signers-payload.mjs');
    if (!allowed || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

async function inChromium(subpath) {
  const page = await servePage(subpath);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const tab = await browser.newPage();
    await tab.goto(page.url);
    await tab.waitForFunction(() => window.measureSigners !== undefined);
    return await tab.evaluate(() => window.measureSigners());
  } finally {
    await browser.close();
    page.close();
  }
}

/** Firefox and WebKit over WebDriver, as tests/js/engines.test.mjs drives them. */
async function inWebDriver(engine, subpath) {
  const page = await servePage(subpath);
  const session = await openSession(engine);
  try {
    await session.driver.get(page.url);
    await session.driver.manage().setTimeouts({ script: 120000 });
    return await session.driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
      (async () => {
        while (window.measureSigners === undefined) await new Promise((r) => setTimeout(r, 50));
        return window.measureSigners();
      })().then(done, (e) => done({ signer: 'failed: ' + e, chosen: 0, wasm: 1 }));`);
  } finally {
    await session.quit();
    page.close();
  }
}

const runs = [
  ['Node 20 (`node` condition)', inNode],
  ['Deno', () => inProcess(bin('deno'), ['eval', '--quiet', RUNNER])],
  ['Bun', () => inProcess(bin('bun'), ['-e', RUNNER])],
  ['workerd (miniflare), `.`', () => inWorkerd('.')],
  ['workerd (miniflare), `./client`', () => inWorkerd('./client')],
  ['headless Chromium, `.`', () => inChromium('.')],
  ['headless Chromium, `./client`', () => inChromium('./client')],
  ['Firefox (firefox-esr), `.`', () => inWebDriver('firefox', '.')],
  ['Firefox (firefox-esr), `./client`', () => inWebDriver('firefox', './client')],
  ['WebKit (WebKitGTK), `.`', () => inWebDriver('webkit', '.')],
  ['WebKit (WebKitGTK), `./client`', () => inWebDriver('webkit', './client')],
];
const rows = [];
for (const [name, measure] of runs) {
  try {
    const r = await measure();
    rows.push(`| ${name} | ${r.signer} | ${Math.round(r.chosen).toLocaleString('en-US')} | ${Math.round(r.wasm).toLocaleString('en-US')} | ${(r.chosen / r.wasm).toFixed(2)}x |`);
  } catch (e) {
    rows.push(`| ${name} | failed: ${String(e.message ?? e).split('\n')[0]} | | | |`);
  }
}
console.log('\n### Signed `incomingPayment.get` against an in-memory fetch, ops/s (median of 10 interleaved rounds, each client first in every other)\n');
console.log('| runtime | signer the package chose | ops/s, as chosen | ops/s, wasm signer | chosen ÷ wasm |');
console.log('|---|---|---:|---:|---:|');
for (const row of rows) console.log(row);
