// Interop with the official signer/verifier (@interledger/http-signature-utils, which Rafiki uses).
// Run after building the Node package:
//   .ci/build-pkg nodejs
//   node --test tests/js/
// OPW_PKG overrides the package entry point (default: the package by name, pkg/npm built by .ci/build-pkg).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const opw = require(process.env.OPW_PKG ?? 'open-payments-wasm');
const official = require('@interledger/http-signature-utils');

const COUNT = 240;

// Deterministic pseudo-random generator so a failure can be reproduced.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alice', 'bob', 'café', 'naïve', 'Zürich', '東京', 'emoji 🎉', 'a"quote', 'back\\slash', 'new\nline', '€100', ''];

function randomRequest(rand, i) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const method = pick(['GET', 'POST', 'POST', 'DELETE', 'PUT']);
  const withBody = method === 'POST' || method === 'PUT' ? rand() < 0.9 : false;
  const withAuth = method !== 'POST' || rand() < 0.6;
  let url = `https://${pick(['wallet.example', 'auth.wallet.example', 'rs.example:8443'])}/${pick(['incoming-payments', 'quotes', 'outgoing-payments/8c68d3cc', 'token/dd17a202', ''])}`;
  if (rand() < 0.5) url += `?wallet-address=${encodeURIComponent('https://wallet.example/' + pick(WORDS))}&first=${Math.floor(rand() * 100)}`;
  const headers = {};
  if (withAuth) headers['Authorization'] = `GNAP ${crypto.randomBytes(15).toString('hex').toUpperCase()}`;
  let body;
  if (withBody) {
    body = JSON.stringify({
      walletAddress: `https://wallet.example/${pick(WORDS)}`,
      incomingAmount: { value: String(Math.floor(rand() * 1e9)), assetCode: pick(['USD', 'EUR', 'JPY']), assetScale: 2 },
      metadata: { description: pick(WORDS) + ' ' + pick(WORDS), i },
    });
  }
  return { method, url, headers, body };
}

/** The request as the official verifier expects it: lowercase header names, body as text. */
function forOfficial(req, added) {
  const headers = {};
  for (const [k, v] of Object.entries({ ...req.headers, ...added })) headers[k.toLowerCase()] = v;
  return { method: req.method, url: req.url, headers, body: req.body };
}

function show(req) {
  return JSON.stringify(req, null, 2);
}

test(`the official verifier accepts ${COUNT} requests signed by this package`, async () => {
  const rand = rng(1);
  for (let i = 0; i < COUNT; i++) {
    const req = randomRequest(rand, i);
    const key = opw.generateKeyPair(`key-${i}`);
    const added = opw.signRequest(req, key);
    const signed = forOfficial(req, added);
    const jwk = opw.exportPublicJwk(key);
    try {
      assert.equal(official.validateSignatureHeaders(signed), true, 'validateSignatureHeaders');
      assert.equal(await official.validateSignature(jwk, signed), true, 'validateSignature');
      // The check is not vacuous: the same verifier refuses the request once it is changed.
      const tampered = { ...signed, url: signed.url + (signed.url.includes('?') ? '&' : '?') + 'tampered=1' };
      assert.equal(await official.validateSignature(jwk, tampered).catch(() => false), false, 'tampered');
    } catch (e) {
      assert.fail(`official verifier rejected request ${i}: ${e.message}\n${show(signed)}`);
    } finally {
      key.free();
    }
  }
});

test(`this package verifies ${COUNT} requests signed by the official createHeaders, byte for byte the same signature`, async () => {
  const rand = rng(2);
  for (let i = 0; i < COUNT; i++) {
    const req = randomRequest(rand, i);
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const keyId = `official-${i}`;
    const jwk = official.generateJwk({ privateKey, keyId });
    const theirs = await official.createHeaders({ request: { ...req, headers: { ...req.headers } }, privateKey, keyId });
    const received = { ...req, headers: { ...req.headers, ...theirs } };
    try {
      const verified = opw.verifyRequest(received, { keys: [jwk] });
      assert.equal(verified.keyId, keyId);
      // Same key, same created: Ed25519 is deterministic, so our headers must equal theirs.
      const created = Number(/created=(\d+)/.exec(theirs['Signature-Input'])[1]);
      const ours = opw.loadPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }), keyId);
      const mine = opw.signRequest(req, ours, { created });
      ours.free();
      for (const name of ['Signature-Input', 'Signature', 'Content-Digest', 'Content-Length', 'Content-Type']) {
        assert.equal(mine[name], theirs[name] === undefined ? undefined : String(theirs[name]), name);
      }
    } catch (e) {
      assert.fail(`mismatch on request ${i}: ${e.code ?? ''} ${e.message}\n${show(received)}`);
    }
  }
});

