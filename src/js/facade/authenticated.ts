// The authenticated client, `createAuthenticatedClient` (src/js/authenticated.rs): the official
// client's operations, one method each, over a wasm handle that signs with a key in wasm memory,
// or prepares each signature for the facade to sign (with a WebCrypto key where WebCrypto signs
// faster, in wasm until two computations agree in JavaScriptCore pages; pending.ts asks), or
// hands requests to the caller's `authenticatedRequestInterceptor`.
//
// The operations, in one place: the `routes` function below (and their raw methods in
// src/js/facade/raw.ts / src/js/authenticated.rs).

import { wasm, type RawAuthenticatedClient, type RawPending, type RawSigningKey } from './raw.js';
import { OpenPaymentsError, errorFromData, invalidArgument, type ErrorData, type OpenPaymentsErrorCode } from './errors.js';
import {
  call, clientOptions, getPublicIncomingPayment, handleFrom, result, walletAddressRoutes, type Shared,
} from './client.js';
import { json, member, optionalCount, optionsObject } from './json.js';
import { failureText } from '../host.js';
import { finishFields } from './grants.js';
import { JAVASCRIPTCORE_PAGE, SigningKey, agreed, keyFrom, rawKey } from './keys.js';
import type {
  AccessToken, AuthenticatedClient, CollectionRequestArgs, CreateAuthenticatedClientArgs,
  CreateIncomingPaymentArgs, CreateOutgoingPaymentArgs, CreateQuoteArgs, Grant, GrantContinuation,
  GrantContinuationRequest, GrantOrTokenRequestArgs, GrantRequest, IncomingPayment,
  IncomingPaymentPaginationResult, IncomingPaymentWithPaymentMethods, InteractFinishParams, JWK, OutgoingPayment,
  OutgoingPaymentGrantSpentAmounts, OutgoingPaymentPaginationResult, OutgoingPaymentWithSpentAmounts,
  PaginationArgs, PendingGrant, Quote, ResourceRequestArgs, UnauthenticatedResourceRequestArgs,
} from './types.js';

export type Handle = Shared<RawAuthenticatedClient>;

/** The `accessToken` of the first argument, which authenticated operations require. */
function token(args: object): string {
  const value = member(args, 'accessToken');
  if (typeof value !== 'string') throw invalidArgument('missing_field', 'accessToken', '`accessToken` is required');
  return value;
}

/** Pagination arguments as JSON text (`first`/`last` checked here; the rest in the wasm). */
function pagination(value: unknown): string {
  if (optionsObject(value, 'pagination', invalidArgument) === undefined) return '{}';
  const page: { first?: number; last?: number; cursor?: unknown } = {};
  const first = optionalCount(member(value, 'first'), 'first', invalidArgument);
  const last = optionalCount(member(value, 'last'), 'last', invalidArgument);
  const cursor = member(value, 'cursor');
  if (first !== undefined) page.first = first;
  if (last !== undefined) page.last = last;
  if (cursor !== undefined) page.cursor = cursor;
  return json(page);
}

/** A request body as JSON text; a value that is no JSON is a client error about `field`. */
function body(value: unknown, field: string): string {
  try {
    return json(value, field);
  } catch (e) {
    if (e instanceof OpenPaymentsError) throw invalidArgument(e.code as OpenPaymentsErrorCode, field, e.message);
    throw e;
  }
}

interface Page<T> {
  result: T[];
  pagination: { startCursor?: string; endCursor?: string; hasPreviousPage: boolean; hasNextPage: boolean };
}

/**
 * Every item of a list, page after page; a server that repeats a cursor ends it with an error
 * (`invalid_response`) instead of an endless loop.
 */
