// Fuzz of the signature headers and the other text input: `verifyRequest` on arbitrary and mutated
// `Signature`, `Signature-Input` and `Content-Digest` values; `signRequest` round-trips with
// `verifyRequest` for arbitrary methods, URLs, authorizations and bodies; keys, key sets, wallet
// address input and the interaction finish on any text or object. Typed errors only, FUZZ_RUNS and
// FUZZ_SEED: tests/js/support/fuzz.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { op, SCALE, runs, show, typed, expectOutcome, mutation, mutate } from './support/fuzz.mjs';

// ------------------------------------------------------------------ signature headers

// A fixed Ed25519 key (PKCS#8 of a fixed seed): failures reproduce from the seed alone.
const PEM = `-----BEGIN PRIVATE KEY-----\n${Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'),
  Buffer.alloc(32, 7)]).toString('base64')}\n-----END PRIVATE KEY-----\n`;
const KEY = op.loadPrivateKey(PEM, 'k1');
const JWKS = op.createJwks([KEY]);
const CREATED = 1_700_000_000;
const NOW = CREATED + 10;
const REQ = { method: 'POST', url: 'https://wallet.example/alice/outgoing-payments?x=1', headers: { authorization: 'GNAP 4398ABCD' },
  body: '{"walletAddress":"https://wallet.example/alice","quoteId":"https://wallet.example/quotes/1"}' };
const SIGNED = op.signRequest(REQ, KEY, { created: CREATED });
const VERIFIED = { keyId: 'k1', created: CREATED, components: ['@method', '@target-uri', 'authorization', 'content-digest', 'content-length', 'content-type'] };
const NAMES = { signature: 'Signature', input: 'Signature-Input', digest: 'Content-Digest' };
const verifyWith = (changes) => op.verifyRequest({ ...REQ, headers: { ...REQ.headers, ...SIGNED, ...changes } }, JWKS, { now: NOW });

test('the signature fuzz starts from a request that verifies', () => {
  assert.deepEqual(verifyWith({}), VERIFIED);
});

/** Structured-field-ish text: dictionaries of labels with byte sequences, inner lists, parameters. */
const sfItem = fc.oneof(
  fc.constantFrom(':AAAA:', ':', '::', ':=:', '?1', '?0', '1', '-1', '999999999999999', '9999999999999999', '1.5', '"x"', '"\\"', '@1', '%"a"', 'tok', '*'),
  fc.base64String({ maxLength: 100 }).map((b) => `:${b}:`),
  fc.stringMatching(/^"[ -!#-[\]-~]{0,8}"$/),
  fc.integer().map(String),
);
const sfParams = fc.array(fc.tuple(fc.constantFrom('keyid', 'created', 'expires', 'alg', 'nonce', 'tag', 'KEYID', 'a'), sfItem), { maxLength: 3 })
  .map((ps) => ps.map(([k, v]) => `;${k}=${v}`).join(''));
const sfMember = fc.tuple(fc.constantFrom('sig1', 'sig2', 'sha-256', 'sha-512', 'Sig1', '1sig', '*', ''),
  fc.oneof(sfItem, fc.array(fc.oneof(sfItem, fc.constantFrom('"@method"', '"@target-uri"', '"authorization"', '"content-digest"',
    '"@status"', '"@query-param"', '"Authorization"', '"content-length"', '"content-type"', '"@path"')), { maxLength: 7 }).map((xs) => `(${xs.join(' ')})`)), sfParams)
  .map(([k, v, p]) => `${k}=${v}${p}`);
