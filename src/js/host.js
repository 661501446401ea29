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
export function sendRequest(ctx, method, url, headers, body, sign, names) {
  const intercept = sign ? ctx?.intercept : undefined;
  // `signal` from the start: `send` sets it, and an object literal has no room for a member added later.
  const init = { method, headers, body: /** @type {BodyInit | null} */ (body ?? null), signal: /** @type {AbortSignal | null} */ (null) };
  if (!intercept) return send(ctx, url, init, names);
  return Promise.resolve()
    .then(() => {
      const request = new Request(url, init);
      // The interceptor returns the signed Request, or signs the one it was given in place.
      return Promise.resolve(intercept(request)).then((signed) => (signed instanceof Request ? signed : request));
    })
    .then(
      (request) => send(ctx, request, {}, names),
      (e) => failure('intercept', e, ctx),
    )
    .catch((e) => failure('network', e, ctx));
}

/**
 * Sends and reads one request under the call's timeout and abort signal. Both cover the whole
 * exchange, the body included (a server that stalls after its headers must not hang the call),
 * and both end the call when they fire, whether or not the `fetch` in use honours the signal it
 * is given (a replaced `fetch` may ignore it): what it settles with afterwards is dropped.
 * Never rejects.
 * @param {CallContext | undefined} ctx
 * @param {string | Request} target
 * @param {RequestInit} init
 * @param {readonly string[] | undefined} names the response headers to read (all if undefined)
 * @returns {Promise<Outcome>}
 */
