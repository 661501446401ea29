// Keys and request signatures (src/js/signature.rs): Ed25519 keys held in wasm memory,
// RFC 9421 signatures with RFC 9530 Content-Digest, as Open Payments requires.

import { answer, thrown, wasm, type RawSigningKey } from './raw.js';
import { invalid } from './errors.js';
import { json, member, nowSeconds, optionalSeconds, optionsObject, str } from './json.js';
import type {
  JwksDocument, PrivateJwk, PrivateJwkInput, PublicJwk, SignableRequest, SignatureHeaders, SignOptions,
  VerifiedSignature, VerifyRequestOptions,
} from './types.js';

const TOKEN = Symbol('SigningKey');
const handles = new WeakMap<SigningKey, RawSigningKey>();

/**
 * An Ed25519 signing key held in wasm memory. Call `free()` (or `using`) to zeroize it early.
 * `JSON.stringify(key)` gives the public JWK, never the secret.
 */
export class SigningKey {
  /** @internal Made by `generateKeyPair` and `loadPrivateKey` only. */
  constructor(token: symbol, raw: RawSigningKey) {
    if (token !== TOKEN) throw new TypeError('SigningKey is made by generateKeyPair or loadPrivateKey');
    handles.set(this, raw);
  }

  /** The key id (`kid`; the `keyid` of signatures). */
  get keyId(): string {
    return rawKey(this).keyId();
  }

  /** The public JWK (no secret). */
  publicJwk(): PublicJwk {
    return answer<PublicJwk>(rawKey(this).publicJwk());
  }

  /** `JSON.stringify(key)` shows the public JWK, never the secret. */
  toJSON(): PublicJwk {
    return this.publicJwk();
  }

  /** The private JWK including the secret `d`. Only call this to store the key. */
  exportPrivateJwk(): PrivateJwk {
    return answer<PrivateJwk>(rawKey(this).exportPrivateJwk());
  }

  /** The secret as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the official client's format. */
  exportPrivateKeyPem(): string {
    return rawKey(this).exportPrivateKeyPem();
  }

  /** Zeroizes the key in wasm memory now; the object is unusable afterwards. */
  free(): void {
    const raw = handles.get(this);
    handles.delete(this);
    raw?.free();
  }

  /** `using key = generateKeyPair(…)` frees the key at the end of the block. */
  [Symbol.dispose](): void {
    this.free();
  }
}

/** The wasm handle of a key (for the client); an `invalid_type` error for anything else. */
export function rawKey(key: unknown, field = 'key'): RawSigningKey {
  const raw = key instanceof SigningKey ? handles.get(key) : undefined;
  if (raw === undefined) throw invalid('invalid_type', field, `${field} must be a SigningKey (not freed)`);
  return raw;
}

/** A `SigningKey` around a handle the wasm made (or the error it threw). */
export function keyFrom(make: () => RawSigningKey): SigningKey {
  try {
    return new SigningKey(TOKEN, make());
  } catch (e) {
    throw thrown(e);
  }
}

/** Generates a fresh Ed25519 key with the given key id (randomness from `crypto.getRandomValues`). */
export function generateKeyPair(keyId: string): SigningKey {
  const kid = str(keyId, 'keyId');
  return keyFrom(() => wasm().generateKey(kid));
}

/** Loads a private key from PKCS#8 PEM text or a private JWK (object or JSON text). */
export function loadPrivateKey(pemOrJwk: string | PrivateJwkInput, keyId: string): SigningKey {
  const kid = str(keyId, 'keyId');
  let text: string;
  if (typeof pemOrJwk === 'string') {
    text = pemOrJwk;
  } else if (pemOrJwk !== null && typeof pemOrJwk === 'object') {
    text = json(pemOrJwk, 'pemOrJwk');
  } else {
    throw invalid('invalid_type', 'pemOrJwk', 'the key must be a PEM string or a JWK object');
  }
  return keyFrom(() => wasm().loadKeyText(text, kid));
}

/** The public JWK of a key. */
export function exportPublicJwk(key: SigningKey): PublicJwk {
  rawKey(key);
  return key.publicJwk();
}

