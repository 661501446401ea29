// The Open Payments client for public data, `createUnauthenticatedClient` (src/js/client.rs),
// and what the authenticated client (authenticated.ts) shares with it: options, per-call
// arguments, errors.

import { answer, thrown, wasm, type CallContext, type RawClient, type RawClientOptions, type RawPending } from './raw.js';
import { drive } from './pending.js';
import { invalidArgument } from './errors.js';
import { member, optionalCount, optionsObject } from './json.js';
import type {
  CreateUnauthenticatedClientArgs, DIDDocument, JWKS, PublicIncomingPayment, UnauthenticatedClient,
  UnauthenticatedResourceRequestArgs, WalletAddress, WalletAddressRoutes,
} from './types.js';

/** The request timeout when the options give none: the official client's default. */
const DEFAULT_TIMEOUT_MS = 5000;

/** What the facade keeps per client: the wasm handle and the default timeout. */
export interface Shared<C extends RawClient = RawClient> {
  handle: C;
  timeoutMs: number | undefined;
  intercept?: ((request: Request) => unknown) | undefined;
  /** The signer of a client whose requests the facade signs (authenticated.ts, `webCryptoKey`). */
  sign?: ((base: string) => Promise<string>) | undefined;
}

/** The first argument of an operation, read: its URL and the call's context. */
export interface Call {
  args: object;
  url: string;
  ctx: CallContext;
}

/** Reads the first argument of an operation (`url`, `signal`, `requestTimeoutMs`). */
export function call(shared: Shared, args: unknown): Call {
  if (args === null || typeof args !== 'object') {
    throw invalidArgument('invalid_type', 'args', 'the first argument must be an object with `url`');
  }
  const url = member(args, 'url');
  if (typeof url !== 'string') throw invalidArgument('invalid_type', 'url', '`url` must be a string');
  const signal = member(args, 'signal');
  const ctx: CallContext = {
    timeoutMs: optionalCount(member(args, 'requestTimeoutMs'), 'requestTimeoutMs', invalidArgument) ?? shared.timeoutMs,
    intercept: shared.intercept,
    sign: shared.sign,
  };
  if (signal !== undefined && signal !== null) ctx.signal = signal as AbortSignal;
  return { args, url, ctx };
}

/** The result of an operation, run to its answer (`undefined` for operations without one). */
export function result<T>(pending: RawPending, ctx: CallContext): Promise<T> {
  return drive(pending, ctx, resultOf<T>);
}

/**
 * An operation's answer as its result, or its error thrown (`answer`), its stack from the
 * caller's side of `drive`, which calls this.
 */
function resultOf<T>(text: string, ctx: CallContext): T {
  const value = answer<T | null>(text, ctx, drive);
  return (value === null ? undefined : value) as T;
}

/** The log function the wasm calls with each event's JSON; the caller's logger never breaks a call. */
function logFunction(logger: unknown): ((event: object) => void) | undefined {
  if (logger === undefined || logger === null) return undefined;
  const debug = typeof logger === 'function' ? logger : member(logger, 'debug');
  if (typeof debug !== 'function') return undefined;
  const self = typeof logger === 'function' ? undefined : logger;
  return (event: object) => {
    try {
      debug.call(self, event, 'open-payments');
    } catch {
      // a logger that throws loses its event, never the operation
    }
  };
}

/** The options both clients take, read and checked. */
export function clientOptions(options: unknown): {
  raw: string;
  log: ((event: object) => void) | undefined;
  timeoutMs: number | undefined;
} {
  optionsObject(options, 'options', invalidArgument);
  const get = (name: string) => member(options, name);
  const raw: RawClientOptions = {};
  if (get('useHttp') === true) raw.useHttp = true;
  const retries = optionalCount(get('maxRetries'), 'maxRetries', invalidArgument);
  if (retries !== undefined) raw.maxRetries = Math.min(retries, 10);
  const cache = get('walletAddressCache');
  if (cache === false) {
    raw.walletAddressCacheOff = true;
  } else if (cache !== null && typeof cache === 'object') {
    const ttlSeconds = optionalCount(member(cache, 'ttlSeconds'), 'ttlSeconds', invalidArgument);
    const maxEntries = optionalCount(member(cache, 'maxEntries'), 'maxEntries', invalidArgument);
    raw.walletAddressCache = {};
    if (ttlSeconds !== undefined) raw.walletAddressCache.ttlSeconds = ttlSeconds;
    if (maxEntries !== undefined) raw.walletAddressCache.maxEntries = Math.min(maxEntries, 2 ** 32 - 1);
  }
  return {
    raw: JSON.stringify(raw),
    log: logFunction(get('logger')),
    timeoutMs: optionalCount(get('requestTimeoutMs'), 'requestTimeoutMs', invalidArgument) ?? DEFAULT_TIMEOUT_MS,
  };
}

/** A wasm handle made by `make`, or the client error it threw. */
export function handleFrom<C>(make: () => C): C {
  try {
    return make();
  } catch (e) {
    throw thrown(e, true);
  }
}

/** The `walletAddress` routes, shared by both clients. */
export function walletAddressRoutes(shared: Shared): WalletAddressRoutes {
  const h = shared.handle;
  return {
    async get(args: UnauthenticatedResourceRequestArgs) {
      const { url, ctx } = call(shared, args);
      return await result<WalletAddress>(h.walletAddressGet(url), ctx);
    },
    async getKeys(args: UnauthenticatedResourceRequestArgs) {
      const { url, ctx } = call(shared, args);
      return await result<JWKS>(h.walletAddressGetKeys(url), ctx);
    },
    async getDIDDocument(args: UnauthenticatedResourceRequestArgs) {
      const { url, ctx } = call(shared, args);
      return await result<DIDDocument>(h.walletAddressGetDidDocument(url), ctx);
    },
  };
}

/** `incomingPayment.getPublic` (and `incomingPayment.get` of the unauthenticated client). */
export function getPublicIncomingPayment(shared: Shared) {
  return async (args: UnauthenticatedResourceRequestArgs): Promise<PublicIncomingPayment> => {
    const { url, ctx } = call(shared, args);
    return await result<PublicIncomingPayment>(shared.handle.incomingPaymentGetPublic(url), ctx);
  };
}

/** Creates a client for public data (wallet addresses, public incoming payments). */
export async function createUnauthenticatedClient(
  options?: CreateUnauthenticatedClientArgs,
): Promise<UnauthenticatedClient> {
  const { raw, log, timeoutMs } = clientOptions(options);
  const shared: Shared = { handle: handleFrom(() => wasm().newClient(raw, log)), timeoutMs };
  return {
    walletAddress: walletAddressRoutes(shared),
    incomingPayment: { get: getPublicIncomingPayment(shared) },
  };
}
