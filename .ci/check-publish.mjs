// What would be published, checked before anyone publishes it (run by .ci/test after the
// package is built):
// 1. the crate: `cargo package --list` holds only the Rust sources, the JS glue its wasm build
//    imports (src/js/host.js), the example and the documents (the `include` list of Cargo.toml),
//    then `cargo publish --dry-run` packs it and builds it from the packed files alone;
// 2. the npm package: `npm publish --dry-run --json` of pkg/npm lists only the package's own
//    files (entries, declarations, the four wasm builds and their host glue), and each of them.
// Exits non-zero, naming the files, on anything unexpected or missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd, args, cwd = root) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
let failed = false;
const fail = (what) => { console.error(`error: ${what}`); failed = true; };

function check(name, files, allowed, required) {
  const unexpected = files.filter((f) => !allowed.some((re) => re.test(f)));
  if (unexpected.length) fail(`${name} would publish unexpected files: ${unexpected.join(', ')}`);
  const missing = required.filter((f) => !files.includes(f));
  if (missing.length) fail(`${name} would not publish: ${missing.join(', ')}`);
  if (!unexpected.length && !missing.length) console.log(`${name}: ${files.length} files, all expected`);
}

// 1. The crate.
const crateFiles = run('cargo', ['package', '--list', '--allow-dirty']).split('\n').filter(Boolean);
check('the crate', crateFiles, [
  /^(Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|\.cargo_vcs_info\.json|README\.md|ARCHITECTURE\.md)$/,
  /^src\/[\w/-]+\.rs$/,
  /^src\/js\/host\.js$/,
  /^examples\/[\w-]+\.rs$/,
], ['Cargo.toml', 'README.md', 'src/lib.rs', 'src/js/host.js', 'src/bin/open-payments-sandbox.rs', 'examples/pay.rs']);
try {
  run('cargo', ['publish', '--dry-run', '--allow-dirty']);
  console.log('cargo publish --dry-run: ok');
} catch (e) {
  fail(`cargo publish --dry-run failed:\n${e.stderr}`);
}

// 2. The npm package.
const pkg = `${root}pkg/npm`;
if (!existsSync(`${pkg}/package.json`)) {
  fail('pkg/npm is not built (run .ci/build-pkg)');
} else {
  let out;
  try {
    out = run('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], pkg);
  } catch (e) {
    fail(`npm publish --dry-run failed:\n${e.stderr}`);
  }
  if (out) {
    const report = JSON.parse(out);
    const packed = report['open-payments-wasm'] ?? report;
    const files = packed.files.map((f) => f.path).sort();
    const builds = ['web', 'nodejs', 'lean', 'public', 'client'];
    check('the npm package', files, [
      /^(package\.json|README\.md|LICENSE[\w.-]*)$/,
      /^(index|edge|lean|public|client|client-edge)\.js$/,
      /^node\.cjs$/,
      /^(index|lean|public|client)\.d\.ts$/,
      /^(node|client)\.d\.cts$/,
      /^types\/([\w-]+\.d\.ts|package\.json)$/,
      /^(web|nodejs|lean|public|client)\/(open_payments_wasm(_bg)?\.(js|d\.ts|wasm)|open_payments_wasm_bg\.wasm\.d\.ts|package\.json)$/,
      /^nodejs\/wasm-base64\.cjs$/,
      /^(web|nodejs|lean|public|client)\/snippets\/(package\.json|open-payments-wasm-[0-9a-f]+\/src\/js\/host\.js)$/,
    ], [
      'package.json', 'README.md', 'index.js', 'index.d.ts', 'edge.js', 'node.cjs', 'node.d.cts', 'client.js',
      'client-edge.js', 'client.d.ts', 'client.d.cts',
      ...builds.flatMap((b) => [`${b}/open_payments_wasm_bg.wasm`, `${b}/open_payments_wasm.js`]),
    ]);
    const gone = files.filter((f) => !existsSync(`${pkg}/${f}`));
    if (gone.length) fail(`npm lists files that pkg/npm does not hold: ${gone.join(', ')}`);
  }
}
process.exit(failed ? 1 : 0);