function send(ctx, target, init, names) {
  const signal = ctx?.signal;
  const timeoutMs = ctx?.timeoutMs;
  if (signal == null && timeoutMs === undefined) return exchange(ctx, target, init, names);
  // A call with a timeout alone joins the shared deadline of its timeout when there is one.
  const deadline = signal == null && timeoutMs !== undefined ? sharedDeadline(timeoutMs) : undefined;
  const race = new Race(timeoutMs, deadline ? deadline.controller : new AbortController());
  init.signal = race.controller.signal;
  return new Promise((resolve) => {
    race.resolve = resolve;
    try {
      if (signal) {
        const onAbort = () => race.stop('aborted\naborted', signal.reason);
        race.unlisten = () => signal.removeEventListener('abort', onAbort);
        if (signal.aborted) {
          onAbort();
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
      }
      if (deadline) {
        deadline.join(race);
      } else if (timeoutMs !== undefined) {
        race.timer = setTimeout(() => race.stop(`timeout\n${timeoutMs}`), Math.min(timeoutMs, MAX_TIMER_MS));
      }
    } catch (e) {
      // a signal whose methods throw
      race.settle(failure('network', e, ctx));
      return;
    }
    // It settles `race` with its outcome itself (no handlers to allocate), and never rejects.
    exchange(ctx, target, init, names, race);
  });
}

/**
 * One call of `send` racing its exchange against its timeout and abort signal: the first to end
 * settles the call, and what the others do afterwards is dropped. One object per call instead of
 * a closure per outcome (the calls of a busy client make a few KB of garbage each; every object
 * less shortens the garbage collector's pauses, which all calls share).
 */
class Race {
  /**
   * @param {number | undefined} timeoutMs
   * @param {AbortController} controller the shared deadline's, or the call's own: aborting it
   *   aborts the request and its body read
   */
  constructor(timeoutMs, controller) {
    this.timeoutMs = timeoutMs;
    this.controller = controller;
    /** The shared deadline the call joined, if any, and its slot there. @type {SharedDeadline | undefined} */
    this.deadline = undefined;
    this.slot = 0;
    /** Whether the call ended (`exchange` drops what its request does afterwards). */
    this.settled = false;
    /** Settles the call's promise (set by its executor, before anything can settle it). */
    this.resolve = unset;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** Removes the listener on the caller's signal, if any. @type {(() => void) | undefined} */
    this.unlisten = undefined;
  }

  /**
   * Settles the call with `outcome` unless it ended already, then stops what else could end it.
   * @param {Outcome} outcome
   */
  settle(outcome) {
    if (this.settled) return;
    this.settled = true;
    this.resolve(outcome);
    if (this.deadline) this.deadline.leave(this.slot);
    if (this.timer !== undefined) clearTimeout(this.timer);
    try {
      this.unlisten?.();
    } catch {
      // a signal whose methods throw keeps its listener, which finds the call ended
    }
  }

  /**
   * Ends the call for good: the request and its body read are aborted.
   * @param {string} outcome
   * @param {unknown} [reason]
   */
  stop(outcome, reason) {
    this.settle(outcome);
    this.controller.abort(reason);
  }

  /** The shared deadline fired (it aborts its controller itself, once every call it ended is told). */
  timedOut() {
    this.settle(`timeout\n${this.timeoutMs}`);
  }
}

/** `Race.resolve` until the call's promise gives it. @type {(outcome: Outcome) => void} */
const unset = () => {};

/** The longest timer every runtime keeps (2^31 - 1 ms, 24.8 days): a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The most a shared deadline may end a call after its timeout, in ms (and at most 1/16 of it). */
const MAX_SLACK_MS = 25;

/** The most calls one shared deadline takes (each `fetch` may listen on its signal). */
const MAX_SHARED_CALLS = 256;

/**
 * Calls with the same timeout that start within a few milliseconds of each other share one
 * `AbortController` and one timer: Node makes every `AbortSignal` transferable as it is created,
 * so a controller and a timer per call cost about 4 µs there, 2–4.5 % of a signed request's time
 * (A/B in benches/README.md). The shared timer fires `timeoutMs + slack` after the first call
 * joined, and no call joins later than `slack` after it: every call gets at least its timeout and
 * at most `slack` more (25 ms, or 1/16 of the timeout if less). Firing, it ends the calls still
 * waiting with `timeout` and aborts their requests; calls that ended before are untouched.
 *
 * Only where timers can be unreferenced (Node, Bun): there the timer holds the process open only
 * while a call waits on it, as a timer per call did. Elsewhere (browsers, Deno, workerd, whose
 * timers belong to the request that set them) every call keeps its own controller and timer.
 */
class SharedDeadline {
  /**
   * @param {number} timeoutMs
   * @param {number} now
   * @param {number} slack
   */
  constructor(timeoutMs, now, slack) {
    this.timeoutMs = timeoutMs;
    this.closesAt = now + slack;
    this.controller = new AbortController();
    /**
     * The calls that joined, in order (at most `MAX_SHARED_CALLS`); a call that left is
     * `undefined` in its slot. A slot per call instead of a `Set`, whose table a delete may
     * shrink (a new table per call when calls come one at a time).
     * @type {(Race | undefined)[]}
     */
    this.joined = [];
    /** How many joined calls are still waiting. */
    this.waiting = 0;
    this.handle = setTimeout(() => this.fire(), Math.min(timeoutMs + slack, MAX_TIMER_MS));
    /** Node's and Bun's timer objects; a number elsewhere. */
    this.timer = /** @type {{ ref?: () => unknown, unref?: () => unknown }} */ (/** @type {unknown} */ (this.handle));
  }

  /** How many calls joined. */
  get calls() {
    return this.joined.length;
  }

  /**
   * Takes `race` in; it leaves with `leave(race.slot)` once it settles.
   * @param {Race} race
   */
  join(race) {
    if (this.waiting++ === 0) this.timer.ref?.();
    race.slot = this.joined.push(race) - 1;
    race.deadline = this;
  }

  /** @param {number} slot */
  leave(slot) {
    this.joined[slot] = undefined;
    if (--this.waiting === 0) this.timer.unref?.();
  }

  fire() {
    if (deadlines.get(this.timeoutMs) === this) deadlines.delete(this.timeoutMs);
    if (this.waiting === 0) return;
    for (const race of this.joined) race?.timedOut();
    this.controller.abort();
  }
}

/** The shared deadline open to new calls, per timeout. */
/** @type {Map<number, SharedDeadline>} */
const deadlines = new Map();

/**
 * Whether this runtime's timers can be unreferenced; known after the first shared deadline.
 * Never in workerd, even if its timers grow Node's methods: there a timer belongs to the request
 * that set it.
 */
let unrefTimers = globalThis.navigator?.userAgent !== 'Cloudflare-Workers';

/**
 * The shared deadline a call with `timeoutMs` joins, or `undefined` where calls keep their own.
 * @param {number} timeoutMs
 * @returns {SharedDeadline | undefined}
 */
function sharedDeadline(timeoutMs) {
  const slack = Math.min(MAX_SLACK_MS, Math.floor(timeoutMs / 16));
  if (!unrefTimers || slack < 1) return undefined;
  const now = performance.now();
  const open = deadlines.get(timeoutMs);
  if (open !== undefined && now < open.closesAt && open.calls < MAX_SHARED_CALLS) {
    return open;
  }
  const deadline = new SharedDeadline(timeoutMs, now, slack);
  if (typeof deadline.timer.unref !== 'function' || typeof deadline.timer.ref !== 'function') {
    clearTimeout(deadline.handle);
    unrefTimers = false;
    return undefined;
  }
  deadlines.set(timeoutMs, deadline);
  return deadline;
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
 * One `fetch` and the read of its response, in JS: the response may be any `Response` a replaced
 * `fetch` made (a subclass, a body stream that fails with any value), so whatever its getters,
 * methods or stream throw or reject with is caught here and becomes a `network` failure, never
 * something the wasm has to look at; or `ended` once `race` says the call already ended (a
 * timeout or abort made it, and its failures are the abort's own, never the call's `cause`). A
 * body above `MAX_BODY_BYTES` is the failure `large\n<status> <limit>`. Never rejects.
 * @param {CallContext | undefined} ctx
 * @param {string | Request} target
 * @param {RequestInit} init
 * @param {readonly string[] | undefined} names the response headers to read, or all of them if
 *   undefined (`headers.forEach`, which costs about 1 µs a response in Node)
 * @param {Race} [race] the call's race in `send`, if any, which it settles with its outcome
 * @returns {Promise<Outcome>}
 */
async function exchange(ctx, target, init, names, race) {
  try {
    const response = await fetch(target, init);
    if (race?.settled) return 'ended';
    if (!(response instanceof Response)) return ended(race, 'network\nfetch did not resolve to a Response');
    const status = Number(response.status);
    const headers = response.headers;
    if (Number(headers.get('content-length')) > MAX_BODY_BYTES) {
      try {
        response.body?.cancel().catch(() => {});
      } catch {
        // a body that cannot be cancelled is left to the garbage collector
      }
      return ended(race, tooLarge(status));
    }
    /** @type {[string, string][]} */
    const pairs = [];
    if (names === undefined) {
      headers.forEach((value, name) => pairs.push([String(name), String(value)]));
    } else {
      for (const name of names) {
        const value = headers.get(name);
        if (value !== null) pairs.push([name, String(value)]);
      }
    }
    const buffer = await response.arrayBuffer();
    // Not `instanceof` alone: Firefox can answer an ArrayBuffer of another realm.
    if (!(buffer instanceof ArrayBuffer) && Object.prototype.toString.call(buffer) !== '[object ArrayBuffer]') {
      return ended(race, 'network\nthe response body is not an ArrayBuffer');
    }
    if (buffer.byteLength > MAX_BODY_BYTES) return ended(race, tooLarge(status));
    return ended(race, [status, pairs.length === 0 ? '[]' : JSON.stringify(pairs), new Uint8Array(buffer)]);
  } catch (e) {
    return race?.settled ? 'ended' : ended(race, failure('network', e, ctx));
  }
}

/**
 * `outcome`, after settling `race` with it (the call of `send` it ends, if any).
 * @param {Race | undefined} race
 * @param {Outcome} outcome
 * @returns {Outcome}
 */
function ended(race, outcome) {
  race?.settle(outcome);
  return outcome;
}

/**
 * The failure of a response body above `MAX_BODY_BYTES`.
 * @param {number} status
 * @returns {string}
 */
const tooLarge = (status) => `large\n${status} ${MAX_BODY_BYTES}`;

/**
 * @param {string} kind
 * @param {unknown} e
 * @param {CallContext | undefined} ctx
 * @returns {string}
 */
function failure(kind, e, ctx) {
  if (ctx && kind === 'network' && ctx.cause === undefined) ctx.cause = e;
  return failureText(kind, e);
}

/**
 * The failure `"<kind>\n<message>"` for the thrown value `e`, whatever it is (its `message`
 * getter may throw too).
 * @type {typeof import('./host.js').failureText}
 */
export function failureText(kind, e) {
  let message;
  try {
    message = String(/** @type {{ message?: unknown } | undefined} */ (e)?.message ?? e);
  } catch {
    message = 'unknown error';
  }
  return `${kind}\n${message}`;
}