/** The public JWKs of a key set given as a JWKS document or an array of keys, as JSON text. */
function jwksJson(keys: unknown): string {
  let list: unknown;
  if (Array.isArray(keys)) {
    list = keys;
  } else if (keys !== null && typeof keys === 'object') {
    list = member(keys, 'keys');
    if (!Array.isArray(list)) throw invalid('missing_field', 'keys', 'the JWKS has no `keys` array');
  } else {
    throw invalid('invalid_type', 'jwks', 'the key set must be a JWKS document or an array of keys');
  }
  return json((list as unknown[]).map((item) => {
    if (item instanceof SigningKey) return item.publicJwk();
    const toJSON = member(item, 'toJSON');
    return typeof toJSON === 'function' ? toJSON.call(item) : item;
  }));
}

/**
 * A JWKS document from signing keys and/or public JWKs (or a JWKS document), validating every
 * key and refusing a repeated `kid`.
 */
export function createJwks(keys: Array<SigningKey | PublicJwk> | JwksDocument): JwksDocument {
  return answer<JwksDocument>(wasm().createJwks(jwksJson(keys)));
}

interface Parts {
  method: string;
  url: string;
  headers: string;
  body: Uint8Array | undefined;
}

const encoder = new TextEncoder();

/** Header pairs from a plain object, `[name, value]` pairs or a `Headers` object, as JSON text. */
function headerPairs(value: unknown): string {
  if (value === undefined || value === null) return '[]';
  if (typeof value !== 'object') throw invalid('invalid_type', 'headers', 'headers must be an object, pairs or Headers');
  const entries: unknown[] = Symbol.iterator in value
    ? [...(value as Iterable<unknown>)]
    : Object.entries(value);
  const pairs = entries.map((pair) => {
    const name = member(pair, '0');
    const text = member(pair, '1');
    if (typeof name !== 'string' || typeof text !== 'string') {
      throw invalid('invalid_type', 'headers', 'header names and values must be strings');
    }
    return [name, text];
  });
  return JSON.stringify(pairs);
}

function bodyBytes(value: unknown): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  throw invalid('invalid_type', 'body', 'the body must be a string or a Uint8Array');
}

function parts(request: unknown): Parts {
  if (request === null || typeof request !== 'object') {
    throw invalid('invalid_type', 'request', 'the request must be an object');
  }
  return {
    method: str(member(request, 'method'), 'method'),
    url: str(member(request, 'url'), 'url'),
    headers: headerPairs(member(request, 'headers')),
    body: bodyBytes(member(request, 'body')),
  };
}

async function webParts(request: unknown): Promise<Parts> {
  if (!(request instanceof Request)) throw invalid('invalid_type', 'request', 'the request must be a Request');
  const body = request.body === null ? undefined : new Uint8Array(await request.clone().arrayBuffer());
  const headers: [string, string][] = [];
  request.headers.forEach((value, name) => headers.push([name, value]));
  return { method: request.method, url: request.url, headers: JSON.stringify(headers), body };
}

/** The methods `fetch` (and `new Request`) send in upper case whatever case they are given. */
const FETCH_NORMALISED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * The method as `fetch` will send it: signatures cover `@method` exactly as sent (RFC 9421
 * §2.2.1, case-sensitive), so `{ method: 'post' }` is signed as the `POST` that goes out.
 */
function sentMethod(method: string): string {
  const upper = method.toUpperCase();
  return FETCH_NORMALISED.has(upper) ? upper : method;
}

function sign(p: Parts, key: SigningKey, options: SignOptions | null | undefined): SignatureHeaders {
  const raw = rawKey(key);
  const created = optionalSeconds(member(optionsObject(options), 'created'), 'created') ?? nowSeconds();
  const method = sentMethod(p.method);
  const run = () => wasm().signRequest(raw, method, p.url, p.headers, p.body, created);
  const text = JAVASCRIPTCORE_PAGE ? agreed(run) : run();
  const pairs = answer<[string, string][]>(text);
  return Object.fromEntries(pairs) as unknown as SignatureHeaders;
}

/**
 * What two computations of `run` agree on, a third breaking a tie; a trap is computed once more.
 * For Ed25519 signatures, which are deterministic, in JavaScriptCore pages (`JAVASCRIPTCORE_PAGE`).
 */
