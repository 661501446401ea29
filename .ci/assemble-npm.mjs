// Assembles the one publishable npm package, pkg/npm, from the wasm-pack builds in pkg/ and the
// JS facade (src/js/facade/, TypeScript):
//   web/ nodejs/ lean/ public/ client/   the wasm and its wasm-bindgen glue, per build (raw exports only)
//   index.js    browsers, bundlers, Deno, Bun: `await init()` at import (fetches the .wasm next to it)
//   edge.js     Cloudflare workerd, Vercel Edge and Next.js edge routes: imports the .wasm as a
//               compiled module (`.wasm?module`, which wrangler, Vercel and Next all understand)
//               and calls initSync; the web glue is bundled in, without its fetching `init` (so
//               the entry references the .wasm once) and with a realm-independent module check
//   node.cjs    Node (`import` and `require`; one instance for both): the nodejs glue bundled in;
//               it reads nodejs/…_bg.wasm beside it, or, where a bundler moved the code (Next.js
//               route handlers), requires nodejs/wasm-base64.cjs, which the bundler ships with it
//   lean.js / public.js  the lean and public browser builds, `await init()` at import
//   client.js / client-edge.js  the client alone (`open-payments-wasm/client`), initialised as
//               index.js / edge.js are; in Node, `open-payments-wasm/client` is node.cjs (the
//               full build has every export of the client's)
//   types/      the facade's declarations (tsc); index.d.ts, lean.d.ts, public.d.ts, client.d.ts
//               point there
// Every entry is generated from one template (ENTRIES, `entrySource`) and bundled with esbuild:
// the entry's initialisation, then the facade's API for its build, bound to that build's wasm.
// Users write `import { ... } from 'open-payments-wasm'` everywhere: no init call.
// Usage: node .ci/assemble-npm.mjs   (after `.ci/build-pkg` built web, nodejs, browser, public)
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = join(root, 'pkg');
const out = join(pkg, 'npm');
const facade = join(root, 'src', 'js', 'facade');
const GLUE = ['open_payments_wasm.js', 'open_payments_wasm.d.ts', 'open_payments_wasm_bg.wasm', 'snippets'];

/** Where each wasm-pack build goes in the package. */
const BUILDS = { web: 'web', nodejs: 'nodejs', browser: 'lean', public: 'public', client: 'client' };

/**
 * The package entries: which wasm build, which facade API (src/js/facade/<api>.ts), and how the
 * wasm is instantiated.
 */
const ENTRIES = [
  { file: 'index.js', dir: 'web', api: 'full', init: 'fetch' },
  { file: 'edge.js', dir: 'web', api: 'full', init: 'module' },
  { file: 'node.cjs', dir: 'nodejs', api: 'full', init: 'node' },
  { file: 'lean.js', dir: 'lean', api: 'lean', init: 'fetch' },
  { file: 'public.js', dir: 'public', api: 'public', init: 'fetch' },
  { file: 'client.js', dir: 'client', api: 'client-api', init: 'fetch' },
  { file: 'client-edge.js', dir: 'client', api: 'client-api', init: 'module' },
];

/** The raw exports of a build (its wasm-bindgen declarations), without the init functions. */
function rawExports(dir) {
  const dts = readFileSync(join(out, dir, 'open_payments_wasm.d.ts'), 'utf8');
  return [...dts.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]).filter((n) => n !== 'initSync');
}

/**
 * The source of an entry: instantiate the build's wasm, bind the facade to it, export the API.
 * The raw exports are imported by name (not `* as raw`), so that the glue's own `init`, which
 * fetches the .wasm by URL, is left out where the entry instantiates it otherwise (edge.js).
 */
function entrySource({ dir, api, init }) {
  const glue = `./${dir}/open_payments_wasm.js`;
  const wasm = `./${dir}/open_payments_wasm_bg.wasm`;
  const names = rawExports(dir).join(', ');
  const start = {
    // Fetches the .wasm next to the entry (bundlers copy it as an asset).
    fetch: `import init, { ${names} } from '${glue}';\nawait init({ module_or_path: new URL('${wasm}', import.meta.url) });`,
    // No fetch at run time and no top-level await: the platform compiles the .wasm.
    module: `import { initSync, ${names} } from '${glue}';\nimport module from '${wasm}?module';\ninitSync({ module });`,
    // The nodejs glue instantiates synchronously when required.
    node: `import { ${names} } from '${glue}';`,
  }[init];
  return `${start}\nimport { install } from ${JSON.stringify(join(facade, 'raw.ts'))};\ninstall({ ${names} });\n` +
    `export * from ${JSON.stringify(join(facade, `${api}.ts`))};\n`;
}

