// Static files for the adapters that run under Node: the page in www/, and the npm package
// (pkg/npm) under /pkg/: the page loads /pkg/lean.js; pages that read public data /pkg/public.js.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { securityHeaders } from './headers.mjs';

const www = resolve(fileURLToPath(new URL('..', import.meta.url)));
const roots = [['/pkg/', join(www, '..', 'pkg', 'npm')], ['/', www]];
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png' };

/** A Response for a static file, or null. `edge/` itself is not served. */
export async function staticFile(pathname) {
  for (const [prefix, dir] of roots) {
    if (!pathname.startsWith(prefix)) continue;
    let rel;
    try { rel = decodeURIComponent(pathname.slice(prefix.length)) || 'checkout.html'; } catch { return null; }
    if (prefix === '/' && (rel.startsWith('edge') || rel === 'start' || rel.endsWith('.mjs'))) return null;
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep)) return null;
    try {
      if (!(await stat(file)).isFile()) return null;
      return securityHeaders(new Response(await readFile(file),
        { headers: { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' } }));
    } catch { return null; }
  }
  return null;
}

/** The largest request body passed on to the handler (the handler's own limit, as the sandbox). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Reads the body of a node:http request up to `limit` bytes: a Buffer, or null once it is larger
 *  (a larger Content-Length is refused before reading; a longer stream is paused, not drained). */
function readBody(req, limit) {
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= limit)) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const stop = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onError); };
    const onData = (c) => {
      size += c.length;
      if (size > limit) { stop(); req.pause(); resolve(null); } else chunks.push(c);
    };
    const onEnd = () => { stop(); resolve(Buffer.concat(chunks)); };
    const onError = (e) => { stop(); reject(e); };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** node:http listener around a `fetch(request) => Response` function (static files first). Bodies
 *  above MAX_BODY_BYTES are answered 413 and the connection closed without reading the rest. */
export function nodeListener(fetchFn) {
  return async (req, res) => {
    try {
      const url = new URL(req.url, `http://${req.headers.host}`);
      let response = req.method === 'GET' ? await staticFile(url.pathname) : null;
      if (!response) {
        const bytes = await readBody(req, MAX_BODY_BYTES);
        if (bytes === null) {
          res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
          res.end(JSON.stringify({ error: { code: 'payload_too_large', message: `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.` } }));
          return;
        }
        const body = bytes.length && !['GET', 'HEAD'].includes(req.method) ? bytes : undefined;
        response = await fetchFn(new Request(url, { method: req.method, headers: req.headers, body }));
      }
      const headers = {};
      response.headers.forEach((v, k) => { headers[k] = k === 'set-cookie' ? response.headers.getSetCookie() : v; });
      res.writeHead(response.status, headers);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    }
  };
}
