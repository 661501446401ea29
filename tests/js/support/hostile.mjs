// Hostile inputs against every export of one build of the package, as a user could pass them.
// Runs unchanged in Node and in a browser page (no Node imports): tests/js/hostile.test.mjs
// imports it in Node and serves it to headless Chromium. Everything is found through the public
// API only: the module's exports, the clients the factories return, SigningKey and the error
// classes; what the boundary does inside is not looked at.

/** What the getters and Proxy traps throw: a user's own exception. */
export class HostileError extends Error {
  constructor(what) {
    super(`hostile ${what}`);
    this.name = 'HostileError';
  }
}

// The keys the package's arguments have (amounts, request args, keys, grants, JWKs, ...): a
// throwing getter sits on each, so whichever the package reads first throws.
const KEYS = [
  // amounts, formatting
  'value', 'assetCode', 'assetScale', 'locale', 'style', 'currencyDisplay', 'useGrouping',
  // requests, signing, verifying
  'url', 'method', 'headers', 'body', 'created', 'now', 'maxAgeSeconds', 'clockSkewSeconds',
  // keys
  'keys', 'kid', 'kty', 'crv', 'x', 'd', 'alg', 'use', 'type', 'export',
  // client options and request args
  'walletAddressUrl', 'privateKey', 'keyId', 'authenticatedRequestInterceptor', 'requestTimeoutMs', 'logger',
  'logLevel', 'useHttp', 'validateResponses', 'maxRetries', 'walletAddressCache', 'ttlSeconds', 'maxEntries',
  'accessToken', 'signal', 'first', 'last', 'cursor',
  // grants and interaction
  'access_token', 'access', 'actions', 'identifier', 'limits', 'interact', 'start', 'finish', 'nonce', 'uri',
  'continue', 'client', 'jwk', 'subject', 'interact_ref', 'manage', 'expires_in', 'wait', 'clientNonce',
  'finishNonce', 'interactRef', 'grantEndpoint', 'hash',
  // resources and errors
  'id', 'walletAddress', 'publicName', 'authServer', 'resourceServer', 'incomingAmount', 'receivedAmount',
  'debitAmount', 'receiveAmount', 'sentAmount', 'spentDebitAmount', 'spentReceiveAmount', 'receiver', 'quoteId',
  'completed', 'failed', 'expiresAt', 'createdAt', 'updatedAt', 'metadata', 'methods', 'ilpAddress',
  'sharedSecret', 'pagination', 'result', 'hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor', 'error',
  'code', 'description', 'details'];

/** An object whose every known key is a throwing (enumerable) getter. */
function throwingGetters(depth) {
  const o = {};
  for (const k of KEYS) Object.defineProperty(o, k, { enumerable: true, get() { throw new HostileError(`getter ${k} at depth ${depth}`); } });
  return o;
}

/** The members of the levels above the getters: the ones that hold objects in the package's
 *  arguments and documents (a walker of any JSON takes the first). */
const CONTAINERS = ['value', 'body', 'metadata', 'headers', 'access_token', 'access', 'keys', 'result', 'details',
  'incomingAmount', 'debitAmount', 'interact', 'finish', 'client', 'jwk', 'error'];
const ARRAYS = new Set(['access', 'keys', 'result']);

/** `depth` levels of plain objects (and arrays) whose innermost one has throwing getters. Every
 *  member of a level points at the same next level, so the value stays small (a DAG, no cycle). */
function nested(depth) {
  let inner = throwingGetters(depth);
  for (let level = 1; level < depth; level++) {
    const o = {};
    for (const k of CONTAINERS) o[k] = ARRAYS.has(k) ? [inner] : inner;
    inner = o;
  }
  return inner;
}

function throwingTrap(trap, target = {}) {
  return new Proxy(target, { [trap]() { throw new HostileError(`proxy ${trap} trap`); } });
}

export const BIG_STRING = 'x'.repeat(1 << 20);

/** The hostile inputs, each named. Made anew for each callable (wasm-bindgen's methods write to
 *  their receiver), except the 1 MB string. */
