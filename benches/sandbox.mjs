// The sandbox ASE under load (not a test): `node benches/sandbox.mjs [requests per case] [concurrency]`.
// Starts the sandbox binary on 127.0.0.1 (`--port 0`), measures on loopback, stops it, prints a
// markdown table: requests per second and p50 / p99 latency for
//   - GET wallet address (unsigned; the floor of the HTTP path),
//   - GET incoming-payment, signed (Ed25519 HTTP message signature + GNAP token),
//   - POST outgoing-payment, signed, each from `incomingPayment` + `debitAmount` (1 cent, USD to
//     USD: no fee, no quote needed) under one approved grant with a large enough debit limit.
// Requests are signed with the package (pkg/nodejs `signRequest`); latency is from signing to the
// response body read, per request. Bounded: defaults 2,000 requests per case, concurrency 16,
// and the whole run is aborted after 60 s.
// Needs `.ci/build-pkg nodejs` and the sandbox binary: target/release if built
// (`cargo build --release --features sandbox --bin open-payments-sandbox`), else target/debug,
// or OP_SANDBOX_BIN.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

const require = createRequire(import.meta.url);
const op = require('open-payments-wasm');
const root = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const WARMUP = 100;

// The release binary when built (signature verification in a debug build is ~10x slower).
const exe = process.env.OP_SANDBOX_BIN
  ?? [`${root}target/release/open-payments-sandbox`, `${root}target/debug/open-payments-sandbox`].find(existsSync);
if (!exe || !existsSync(exe)) {
  console.error('no sandbox binary: cargo build --release --features sandbox --bin open-payments-sandbox');
  process.exit(2);
}
const sandbox = spawn(exe, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const watchdog = setTimeout(() => {
  console.error('benchmark took longer than 60 s: aborted');
  sandbox.kill();
  process.exit(1);
}, 60_000);
const info = JSON.parse(await new Promise((resolve, reject) => {
  createInterface({ input: sandbox.stdout }).once('line', resolve);
  sandbox.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
}));

function check(ok, what) {
  if (!ok) throw new Error(what);
}

const key = op.generateKeyPair('bench');
const reg = await fetch(`${info.baseUrl}/dev/wallets/shop/keys`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(key.publicJwk()),
});
check(reg.status === 201, `key registration: ${reg.status}`);

/** A signed request with the package's signRequest; resolves to the parsed JSON answer. */
async function signed(method, url, { token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `GNAP ${token}`;
  const text = body === undefined ? undefined : JSON.stringify(body);
  if (text !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, op.signRequest({ method, url, headers, body: text }, key));
  delete headers['Content-Length']; // fetch sets it from the body
  const res = await fetch(url, { method, headers: { accept: 'application/json', ...headers }, body: text });
  const answer = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${answer}`);
  return JSON.parse(answer);
}

const getJson = async (url) => {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  check(res.ok, `${url}: ${res.status}`);
  return res.json();
};

// Setup: an incoming payment at shop (USD, open amount), a token to read it, and an approved
// outgoing-payment grant of alice with a debit limit that covers every payment of the run.
const alice = await getJson(info.wallets.alice);
const shop = await getJson(info.wallets.shop);
const client = info.wallets.shop;
const ig = await signed('POST', shop.authServer, { body: { client,
  access_token: { access: [{ type: 'incoming-payment', actions: ['create', 'read'], identifier: shop.id }] } } });
const incoming = await signed('POST', `${shop.resourceServer}/incoming-payments`, { token: ig.access_token.value,
  body: { walletAddress: shop.id } });
const payments = N + WARMUP;
const balance = BigInt((await getJson(`${info.baseUrl}/dev/balances/alice`)).value);
check(balance >= BigInt(payments), `alice's balance ${balance} covers ${payments} payments of 1 cent`);
const pending = await signed('POST', alice.authServer, { body: { client,
  access_token: { access: [{ type: 'outgoing-payment', actions: ['create'], identifier: alice.id,
    limits: { debitAmount: { value: String(payments), assetCode: 'USD', assetScale: 2 } } }] },
  interact: { start: ['redirect'], finish: { method: 'redirect', uri: 'http://127.0.0.1/return', nonce: 'bench-nonce' } } } });
const approvedRes = await fetch(`${info.baseUrl}/dev/interactions/${pending.interact.redirect.split('/').pop()}/approve`, { method: 'POST' });
check(approvedRes.ok, `approve: ${approvedRes.status}`);
const approved = await approvedRes.json();
const grant = await signed('POST', pending.continue.uri, { token: pending.continue.access_token.value,
  body: { interact_ref: approved.interactRef } });
const outgoingToken = grant.access_token.value;

/** Runs `one(i)` `count` times with `CONCURRENCY` in flight; latencies in ms and the wall time. */
async function load(count, one) {
  const latencies = new Array(count);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      const i = next++;
      const start = performance.now();
      await one(i);
      latencies[i] = performance.now() - start;
    }
  }));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

const cases = [
  ['GET wallet address (unsigned)', () => getJson(info.wallets.alice)],
  ['GET incoming-payment (signed, GNAP token)', async () => {
    const p = await signed('GET', incoming.id, { token: ig.access_token.value });
    check(p.id === incoming.id, 'incoming payment read');
  }],
  ['POST outgoing-payment (signed, incomingPayment + debitAmount)', async () => {
    const p = await signed('POST', `${alice.resourceServer}/outgoing-payments`, { token: outgoingToken,
      body: { walletAddress: alice.id, incomingPayment: incoming.id, debitAmount: { value: '1', assetCode: 'USD', assetScale: 2 } } });
    check(p.failed === false && p.sentAmount.value === '1', `payment settled: ${JSON.stringify(p)}`);
  }],
];

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const rows = [];
try {
  for (const [name, one] of cases) {
    await load(WARMUP, one);
    const { latencies, seconds } = await load(N, one);
    const sorted = latencies.sort((a, b) => a - b);
    rows.push(`| ${name} | ${N} | ${CONCURRENCY} | ${Math.round(N / seconds).toLocaleString('en-US')} | ${pct(sorted, 0.5).toFixed(2)} | ${pct(sorted, 0.99).toFixed(2)} |`);
  }
  const after = BigInt((await getJson(`${info.baseUrl}/dev/balances/alice`)).value);
  check(balance - after === BigInt(payments), `alice paid ${balance - after} cents for ${payments} payments`);
} finally {
  clearTimeout(watchdog);
  sandbox.kill();
}

const build = exe.includes('/release/') ? 'release' : exe.includes('/debug/') ? 'debug' : 'custom';
console.log(`## Sandbox on loopback (${build} binary, Node ${process.version}, ${cpus().length} cores)\n`);
console.log('| request | requests | concurrency | req/s | p50 ms | p99 ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
