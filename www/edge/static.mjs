// Static files for the adapters that run under Node (the page in www/, pkg/browser under /pkg/,
// and the public build, pkg/public, under /pkg-public/ for pages that read public data).
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = resolve(fileURLToPath(new URL('..', import.meta.url)));
const roots = [['/pkg/', join(www, '..', 'pkg', 'browser')], ['/pkg-public/', join(www, '..', 'pkg', 'public')], ['/', www]];
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
      return new Response(await readFile(file), { headers: { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' } });
    } catch { return null; }
  }
  return null;
}

/** node:http listener around a `fetch(request) => Response` function (static files first). */
export function nodeListener(fetchFn) {
  return async (req, res) => {
    try {
      const url = new URL(req.url, `http://${req.headers.host}`);
      let response = req.method === 'GET' ? await staticFile(url.pathname) : null;
      if (!response) {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const body = chunks.length && !['GET', 'HEAD'].includes(req.method) ? Buffer.concat(chunks) : undefined;
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
