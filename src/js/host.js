// What the wasm client imports from its host (src/js/client.rs declares each import `catch`):
// timers and one HTTP request through the global `fetch`. Plain JS, no dependencies; it runs in
// browsers, Node, Deno, Bun and workerd alike.

/** Resolves after `ms` milliseconds. */
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
 * Never rejects: resolves to `[status, headerPairs, response]`, or to a string
 * `"<kind>\n<message>"` (kind: timeout, aborted, network, intercept). On a network failure the
 * original error is kept in `ctx.cause` for the facade to attach to the error it throws.
 */
export function sendFetch(ctx, method, url, headers, body, sign) {
  const intercept = sign ? ctx?.intercept : undefined;
  let sending;
  if (intercept) {
    sending = Promise.resolve()
      .then(() => {
        const request = new Request(url, { method, headers, body });
        return Promise.resolve(intercept(request)).then((signed) => signed ?? request);
      })
      .then(
        (request) => send(ctx, request, {}),
        (e) => failure('intercept', e, ctx),
      );
  } else {
    sending = send(ctx, url, { method, headers, body });
  }
  return sending.catch((e) => failure('network', e, ctx));
}

function send(ctx, target, init) {
  const signal = ctx?.signal;
  const timeoutMs = ctx?.timeoutMs;
  if (signal == null && timeoutMs === undefined) {
    return fetch(target, init).then(read, (e) => failure('network', e, ctx));
  }
  const controller = new AbortController();
  let timedOut = false;
  let timer;
  const onAbort = () => controller.abort(signal.reason);
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
      return read(response);
    },
    (e) => {
      done();
      if (timedOut) return `timeout\n${timeoutMs}`;
      if (signal?.aborted) return 'aborted\naborted';
      return failure('network', e, ctx);
    },
  );
}

/** Status and headers read here, in JS; the wasm reads only the body (with gloo-net). */
function read(response) {
  if (!(response instanceof Response)) {
    return 'network\nfetch did not resolve to a Response';
  }
  return [response.status, [...response.headers], response];
}

function failure(kind, e, ctx) {
  if (ctx && kind === 'network' && ctx.cause === undefined) ctx.cause = e;
  let message;
  try {
    message = String(e?.message ?? e);
  } catch {
    message = 'unknown error';
  }
  return `${kind}\n${message}`;
}
