// The checkout benchmark (not a test): `node benches/checkout.mjs [runs]`.
//  1. Confirm -> receipt: from the click on "Confirm and pay" through the sandbox consent page
//     (Approve clicked in the form), the finish redirect and the receipt, on loopback, p50/p90.
//  2. What the checkout page transfers: HTML + CSS + JS + wasm, raw and gzip (level 9).
//  3. The edge function's cold start in workerd: `new Miniflare(...)` to the first response.
// Needs `.ci/build-pkg browser web` and the sandbox binary.
//
// `node benches/checkout.mjs --load [checkouts] [in flight]` instead: load on the edge function
// (the Node adapter, www/edge/node.mjs, in a process of its own) against the release sandbox.
// 200 checkouts (default), at most 32 in flight, each finished twice concurrently (two GET
// /checkout/finish for the same approval, as a double submit or a reload does): exactly one
// outgoing payment per checkout (counted by listing the shopper's outgoing payments), balances
// exact, Pay -> receipt latency p50/p99, the edge process's RSS before and after (measured after a
// first, uncounted round of the same load). Needs the release sandbox: `cargo build --release
// --features sandbox --bin open-payments-sandbox` (or OP_SANDBOX_BIN). Prints a table; exits
// non-zero if money or a payment count is off.
import { readFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { startSandbox, shopEnv, pointer, CONFIG, root } from '../tests/js/support/sandbox.mjs';
import { startNodeEdge } from '../www/edge/node.mjs';
import { bundleWorker, createWorkerd } from '../www/edge/workerd.mjs';
import { CHROMIUM_ARGS } from '../www/demo.mjs';

const runs = Number(process.argv[2] ?? 20);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const rows = [];

if (process.argv[2] === '--load') {
  await load(Number(process.argv[3] ?? 200), Number(process.argv[4] ?? 32));
  process.exit(0);
}

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

// ------------------------------------------------------------------ --load

/** Load on the edge function: see the header. */
async function load(total, inFlight) {
  const AMOUNT = { value: '100', assetCode: 'USD', assetScale: 2 };
  const deadline = setTimeout(() => { console.error('load: aborted after 10 minutes'); process.exit(2); }, 600_000);
  deadline.unref();
  process.env.OP_SANDBOX_BIN ??= `${root}target/release/open-payments-sandbox`;
  if (!existsSync(process.env.OP_SANDBOX_BIN)) {
    throw new Error(`no sandbox binary at ${process.env.OP_SANDBOX_BIN}: cargo build --release --features sandbox --bin open-payments-sandbox`);
  }
  const op = createRequire(import.meta.url)('open-payments-wasm');
  const config = structuredClone(CONFIG);
  config.ases[1].wallets[0].balance = '100000000';
  const sandbox = await startSandbox(config);
  const { info } = sandbox;
  const edgeEnv = await shopEnv(sandbox);

  // The edge function in a process of its own (so its RSS is its own), answering memory questions
  // over IPC; `gc` first runs a full collection (--expose-gc).
  // The wasm instances' memories are noted as they are made, to tell wasm memory from the rest.
  const script = `
    const memories = [];
    const Instance = WebAssembly.Instance;
    WebAssembly.Instance = function (module, imports) {
      const instance = new Instance(module, imports);
      if (instance.exports.memory) memories.push(instance.exports.memory);
      return instance;
    };
    const { startNodeEdge } = await import(${JSON.stringify(pathToFileURL(`${root}www/edge/node.mjs`).href)});
    const server = await startNodeEdge(JSON.parse(process.env.EDGE_ENV), 0);
    const wasm = () => memories.reduce((n, m) => n + m.buffer.byteLength, 0);
    const report = () => process.send({ port: server.address().port, wasm: wasm(), ...process.memoryUsage() });
    process.on('message', (m) => { if (m === 'gc') globalThis.gc(); report(); });
    process.on('disconnect', () => process.exit(0));
    report();`;
  const edge = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', script],
    { env: { ...process.env, EDGE_ENV: JSON.stringify(edgeEnv) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const memory = (what = 'mem') => new Promise((resolve, reject) => {
    edge.once('message', resolve);
    edge.once('exit', (code) => reject(new Error(`edge process exited with ${code}`)));
    if (what !== 'first') edge.send(what);
  });
  const started = await memory('first');
  const base = `http://127.0.0.1:${started.port}`;
  const MB = (n) => `${(n / 1048576).toFixed(1)} MB`;

  // A client of our own (another shop key) with a list-all grant on the shopper's wallet: counts
  // the outgoing payments the load makes, whoever made them.
  const listKey = op.generateKeyPair(`load-counter-${Date.now()}`);
  await sandbox.dev('/dev/wallets/shop/keys', listKey.publicJwk());
  const counter = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: listKey, keyId: listKey.keyId });
  const shopper = await counter.walletAddress.get({ url: info.wallets.shopper });
  const interact = op.createInteractRequest('http://127.0.0.1/return');
  const pending = await counter.grant.request({ url: shopper.authServer }, {
    access_token: { access: [{ type: 'outgoing-payment', actions: ['list-all', 'read-all'], identifier: shopper.id }] }, interact });
  const approval = await sandbox.dev(`/dev/interactions/${pending.interact.redirect.split('/').pop()}/approve`, {});
  const listGrant = await counter.grant.continue({ url: pending.continue.uri, accessToken: pending.continue.access_token.value },
    { interact_ref: approval.interactRef });
  const payments = async () => {
    const all = [];
    for await (const p of counter.outgoingPayment.listAll({ url: shopper.resourceServer, walletAddress: shopper.id,
      accessToken: listGrant.access_token.value }, { first: 100 })) all.push(p);
    return all;
  };

  const timeout = () => AbortSignal.timeout(60_000);
  const failures = [];
  /** One checkout: Pay (POST /checkout), consent approved, two concurrent finishes, both receipts. */
  const checkout = async () => {
    const t0 = performance.now();
    const res = await fetch(`${base}/checkout`, { method: 'POST', signal: timeout(), headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: AMOUNT, walletAddress: pointer(info.wallets.shopper) }) });
    const started = await res.json();
    if (res.status !== 200) throw new Error(`POST /checkout ${res.status} ${JSON.stringify(started)}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.endsWith('=')).join('; ');
    const approved = await sandbox.dev(`/dev/interactions/${started.consentUrl.split('/').pop()}/approve`, {});
    const finish = async () => {
      const fin = await fetch(approved.redirect, { headers: { cookie }, redirect: 'manual', signal: timeout() });
      const location = fin.headers.get('location') ?? '';
      const text = await fin.text();
      if (fin.status !== 303 || !location.includes('receipt=')) throw new Error(`finish ${fin.status} ${location} ${text.slice(0, 300)}`);
      const r = new URL(location).searchParams.get('receipt');
      const rec = await fetch(`${base}/checkout/receipt?r=${r}`, { signal: timeout() });
      const receipt = await rec.json();
      if (rec.status !== 200) throw new Error(`receipt ${rec.status} ${JSON.stringify(receipt)}`);
      return { receipt, at: performance.now() };
    };
    const both = await Promise.all([finish(), finish()]);
    return { ms: Math.max(...both.map((b) => b.at)) - t0, first: Math.min(...both.map((b) => b.at)) - t0,
      debit: BigInt(started.quote.debitAmount.value), receipts: both.map((b) => b.receipt) };
  };
  const run = async (n, width) => {
    const results = [];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) {
        next++;
        try { results.push(await checkout()); } catch (e) { failures.push(e.message); }
      }
    }));
    return results;
  };

  try {
    // A first round of the same load (not counted) brings the edge process to its working size:
    // JIT, token and wallet address caches, V8's heap grown for 32 requests in flight. The RSS
    // before and after the measured round then shows whether anything accumulates.
    const warm = await run(total, inFlight);
    if (warm.length !== total) throw new Error(`warm-up: ${failures.join('; ')}`);
    const warmed = await memory('gc');
    const paymentsBefore = (await payments()).length;
    const balancesBefore = await sandbox.balances();
    const before = await memory();
    const t0 = performance.now();
    const results = await run(total, inFlight);
    const wall = performance.now() - t0;
    const after = await memory();
    const afterGc = await memory('gc');
    const balancesAfter = await sandbox.balances();
    const listed = await payments();
    const made = listed.length - paymentsBefore;

    const times = results.map((r) => r.ms);
    const firsts = results.map((r) => r.first);
    const debits = results.reduce((sum, r) => sum + r.debit, 0n);
    const ids = new Set(results.flatMap((r) => r.receipts.map((x) => x.outgoingPaymentId).filter(Boolean)));
    const onePerCheckout = results.every((r) => new Set(r.receipts.map((x) => x.outgoingPaymentId).filter(Boolean)).size === 1);
    const reconciled = results.reduce((n, r) => n + r.receipts.filter((x) => x.outgoingPaymentId === null).length, 0);
    const paid = results.every((r) => r.receipts.every((x) => x.paid === true));
    // A reconciling finish may read the incoming payment before the other finish completed it.
    const completed = results.reduce((n, r) => n + r.receipts.filter((x) => x.incomingPayment.completed === true).length, 0);
    const shopGot = balancesAfter.shop - balancesBefore.shop;
    const shopperPaid = balancesBefore.shopper - balancesAfter.shopper;
    const listedDebits = listed.slice(0, made).reduce((sum, p) => sum + BigInt(p.debitAmount.value), 0n);
    const ok = failures.length === 0 && results.length === total && made === total && ids.size === total && onePerCheckout && paid
      && shopGot === BigInt(total) * BigInt(AMOUNT.value) && shopperPaid === debits;
    const table = [
      ['checkouts (Pay, consent approved, two concurrent GET /checkout/finish, both receipts)', `${results.length} of ${total}, ${inFlight} in flight, ${failures.length} failed`],
      ['outgoing payments made (listed on the shopper\'s wallet: after - before)', `${made} (expected ${total})`],
      ['distinct outgoing payment ids on the receipts (one per checkout)', `${ids.size}${onePerCheckout ? '' : ' (a checkout shows two!)'}`],
      ['second finishes answered by reconciling (no second payment attempted)', `${reconciled} of ${results.length}`],
      ['every receipt says paid', paid ? 'yes' : 'NO'],
      ['receipts that show the incoming payment completed', `${completed} of ${2 * results.length}`],
      ['shop balance change (USD minor units)', `+${shopGot} (expected +${BigInt(total) * BigInt(AMOUNT.value)})`],
      ['shopper balance change (EUR minor units)', `-${shopperPaid} (sum of the quotes' debitAmount: ${debits}; of the listed payments: ${listedDebits})`],
      ['Pay -> receipt (both finishes answered, both receipts read), p50 / p99 / max', `${pct(times, 0.5).toFixed(0)} / ${pct(times, 0.99).toFixed(0)} / ${Math.max(...times).toFixed(0)} ms`],
      ['Pay -> first receipt (the faster of the two finishes), p50 / p99', `${pct(firsts, 0.5).toFixed(0)} / ${pct(firsts, 0.99).toFixed(0)} ms`],
      ['throughput', `${(results.length / (wall / 1000)).toFixed(1)} checkouts/s (${(wall / 1000).toFixed(1)} s)`],
      ['edge process RSS: started / after the warm-up round', `${MB(started.rss)} / ${MB(warmed.rss)}`],
      ['edge process RSS: before / after the measured round / after it and a GC', `${MB(before.rss)} / ${MB(after.rss)} / ${MB(afterGc.rss)}`],
      ['edge process JS heap used (after GC): started / before / after', `${MB(started.heapUsed)} / ${MB(before.heapUsed)} / ${MB(afterGc.heapUsed)}`],
      ['edge process wasm memory: started / before / after', `${MB(started.wasm)} / ${MB(before.wasm)} / ${MB(afterGc.wasm)}`],
    ];
    const w = Math.max(...table.map((r) => r[0].length));
    console.log(`| ${'measure'.padEnd(w)} | value |\n|${'-'.repeat(w + 2)}|-------|`);
    for (const [k, v] of table) console.log(`| ${k.padEnd(w)} | ${v} |`);
    for (const f of failures.slice(0, 5)) console.error(`failure: ${f}`);
    if (!ok) {
      console.error('load: money or payment count is off (see the table)');
      process.exitCode = 1;
    }
  } finally {
    edge.disconnect();
    edge.kill();
    sandbox.stop();
  }
  if (process.exitCode) process.exit(process.exitCode);
}