const sfText = fc.oneof(
  fc.array(sfMember, { minLength: 1, maxLength: 3 }).map((ms) => ms.join(', ')),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

test('fuzz: verifyRequest with arbitrary Signature, Signature-Input and Content-Digest values throws a typed error', () => {
  const change = fc.record({ signature: sfText, input: sfText, digest: sfText }, { requiredKeys: [] })
    .filter((c) => Object.keys(c).length > 0);
  fc.assert(fc.property(change, (c) => {
    const changes = Object.fromEntries(Object.entries(c).map(([k, v]) => [NAMES[k], v]));
    const outcome = typed(() => verifyWith(changes));
    if (!outcome.error) {
      // Only a change that leaves the signature intact may verify (e.g. another digest member).
      assert.deepEqual(outcome.value, VERIFIED);
      assert.ok(Object.entries(c).every(([k, v]) => k === 'digest' && v.includes(SIGNED['Content-Digest'].slice(0, -1))),
        `verified with ${show(changes)}`);
    }
  }), runs(3000));
});

/** One edit of a header value: a character inserted, deleted or replaced, or a piece appended. */
const edit = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace', 'append', 'prepend', 'duplicate', 'number', 'case'),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom(...'=:;,()"*. \t@-aZ09+/\\?', ', sig1=:AAAA:', ';alg="ed25519"', ';alg="rsa"', ';expires=1',
    ';created=1', ';keyid="k2"', ' "@path"', ', sig2=("@method");keyid="k1";created=1', ', sha-256=:AAAA:', '\u0000', '\u00e9', '\r\n'),
  fc.string({ unit: 'binary-ascii', maxLength: 3 })),
});
function applyEdit(s, e) {
  const i = e.at % (s.length + 1);
  switch (e.kind) {
    case 'insert': return s.slice(0, i) + e.text + s.slice(i);
    case 'delete': return s.slice(0, i) + s.slice(i + 1 + (e.at % 3));
    case 'replace': return s.slice(0, i) + e.text + s.slice(i + e.text.length);
    case 'append': return s + e.text;
    case 'prepend': return e.text + s;
    case 'duplicate': return `${s}, ${s}`;
    case 'number': return s.replace(/\d+/, (d) => String(BigInt(d) + BigInt(e.at % 5) - 2n));
    default: return s.slice(0, i) + s.slice(i).toUpperCase();
  }
}

test('fuzz: verifyRequest with mutated signature headers throws a typed error or verifies unchanged', () => {
  let verified = 0;
  const input = fc.record({ which: fc.subarray(Object.keys(NAMES), { minLength: 1 }), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) });
  fc.assert(fc.property(input, ({ which, edits }) => {
    const changes = {};
    for (const k of which) changes[NAMES[k]] = edits.reduce(applyEdit, SIGNED[NAMES[k]]);
    const outcome = typed(() => verifyWith(changes));
    if (!outcome.error) {
      verified++;
      assert.deepEqual(outcome.value, VERIFIED, show(changes));
    }
  }), runs(4000));
  // Some edits are harmless (whitespace after a comma, another label or digest member).
  assert.ok(verified < 4000 * SCALE / 4, `${verified} mutated requests verified`);
});

/** Methods as `fetch` sends them: the facade signs `get` as `GET` (fetch upper-cases these). */
const FETCH_NORMALISED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const sent = (m) => (FETCH_NORMALISED.has(m.toUpperCase()) ? m.toUpperCase() : m);