test('tampered official requests are rejected with a code', async () => {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const jwk = official.generateJwk({ privateKey, keyId: 'k' });
  const req = { method: 'POST', url: 'https://wallet.example/quotes', headers: { Authorization: 'GNAP T' }, body: '{"a":"ü"}' };
  const headers = await official.createHeaders({ request: { ...req, headers: { ...req.headers } }, privateKey, keyId: 'k' });
  const signed = { ...req, headers: { ...req.headers, ...headers } };
  assert.throws(() => opw.verifyRequest({ ...signed, url: signed.url + '?x=1' }, [jwk]), { code: 'signature_mismatch' });
  assert.throws(() => opw.verifyRequest({ ...signed, body: '{"a":"u"}' }, [jwk]), { code: 'content_digest_mismatch' });
  assert.throws(() => opw.verifyRequest(signed, [jwk], { now: Math.floor(Date.now() / 1000) + 3600 }), { code: 'signature_too_old' });
  assert.throws(() => opw.verifyRequest(signed, [{ ...jwk, kid: 'other' }]), { code: 'unknown_key_id' });
});

test('signWebRequest / verifyWebRequest work on a Web Request', async () => {
  const key = opw.generateKeyPair('web');
  const body = JSON.stringify({ receiver: 'https://wallet.example/incoming-payments/1', note: 'ñ' });
  const request = new Request('https://wallet.example/quotes', { method: 'POST', headers: { Authorization: 'GNAP W' }, body });
  const added = await opw.signWebRequest(request, key);
  const headers = new Headers(request.headers);
  for (const [k, v] of Object.entries(added)) headers.set(k, v);
  const signed = new Request(request.url, { method: 'POST', headers, body });
  const verified = await opw.verifyWebRequest(signed, opw.createJwks([key]));
  assert.deepEqual(verified.components, ['@method', '@target-uri', 'authorization', 'content-digest', 'content-length', 'content-type']);
  assert.equal(await official.validateSignature(key.publicJwk(), forOfficial({ method: 'POST', url: request.url, headers: { Authorization: 'GNAP W' }, body }, added)), true);
  // The body is still readable after signing (a clone was read).
  assert.equal(await request.text(), body);
  key.free();
});

// WebCrypto exports Ed25519 keys as JWKs with `alg: "Ed25519"` (RFC 9864's name; Node 20's
// `crypto.subtle` too), plus `key_ops` and `ext`: the package loads them as they come, and what
// it signs with them verifies under WebCrypto's own public key and under the official verifier.
test('a key WebCrypto generated loads from its exported JWK, and its signatures verify everywhere', async () => {
  const pair = await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify']);
  const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  assert.equal(privateJwk.alg, 'Ed25519', 'this Node exports the fully-specified name');
  const key = opw.loadPrivateKey(privateJwk, 'webcrypto-key');
  assert.equal(key.publicJwk().x, publicJwk.x);
  assert.equal(key.publicJwk().alg, 'EdDSA', 'the package publishes the name Open Payments uses');
  const request = { method: 'POST', url: 'https://rs.example/incoming-payments', headers: { authorization: 'GNAP t' }, body: '{"a":1}' };
  const headers = opw.signRequest(request, key);
  const signed = { ...request, headers: { ...request.headers, ...headers } };
  assert.equal(opw.verifyRequest(signed, [{ ...publicJwk, kid: 'webcrypto-key' }]).keyId, 'webcrypto-key');
  assert.equal(await official.validateSignature({ ...publicJwk, kid: 'webcrypto-key', alg: 'EdDSA' }, forOfficial(request, headers)), true);
  // The client takes the same JWK as its privateKey.
  const client = await opw.createAuthenticatedClient({ walletAddressUrl: 'https://wallet.example/shop', privateKey: privateJwk, keyId: 'webcrypto-key' });
  assert.equal(typeof client.incomingPayment.get, 'function');
  // Other algorithm names are still refused, naming the member.
  assert.throws(() => opw.loadPrivateKey({ ...privateJwk, alg: 'Ed448' }, 'webcrypto-key'),
    (e) => e.code === 'wrong_key_algorithm' && e.field === 'alg');
  key.free();
});
