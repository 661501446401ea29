// Serves the demo page (www/) and the npm package (pkg/npm, under /pkg/) on 127.0.0.1.
// Usage: node www/serve.mjs [--port N]   (port 0 or absent: 8080, or a free one if taken)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(fileURLToPath(new URL('.', import.meta.url)));
const roots = { '/pkg/': join(here, '..', 'pkg', 'npm'), '/': here };
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
};

/** Maps a URL path to a file under one of the roots, refusing anything that escapes it. */
function resolvePath(urlPath) {
  for (const [prefix, dir] of Object.entries(roots)) {
    if (!urlPath.startsWith(prefix)) continue;
    let rel = decodeURIComponent(urlPath.slice(prefix.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep) && file !== dir) return null;
    return file;
  }
  return null;
}

export function startServer(port = 8080) {
  const server = createServer(async (req, res) => {
    const file = resolvePath(new URL(req.url, 'http://localhost').pathname);
    try {
      if (!file || !(await stat(file)).isFile()) throw new Error('not found');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const wanted = i > 0 ? Number(process.argv[i + 1]) : 8080;
  let server;
  try {
    server = await startServer(wanted);
  } catch {
    server = await startServer(0);
  }
  console.log(`open-payments-wasm demo: http://127.0.0.1:${server.address().port}/`);
}
