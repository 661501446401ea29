// The wasm exports the facade calls (src/js/*.rs), and the one place that turns their answers
// into values or thrown errors.
//
// Every raw function takes plain data (strings, JSON text, numbers, bytes) and answers JSON text,
// or `!` + the error's JSON: nothing user-made ever reaches the wasm, so a getter or Proxy that
// throws does so here, in JS, and can never unwind through wasm frames. Errors are created here
// too, so their `stack` shows the caller's frames.
//
// `Raw` is checked against the wasm-bindgen declarations of each build by
// tests/ts/raw.ts (tsc): a Rust export that changes shape fails the type check.

import { errorAt, type ErrorData } from './errors.js';

/** A key held in wasm memory (src/js/signature.rs). */
export interface RawSigningKey {
  keyId(): string;
  publicJwk(): string;
  exportPrivateJwk(): string;
  exportPrivateKeyPem(): string;
  signatureFor(base: string): string;
  free(): void;
}

/** The per-call context the client hands to `sendRequest` (src/js/host.js, whose `CallContext` it must fit). */
export interface CallContext {
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  intercept?: ((request: Request) => unknown) | undefined;
  /** Set by `sendRequest`: the error a failed `fetch` rejected with. */
  cause?: unknown;
  /**
   * For a client whose requests the facade signs (`newHostSigningClient`): the `Signature`
   * header's value for a signature base, or the failure `sign\n<message>`.
   */
  sign?: ((base: string) => Promise<string>) | undefined;
}

/** An operation in progress (src/js/pending.rs), driven to its answer by `drive` (pending.ts). */
export interface RawPending {
  start(): string;
  fetched(status: number, headers: string, body: Uint8Array): string;
  failed(failure: string): string;
  slept(): string;
  free(): void;
}

/** A client held in wasm memory (src/js/client.rs, src/js/authenticated.rs). */
export interface RawClient {
  repeatedCursor(url: string, backward: boolean): string;
  walletAddressGet(url: string): RawPending;
  walletAddressGetKeys(url: string): RawPending;
  walletAddressGetDidDocument(url: string): RawPending;
  incomingPaymentGetPublic(url: string): RawPending;
}

/** The operations of the authenticated client. */
export interface RawAuthenticatedClient extends RawClient {
  grantRequest(url: string, request: string, clientJwk: string | undefined): RawPending;
  grantContinue(url: string, token: string, request: string | undefined): RawPending;
  grantContinueAfterInteraction(
    url: string, token: string, clientNonce: string, finishNonce: string, interactRef: string,
    grantEndpoint: string, hash: string,
  ): RawPending;
  grantCancel(url: string, token: string): RawPending;
  tokenRotate(url: string, token: string): RawPending;
  tokenRevoke(url: string, token: string): RawPending;
  incomingPaymentCreate(url: string, token: string, request: string): RawPending;
  incomingPaymentGet(url: string, token: string): RawPending;
  incomingPaymentList(url: string, token: string, walletAddress: string, pagination: string): RawPending;
  incomingPaymentComplete(url: string, token: string): RawPending;
  quoteCreate(url: string, token: string, request: string): RawPending;
  quoteGet(url: string, token: string): RawPending;
  outgoingPaymentCreate(url: string, token: string, request: string): RawPending;
  outgoingPaymentGet(url: string, token: string): RawPending;
  outgoingPaymentList(url: string, token: string, walletAddress: string, pagination: string): RawPending;
  outgoingPaymentGetGrantSpentAmounts(url: string, token: string): RawPending;
}

/** A merchant held in wasm memory (src/js/merchant.rs): payments and subscriptions. */
export interface RawMerchant {
  paymentStart(request: string): RawPending;
  paymentFinish(state: string, query: string): RawPending;
  subscriptionStart(request: string): RawPending;
  subscriptionFinish(state: string, query: string): RawPending;
  subscriptionCharge(sealed: string, amount: string | undefined): RawPending;
  subscriptionCancel(sealed: string): RawPending;
  seal(purpose: string, data: string, ttlSeconds: number): string;
  open(purpose: string, token: string): string;
}