test('fuzz: signRequest round-trips with verifyRequest for arbitrary methods, URLs and bodies', () => {
  const method = fc.oneof(
    fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'get', 'post', 'Put', 'PATCH', 'patch', 'QUERY', 'M-SEARCH', 'HEAD', 'options'),
    fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,10}$/),
    fc.string({ maxLength: 6 }),
  );
  const url = fc.oneof(
    { weight: 4, arbitrary: fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('https://a.example', 'http://127.0.0.1:8080', 'HTTPS://A.example:443', 'ftp://a.example', 'https://u@a.example', '/relative', 'https://'),
      fc.string({ unit: 'binary-ascii', maxLength: 12 })).map(([a, p]) => a + p) },
  );
  const input = fc.record({
    method,
    url,
    authorization: fc.option(fc.oneof(fc.string({ maxLength: 20 }).map((t) => `GNAP ${t}`), fc.string({ unit: 'binary-ascii', maxLength: 8 })), { nil: undefined }),
    body: fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.uint8Array({ maxLength: 40 })), { nil: undefined }),
    created: fc.oneof(fc.constant(CREATED), fc.integer({ min: 0, max: 2 ** 40 })),
  });
  let roundTrips = 0;
  fc.assert(fc.property(input, ({ method: m, url: u, authorization, body: b, created }) => {
    const headers = authorization === undefined ? {} : { authorization };
    const signed = typed(() => op.signRequest({ method: m, url: u, headers, body: b }, KEY, { created }));
    if (signed.error) return;
    roundTrips++;
    const received = { method: sent(m), url: u, headers: { ...headers, ...signed.value }, body: b };
    const verified = typed(() => op.verifyRequest(received, JWKS, { now: created + 5 }));
    assert.ok(!verified.error, `${show({ m, u, authorization, b })}: ${verified.error?.code} ${verified.error?.message}`);
    assert.equal(verified.value.keyId, 'k1');
    assert.equal(verified.value.created, created);
    const hasBody = b !== undefined && b.length > 0;
    assert.equal(verified.value.components.includes('content-digest'), hasBody);
    // The method is compared case-sensitively (RFC 9421 §2.2.1).
    const other = received.method === received.method.toLowerCase() ? received.method.toUpperCase() : received.method.toLowerCase();
    if (other !== received.method) {
      expectOutcome(typed(() => op.verifyRequest({ ...received, method: other }, JWKS, { now: created + 5 })), { code: 'signature_mismatch', field: 'signature' }, received);
    }
    if (hasBody) {
      const bytes = typeof b === 'string' ? new TextEncoder().encode(b) : Uint8Array.from(b);
      bytes[0] ^= 1;
      expectOutcome(typed(() => op.verifyRequest({ ...received, body: bytes }, JWKS, { now: created + 5 })), { code: 'content_digest_mismatch', field: 'content-digest' }, received);
    }
  }), runs(3000));
  assert.ok(roundTrips > 1000 * SCALE, `only ${roundTrips} requests could be signed`);
});

// ------------------------------------------------------------------ keys, key sets, other text input

test('fuzz: loadPrivateKey, createJwks, resolveWalletAddressUrl and verifyInteractFinish take anything with typed errors', () => {
  const privateJwk = KEY.exportPrivateJwk();
  const publicJwk = KEY.publicJwk();
  assert.deepEqual(op.loadPrivateKey(KEY.exportPrivateKeyPem(), 'k1').publicJwk(), publicJwk);
  assert.deepEqual(op.loadPrivateKey(privateJwk, 'k1').publicJwk(), publicJwk);
  const keyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.tuple(fc.constantFrom(PEM, JSON.stringify(privateJwk), `$wallet.example/alice`, 'https://wallet.example/alice'), fc.array(edit, { minLength: 1, maxLength: 3 }))
      .map(([t, edits]) => edits.reduce(applyEdit, t)),
  );
  const keyObject = fc.tuple(fc.constantFrom(privateJwk, publicJwk), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([k, muts]) => mutate(structuredClone(k), muts));
  const kid = fc.oneof(fc.constant('k1'), fc.string({ unit: 'binary', maxLength: 8 }));
  fc.assert(fc.property(fc.oneof(keyText, keyObject), kid, keyObject, (input, keyId, jwk) => {
    const loaded = typed(() => op.loadPrivateKey(input, keyId));
    if (loaded.value) {
      assert.equal(loaded.value.keyId, keyId);
      loaded.value.free();
    }
    const text = typeof input === 'string' ? input : show(input);
    const url = typed(() => op.resolveWalletAddressUrl(text));
    if (url.value) assert.match(url.value, /^https?:\/\//);
    const set = typed(() => op.createJwks([jwk]));
    if (set.value) assert.equal(set.value.keys.length, 1);
    typed(() => op.verifyInteractFinish({ clientNonce: text, finishNonce: 'f', interactRef: keyId, grantEndpoint: 'https://auth.example/', hash: text }));
  }), runs(2000));
});
