// Signing speed in Node: this package (wasm) vs the official @interledger/http-signature-utils,
// plus the native Rust numbers when `cargo bench --bench signature_native` output is piped in.
//
//   .ci/build-pkg nodejs
//   node benches/signature.mjs            # wasm vs official
//   cargo bench --bench signature_native 2>/dev/null | node benches/signature.mjs   # adds the native rows
//
// Workload: POST with a 300-byte compact JSON body and an Authorization header; "sign" = Content-Digest
// (sha-512) + signature base + Ed25519, "verify" = the same checks on the receiving side.
// OPW_PKG overrides the package entry point.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const opw = require(process.env.OPW_PKG ?? 'open-payments-wasm');
const official = require('@interledger/http-signature-utils');

function body300() {
  let body = '{"walletAddress":"https://wallet.example/alice","incomingAmount":{"value":"2500","assetCode":"USD","assetScale":2},"metadata":{"description":"Invoice 2024-0042 for consulting services","note":"';
  while (body.length < 297) body += 'x';
  body += '"}}';
  if (Buffer.byteLength(body) !== 300) throw new Error('body is not 300 bytes');
  return body;
}

const request = {
  method: 'POST',
  url: 'https://wallet.example/alice/incoming-payments',
  headers: { Authorization: 'GNAP OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0' },
  body: body300(),
};

async function measure(fn, ms = 300, rounds = 5) {
  for (let i = 0; i < 200; i++) await fn();
  const rates = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      await fn();
      n++;
    }
    rates.push((n * 1000) / (performance.now() - start));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

async function readNative() {
  if (process.stdin.isTTY) return {};
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const out = {};
  for (const m of text.matchAll(/\| native Rust \| (sign|verify) \+ digest \|\s*(\d+)/g)) out[m[1]] = Number(m[2]);
  return out;
}

const native = await readNative();

// This package.
const key = opw.generateKeyPair('bench-key');
const jwks = opw.createJwks([key]);
const added = opw.signRequest(request, key);
const signedForUs = { ...request, headers: { ...request.headers, ...added } };
const now = Math.floor(Date.now() / 1000);
opw.verifyRequest(signedForUs, jwks, { now });

// The official package (node:crypto inside).
const { privateKey } = crypto.generateKeyPairSync('ed25519');
const jwk = official.generateJwk({ privateKey, keyId: 'bench-key' });
const theirs = await official.createHeaders({ request: { ...request, headers: { ...request.headers } }, privateKey, keyId: 'bench-key' });
const signedForThem = { method: request.method, url: request.url, body: request.body, headers: {} };
for (const [k, v] of Object.entries({ ...request.headers, ...theirs })) signedForThem.headers[k.toLowerCase()] = String(v);
if (!(await official.validateSignature(jwk, signedForThem))) throw new Error('official verify failed');

const rows = [];
rows.push(['this package (wasm, Node)', 'sign + digest', await measure(() => opw.signRequest(request, key, { created: now }))]);
rows.push(['this package (wasm, Node)', 'verify + digest', await measure(() => opw.verifyRequest(signedForUs, jwks, { now }))]);
rows.push(['official http-signature-utils', 'sign + digest', await measure(() => official.createHeaders({ request: { ...request, headers: { ...request.headers } }, privateKey, keyId: 'bench-key' }))]);
rows.push(['official http-signature-utils', 'verify + digest', await measure(async () => {
  official.validateSignatureHeaders(signedForThem);
  await official.validateSignature(jwk, signedForThem);
})]);
if (native.sign) rows.unshift(['native Rust', 'sign + digest', native.sign], ['native Rust', 'verify + digest', native.verify]);

const officialRate = Object.fromEntries(rows.filter((r) => r[0].startsWith('official')).map((r) => [r[1], r[2]]));
console.log(`Node ${process.version}; medians of 5 x 300 ms`);
console.log('| implementation | operation | ops/s | vs official |');
console.log('|---|---|---:|---:|');
for (const [impl, op, rate] of rows) {
  console.log(`| ${impl} | ${op} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / officialRate[op]).toFixed(2)}x |`);
}
key.free();