/**
 * How each entry bundles its build's glue. `fetch` entries keep it external (one copy of the glue
 * next to the .wasm it fetches). The others bundle it in, rewritten where the platform needs it:
 *  - module: the `?module` import stays an import (the platform compiles the .wasm). Next.js
 *    compiles it in its own realm and hands it into the edge sandbox's `vm` context, where
 *    `module instanceof WebAssembly.Module` is false and initSync would read the module as bytes:
 *    the check is replaced by the module's realm-independent tag. Bundling drops the glue's
 *    unused `init`, whose `new URL('…_bg.wasm', import.meta.url)` made bundlers ship the .wasm
 *    a second time.
 *  - node: the glue read `${__dirname}/…_bg.wasm`, which bundlers relocate (ENOENT in Next.js
 *    route handlers): the bytes are inlined instead, decoded once at load.
 */
function gluePlugin({ dir, init }) {
  const glue = join(out, dir, 'open_payments_wasm.js');
  const rewrite = (src) => {
    const swap = (from, to) => {
      if (!src.includes(from)) throw new Error(`assemble-npm: ${dir} glue changed, no ${JSON.stringify(from)}`);
      src = src.replace(from, to);
    };
    if (init === 'module') {
      swap('!(module instanceof WebAssembly.Module)',
        "!(module instanceof WebAssembly.Module || Object.prototype.toString.call(module) === '[object WebAssembly.Module]')");
    } else if (init === 'node') {
      // Plain Node reads the .wasm beside the entry (fast: no 1.3 MB string to parse); where a
      // bundler moved the code away from it, the bytes come from a module the bundler traces
      // and ships with the code (wasm-base64.cjs, required only then).
      const bytes = readFileSync(join(out, dir, 'open_payments_wasm_bg.wasm')).toString('base64');
      writeFileSync(join(out, dir, 'wasm-base64.cjs'),
        `// The .wasm of this build as base64, for bundlers that move node.cjs away from it.\nmodule.exports = ${JSON.stringify(bytes)};\n`);
      swap("const wasmPath = `${__dirname}/open_payments_wasm_bg.wasm`;\n", '');
      swap("require('fs').readFileSync(wasmPath)",
        `(() => { try { return require('fs').readFileSync(require('path').join(__dirname, '${dir}', 'open_payments_wasm_bg.wasm')); } `
        + `catch { return Buffer.from(require('./${dir}/wasm-base64.cjs'), 'base64'); } })()`);
      // Its snippets are required by `String.raw` template, which esbuild leaves unresolved.
      src = src.replace(/require\(String\.raw`([^`$]*)`\)/g, (_, path) => `require(${JSON.stringify(path)})`);
    }
    return src;
  };
  return {
    name: 'glue',
    setup(b) {
      if (init === 'fetch') {
        b.onResolve({ filter: /^\.\/(web|nodejs|lean|public|client)\// }, (args) => ({ path: args.path, external: true }));
        return;
      }
      b.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /wasm-base64\.cjs$/ }, (args) => ({ path: args.path, external: true }));
      b.onLoad({ filter: /open_payments_wasm\.js$/ }, (args) => (args.path === glue
        ? { contents: rewrite(readFileSync(glue, 'utf8')), loader: 'js', resolveDir: join(out, dir) } : undefined));
    },
  };
}

for (const target of Object.keys(BUILDS)) {
  if (!existsSync(join(pkg, target, 'open_payments_wasm_bg.wasm'))) {
    console.error(`error: pkg/${target} is missing; run .ci/build-pkg first`);
    process.exit(1);
  }
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [target, dir] of Object.entries(BUILDS)) {
  for (const f of GLUE) {
    if (existsSync(join(pkg, target, f))) cpSync(join(pkg, target, f), join(out, dir, f), { recursive: true });
  }
}
// The package is "type": "module"; the nodejs glue is CommonJS, its snippets are ES modules
// (Node loads them with require(esm): Node >= 20.19).
writeFileSync(join(out, 'nodejs', 'package.json'), '{ "type": "commonjs" }\n');
writeFileSync(join(out, 'nodejs', 'snippets', 'package.json'), '{ "type": "module" }\n');

const banner = '// Generated by .ci/assemble-npm.mjs from src/js/facade (TypeScript).';
await Promise.all(ENTRIES.map((entry) => build({
  stdin: { contents: entrySource(entry), resolveDir: out, sourcefile: `entry-${entry.file}`, loader: 'js' },
  bundle: true,
  outfile: join(out, entry.file),
  format: entry.file.endsWith('.cjs') ? 'cjs' : 'esm',
  platform: entry.file.endsWith('.cjs') ? 'node' : 'neutral',
  target: 'es2022',
  plugins: [gluePlugin(entry)],
  banner: { js: banner },
  legalComments: 'none',
  logLevel: 'warning',
})));

// Declarations: tsc emits the facade's, the entries re-export them.
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', facade, '--noEmit', 'false', '--emitDeclarationOnly',
  '--outDir', join(out, 'types')], { stdio: 'inherit' });
// The declarations name `Symbol.dispose` (keys are disposable): the lib reference lets projects
// whose `target`/`lib` predate it (es2022, tsc's default lib set) check them without `skipLibCheck`.
const dts = (api) => `// Generated by .ci/assemble-npm.mjs: the declarations of src/js/facade/${api}.ts.\n` +
  `/// <reference lib="esnext.disposable" />\nexport * from './types/${api}.js';\n`;
writeFileSync(join(out, 'index.d.ts'), dts('full'));
writeFileSync(join(out, 'node.d.cts'), dts('full'));
writeFileSync(join(out, 'lean.d.ts'), dts('lean'));
writeFileSync(join(out, 'public.d.ts'), dts('public'));
writeFileSync(join(out, 'client.d.ts'), dts('client-api'));
writeFileSync(join(out, 'client.d.cts'), dts('client-api'));
// The declarations are module-format neutral; marking them CommonJS lets TypeScript projects in
// CommonJS (`.cts`, `"type": "commonjs"`, `module: node16`) `require` the package through
// node.d.cts, while ESM projects import them through index.d.ts as before.
writeFileSync(join(out, 'types', 'package.json'), '{ "type": "commonjs" }\n');

const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm'))?.[1];
const web = JSON.parse(readFileSync(join(pkg, 'web', 'package.json'), 'utf8'));
const manifest = {
  name: 'open-payments-wasm',
  version: field('version'),
  description: field('description') ?? web.description,
  license: field('license'),
  repository: { type: 'git', url: field('repository') },
  keywords: web.keywords,
  type: 'module',
  // Condition order matters: the first that the runtime or bundler knows wins. `types` first;
  // the platform conditions before `browser` (wrangler and Vercel also set `browser`), Deno and
  // Bun before `node` (both also match `node`), `default` last.
  exports: {
    '.': {
      // `require` (TypeScript in CommonJS projects) gets the .d.cts of the node.cjs entry.
      types: { require: './node.d.cts', default: './index.d.ts' },
      workerd: './edge.js',
      'edge-light': './edge.js',
      deno: './index.js',
      bun: './index.js',
      browser: './index.js',
      node: './node.cjs',
      import: './index.js',
      default: './index.js',
    },
    './lean': { types: './lean.d.ts', default: './lean.js' },
    './public': { types: './public.d.ts', default: './public.js' },
    // The client alone, for pages and edge functions that count their bytes. In Node, where
    // size does not matter, it is the full build (one instance with `open-payments-wasm`).
    './client': {
      types: { require: './client.d.cts', default: './client.d.ts' },
      workerd: './client-edge.js',
      'edge-light': './client-edge.js',
      deno: './client.js',
      bun: './client.js',
      browser: './client.js',
      node: './node.cjs',
      import: './client.js',
      default: './client.js',
    },
    './package.json': './package.json',
  },
  main: './node.cjs',
  module: './index.js',
  browser: './index.js',
  types: './index.d.ts',
  // Not `false`: the entries instantiate the wasm when they are evaluated. With
  // `sideEffects: false` webpack may skip evaluating an entry whose exports it binds elsewhere.
  // Listing the entries (and the snippets, as wasm-pack does) keeps them.
  sideEffects: ['./index.js', './edge.js', './lean.js', './public.js', './client.js', './client-edge.js', './node.cjs',
    './*/snippets/**'],
  engines: { node: '>=20.19' },
  files: ['index.js', 'index.d.ts', 'edge.js', 'node.cjs', 'node.d.cts', 'lean.js', 'lean.d.ts', 'public.js',
    'public.d.ts', 'client.js', 'client-edge.js', 'client.d.ts', 'client.d.cts', 'types/', 'web/', 'nodejs/', 'lean/',
    'public/', 'client/', 'README.md', 'LICENSE*'],
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const f of ['README.md', 'LICENSE', 'LICENSE-APACHE', 'LICENSE-MIT']) {
  if (existsSync(join(root, f))) cpSync(join(root, f), join(out, f));
}
console.log('assembled pkg/npm');