function listAll<T>(shared: Handle, list: (args: CollectionRequestArgs, page?: PaginationArgs) => Promise<Page<T>>) {
  return async function* (args: CollectionRequestArgs, start?: PaginationArgs): AsyncGenerator<T, void, undefined> {
    let page: { first?: number; last?: number; cursor?: string } = { ...optionsObject(start, 'pagination', invalidArgument) };
    const backward = page.last !== undefined;
    const seen = new Set(page.cursor === undefined ? [] : [page.cursor]);
    for (;;) {
      const { result: items, pagination: info } = await list(args, page as PaginationArgs);
      yield* items;
      const cursor = backward ? info.startCursor : info.endCursor;
      const more = backward ? info.hasPreviousPage : info.hasNextPage;
      if (!more || !cursor) return;
      if (seen.has(cursor)) {
        throw errorFromData(JSON.parse(shared.handle.repeatedCursor(String(member(args, 'url')), backward)) as ErrorData, true);
      }
      seen.add(cursor);
      page = { ...page, cursor };
    }
  };
}

/** The operations of the authenticated client. */
function routes(shared: Handle): AuthenticatedClient {
  const h = shared.handle;
  // The three kinds of operation below are not async functions: the call's promise is the one
  // `result` gives (an async function would add its own promise, frame and hop to every call),
  // and what the argument checks throw comes back as a rejected promise, as from an async
  // function, its stack from the caller's line.
  /** An operation on a resource or grant URL with the access token. */
  const withToken = <T>(send: (url: string, token: string) => RawPending) =>
    (args: ResourceRequestArgs | GrantOrTokenRequestArgs): Promise<T> => {
      try {
        const { url, ctx } = call(shared, args);
        return result<T>(send(url, token(args)), ctx);
      } catch (e) {
        return Promise.reject(e);
      }
    };
  /** An operation creating a resource from a body. */
  const create = <B, T>(send: (url: string, token: string, body: string) => RawPending) =>
    (args: ResourceRequestArgs, request: B): Promise<T> => {
      try {
        const { url, ctx } = call(shared, args);
        return result<T>(send(url, token(args), body(request, 'request')), ctx);
      } catch (e) {
        return Promise.reject(e);
      }
    };
  /** A page of a collection. */
  const list = <T>(send: (url: string, token: string, wallet: string, page: string) => RawPending) =>
    (args: CollectionRequestArgs, page?: PaginationArgs): Promise<T> => {
      try {
        const { url, ctx } = call(shared, args);
        const wallet = member(args, 'walletAddress');
        if (typeof wallet !== 'string') throw invalidArgument('invalid_type', 'walletAddress', '`walletAddress` must be a string');
        return result<T>(send(url, token(args), wallet, pagination(page)), ctx);
      } catch (e) {
        return Promise.reject(e);
      }
    };
  const listIncoming = list<IncomingPaymentPaginationResult>((u, t, w, p) => h.incomingPaymentList(u, t, w, p));
  const listOutgoing = list<OutgoingPaymentPaginationResult>((u, t, w, p) => h.outgoingPaymentList(u, t, w, p));
  return {
    walletAddress: walletAddressRoutes(shared),
    grant: {
      async request(args: UnauthenticatedResourceRequestArgs, request: Omit<GrantRequest, 'client'>, clientOverride?: { jwk: JWK }) {
        const { url, ctx } = call(shared, args);
        const jwk = clientOverride === undefined || clientOverride === null
          ? undefined
          : body(member(clientOverride, 'jwk'), 'jwk');
        return await result<PendingGrant | Grant>(h.grantRequest(url, body(request, 'request'), jwk), ctx);
      },
      async continue(args: GrantOrTokenRequestArgs, request?: GrantContinuationRequest) {
        const { url, ctx } = call(shared, args);
        const json = request === undefined || request === null ? undefined : body(request, 'request');
        return await result<Grant | GrantContinuation>(h.grantContinue(url, token(args), json), ctx);
      },
      async continueAfterInteraction(args: GrantOrTokenRequestArgs, finish: InteractFinishParams) {
        const { url, ctx } = call(shared, args);
        const fields = finishFields(finish);
        return await result<Grant | GrantContinuation>(h.grantContinueAfterInteraction(url, token(args), ...fields), ctx);
      },
      cancel: withToken<void>((u, t) => h.grantCancel(u, t)),
    },
    token: {
      rotate: withToken<AccessToken>((u, t) => h.tokenRotate(u, t)),
      revoke: withToken<void>((u, t) => h.tokenRevoke(u, t)),
    },
    incomingPayment: {
      create: create<CreateIncomingPaymentArgs, IncomingPaymentWithPaymentMethods>((u, t, b) => h.incomingPaymentCreate(u, t, b)),
      get: withToken<IncomingPaymentWithPaymentMethods>((u, t) => h.incomingPaymentGet(u, t)),
      getPublic: getPublicIncomingPayment(shared),
      list: listIncoming,
      listAll: listAll<IncomingPayment>(shared, listIncoming),
      complete: withToken<IncomingPayment>((u, t) => h.incomingPaymentComplete(u, t)),
    },
    quote: {
      create: create<CreateQuoteArgs, Quote>((u, t, b) => h.quoteCreate(u, t, b)),
      get: withToken<Quote>((u, t) => h.quoteGet(u, t)),
    },
    outgoingPayment: {
      create: create<CreateOutgoingPaymentArgs, OutgoingPaymentWithSpentAmounts>((u, t, b) => h.outgoingPaymentCreate(u, t, b)),
      get: withToken<OutgoingPayment>((u, t) => h.outgoingPaymentGet(u, t)),
      list: listOutgoing,
      listAll: listAll<OutgoingPayment>(shared, listOutgoing),
      getGrantSpentAmounts: withToken<OutgoingPaymentGrantSpentAmounts>((u, t) => h.outgoingPaymentGetGrantSpentAmounts(u, t)),
    },
  };
}

