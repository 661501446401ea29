// The types of src/js/host.js, for the facade (src/js/facade/pending.ts imports `sendRequest`).
// host.js takes its exported functions' types from here (`@type` annotations), and tsc checks
// its code against them (tests/ts/tsconfig.json includes it with checkJs): the two cannot drift.

/** The facade's per-call context: the call's timeout, abort signal and request interceptor. */
export interface CallContext {
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  intercept?: ((request: Request) => unknown) | undefined;
  /** Set by `sendRequest`: the error a failed `fetch` rejected with. */
  cause?: unknown;
}

/** A request's outcome: `[status, headerPairsJson, body]`, or a failure `"<kind>\n<message>"`. */
export type Outcome = [number, string, Uint8Array] | string;

/** The time in milliseconds since the epoch. */
export function nowMs(): number;

/** Resolves after `ms` milliseconds. */
export function sleepMs(ms: number): Promise<void>;

/** The failure `"<kind>\n<message>"` for a thrown value (the facade's signers use it too). */
export function failureText(kind: string, e: unknown): string;

/** Sends one request with the global `fetch` and reads its response; never rejects. */
export function sendRequest(
  ctx: CallContext | undefined,
  method: string,
  url: string,
  headers: [string, string][],
  body: Uint8Array | string | null | undefined,
  sign: boolean,
  /** The response headers to read (the client's, `responseHeaders`), or all of them if undefined. */
  names?: readonly string[],
): Promise<Outcome>;

/** `sendRequest` with the header pairs as JSON text (Rust on wasm32). */
export function sendFetch(
  ctx: CallContext | undefined,
  method: string,
  url: string,
  headersJson: string,
  body: Uint8Array | undefined,
  sign: boolean,
): Promise<Outcome>;