export function hostileInputs() {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cyclic = {};
  cyclic.self = cyclic;
  cyclic.list = [cyclic, { again: cyclic }];
  const cyclicArray = [];
  cyclicArray.push(cyclicArray);
  return [
    { name: 'getter depth 1', value: nested(1) },
    { name: 'getter depth 2', value: nested(2) },
    { name: 'getter depth 5', value: nested(5) },
    { name: 'getter depth 60', value: nested(60) },
    { name: 'array with a getter object', value: [nested(1)] },
    { name: 'proxy get throws', value: throwingTrap('get') },
    { name: 'proxy ownKeys throws', value: throwingTrap('ownKeys') },
    { name: 'proxy getOwnPropertyDescriptor throws', value: throwingTrap('getOwnPropertyDescriptor') },
    { name: 'proxy has throws', value: throwingTrap('has') },
    { name: 'array proxy get throws', value: throwingTrap('get', []) },
    { name: 'revoked proxy', value: revoked.proxy },
    { name: 'cyclic object', value: cyclic },
    { name: 'cyclic array', value: cyclicArray },
    { name: 'bigint', value: 10n ** 30n },
    { name: 'symbol', value: Symbol('hostile') },
    { name: '1 MB string', value: BIG_STRING },
    { name: 'function', value: function hostile() { throw new HostileError('called'); } },
    { name: 'null', value: null },
    { name: 'undefined', value: undefined },
    { name: 'NaN', value: NaN },
  ];
}

const amount = () => ({ value: '1234', assetCode: 'USD', assetScale: 2 });
const HOST = 'http://127.0.0.1:9';

/** Valid arguments for the positions that are not the hostile one, by export name. */
function validArgs(op, key, signed) {
  const req = { method: 'GET', url: 'https://wallet.example/alice/incoming-payments', headers: { authorization: 'GNAP t' } };
  return {
    addAmounts: [amount(), amount()],
    subtractAmounts: [amount(), amount()],
    compareAmounts: [amount(), amount()],
    formatAmount: [amount(), { locale: 'en-US' }],
    parseAmount: ['12.34', { assetCode: 'USD', assetScale: 2 }],
    validateAmount: [amount()],
    resolveWalletAddressUrl: ['$wallet.example/alice'],
    generateKeyPair: ['k'],
    loadPrivateKey: [key && key.exportPrivateKeyPem(), 'k'],
    exportPublicJwk: [key],
    createJwks: [[key]],
    createInteractRequest: ['https://shop.example/return'],
    signRequest: [req, key, { created: 1_700_000_000 }],
    signWebRequest: [() => new Request(req.url, { headers: req.headers }), key, { created: 1_700_000_000 }],
    verifyRequest: [signed, key && [key.publicJwk()], {}],
    verifyWebRequest: [() => signed && new Request(signed.url, { headers: signed.headers }), key && [key.publicJwk()], {}],
    createUnauthenticatedClient: [CLIENT_OPTIONS],
    createAuthenticatedClient: [{ ...CLIENT_OPTIONS, walletAddressUrl: `${HOST}/shop`, privateKey: key, keyId: 'k' }],
    createMerchant: [{ ...CLIENT_OPTIONS, walletAddressUrl: `${HOST}/shop`, privateKey: key, keyId: 'k', sealKeys: [SEAL_KEY] }],
  };
}

/** A seal key (base64 of 32 bytes) for `createMerchant`. */
const SEAL_KEY = 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=';

const CLIENT_OPTIONS = { walletAddressCache: false, maxRetries: 0, requestTimeoutMs: 2000, logLevel: 'silent' };

// Where a hostile input may be accepted, because it is a valid argument there; everywhere else a
// call must throw or reject.
/** Optional arguments: `null`/`undefined` means "not given". */
const OPTIONAL = { 'grant.request': [2], 'grant.continue': [1], 'subscriptions.charge': [1] };
/** Options bags (optional too): any object is valid whose known members can be read (unknown
 *  members are ignored, as by the official client): the nested getters sit under members no
 *  options bag has, and a Proxy of `{}` or `[]` with one throwing trap is `{}` to code that only
 *  gets the known members (ownKeys, getOwnPropertyDescriptor, has) or that copies the own
 *  enumerable members (get). A primitive is refused. */
