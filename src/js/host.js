// What the wasm client imports from its host (src/js/client.rs declares each import `catch`):
// timers and one HTTP request through the global `fetch`. Plain JS, no dependencies; it runs in
// browsers, Node, Deno, Bun and workerd alike. Type-checked by tsc (tests/ts/tsconfig.json).
// @ts-check

// The exported functions take their types from host.d.ts (`@type`), which the facade imports.
/** @typedef {import('./host.js').CallContext} CallContext */
/** @typedef {import('./host.js').Outcome} Outcome */

/**
 * The time in milliseconds since the epoch (`Date.now`, looked up per call, as a page may replace it).
 * @type {typeof import('./host.js').nowMs}
 */
export const nowMs = () => Date.now();

/**
 * Resolves after `ms` milliseconds.
 * @type {typeof import('./host.js').sleepMs}
 */
export const sleepMs = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `sendRequest` for Rust on wasm32 (`open_payments_wasm::fetch`, src/js/transport.rs): the
 * header pairs come as JSON text (one string instead of an array built pair by pair across the
 * wasm boundary).
 * @type {typeof import('./host.js').sendFetch}
 */
export const sendFetch = (ctx, method, url, headersJson, body, sign) =>
  sendRequest(ctx, method, url, JSON.parse(headersJson), body, sign);

/**
 * Sends one request with the global `fetch` (looked up per call, so a replaced fetch is used),
 * with the init object given directly: no `Request`/`Headers` objects are built unless the
 * caller's interceptor needs one. `ctx` is the facade's per-call context:
 * `{ timeoutMs?, signal?, intercept? }`; `sign` says the request must be signed (only then is
 * `ctx.intercept`, the authenticatedRequestInterceptor, given a `Request` to sign).
 *
 * Never rejects: resolves to `[status, headerPairsJson, bodyBytes]`, or to a string
 * `"<kind>\n<message>"` (kind: timeout, aborted, network, intercept, large). On a network
 * failure the original error is kept in `ctx.cause` for the facade to attach to the error it throws.
 * @type {typeof import('./host.js').sendRequest}
 */
export function sendRequest(ctx, method, url, headers, body, sign) {
  const intercept = sign ? ctx?.intercept : undefined;
  const init = { method, headers, body: /** @type {BodyInit | null} */ (body ?? null) };
  let sending;
  if (intercept) {
    sending = Promise.resolve()
      .then(() => {
        const request = new Request(url, init);
        // The interceptor returns the signed Request, or signs the one it was given in place.
        return Promise.resolve(intercept(request)).then((signed) => (signed instanceof Request ? signed : request));
      })
      .then(
        (request) => send(ctx, request, {}),
        (e) => failure('intercept', e, ctx),
      );
  } else {
    sending = send(ctx, url, init);
  }
  return sending.catch((e) => failure('network', e, ctx));
}

/**
 * Sends and reads one request under the call's timeout and abort signal. Both cover the whole
 * exchange, the body included (a server that stalls after its headers must not hang the call),
 * and both end the call when they fire, whether or not the `fetch` in use honours the signal it
 * is given (a replaced `fetch` may ignore it): what it settles with afterwards is dropped.
 * @param {CallContext | undefined} ctx
 * @param {string | Request} target
 * @param {RequestInit} init
 * @returns {Promise<Outcome>}
 */