// ---------------------------------------------------------------- the private key

const KEY_FIELD = 'privateKey';

/** A key-loading failure as the client error about `privateKey`; the input is never repeated. */
function keyError(e: unknown): unknown {
  if (e instanceof OpenPaymentsError) return invalidArgument(e.code as OpenPaymentsErrorCode, KEY_FIELD, e.message);
  return e;
}

const unreadable = () => invalidArgument('unrecognized_key_format', KEY_FIELD,
  'privateKey is not a PEM key or a JWK, nor the path of a readable key file');

/** The bytes of a key file (Node, Deno, Bun), if the runtime reads files. */
function readKeyFile(path: string): Uint8Array | undefined {
  const g = globalThis as {
    process?: { getBuiltinModule?: (name: string) => { readFileSync(path: string): Uint8Array } | undefined };
    Deno?: { readFileSync?: (path: string) => Uint8Array };
  };
  try {
    const fs = g.process?.getBuiltinModule?.('node:fs');
    if (fs) return fs.readFileSync(path);
    if (typeof g.Deno?.readFileSync === 'function') return g.Deno.readFileSync(path);
  } catch {
    return undefined;
  }
  return undefined;
}

/** A key from PEM text or PKCS#8 DER bytes; the bytes are zeroed afterwards. */
function fromBytes(bytes: Uint8Array, keyId: string): SigningKey {
  try {
    const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
    if (head.startsWith('-----BEGIN')) {
      const text = new TextDecoder().decode(bytes);
      return keyFrom(() => wasm().loadKeyText(text, keyId));
    }
    return keyFrom(() => wasm().loadKeyDer(bytes, keyId));
  } finally {
    bytes.fill(0);
  }
}

/**
 * The key in any form the official client takes (PEM text, a JWK, a key file path, PEM or DER
 * bytes, a `node:crypto` KeyObject) or our `SigningKey`. `owned` says the facade made it (and
 * frees it once the client holds its copy).
 */