const OPTIONS = {
  formatAmount: [1], signRequest: [2], signWebRequest: [2], verifyRequest: [2], verifyWebRequest: [2],
  createUnauthenticatedClient: [0],
  'incomingPayment.list': [1], 'incomingPayment.listAll': [1], 'outgoingPayment.list': [1],
  'outgoingPayment.listAll': [1],
  'payments.start': [1], 'payments.finish': [2], 'subscriptions.start': [1], 'subscriptions.finish': [2],
  'subscriptions.charge': [2], 'subscriptions.cancel': [1],
};
/** The objects that throw however their members are read. */
const THROWS_ON_READ = new Set(['getter depth 1', 'revoked proxy']);
/** Any JSON object (a DID document; the optional body of a continuation, whose `interact_ref` may
 *  be absent): a Proxy of `{}` whose only throwing trap is getOwnPropertyDescriptor or has is `{}`
 *  to a JSON walker (it has no key to describe). */
const ANY_OBJECT = { parseDidDocument: [0], 'grant.continue': [1] };
const ANY_OBJECT_VALID = new Set(['proxy getOwnPropertyDescriptor throws', 'proxy has throws']);
/** Free text (key ids; the finish URI, which is not checked to be a URL): a 1 MB string is a string. */
const FREE_TEXT = { generateKeyPair: [0], loadPrivateKey: [1], createInteractRequest: [0], seal: [0] };
/** Any value `JSON.stringify` can write (the caller's data that `merchant.seal` seals). */
const ANY_JSON = { seal: [1] };