export function agreed(run: () => string): string {
  const first = onceMoreOnTrap(run);
  const again = onceMoreOnTrap(run);
  if (again === first) return first;
  const third = onceMoreOnTrap(run);
  return third === again ? again : third;
}

/**
 * Whether this is a page in JavaScriptCore (Safari, and every browser on iOS): there its wasm
 * tiers were measured miscomputing Ed25519 while a page warms up (WebKitGTK 2.50: a signature
 * of the `/client` build that did not verify, in 1 of 200 signatures of one run; wrong
 * verifications, see `miscomputable`), so `signRequest` and the authenticated client
 * (authenticated.ts) compute each signature twice there and keep the one two computations agree
 * on. Bun, also JavaScriptCore, gave no wrong result in 30,000 signatures and verifications.
 * Chromium-based browsers say `Chrome/`, `Edg/` or `Chromium/` in their user agent; the others
 * that say `AppleWebKit` run JavaScriptCore.
 */
export const JAVASCRIPTCORE_PAGE = (() => {
  const agent = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent;
  return typeof agent === 'string' && agent.includes('AppleWebKit') && !/Chrome\/|Chromium\/|Edg\//.test(agent);
})();

function verify(p: Parts, jwks: unknown, options: VerifyRequestOptions | null | undefined): VerifiedSignature {
  const keys = jwksJson(jwks);
  optionsObject(options);
  const now = optionalSeconds(member(options, 'now'), 'now') ?? nowSeconds();
  const maxAge = optionalSeconds(member(options, 'maxAgeSeconds'), 'maxAgeSeconds');
  const skew = optionalSeconds(member(options, 'clockSkewSeconds'), 'clockSkewSeconds');
  const run = () => wasm().verifyRequest(p.method, p.url, p.headers, p.body, keys, now, maxAge, skew);
  let text = onceMoreOnTrap(run);
  if (miscomputable(text)) text = onceMoreOnTrap(run);
  return answer<VerifiedSignature>(text);
}

/** `run()`, computed once more if it traps (`WebAssembly.RuntimeError`; see `miscomputable`). */
function onceMoreOnTrap(run: () => string): string {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    return run();
  }
}

/**
 * Whether a verification's answer is a rejection that an engine's miscomputation could explain, so
 * it is computed once more before it is believed. JavaScriptCore's wasm tiers in WebKitGTK 2.50
 * (Safari's engine) rejected valid signatures while a page warmed up: in 6 of 120 page loads, one of
 * 200–500 verifications answered `signature_mismatch` or trapped (`RuntimeError`, out of bounds
 * memory access), and each time the same call gave the right answer when repeated (the signatures,
 * checked in Node, were right; tests/js/engines.test.mjs counts rejections). Bun 1.4.5 (also
 * JavaScriptCore) gave none in 60 processes × 500. Verifying is a pure function of its
 * arguments, and a miscomputed digest or curve point does not match the one the request carries,
 * so the second computation accepts only what a right one accepts; it doubles the cost of the
 * requests that fail these two checks, and no other.
 */
function miscomputable(text: string): boolean {
  return text.startsWith('!{"code":"signature_mismatch"') || text.startsWith('!{"code":"content_digest_mismatch"');
}

/** Signs a request the Open Payments way and returns the headers to add to it. */
export function signRequest(request: SignableRequest, key: SigningKey, options?: SignOptions | null): SignatureHeaders {
  return sign(parts(request), key, options);
}

/**
 * Verifies a signed request against a key set; returns what the signature covers, or throws an
 * `OpenPaymentsError` whose `code` names the rule that failed.
 */
export function verifyRequest(
  request: SignableRequest,
  jwks: JwksDocument | PublicJwk[],
  options?: VerifyRequestOptions | null,
): VerifiedSignature {
  return verify(parts(request), jwks, options);
}

/** Signs a Web `Request` (its body is read from a clone); resolves to the headers to add. */
export async function signWebRequest(request: Request, key: SigningKey, options?: SignOptions | null): Promise<SignatureHeaders> {
  return sign(await webParts(request), key, options);
}

/** Verifies a Web `Request` (its body is read from a clone). */
export async function verifyWebRequest(
  request: Request,
  jwks: JwksDocument | PublicJwk[],
  options?: VerifyRequestOptions | null,
): Promise<VerifiedSignature> {
  return verify(await webParts(request), jwks, options);
}
