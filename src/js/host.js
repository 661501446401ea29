// What the wasm client imports from its host (src/js/client.rs declares each import `catch`):
// timers and one HTTP request through the global `fetch`. Plain JS, no dependencies; it runs in
// browsers, Node, Deno, Bun and workerd alike. Type-checked by tsc (tests/ts/tsconfig.json).
// @ts-check

/**
 * The facade's per-call context (src/js/facade/raw.ts `CallContext`).
 * @typedef {{ timeoutMs?: number, signal?: AbortSignal, intercept?: (request: Request) => unknown, cause?: unknown }} CallContext
 */

/**
 * The time in milliseconds since the epoch (`Date.now`, looked up per call, as a page may replace it).
 * @returns {number}
 */
export function nowMs() {
  return Date.now();
}

/**
 * Resolves after `ms` milliseconds.
 * @param {number} ms
 * @returns {Promise<void>}
 */
export function sleepMs(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Sends one request with the global `fetch` (looked up per call, so a replaced fetch is used),
 * with the init object given directly: no `Request`/`Headers` objects are built unless the
 * caller's interceptor needs one. `ctx` is the facade's per-call context:
 * `{ timeoutMs?, signal?, intercept? }`; `sign` says the request must be signed (only then is
 * `ctx.intercept`, the authenticatedRequestInterceptor, given a `Request` to sign).
 *
 * The header pairs cross as JSON text both ways (one string instead of an array built pair by
 * pair across the wasm boundary).
 *
 * Never rejects: resolves to `[status, headerPairsJson, bodyBytes]`, or to a string
 * `"<kind>\n<message>"` (kind: timeout, aborted, network, intercept). On a network failure the
 * original error is kept in `ctx.cause` for the facade to attach to the error it throws.
 * @param {CallContext | undefined} ctx
 * @param {string} method
 * @param {string} url
 * @param {string} headersJson `[["name","value"],…]`, made by the wasm
 * @param {Uint8Array | undefined} body
 * @param {boolean} sign
 * @returns {Promise<[number, string, Uint8Array] | string>}
 */
export function sendFetch(ctx, method, url, headersJson, body, sign) {
  const intercept = sign ? ctx?.intercept : undefined;
  /** @type {[string, string][]} */
  const headers = JSON.parse(headersJson);
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
 * @param {CallContext | undefined} ctx
 * @param {string | Request} target
 * @param {RequestInit} init
 * @returns {Promise<[number, string, Uint8Array] | string>}
 */
function send(ctx, target, init) {
  const signal = ctx?.signal;
  const timeoutMs = ctx?.timeoutMs;
  if (signal == null && timeoutMs === undefined) {
    return fetch(target, init).then((response) => read(response, ctx), (e) => failure('network', e, ctx));
  }
  const controller = new AbortController();
  let timedOut = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  if (timeoutMs !== undefined) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  }
  init.signal = controller.signal;
  const done = () => {
    if (timer !== undefined) clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', onAbort);
  };
  return fetch(target, init).then(
    (response) => {
      done();
      return read(response, ctx);
    },
    (e) => {
      done();
      if (timedOut) return `timeout\n${timeoutMs}`;
      if (signal?.aborted) return 'aborted\naborted';
      return failure('network', e, ctx);
    },
  );
}

/**
 * Status, headers and body read here, in JS: the response may be any `Response` a replaced
 * `fetch` made (a subclass, a body stream that fails with any value), so whatever its getters,
 * methods or stream throw or reject with is caught here and becomes a `network` failure, never
 * something the wasm has to look at.
 * @param {unknown} response
 * @param {CallContext | undefined} ctx
 * @returns {Promise<[number, string, Uint8Array] | string>}
 */
function read(response, ctx) {
  if (!(response instanceof Response)) {
    return Promise.resolve('network\nfetch did not resolve to a Response');
  }
  try {
    const status = response.status;
    /** @type {[string, string][]} */
    const headers = [];
    response.headers.forEach((value, name) => headers.push([String(name), String(value)]));
    return Promise.resolve(response.arrayBuffer()).then(
      // Not `instanceof`: Firefox can answer an ArrayBuffer of another realm.
      (buffer) => (Object.prototype.toString.call(buffer) === '[object ArrayBuffer]'
        ? /** @type {[number, string, Uint8Array]} */ ([Number(status), JSON.stringify(headers), new Uint8Array(buffer)])
        : 'network\nthe response body is not an ArrayBuffer'),
      (e) => failure('network', e, ctx),
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