/** Whether a call that returned `result` instead of throwing is right to. */
function mayAccept(t, pos, input, result) {
  const bare = t.name.replace(/^((un)?authenticated|merchant):/, '');
  // Freeing what is no live key (or freeing twice) does nothing.
  if (pos === -1 && /#(free|Symbol\(Symbol\.dispose\))$/.test(t.name)) return true;
  if (/^is[A-Z]/.test(bare)) return typeof result === 'boolean'; // type guards answer for anything
  if ((input.value === null || input.value === undefined) && OPTIONAL[bare]?.includes(pos)) return true;
  const isObject = (typeof input.value === 'object' && input.value !== null) || typeof input.value === 'function';
  if (OPTIONS[bare]?.includes(pos) && (input.value === null || input.value === undefined
    || (isObject && !THROWS_ON_READ.has(input.name)))) return true;
  if (ANY_OBJECT_VALID.has(input.name) && ANY_OBJECT[bare]?.includes(pos)) return true;
  if (ANY_JSON[bare]?.includes(pos) && typeof result === 'string') return true;
  return input.name === '1 MB string' && Boolean(FREE_TEXT[bare]?.includes(pos));
}

/** Valid arguments of the client operations (the URLs lead nowhere: fetch is stubbed to fail). */
function clientArgs() {
  const args = { url: `${HOST}/op`, accessToken: 't' };
  const collection = { ...args, walletAddress: `${HOST}/alice` };
  const finish = { clientNonce: 'n', finishNonce: 'f', interactRef: 'r', grantEndpoint: `${HOST}/auth`, hash: 'h' };
  return {
    'walletAddress.get': [{ url: `${HOST}/alice` }],
    'walletAddress.getKeys': [{ url: `${HOST}/alice` }],
    'walletAddress.getDIDDocument': [{ url: `${HOST}/alice` }],
    'incomingPayment.get': [args],
    'incomingPayment.getPublic': [{ url: `${HOST}/op/incoming-payments/1` }],
    'incomingPayment.create': [args, { walletAddress: `${HOST}/alice`, incomingAmount: amount() }],
    'incomingPayment.list': [collection, { first: 10 }],
    'incomingPayment.listAll': [collection, { first: 10 }],
    'incomingPayment.complete': [args],
    'outgoingPayment.create': [args, { walletAddress: `${HOST}/alice`, quoteId: `${HOST}/op/quotes/1` }],
    'outgoingPayment.get': [args],
    'outgoingPayment.list': [collection, { first: 10 }],
    'outgoingPayment.listAll': [collection, { first: 10 }],
    'outgoingPayment.getGrantSpentAmounts': [args],
    'quote.create': [args, { walletAddress: `${HOST}/alice`, receiver: `${HOST}/op/incoming-payments/1`, method: 'ilp' }],
    'quote.get': [args],
    'grant.request': [{ url: `${HOST}/auth` }, { access_token: { access: [{ type: 'quote', actions: ['read'] }] } }, undefined],
    'grant.continue': [args, { interact_ref: 'r' }],
    'grant.continueAfterInteraction': [args, finish],
    'grant.cancel': [args],
    'token.rotate': [args],
    'token.revoke': [args],
  };
}

/** Valid arguments of the merchant flows (the wallets lead nowhere; the states are not sealed). */
function merchantArgs() {
  const request = { walletAddress: `${HOST}/alice`, amount: amount(), finishUrl: 'https://shop.example/finish' };
  return {
    'payments.start': [request],
    'payments.finish': ['state', '?hash=h&interact_ref=r'],
    'subscriptions.start': [{ ...request, every: 'P1M' }],
    'subscriptions.finish': ['state', { hash: 'h', interact_ref: 'r' }],
    'subscriptions.charge': ['sealed', amount()],
    'subscriptions.cancel': ['sealed'],
    seal: ['receipt', { paid: true }, 60],
    open: ['receipt', 'not sealed'],
  };
}

const isClass = (f) => /^class\b/.test(Function.prototype.toString.call(f));

/**
 * Every callable of the build: each exported function; for each exported class, each prototype
 * method and accessor (the receiver is then a hostile position too) and each static method; each
 * operation of a client made by each factory with valid options.
 */
async function targets(op, key, signed) {
  const valid = validArgs(op, key, signed);
  const list = [];
  const seen = new Set();
  for (const [name, value] of Object.entries(op)) {
    // wasm-bindgen's instantiation functions (`initSync`, `default`) are re-exported by the
    // browser entries but are no part of the declared API: after the entry's own init they
    // return the instance whatever they are given.
    if (typeof value !== 'function' || seen.has(value) || name === 'initSync' || name === 'default') continue;
    seen.add(value);
    if (!isClass(value)) {
      const arity = Math.max(value.length, (valid[name] ?? []).length, 1);
      list.push({ name, fn: value, arity, valid: valid[name] ?? [] });
      continue;
    }
    // A class: its methods with a hostile receiver (position -1) and hostile arguments.
    const instance = name === 'SigningKey' ? key : undefined;
    for (const member of Reflect.ownKeys(value.prototype)) {
      // `constructor` and wasm-bindgen's own `__` members are not the public API.
      if (member === 'constructor' || String(member).startsWith('__')) continue;
      const desc = Object.getOwnPropertyDescriptor(value.prototype, member);
      const fn = typeof desc.value === 'function' ? desc.value : desc.get;
      if (typeof fn !== 'function') continue;
      list.push({ name: `${name}#${String(member)}`, fn, arity: fn.length, receiver: true, thisArg: instance, valid: [] });
    }
    for (const [member, desc] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
      if (typeof desc.value !== 'function' || ['length', 'name', 'prototype'].includes(member) || member.startsWith('__')) continue;
      list.push({ name: `${name}.${member}`, fn: desc.value, thisArg: value, arity: Math.max(desc.value.length, 1), valid: [] });
    }
  }
  // The clients' operations.
  const opArgs = clientArgs();
  for (const factory of ['createUnauthenticatedClient', 'createAuthenticatedClient']) {
    if (typeof op[factory] !== 'function') continue;
    const client = await op[factory](...valid[factory]);
    for (const [group, routes] of Object.entries(client)) {
      if (!routes || typeof routes !== 'object') continue;
      for (const [member, fn] of Object.entries(routes)) {
        if (typeof fn !== 'function') continue;
        const name = `${group}.${member}`;
        const args = opArgs[name] ?? [];
        list.push({ name: `${factory === 'createAuthenticatedClient' ? 'authenticated' : 'unauthenticated'}:${name}`,
          fn, thisArg: routes, arity: Math.max(fn.length, args.length, 1), valid: args });
      }
    }
  }
  // The merchant's flow steps.
  if (typeof op.createMerchant === 'function') {
    const merchant = await op.createMerchant(...valid.createMerchant);
    const flowArgs = merchantArgs();
    for (const [group, steps] of Object.entries(merchant)) {
      if (typeof steps === 'function') {
        const args = flowArgs[group] ?? [];
        list.push({ name: `merchant:${group}`, fn: steps, thisArg: merchant, arity: Math.max(steps.length, args.length, 1), valid: args });
        continue;
      }
      for (const [member, fn] of Object.entries(steps)) {
        const name = `${group}.${member}`;
        const args = flowArgs[name] ?? [];
        list.push({ name: `merchant:${name}`, fn, thisArg: steps, arity: Math.max(fn.length, args.length, 1), valid: args });
      }
    }
  }
  // The declared API first (functions, then client operations), wasm-bindgen's classes last.
  const rank = (t) => (t.name.includes('#') || /^[A-Z]/.test(t.name) ? 2 : t.name.includes(':') ? 1 : 0);
  return list.sort((a, b) => rank(a) - rank(b));
}

/** An input that takes longer than this on two calls in a row at one (callable, position) is slow
 *  there (the 1 MB string: 3-35 ms a call; in Chromium `JSON.stringify` of a cycle takes ~10 ms)
 *  and gets no more calls there: its turns go to the next pairs. Cycled like the others (1 call in
 *  20 each), such inputs would take many minutes. Two in a row: a call slowed by a GC pause or a
 *  compilation does not count. */
export const SLOW_CALL_MS = 1;

/**
 * Calls every callable of `op` `callsPerCallable` times, cycling through every (position, hostile
 * input) pair (but no more than needed to find it slow, see `SLOW_CALL_MS`), then returns what
 * happened. A call must throw or reject, unless `mayAccept`
 * says the input is valid where it was put; an async call must settle within `timeoutMs`.
 * `fetch` is replaced by one that fails at once while it runs: the clients' requests go nowhere.
 */
export async function hammer(op, { callsPerCallable = 10_000, timeoutMs = 3000, inputFilter = () => true,
  stopAtTrap = true, onCallable = () => {} } = {}) {
  const started = Date.now();
  const key = typeof op.generateKeyPair === 'function' ? op.generateKeyPair('k') : undefined;
  const url = 'https://wallet.example/alice/incoming-payments';
  const signed = key ? { method: 'GET', url,
    headers: { authorization: 'GNAP t', ...op.signRequest({ method: 'GET', url, headers: { authorization: 'GNAP t' } }, key) } } : undefined;
  // While it runs, `fetch` fails at once and counts: a client operation that calls it with a
  // hostile argument accepted the argument (it would have sent the request).
  let fetches = 0;
  const plainFetch = globalThis.fetch;
  globalThis.fetch = async () => {
    fetches++;
    throw new TypeError('fetch failed (stubbed by the hostile-input test)');
  };
  // `accepted`: the calls that returned, or sent a request, with a hostile input where it is not valid.
  // `slow`: for each slow input, at how many (callable, position) pairs it was slow.
  const report = { calls: 0, callables: [], errorNames: {}, accepted: {}, hangs: [], firstTrap: null, slow: {}, ms: 0 };
  const note = (e) => {
    let name;
    try {
      name = e === null || e === undefined ? String(e) : (e.constructor?.name ?? typeof e);
    } catch {
      name = 'a value whose constructor cannot be read';
    }
    report.errorNames[name] = (report.errorNames[name] ?? 0) + 1;
    return name;
  };
  const isTrap = (e, name) => {
    try {
      return e instanceof WebAssembly.RuntimeError || name === 'RuntimeError';
    } catch {
      return false;
    }
  };
  try {
    const list = await targets(op, key, signed);
    outer:
    for (const t of list) {
      report.callables.push(t.name);
      onCallable(t.name);
      const inputs = hostileInputs().filter((input) => inputFilter(input.name));
      const positions = t.receiver ? [-1] : [];
      for (let p = 0; p < t.arity; p++) positions.push(p);
      const combos = [];
      for (const p of positions) for (const input of inputs) combos.push([p, input]);
      // The last call's duration per (position, input), the pairs found slow, and the others.
      const lastMs = new Map();
      const slow = new Set();
      let fast = combos;
      // One watchdog per callable (a timer per call would cost more than most calls): it settles
      // `hung` once an awaited call has been pending for `timeoutMs`.
      let pendingSince = 0;
      let settleHung;
      const hung = new Promise((resolve) => { settleHung = resolve; });
      const watchdog = setInterval(() => {
        if (pendingSince && Date.now() - pendingSince > timeoutMs) settleHung({ hang: true });
      }, Math.min(250, timeoutMs));
      try {
        for (let i = 0; i < callsPerCallable; i++) {
          let [pos, input] = combos[i % combos.length];
          if (slow.has(`${pos} ${input.name}`) && fast.length) [pos, input] = fast[i % fast.length];
          const args = [];
          for (let p = 0; p < t.arity; p++) {
            const v = t.valid[p];
            args.push(typeof v === 'function' && !isClass(v) ? v() : v);
          }
          let thisArg = t.thisArg;
          if (pos === -1) thisArg = input.value;
          else args[pos] = input.value;
          report.calls++;
          const fetchesBefore = fetches;
          let threw = false;
          let thrown;
          let result;
          const callStarted = performance.now();
          try {
            result = t.fn.apply(thisArg, args);
            if (result && typeof result.next === 'function' && typeof result[Symbol.asyncIterator] === 'function') {
              const gen = result; // listAll: the first page is where it fails
              result = gen.next();
              result.then(() => gen.return?.(), () => {});
            }
            if (result && typeof result.then === 'function') {
              pendingSince = Date.now();
              const outcome = await Promise.race([result.then((value) => ({ ok: true, value }), (e) => ({ ok: false, e })), hung]);
              pendingSince = 0;
              if (outcome.hang) {
                // Never settled: the rest of this callable's calls would wait as long.
                report.hangs.push(`${t.name} [${pos === -1 ? 'this' : pos}] ${input.name}`);
                break;
              }
              if (outcome.ok) result = outcome.value;
              else { threw = true; thrown = outcome.e; }
            }
          } catch (e) {
            threw = true;
            thrown = e;
          }
          const pair = `${pos} ${input.name}`;
          const ms = performance.now() - callStarted;
          if (ms > SLOW_CALL_MS && lastMs.get(pair) > SLOW_CALL_MS && !slow.has(pair)) {
            slow.add(pair);
            report.slow[input.name] = (report.slow[input.name] ?? 0) + 1;
            fast = combos.filter(([p, other]) => !slow.has(`${p} ${other.name}`));
          }
          lastMs.set(pair, ms);
          if (!threw || fetches > fetchesBefore) {
            if (!mayAccept(t, pos, input, result)) {
              const k = `${t.name} [${pos === -1 ? 'this' : pos}] ${input.name}`;
              report.accepted[k] = (report.accepted[k] ?? 0) + 1;
            }
            if (!threw) continue;
          }
          const name = note(thrown);
          if (!report.firstTrap && isTrap(thrown, name)) {
            report.firstTrap = { callable: t.name, position: pos === -1 ? 'this' : pos, input: input.name, call: i + 1,
              totalCalls: report.calls, message: String(thrown?.message) };
            // A trap may have left the instance broken (the issue's: every later call traps): stop
            // here; the valid calls afterwards show what is left.
            if (stopAtTrap) break outer;
          }
        }
      } finally {
        clearInterval(watchdog);
      }
    }
  } finally {
    globalThis.fetch = plainFetch;
  }
  report.ms = Date.now() - started;
  return report;
}

/** The valid calls that must still work afterwards; each answer, or the error it threw. */
export function validCalls(op) {
  const out = {};
  const attempt = (name, f) => {
    try {
      out[name] = { ok: true, value: f() };
    } catch (e) {
      out[name] = { ok: false, error: `${e?.constructor?.name}: ${e?.message}` };
    }
  };
  attempt('parseAmount', () => op.parseAmount('12.34', { assetCode: 'USD', assetScale: 2 }));
  attempt('formatAmount', () => op.formatAmount(op.parseAmount('12.34', { assetCode: 'USD', assetScale: 2 })));
  attempt('resolveWalletAddressUrl', () => op.resolveWalletAddressUrl('$wallet.example/alice'));
  if (typeof op.generateKeyPair === 'function') {
    attempt('generateKeyPair', () => op.generateKeyPair('k').publicJwk().kid);
    attempt('signRequest', () => {
      const key = op.generateKeyPair('k2');
      const request = { method: 'POST', url: 'https://wallet.example/alice/incoming-payments',
        headers: { authorization: 'GNAP t' }, body: '{"a":1}' };
      const headers = op.signRequest(request, key);
      // (`open-payments-wasm/client` signs but has no verifyRequest.)
      const verified = typeof op.verifyRequest === 'function'
        ? op.verifyRequest({ ...request, headers: { ...request.headers, ...headers } }, [key.publicJwk()]) : undefined;
      return { headers: Object.keys(headers).map((h) => h.toLowerCase()).sort(), keyId: verified?.keyId,
        components: verified?.components };
    });
  }
  return out;
}

/** An `Error` whose `message` and `name` throw when read, and `toString` when called. */
function booby() {
  const e = new Error('booby');
  for (const name of ['message', 'name']) {
    Object.defineProperty(e, name, { get() { throw new HostileError(`${name} read`); } });
  }
  e.toString = () => { throw new HostileError('toString called'); };
  return e;
}

/** A body stream that fails with `reason` at its first read. */
const failingBody = (reason) => new ReadableStream({ pull(controller) { controller.error(reason()); } });

/** Responses a replaced `fetch` may resolve to, each hostile to whoever reads it. */
export const HOSTILE_RESPONSES = {
  'body fails with a string': () => new Response(failingBody(() => 'not an Error')),
  'body fails with undefined': () => new Response(failingBody(() => undefined)),
  'body fails with a plain object': () => new Response(failingBody(() => ({ message: 42 }))),
  'body fails with an Error whose members throw': () => new Response(failingBody(booby)),
  'body fails with a revoked Proxy': () => new Response(failingBody(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })),
  'subclass: arrayBuffer throws': () => new (class extends Response { arrayBuffer() { throw booby(); } })('{}'),
  'subclass: arrayBuffer rejects with a number': () => new (class extends Response { arrayBuffer() { return Promise.reject(7); } })('{}'),
  'subclass: arrayBuffer answers a string': () => new (class extends Response { arrayBuffer() { return Promise.resolve('{}'); } })('{}'),
  'subclass: status throws': () => new (class extends Response { get status() { throw booby(); } })('{}'),
  'subclass: headers throw': () => new (class extends Response { get headers() { throw booby(); } })('{}'),
};