function loadKey(value: unknown, keyId: string): { key: RawSigningKey; owned: boolean } {
  if (value instanceof SigningKey) return { key: rawKey(value, KEY_FIELD), owned: false };
  let key: SigningKey;
  try {
    if (typeof value === 'string') {
      const trimmed = value.trimStart();
      if (trimmed.startsWith('-----BEGIN') || trimmed.startsWith('{')) {
        key = keyFrom(() => wasm().loadKeyText(value, keyId));
      } else {
        const bytes = readKeyFile(value);
        if (bytes === undefined) throw unreadable();
        key = fromBytes(bytes, keyId);
      }
    } else if (value instanceof Uint8Array) {
      key = fromBytes(new Uint8Array(value), keyId);
    } else if (value !== null && typeof value === 'object') {
      const type = member(value, 'type');
      const exportKey = member(value, 'export');
      if (typeof type === 'string' && typeof exportKey === 'function') {
        if (type !== 'private') {
          throw invalidArgument('wrong_key_type', KEY_FIELD, 'privateKey is a public or secret KeyObject; the client needs the private key');
        }
        let der: unknown;
        try {
          der = exportKey.call(value, { format: 'der', type: 'pkcs8' });
        } catch {
          throw unreadable();
        }
        if (!(der instanceof Uint8Array)) throw unreadable();
        key = fromBytes(der, keyId);
      } else {
        const text = json(value, KEY_FIELD);
        key = keyFrom(() => wasm().loadKeyText(text, keyId));
      }
    } else {
      throw unreadable();
    }
  } catch (e) {
    throw keyError(e);
  }
  return { key: rawKey(key), owned: true };
}

/**
 * Creates a client that signs every request with the given key, identifying itself by
 * `walletAddressUrl`.
 */
export async function createAuthenticatedClient(options: CreateAuthenticatedClientArgs): Promise<AuthenticatedClient> {
  return routes(await authenticatedHandle(options));
}

/**
 * Whether the client signs with WebCrypto's Ed25519 here rather than with the package's wasm:
 * where its signed requests were measured faster (`node benches/signers.mjs`, table in
 * benches/README.md). In workerd 1.2–2.1x as fast, in Chromium 1.4–1.7x with the `/client`
 * build and as fast with the main build (which has Ed25519's precomputed tables). Slower in
 * Firefox (0.6–0.8x), WebKitGTK (0.1–0.25x), Bun (0.5–0.8x), Node and Deno, and the Node-based
 * edge-runtime: there the wasm signs. Chromium-based browsers name `Chrome/` or `Chromium/` in
 * their user agent (iOS browsers, which run JavaScriptCore, do not).
 */
function webCryptoSignsFaster(): boolean {
  const g = globalThis as {
    navigator?: { userAgent?: unknown };
    Deno?: unknown;
    EdgeRuntime?: unknown;
    process?: { versions?: { node?: unknown } };
  };
  const agent = g.navigator?.userAgent;
  if (agent === 'Cloudflare-Workers') return true;
  if (g.Deno !== undefined || g.EdgeRuntime !== undefined || g.process?.versions?.node !== undefined) return false;
  return typeof agent === 'string' && /Chrome\/|Chromium\//.test(agent) && typeof globalThis.crypto?.subtle?.sign === 'function';
}

/**
 * The client's key as a non-extractable WebCrypto Ed25519 key, where that signs faster; otherwise
 * (or where the runtime has no Ed25519 in WebCrypto) `undefined`, and the wasm signs.
 */
async function webCryptoKey(key: RawSigningKey): Promise<CryptoKey | undefined> {
  if (!webCryptoSignsFaster()) return undefined;
  try {
    const { x, d } = JSON.parse(key.exportPrivateJwk()) as { x: string; d: string };
    return await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x, d }, { name: 'Ed25519' }, false, ['sign']);
  } catch {
    return undefined;
  }
}

/** The label of the signature (RFC 9421 §4.2), as the core writes it in `Signature-Input`. */
const LABEL = 'sig1';

const encoder = new TextEncoder();

/**
 * The `Signature` header's value for the signature base `base`, signed with `key`, or the failure
 * `sign\n<message>` (then nothing is sent).
 */