/** Client options as the facade read and checked them (src/js/client.rs `Options`), sent as JSON text. */
export interface RawClientOptions {
  useHttp?: boolean;
  maxRetries?: number;
  walletAddressCacheOff?: boolean;
  walletAddressCache?: { ttlSeconds?: number; maxEntries?: number };
}

/** Every raw export; the lean and public builds have a subset (see lean.ts, public.ts). */
export interface Raw {
  // amounts (src/js/amount.rs): an object's kind, then each member, as tagged strings
  parseAmount(text: string, top: string, assetCode: string, assetScale: string): string;
  decimalAmount(top: string, value: string, assetCode: string, assetScale: string): string;
  addAmounts(
    aTop: string, aValue: string, aCode: string, aScale: string,
    bTop: string, bValue: string, bCode: string, bScale: string,
  ): string;
  subtractAmounts(
    aTop: string, aValue: string, aCode: string, aScale: string,
    bTop: string, bValue: string, bCode: string, bScale: string,
  ): string;
  compareAmounts(
    aTop: string, aValue: string, aCode: string, aScale: string,
    bTop: string, bValue: string, bCode: string, bScale: string,
  ): string;
  validateAmount(top: string, value: string, assetCode: string, assetScale: string): string;
  // wallet addresses (src/js/wallet_address.rs)
  resolveWalletAddressUrl(input: string): string;
  // resources (src/js/resources.rs)
  parseResource(kind: string, json: string): string;
  // keys and signatures (src/js/signature.rs)
  generateKey(keyId: string): RawSigningKey;
  loadKeyText(text: string, keyId: string): RawSigningKey;
  loadKeyDer(der: Uint8Array, keyId: string): RawSigningKey;
  createJwks(keys: string): string;
  signRequest(
    key: RawSigningKey, method: string, url: string, headers: string,
    body: Uint8Array | undefined, created: number,
  ): string;
  verifyRequest(
    method: string, url: string, headers: string, body: Uint8Array | undefined, jwks: string,
    now: number, maxAgeSeconds: number | undefined, clockSkewSeconds: number | undefined,
  ): string;
  // the client (src/js/client.rs, src/js/authenticated.rs)
  newClient(options: string, log: ((event: object) => void) | undefined): RawClient;
  /** The response headers the client reads, as JSON text (src/js/pending.rs). */
  responseHeaders(): string;
  newKeyClient(
    options: string, log: ((event: object) => void) | undefined,
    walletAddressUrl: string, key: RawSigningKey,
  ): RawAuthenticatedClient;
  newInterceptorClient(
    options: string, log: ((event: object) => void) | undefined, walletAddressUrl: string,
  ): RawAuthenticatedClient;
  newHostSigningClient(
    options: string, log: ((event: object) => void) | undefined, walletAddressUrl: string, keyId: string,
  ): RawAuthenticatedClient;
  newMerchant(client: RawAuthenticatedClient, settings: string): RawMerchant;
  createInteractRequest(finishUri: string): string;
  verifyInteractFinish(
    clientNonce: string, finishNonce: string, interactRef: string, grantEndpoint: string, hash: string,
  ): string;
}

let instance: Raw | undefined;

/** Binds the facade to the build's wasm exports; each package entry calls it once. */
export function install(raw: Partial<Raw>): void {
  instance = raw as Raw;
}

/** The installed wasm exports. */
export function wasm(): Raw {
  if (instance === undefined) throw new Error('open-payments-wasm: the wasm module is not initialised');
  return instance;
}

/** `!`: the first character of an error answer. */
const BANG = 33;

/**
 * The value of an answer, or the thrown `OpenPaymentsError` (created here, in JS), its stack from
 * the caller's side of `at` (this function unless given).
 */
export function answer<T>(text: string, client: boolean | { cause?: unknown } = false, at: Function = answer): T {
  if (text.charCodeAt(0) === BANG) throw errorAt(at, JSON.parse(text.slice(1)) as ErrorData, client);
  return JSON.parse(text) as T;
}

/** The error a raw export that returns a handle threw (its error JSON), as an `OpenPaymentsError`. */
export function thrown(e: unknown, client: boolean = false): unknown {
  if (typeof e !== 'string') return e;
  let data: ErrorData;
  try {
    data = JSON.parse(e) as ErrorData;
  } catch {
    return e;
  }
  return errorAt(thrown, data, client);
}