/** A wallet address document with `members` put in (text spliced after the last member). */
const walletText = (members = '') =>
  `{"id":"https://wallet.example/alice","publicName":"Alice","assetCode":"USD","assetScale":2,`
  + `"authServer":"https://auth.wallet.example","resourceServer":"https://rs.wallet.example"${members}}`;

/**
 * Response bodies a hostile or broken server may send (well-formed `Response`s this time), each
 * with what `walletAddress.get` must make of it: `ok` (the document, as received) or the error
 * code. The verdicts are the typed models' (serde_json's reading and the wallet address schema's
 * rules), which the client's own JSON reader and schema walker must give too, with one deliberate
 * difference: an asset scale that is whole only once rounded to a double
 * (`2.0000000000000000001`, `1e-400`) is refused, where the models' serde_json reads the double
 * (no silent rounding of money fields). The deep ones also check that nesting cannot overflow the
 * wasm stack.
 */
export const HOSTILE_BODIES = {
  'arrays nested 100,000 deep': ['ok-never', () => '['.repeat(100_000) + ']'.repeat(100_000)],
  'objects nested 100,000 deep': ['ok-never', () => '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
  'a member nested 127 deep (the limit) beside the document': ['ok', () => walletText(`,"x":${'['.repeat(126)}${']'.repeat(126)}`)],
  'a member nested 128 deep (over the limit)': ['ok-never', () => walletText(`,"x":${'['.repeat(127)}${']'.repeat(127)}`)],
  'an unterminated 1 MB string': ['ok-never', () => '"' + 'x'.repeat(1 << 20)],
  'a 1 MB publicName': ['ok', () => walletText().replace('"Alice"', `"${'A'.repeat(1 << 20)}"`)],
  'assetScale of 10,000 digits': ['ok-never', () => walletText().replace('"assetScale":2', `"assetScale":${'9'.repeat(10_000)}`)],
  'assetScale 1e999999': ['ok-never', () => walletText().replace('"assetScale":2', '"assetScale":1e999999')],
  'assetScale 2.0': ['ok', () => walletText().replace('"assetScale":2', '"assetScale":2.0')],
  'assetScale 0.2e1': ['ok', () => walletText().replace('"assetScale":2', '"assetScale":0.2e1')],
  'assetScale 2.0000000000000000001': ['ok-never', () => walletText().replace('"assetScale":2', '"assetScale":2.0000000000000000001')],
  'assetScale 1e-400': ['ok-never', () => walletText().replace('"assetScale":2', '"assetScale":1e-400')],
  'assetScale -0': ['ok', () => walletText().replace('"assetScale":2', '"assetScale":-0')],
  'assetScale 256': ['ok-never', () => walletText().replace('"assetScale":2', '"assetScale":256')],
  'a member of 1e999999 beside the document': ['ok', () => walletText(',"x":1e999999')],
  'a lone surrogate escape': ['ok-never', () => walletText().replace('"Alice"', '"\\uD800"')],
  'an escaped surrogate pair': ['ok', () => walletText().replace('"Alice"', '"\\uD83D\\uDE00"')],
  'a raw control character in a string': ['ok-never', () => walletText().replace('"Alice"', '"A\u0001"')],
  'an escaped NUL': ['ok', () => walletText().replace('"Alice"', '"A\\u0000"')],
  'assetScale given twice, the last bad': ['ok-never', () => walletText(',"assetScale":"2"')],
  'assetScale given twice, the last good': ['ok', () => walletText().replace('"assetScale":2', '"assetScale":"2"') .replace('"resourceServer"', '"assetScale":2,"resourceServer"')],
  'a byte order mark first': ['ok-never', () => '\ufeff' + walletText()],
  'trailing characters': ['ok-never', () => walletText() + ' x'],
  '4 MB of whitespace around the document': ['ok', () => ' '.repeat(2 << 20) + walletText() + '\n'.repeat(2 << 20)],
  'bytes that are not UTF-8': ['ok-never', () => new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
  'a JSON array of the members in order': ['ok-never', () => '["https://wallet.example/alice","Alice","USD",2,"https://auth.wallet.example","https://rs.wallet.example"]'],
};

/**
 * `walletAddress.get` of `op`'s unauthenticated client with `fetch` answering each of
 * `HOSTILE_BODIES` in turn, `rounds` times over: every call must resolve with the body as
 * received (`ok`) or reject with `invalid_response` (`ok-never`), never trap, never hang.
 * Answers the calls that went otherwise.
 */
export async function hostileBodies(op, { rounds = 5, timeoutMs = 10_000 } = {}) {
  const report = { calls: 0, wrong: [], traps: [] };
  const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false });
  const plainFetch = globalThis.fetch;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [kind, [expected, body]] of Object.entries(HOSTILE_BODIES)) {
        const text = body();
        globalThis.fetch = async () => new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
        let timer;
        const hang = new Promise((resolve) => { timer = setTimeout(() => resolve('hang'), timeoutMs); });
        report.calls++;
        let got;
        try {
          const outcome = await Promise.race([client.walletAddress.get({ url: 'https://wallet.example/alice' }), hang]);
          got = outcome === 'hang' ? 'hang'
            : typeof text === 'string' && JSON.stringify(outcome) === JSON.stringify(JSON.parse(text)) ? 'ok'
              : 'resolved to something else';
        } catch (e) {
          if (e instanceof WebAssembly.RuntimeError) { report.traps.push(`${kind}: ${e.message}`); return report; }
          got = e?.code === 'invalid_response' ? 'ok-never' : `${e?.constructor?.name}:${e?.code}`;
        } finally {
          clearTimeout(timer);
        }
        if (got !== expected) report.wrong.push(`${kind}: expected ${expected}, got ${got}`);
        if (got === 'hang') return report;
      }
    }
  } finally {
    globalThis.fetch = plainFetch;
  }
  return report;
}

