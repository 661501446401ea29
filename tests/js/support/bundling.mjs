// Bundling the package as the platforms' build tools do (esbuild plugins), and a worker run by
// miniflare in workerd, for tests/js/runtimes.test.mjs and benches/signers.mjs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { Miniflare } from 'miniflare';

// What wrangler and Vercel do with the package's `import module from './x.wasm?module'`:
// `external` keeps it a separate module (workerd's CompiledWasm), otherwise it is compiled in place.
export function wasmModulePlugin({ external }) {
  const found = [];
  return {
    found,
    plugin: {
      name: 'wasm-module',
      setup(build) {
        build.onResolve({ filter: /\.wasm\?module$/ }, (args) => {
          const file = join(args.resolveDir, args.path.replace(/\?module$/, ''));
          found.push(file);
          return external ? { path: file.split('/').pop(), external: true } : { path: file, namespace: 'wasm-module' };
        });
        build.onLoad({ filter: /.*/, namespace: 'wasm-module' }, (args) => ({
          contents: `import bytes from ${JSON.stringify(args.path)}; export default new WebAssembly.Module(bytes);`,
          resolveDir: dirname(args.path), loader: 'js',
        }));
      },
    },
  };
}

/** Makes the bare `open-payments-wasm` of a bundle resolve as `open-payments-wasm/client`. */
export const clientEntryPlugin = {
  name: 'client-entry',
  setup(build) {
    build.onResolve({ filter: /^open-payments-wasm$/ }, (args) => build.resolve('open-payments-wasm/client',
      { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

/**
 * A worker bundled from esbuild's `source` options (`entryPoints` or `stdin`) as wrangler does:
 * the `workerd` conditions, the `.wasm` kept a separate CompiledWasm module; `./client` maps the
 * bare name to `open-payments-wasm/client`. Run by miniflare; `wasm` lists the `.wasm` files the
 * bundle imports. Call `mf.dispose()` when done.
 */
export async function workerdWorker(root, source, subpath) {
  const wasm = wasmModulePlugin({ external: true });
  const bundle = await esbuild.build({
    ...source, bundle: true, write: false, format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'],
    plugins: subpath === './client' ? [clientEntryPlugin, wasm.plugin] : [wasm.plugin], logLevel: 'silent',
  });
  const mf = new Miniflare({
    modules: [
      { type: 'ESModule', path: join(root, 'worker.mjs'), contents: bundle.outputFiles[0].text },
      ...wasm.found.map((file) => ({ type: 'CompiledWasm', path: join(root, file.split('/').pop()), contents: readFileSync(file) })),
    ],
    compatibilityDate: '2025-01-01',
  });
  return { mf, wasm: wasm.found };
}
