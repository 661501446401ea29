// The checkout benchmark (not a test): `node benches/checkout.mjs [runs]`.
//  1. Confirm -> receipt: from the click on "Confirm and pay" through the sandbox consent page
//     (Approve clicked in the form), the finish redirect and the receipt, on loopback, p50/p90.
//  2. What the checkout page transfers: HTML + CSS + JS + wasm, raw and gzip (level 9).
//  3. The edge function's cold start in workerd: `new Miniflare(...)` to the first response.
// Needs `.ci/build-pkg browser web` and the sandbox binary.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { startSandbox, shopEnv, pointer, CONFIG, root } from '../www/edge/stack.mjs';
import { startNodeEdge } from '../www/edge/node.mjs';
import { bundleWorker, createWorkerd } from '../www/edge/workerd.mjs';
import { CHROMIUM_ARGS } from '../www/demo.mjs';

const runs = Number(process.argv[2] ?? 20);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const rows = [];

// 1. Confirm -> receipt.
const rich = structuredClone(CONFIG);
rich.ases[1].wallets[0].balance = '100000000';
const sandbox = await startSandbox(rich);
const env = await shopEnv(sandbox);
const server = await startNodeEdge(env, 0);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const times = [];
try {
  const page = await browser.newPage();
  for (let i = 0; i < runs + 1; i++) {
    await page.goto(`${base}/checkout.html`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#wallet', pointer(sandbox.info.wallets.shopper));
    await page.click('#pay');
    await page.waitForSelector('#quote-step:not([hidden])');
    const t0 = performance.now();
    await page.click('#confirm');
    await page.click('#approve');
    await page.waitForSelector('body[data-receipt="paid"]', { timeout: 10000 }).catch(async (e) => {
      console.error(i, page.url(), (await page.locator('body').innerText()).slice(0, 400));
      throw e;
    });
    if (i > 0) times.push(performance.now() - t0); // the first run warms up
  }
} finally {
  await browser.close();
  server.close();
  sandbox.stop();
}
rows.push([`confirm -> receipt, p50 of ${times.length}`, `${pct(times, 0.5).toFixed(1)} ms`]);
rows.push([`confirm -> receipt, p90 of ${times.length}`, `${pct(times, 0.9).toFixed(1)} ms`]);

// 2. Page bytes.
let raw = 0;
let gz = 0;
for (const f of ['www/checkout.html', 'www/style.css', 'www/checkout.js', 'pkg/npm/lean.js', 'pkg/npm/lean/open_payments_wasm.js', 'pkg/npm/lean/open_payments_wasm_bg.wasm']) {
  const bytes = readFileSync(`${root}${f}`);
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += z;
  rows.push([`  ${f}`, `${bytes.length} B (gzip ${z} B)`]);
}
rows.push(['checkout page total (HTML+CSS+JS+wasm)', `${(raw / 1024).toFixed(1)} KB (gzip ${(gz / 1024).toFixed(1)} KB)`]);

// 3. workerd cold start (bundle built once beforehand; its time shown separately).
const b0 = performance.now();
const script = await bundleWorker();
rows.push(['esbuild bundle of the worker (once)', `${(performance.now() - b0).toFixed(0)} ms, ${(script.length / 1024).toFixed(1)} KB JS`]);
const colds = [];
const trivial = [];
const sb2 = await startSandbox();
const env2 = await shopEnv(sb2);
try {
  for (let i = 0; i < 5; i++) {
    let t0 = performance.now();
    let mf = await createWorkerd(env2, script);
    const first = await mf.dispatchFetch('http://127.0.0.1/checkout/receipt?r=x'); // wasm init, sealed-token refusal
    await first.arrayBuffer();
    if (first.status !== 400) throw new Error(`workerd answered ${first.status}`);
    trivial.push(performance.now() - t0);
    await mf.dispose();
    t0 = performance.now();
    mf = await createWorkerd(env2, script);
    // A real request through the handler: wasm instantiated, shop client created, wallet fetched.
    const res = await mf.dispatchFetch('http://127.0.0.1/checkout', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: { value: '100', assetCode: 'USD', assetScale: 2 }, walletAddress: pointer(sb2.info.wallets.shopper) }) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`workerd answered ${res.status}`);
    colds.push(performance.now() - t0);
    await mf.dispose();
  }
} finally { sb2.stop(); }
rows.push([`workerd cold start to first response (GET, 400), median of ${trivial.length}`, `${pct(trivial, 0.5).toFixed(0)} ms`]);
rows.push([`workerd cold start to first POST /checkout answer (7 signed or public sandbox calls), median of ${colds.length}`, `${pct(colds, 0.5).toFixed(0)} ms`]);

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'measure'.padEnd(w)} | value\n${'-'.repeat(w)}-|------`);
for (const [k, v] of rows) console.log(`${k.padEnd(w)} | ${v}`);