/**
 * `walletAddress.get` of `op`'s unauthenticated client `calls` times with `fetch` resolving to
 * each of `HOSTILE_RESPONSES` in turn: every call must reject with the package's client error
 * (never a `WebAssembly.RuntimeError`, never hang). Answers what happened.
 */
export async function hostileResponses(op, { calls = 10_000, timeoutMs = 3000 } = {}) {
  const kinds = Object.entries(HOSTILE_RESPONSES);
  const report = { calls: 0, rejections: {}, resolved: [], traps: [], hangs: [] };
  const client = await op.createUnauthenticatedClient({ maxRetries: 0, walletAddressCache: false });
  const plainFetch = globalThis.fetch;
  let turn = 0;
  globalThis.fetch = async () => kinds[turn % kinds.length][1]();
  try {
    for (; turn < calls; turn++) {
      const kind = kinds[turn % kinds.length][0];
      let timer;
      const hang = new Promise((resolve) => { timer = setTimeout(() => resolve('hang'), timeoutMs); });
      report.calls++;
      try {
        const outcome = await Promise.race([client.walletAddress.get({ url: 'https://wallet.example/alice' }), hang]);
        if (outcome === 'hang') { report.hangs.push(kind); break; }
        report.resolved.push(kind);
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) { report.traps.push(`${kind}: ${e.message}`); break; }
        const name = `${e?.constructor?.name}:${e?.code}`;
        report.rejections[name] = (report.rejections[name] ?? 0) + 1;
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    globalThis.fetch = plainFetch;
  }
  return report;
}
