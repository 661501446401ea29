// Drives a client operation in progress (`Pending`, src/js/pending.rs) to its answer: the wasm
// says what the operation waits for, a request to send or a timer, and this loop does it, in JS,
// then reports the outcome and gets the next step. The request goes out through `sendRequest`
// (src/js/host.js) with the call's timeout, abort signal and interceptor, which never reach the
// wasm; its outcome comes back as plain numbers, strings and bytes. For a client whose key is a
// WebCrypto key (authenticated.ts, `webCryptoKey`), the step carries the signature base, which
// the call's `sign` turns into the `Signature` header before the request is sent.

import { sendRequest } from '../host.js';
import { wasm, type CallContext, type RawPending } from './raw.js';

/**
 * `F`: the step is a request to send, its fields each `<length>:<text>` (`Fields`): method, URL,
 * `1` if it must be signed, body (empty: none), signature base (empty: none), then each header's
 * name and value.
 */
const SEND = 70;
/** `S`: the step is a timer, its milliseconds. */
const SLEEP = 83;

/** The response headers the client reads (the others are never read from a `Response`). */
let responseHeaders: readonly string[] | undefined;

/**
 * The answer of the operation `pending` (freed once answered), run with the call's `ctx`, as
 * `read` makes it of the last step's text (JSON, or `!` + the error's JSON). `read` runs here,
 * not after another `await`: one async frame less per call (its promise, its reaction and its
 * saved registers, about 0.3 KB of garbage a call).
 */
export async function drive<T>(pending: RawPending, ctx: CallContext, read: (answer: string, ctx: CallContext) => T): Promise<T> {
  try {
    let step = pending.start();
    for (;;) {
      const tag = step.charCodeAt(0);
      if (tag === SEND) {
        const f = new Fields(step);
        const method = f.next();
        const url = f.next();
        const signed = f.next() === '1';
        const body = f.next();
        const base = f.next();
        const headers: [string, string][] = [];
        while (f.more) headers.push([f.next(), f.next()]);
        if (base) {
          const signature = ctx.sign === undefined ? 'sign\nthe client has no signer' : await ctx.sign(base);
          if (signature.startsWith('sign\n')) {
            step = pending.failed(signature);
            continue;
          }
          headers.push(['Signature', signature]);
        }
        responseHeaders ??= JSON.parse(wasm().responseHeaders()) as string[];
        const outcome = await sendRequest(ctx, method, url, headers, body || null, signed, responseHeaders);
        step = typeof outcome === 'string' ? pending.failed(outcome) : pending.fetched(outcome[0], outcome[1], outcome[2]);
      } else if (tag === SLEEP) {
        const ms = Number(step.slice(1));
        await new Promise((resolve) => setTimeout(resolve, ms));
        step = pending.slept();
      } else {
        return read(step, ctx);
      }
    }
  } finally {
    pending.free();
  }
}

/**
 * A reader of an `F` step's fields (`send_step` in src/js/pending.rs): after the tag, each field
 * is its length in UTF-16 code units (decimal digits), `:` and its text, which may hold any
 * character. The length is read digit by digit and each text is one `slice`: no array and no
 * string per field beyond its text (this runs for every request).
 */
class Fields {
  /** Where the next field starts. */
  private at = 1;

  constructor(private readonly step: string) {}

  /** Whether a field is left. */
  get more(): boolean {
    return this.at < this.step.length;
  }

  /** The next field's text (empty past the end). */
  next(): string {
    const step = this.step;
    let at = this.at;
    let length = 0;
    for (let c = step.charCodeAt(at); c >= ZERO && c <= NINE; c = step.charCodeAt(++at)) length = length * 10 + (c - ZERO);
    // `at` is on the `:` (always there in a step the wasm wrote; any other character counts as it)
    this.at = at + 1 + length;
    return step.slice(at + 1, this.at);
  }
}

/** The character codes of `0` and `9`. */
const ZERO = 48;
const NINE = 57;
