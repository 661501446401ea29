// Drives a client operation in progress (`Pending`, src/js/pending.rs) to its answer: the wasm
// says what the operation waits for, a request to send or a timer, and this loop does it, in JS,
// then reports the outcome and gets the next step. The request goes out through `sendRequest`
// (src/js/host.js) with the call's timeout, abort signal and interceptor, which never reach the
// wasm; its outcome comes back as plain numbers, strings and bytes. For a client whose key is a
// WebCrypto key (keys.ts, `hostSigner`), the step carries the signature base and the signature
// is made here.

import { sendRequest } from '../host.js';
import type { CallContext, RawPending } from './raw.js';

/** `F`: the step is a request to send, `[method, url, headerPairs, sign, body, base?]` as JSON. */
const SEND = 70;
/** `S`: the step is a timer, its milliseconds. */
const SLEEP = 83;

/** The label of the signature (RFC 9421 §4.2), as the core writes it in `Signature-Input`. */
const LABEL = 'sig1';

const encoder = new TextEncoder();

/** The answer of the operation `pending` (freed once answered), run with the call's `ctx`. */
export async function drive(pending: RawPending, ctx: CallContext): Promise<string> {
  try {
    let step = pending.start();
    for (;;) {
      const tag = step.charCodeAt(0);
      if (tag === SEND) {
        const [method, url, headers, sign, body, base] = JSON.parse(step.slice(1)) as
          [string, string, [string, string][], boolean, string | null, string?];
        if (base !== undefined) {
          const signature = await signBase(ctx, base);
          if (signature.startsWith('sign\n')) {
            step = pending.failed(signature);
            continue;
          }
          headers.push(['Signature', signature]);
        }
        const outcome = await sendRequest(ctx, method, url, headers, body, sign);
        step = typeof outcome === 'string' ? pending.failed(outcome) : pending.fetched(...outcome);
      } else if (tag === SLEEP) {
        const ms = Number(step.slice(1));
        await new Promise((resolve) => setTimeout(resolve, ms));
        step = pending.slept();
      } else {
        // The operation's answer (JSON text, or `!` + the error's JSON).
        return step;
      }
    }
  } finally {
    pending.free();
  }
}

/**
 * The `Signature` header's value for `base`, signed with the call's WebCrypto key, or the failure
 * `sign\n<message>` (nothing is sent then).
 */
async function signBase(ctx: CallContext, base: string): Promise<string> {
  try {
    if (ctx.signingKey === undefined) throw new Error('the client has no WebCrypto key');
    const bytes = new Uint8Array(await crypto.subtle.sign('Ed25519', ctx.signingKey, encoder.encode(base)));
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return `${LABEL}=:${btoa(binary)}:`;
  } catch (e) {
    let message: string;
    try {
      message = String((e as { message?: unknown } | undefined)?.message ?? e);
    } catch {
      message = 'unknown error';
    }
    return `sign\n${message}`;
  }
}