async function webCryptoSignature(key: CryptoKey, base: string): Promise<string> {
  try {
    const bytes = new Uint8Array(await crypto.subtle.sign('Ed25519', key, encoder.encode(base)));
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return `${LABEL}=:${btoa(binary)}:`;
  } catch (e) {
    return failureText('sign', e);
  }
}

/**
 * The `Signature` header's value for `base`, signed in wasm by the client's own copy of its key
 * and computed until two computations agree (JavaScriptCore pages: `JAVASCRIPTCORE_PAGE`).
 */
function agreedSignature(key: RawSigningKey, base: string): string {
  try {
    return agreed(() => key.signatureFor(base));
  } catch (e) {
    return failureText('sign', e);
  }
}

/**
 * A copy of `key` that the client owns (the caller may free its own): freed with the client,
 * when it is garbage-collected. `undefined` if it cannot be made (then the wasm client signs).
 */
function ownCopy(key: RawSigningKey): RawSigningKey | undefined {
  try {
    return wasm().loadKeyText(key.exportPrivateJwk(), key.keyId());
  } catch {
    return undefined;
  }
}

/**
 * The signer of a client whose requests the facade signs: WebCrypto where it is faster, the
 * client's own copy of its key with agreeing computations in JavaScriptCore pages; `undefined`
 * elsewhere (the wasm client signs with the key itself).
 */
async function hostSigner(key: RawSigningKey): Promise<((base: string) => Promise<string>) | undefined> {
  const signingKey = await webCryptoKey(key);
  if (signingKey !== undefined) return (base) => webCryptoSignature(signingKey, base);
  const copy = JAVASCRIPTCORE_PAGE ? ownCopy(key) : undefined;
  if (copy !== undefined) return async (base) => agreedSignature(copy, base);
  return undefined;
}

/** The wasm client for `createAuthenticatedClient`'s options (also the merchant's client). */
export async function authenticatedHandle(options: CreateAuthenticatedClientArgs): Promise<Handle> {
  if (options === null || typeof options !== 'object') {
    throw invalidArgument('invalid_type', 'options', 'the options must be an object');
  }
  const walletAddressUrl = member(options, 'walletAddressUrl');
  if (typeof walletAddressUrl !== 'string') throw invalidArgument('invalid_type', 'walletAddressUrl', '`walletAddressUrl` must be a string');
  const { raw, log, timeoutMs } = clientOptions(options);
  const interceptor = member(options, 'authenticatedRequestInterceptor');
  let shared: Handle;
  if (interceptor === undefined || interceptor === null) {
    const keyId = member(options, 'keyId');
    if (typeof keyId !== 'string') throw invalidArgument('invalid_type', 'keyId', '`keyId` must be a string');
    const { key, owned } = loadKey(member(options, KEY_FIELD), keyId);
    try {
      const sign = await hostSigner(key);
      shared = sign === undefined
        ? { handle: handleFrom(() => wasm().newKeyClient(raw, log, walletAddressUrl, key)), timeoutMs }
        : { handle: handleFrom(() => wasm().newHostSigningClient(raw, log, walletAddressUrl, key.keyId())), timeoutMs, sign };
    } finally {
      if (owned) key.free();
    }
  } else {
    if (typeof interceptor !== 'function') {
      throw invalidArgument('invalid_type', 'authenticatedRequestInterceptor', 'authenticatedRequestInterceptor must be a function');
    }
    // As the official client: a key and an interceptor together are a mistake.
    if (member(options, KEY_FIELD) !== undefined || member(options, 'keyId') !== undefined) {
      throw invalidArgument('conflicting_fields', 'authenticatedRequestInterceptor',
        'give either authenticatedRequestInterceptor or privateKey and keyId, not both');
    }
    shared = {
      handle: handleFrom(() => wasm().newInterceptorClient(raw, log, walletAddressUrl)),
      timeoutMs,
      intercept: interceptor as (request: Request) => unknown,
    };
  }
  return shared;
}

