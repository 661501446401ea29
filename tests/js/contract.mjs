// Contract check: wraps `fetch` so that every request a client sends to the sandbox ASE, and every
// response it receives, is validated against the official OpenAPI files (from the pinned
// @interledger/open-payments package) with the official validator, @interledger/openapi.
// Violations are collected, not thrown, so a test can report all of them at once.
import { createOpenAPI } from '@interledger/openapi';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const specs = join(dirname(require.resolve('@interledger/open-payments/package.json')), 'dist/openapi/specs');

const AS_PATHS = [['/', /^\/?$/], ['/continue/{id}', /^\/continue\/([^/]+)$/], ['/token/{id}', /^\/token\/([^/]+)$/]];
const RS_PATHS = [
  ['/incoming-payments', /^\/incoming-payments$/],
  ['/incoming-payments/{id}/complete', /^\/incoming-payments\/([^/]+)\/complete$/],
  ['/incoming-payments/{id}', /^\/incoming-payments\/([^/]+)$/],
  ['/outgoing-payments', /^\/outgoing-payments$/],
  ['/outgoing-payments/{id}', /^\/outgoing-payments\/([^/]+)$/],
  ['/quotes', /^\/quotes$/],
  ['/quotes/{id}', /^\/quotes\/([^/]+)$/],
  ['/outgoing-payment-grant', /^\/outgoing-payment-grant$/],
];
const WA_PATHS = [['/jwks.json', /\/jwks\.json$/], ['/did.json', /\/did\.json$/], ['/', /.*/]];

/** Which spec and path template a sandbox URL belongs to (`null` for /dev and other URLs). */
function classify(info, url) {
  const base = new URL(info.baseUrl);
  if (url.origin !== base.origin || url.pathname.startsWith('/dev/')) return null;
  for (const [kind, servers] of [['as', info.authServers], ['rs', info.resourceServers]]) {
    for (const server of Object.values(servers)) {
      const prefix = new URL(server).pathname.replace(/\/$/, '');
      if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
        const rest = url.pathname.slice(prefix.length);
        if (kind === 'as' && rest.startsWith('/interact/')) return null; // front channel, not in the API
        for (const [template, re] of kind === 'as' ? AS_PATHS : RS_PATHS) {
          const m = rest.match(re);
          if (m) return { kind, template, params: m[1] === undefined ? {} : { id: m[1] } };
        }
        return { kind, template: null };
      }
    }
  }
  for (const [template, re] of WA_PATHS) if (re.test(url.pathname)) return { kind: 'wa', template, params: {} };
  return null;
}

export async function contractChecker(info) {
  const apis = {
    as: await createOpenAPI(join(specs, 'auth-server.yaml')),
    rs: await createOpenAPI(join(specs, 'resource-server.yaml')),
    wa: await createOpenAPI(join(specs, 'wallet-address-server.yaml')),
  };
  const violations = [];
  let checked = 0;
  // One validator per operation: @interledger/openapi appends the path-level parameters to the
  // operation's list each time a request validator is created, so creating it twice breaks it.
  const cache = new Map();
  const validator = (kind, path, method, which) => {
    const key = `${which} ${kind} ${method} ${path}`;
    if (!cache.has(key)) {
      const api = apis[kind];
      cache.set(key, which === 'request' ? api.createRequestValidator({ path, method }) : api.createResponseValidator({ path, method }));
    }
    return cache.get(key);
  };

  function validate(where, fn) {
    try {
      fn();
    } catch (e) {
      violations.push(`${where}: ${JSON.stringify(e.errors ?? e.message ?? e)}`);
    }
  }

  /** A fetch that validates traffic to the sandbox, then behaves like `inner`. */
  function wrap(inner) {
    return async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const route = classify(info, url);
      // `new Request(input)` takes the body of a Request `input`: send `request` from here on.
      if (!route) return inner(request);
      const method = request.method.toLowerCase();
      const where = `${request.method} ${url.pathname}`;
      if (!route.template) {
        violations.push(`${where}: no such path in the ${route.kind.toUpperCase()} OpenAPI file`);
        return inner(request);
      }
      const text = await request.clone().text();
      const headers = Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v]));
      const body = text ? JSON.parse(text) : undefined;
      validate(`request ${where}`, () => validator(route.kind, route.template, method, 'request')({
        headers, body, query: Object.fromEntries(url.searchParams), params: route.params,
      }));
      const response = await inner(request);
      const answer = await response.clone().text();
      if (answer) {
        let json;
        try { json = JSON.parse(answer); } catch { json = undefined; }
        if (json !== undefined) {
          validate(`response ${response.status} ${where}`, () =>
            validator(route.kind, route.template, method, 'response')({ status: response.status, body: json }));
        }
      }
      checked += 1;
      return response;
    };
  }

  return { wrap, violations, get checked() { return checked; } };
}