function send(ctx, target, init) {
  const signal = ctx?.signal;
  const timeoutMs = ctx?.timeoutMs;
  if (signal == null && timeoutMs === undefined) {
    return fetch(target, init).then((response) => read(response, ctx), (e) => failure('network', e, ctx));
  }
  const controller = new AbortController();
  init.signal = controller.signal;
  return new Promise((resolve) => {
    let settled = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    /** @param {[number, string, Uint8Array] | string} outcome */
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    /**
     * Ends the call for good: the request and its body read are aborted.
     * @param {string} outcome
     * @param {unknown} [reason]
     */
    const stop = (outcome, reason) => {
      settle(outcome);
      controller.abort(reason);
    };
    const onAbort = () => stop('aborted\naborted', signal?.reason);
    if (signal) {
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
    }
    if (timeoutMs !== undefined) timer = setTimeout(() => stop(`timeout\n${timeoutMs}`), timeoutMs);
    /** @type {unknown} */
    let sent;
    try {
      sent = fetch(target, init);
    } catch (e) {
      settle(failure('network', e, ctx));
      return;
    }
    // Failures after the call ended are the abort's own; `failure` is not called for them, so
    // they never become the call's `cause`.
    Promise.resolve(sent)
      .then(
        (response) => (settled ? 'ended' : read(response, ctx, () => settled)),
        (e) => (settled ? 'ended' : failure('network', e, ctx)),
      )
      .then(settle, (e) => settle(failure('network', e, ctx)));
  });
}

/**
 * The largest response body handed to the wasm: 64 MiB (Open Payments documents are a few KB, a
 * page of 100 payments some hundreds). A larger body is refused here, before it is copied into
 * wasm memory, which a hostile server could otherwise exhaust: an allocation failure traps the
 * instance, and with it every later call of every user. A `Content-Length` above it is refused
 * without reading the body.
 */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Status, headers and body read here, in JS: the response may be any `Response` a replaced
 * `fetch` made (a subclass, a body stream that fails with any value), so whatever its getters,
 * methods or stream throw or reject with is caught here and becomes a `network` failure, never
 * something the wasm has to look at. A body above `MAX_BODY_BYTES` is the failure
 * `large\n<status> <limit>`.
 * @param {unknown} response
 * @param {CallContext | undefined} ctx
 * @param {() => boolean} [ended] true once the call ended (timeout or abort): a body read failing
 *   after that is the abort's doing, not a network failure
 * @returns {Promise<Outcome>}
 */
function read(response, ctx, ended) {
  if (!(response instanceof Response)) {
    return Promise.resolve('network\nfetch did not resolve to a Response');
  }
  try {
    const status = Number(response.status);
    const large = `large\n${status} ${MAX_BODY_BYTES}`;
    /** @type {[string, string][]} */
    const headers = [];
    let declared = 0;
    response.headers.forEach((value, name) => {
      headers.push([String(name), String(value)]);
      if (String(name).toLowerCase() === 'content-length') declared = Number(value);
    });
    if (declared > MAX_BODY_BYTES) {
      try {
        response.body?.cancel().catch(() => {});
      } catch {
        // a body that cannot be cancelled is left to the garbage collector
      }
      return Promise.resolve(large);
    }
    return Promise.resolve(response.arrayBuffer()).then(
      // Not `instanceof`: Firefox can answer an ArrayBuffer of another realm.
      (buffer) => {
        if (Object.prototype.toString.call(buffer) !== '[object ArrayBuffer]') {
          return 'network\nthe response body is not an ArrayBuffer';
        }
        if (buffer.byteLength > MAX_BODY_BYTES) return large;
        return /** @type {[number, string, Uint8Array]} */ (
          [status, JSON.stringify(headers), new Uint8Array(buffer)]);
      },
      (e) => (ended?.() ? 'ended' : failure('network', e, ctx)),
    );
  } catch (e) {
    return Promise.resolve(failure('network', e, ctx));
  }
}

/**
 * @param {string} kind
 * @param {unknown} e
 * @param {CallContext | undefined} ctx
 * @returns {string}
 */
function failure(kind, e, ctx) {
  if (ctx && kind === 'network' && ctx.cause === undefined) ctx.cause = e;
  let message;
  try {
    message = String(/** @type {{ message?: unknown } | undefined} */ (e)?.message ?? e);
  } catch {
    message = 'unknown error';
  }
  return `${kind}\n${message}`;
}
