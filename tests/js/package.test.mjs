// The publishable package pkg/npm (assembled by .ci/build-pkg): what `npm pack` would publish,
// and the package.json fields that make `import ... from 'open-payments-wasm'` work everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, 'pkg/npm');
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const cargoVersion = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version\s*=\s*"([^"]+)"/m)[1];

test('npm pack --dry-run lists exactly the expected files', async () => {
  // `./pkg/npm`, not `pkg/npm`: npm reads `a/b` as a GitHub repository.
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--offline', './pkg/npm'],
    { cwd: root });
  const [packed] = JSON.parse(stdout);
  assert.equal(packed.name, 'open-payments-wasm');
  assert.equal(packed.version, cargoVersion);
  const files = packed.files.map((f) => f.path).sort();
  const expected = ['README.md', 'package.json', 'index.js', 'index.d.ts', 'edge.js', 'node.cjs', 'node.d.cts', 'lean.js',
    'lean.d.ts', 'public.js', 'public.d.ts', 'client.js', 'client-edge.js', 'client.d.ts', 'client.d.cts',
    'nodejs/package.json', 'nodejs/snippets/package.json',
    'nodejs/wasm-base64.cjs', // the .wasm for bundlers that move node.cjs away from nodejs/
    'types/full.d.ts', 'types/public.d.ts', 'types/lean.d.ts', 'types/client-api.d.ts', 'types/types.d.ts',
    'types/errors.d.ts', 'types/package.json'];
  for (const build of ['web', 'nodejs', 'lean', 'public', 'client']) {
    for (const f of ['open_payments_wasm.js', 'open_payments_wasm.d.ts', 'open_payments_wasm_bg.wasm']) expected.push(`${build}/${f}`);
  }
  for (const f of expected) assert.ok(files.includes(f), `${f} is packed`);
  // Besides: the facade's other declaration files, and the wasm's imports from its host
  // (src/js/host.js, copied by wasm-bindgen into each build's snippets).
  const unexpected = files.filter((f) => !expected.includes(f) && !/^types\/[\w-]+\.d\.ts$/.test(f)
    && !/^(web|nodejs|lean|public|client)\/snippets\/[^/]+\/src\/js\/host\.js$/.test(f));
  assert.deepEqual(unexpected, []);
  // Every path the manifest points at is published.
  const targets = [manifest.main, manifest.module, manifest.browser, manifest.types,
    ...Object.values(manifest.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))]
    .flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, '')), `${t} is packed`);
});

test('package.json: type, types, sideEffects and the export conditions in order', () => {
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.types, './index.d.ts');
  assert.equal(manifest.license, 'Apache-2.0');
  assert.ok(manifest.repository?.url);
  // The entries initialise the wasm when evaluated: they must not be marked side-effect free.
  assert.ok(Array.isArray(manifest.sideEffects), 'sideEffects lists the self-initialising entries');
  for (const entry of ['./index.js', './edge.js', './node.cjs', './lean.js', './public.js', './client.js', './client-edge.js']) {
    assert.ok(manifest.sideEffects.includes(entry), entry);
  }
  const dot = manifest.exports['.'];
  assert.deepEqual(Object.keys(dot),
    ['types', 'workerd', 'edge-light', 'deno', 'bun', 'browser', 'node', 'import', 'default']);
  assert.deepEqual(dot.types, { require: './node.d.cts', default: './index.d.ts' });
  assert.equal(dot.workerd, './edge.js');
  assert.equal(dot['edge-light'], './edge.js');
  for (const c of ['deno', 'bun', 'browser', 'import', 'default']) assert.equal(dot[c], './index.js', c);
  assert.equal(dot.node, './node.cjs');
  assert.deepEqual(Object.keys(manifest.exports['./lean']), ['types', 'default']);
  assert.deepEqual(Object.keys(manifest.exports['./public']), ['types', 'default']);
  // The client alone: the same conditions as `.`, its own build but in Node (node.cjs).
  const client = manifest.exports['./client'];
  assert.deepEqual(Object.keys(client), Object.keys(dot));
  assert.deepEqual(client.types, { require: './client.d.cts', default: './client.d.ts' });
  for (const c of ['workerd', 'edge-light']) assert.equal(client[c], './client-edge.js', c);
  for (const c of ['deno', 'bun', 'browser', 'import', 'default']) assert.equal(client[c], './client.js', c);
  assert.equal(client.node, './node.cjs');
});

