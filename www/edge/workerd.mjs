// workerd adapter (through Miniflare): bundles worker.mjs + handler.mjs + the package with esbuild
// (the .wasm stays a separate CompiledWasm module), runs it in workerd, and fronts it with a
// node:http server on 127.0.0.1 that also serves the page, so page and API share one origin.
// The front answers bodies above 64 KB with 413 (static.mjs) before anything reaches workerd.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { nodeListener } from './static.mjs';

const wasmPath = new URL('../../pkg/npm/web/open_payments_wasm_bg.wasm', import.meta.url);

/** worker.mjs bundled as wrangler does: the `workerd` condition, the `.wasm?module` kept a module. */
export async function bundleWorker() {
  const out = await build({
    entryPoints: [new URL('./worker.mjs', import.meta.url).pathname], bundle: true, format: 'esm',
    write: false, minify: true, platform: 'neutral', conditions: ['workerd', 'worker', 'browser'],
    plugins: [{ name: 'wasm-module', setup(b) {
      b.onResolve({ filter: /\.wasm\?module$/ }, () => ({ path: './open_payments_wasm_bg.wasm', external: true }));
    } }],
  });
  return out.outputFiles[0].text;
}

/** A Miniflare instance running the bundled worker with `env` as bindings. */
export async function createWorkerd(env, script) {
  const mf = new Miniflare({
    modules: [
      { type: 'ESModule', path: 'worker.js', contents: script ?? await bundleWorker() },
      { type: 'CompiledWasm', path: 'open_payments_wasm_bg.wasm', contents: readFileSync(wasmPath) },
    ],
    compatibilityDate: '2024-09-23',
    bindings: env,
  });
  await mf.ready;
  return mf;
}

export async function startWorkerdEdge(env, port = 0) {
  const mf = await createWorkerd(env);
  const server = createServer(nodeListener(async (request) => mf.dispatchFetch(request.url, {
    method: request.method, headers: request.headers, redirect: 'manual',
    body: ['GET', 'HEAD'].includes(request.method) ? undefined : await request.arrayBuffer(),
  })));
  const close = server.close.bind(server);
  server.close = (cb) => { close(cb); mf.dispose(); };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