test('the edge entry imports its .wasm as a module, the others instantiate at import', () => {
  const edge = readFileSync(join(dir, 'edge.js'), 'utf8');
  assert.match(edge, /import module from ["']\.\/web\/open_payments_wasm_bg\.wasm\?module["']/);
  assert.match(edge, /initSync\(\{ module \}\)/);
  assert.doesNotMatch(edge, /^await /m, 'no top-level await in workerd / Vercel Edge');
  const clientEdge = readFileSync(join(dir, 'client-edge.js'), 'utf8');
  assert.match(clientEdge, /import module from ["']\.\/client\/open_payments_wasm_bg\.wasm\?module["']/);
  assert.doesNotMatch(clientEdge, /^await /m, 'no top-level await in workerd / Vercel Edge');
  for (const f of ['index.js', 'lean.js', 'public.js', 'client.js']) assert.match(readFileSync(join(dir, f), 'utf8'), /^await init\(/m, f);
  assert.match(readFileSync(join(dir, 'client.js'), 'utf8'), /from ["']\.\/client\/open_payments_wasm\.js["']/);
});

test('node_modules/open-payments-wasm is the assembled package, and Node imports and requires it', async () => {
  assert.equal(realpathSync(join(root, 'node_modules/open-payments-wasm')), realpathSync(dir));
  const esm = await import('open-payments-wasm');
  assert.deepEqual(esm.parseAmount('12.34', { assetCode: 'USD', assetScale: 2 }),
    { value: '1234', assetCode: 'USD', assetScale: 2 });
  const { createRequire } = await import('node:module');
  const cjs = createRequire(import.meta.url)('open-payments-wasm');
  assert.equal(cjs.OpenPaymentsClientError, esm.OpenPaymentsClientError, 'import and require share one instance');
});

test('every runtime export of the official client is exported under the same name, with the same values', async () => {
  const official = await import('@interledger/open-payments');
  const ours = await import('open-payments-wasm');
  // Left out on purpose: the official package's test fixtures (`mock*`) and its OpenAPI loaders
  // (`get*OpenAPI`, which read the YAML files from disk); neither is a client operation.
  const missing = Object.keys(official).filter((name) => !(name in ours) && name !== '__esModule'
    && !/^mock[A-Z]/.test(name) && !/^get\w+OpenAPI$/.test(name));
  assert.deepEqual(missing, []);
  for (const name of ['AccessType', 'AccessAction']) {
    for (const [key, value] of Object.entries(official[name])) assert.equal(ours[name][key], value, `${name}.${key}`);
  }
  for (const name of ['isPendingGrant', 'isFinalizedGrant', 'isFinalizedGrantWithAccessToken', 'isFinalizedGrantWithSubject',
    'createAuthenticatedClient', 'createUnauthenticatedClient']) assert.equal(typeof ours[name], 'function', name);
});

test('open-payments-wasm/lean (the browser checkout build) initialises itself (in Bun)', async () => {
  const script = `import * as lean from 'open-payments-wasm/lean';
    console.log(JSON.stringify([lean.formatAmount({ value: '1234', assetCode: 'USD', assetScale: 2 }, { locale: 'en-US' }),
      typeof lean.generateKeyPair, typeof lean.createAuthenticatedClient, typeof lean.createUnauthenticatedClient]));`;
  const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/bun'), ['-e', script], { cwd: root });
  assert.deepEqual(JSON.parse(stdout), ['12.34', 'undefined', 'undefined', 'undefined'],
    'amounts work; no keys and no client in the lean build');
});

test('open-payments-wasm/client (the client build) has every runtime export of the official client, and only the client (in Bun)', async () => {
  const official = await import('@interledger/open-payments');
  const wanted = Object.keys(official).filter((name) => !['__esModule', 'default'].includes(name) && !/^mock[A-Z]/.test(name)
    && !/^get\w+OpenAPI$/.test(name));
  // Bun picks the `bun` condition: client.js, which instantiates pkg/npm/client's .wasm.
  const script = `import * as client from 'open-payments-wasm/client';
    const key = client.generateKeyPair('k');
    const c = await client.createAuthenticatedClient({ walletAddressUrl: 'https://wallet.example/shop', privateKey: key, keyId: 'k' });
    console.log(JSON.stringify({ names: Object.keys(client), operations: Object.keys(c.incomingPayment).sort(),
      amount: client.formatAmount({ value: '1234', assetCode: 'USD', assetScale: 2 }, { locale: 'en-US' }) }));`;
  const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/bun'), ['-e', script], { cwd: root });
  const { names, operations, amount } = JSON.parse(stdout);
  assert.deepEqual(wanted.filter((name) => !names.includes(name)), [], 'official exports missing from the client entry');
  assert.deepEqual(operations, ['complete', 'create', 'get', 'getPublic', 'list', 'listAll']);
  assert.equal(amount, '12.34');
  for (const name of ['createMerchant', 'verifyRequest', 'verifyWebRequest', 'parseQuote', 'parseIncomingPayment']) {
    assert.ok(!names.includes(name), `${name} is not in the client entry`);
  }
  for (const name of ['signRequest', 'createJwks', 'loadPrivateKey', 'createInteractRequest', 'verifyInteractFinish']) {
    assert.ok(names.includes(name), `${name} is in the client entry`);
  }
});
