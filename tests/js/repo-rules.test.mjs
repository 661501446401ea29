// Rules of the repository itself, checked on every CI run:
// 1. it stands alone: every file a source or document refers to by path exists in the repository
//    (no references to documents that are not in it);
// 2. the layers stay apart: the core modules (amounts, resources, signatures, wallet addresses,
//    the client, the merchant flows, sealing) never use JS bindings (`wasm_bindgen`, `js_sys`, `web_sys`), the JS boundary
//    (`crate::js`) or the sandbox; the sandbox never uses the JS boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n').filter((f) => f && existsSync(join(root, f)));

const TEXT = /\.(rs|md|toml|mjs|js|ts|json|html|css|yaml|sh)$|^\.ci\/[\w-]+$|^www\/start$|^benches\/(run|profiles)$/;
/** Repository paths written in sources and documents: `src/…`, `tests/…`, `www/…`, `benches/…`, `.ci/…`. */
const REPO_PATH = /(?<![\w./-])((?:src|tests|www|benches|\.ci)\/[\w./-]*[\w-])/g;
/** Documents referred to by name: `ARCHITECTURE.md`, `README.md`, `benches/README.md`, … */
const DOCUMENT = /(?<![\w/-])((?:\.\.\/|[\w-]+\/)*[\w-]+\.md)\b/g;

test('every file the repository refers to by path exists in it (it stands alone)', () => {
  const missing = [];
  for (const file of tracked.filter((f) => TEXT.test(f) && !f.startsWith('tests/vectors/'))) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const [, path] of text.matchAll(REPO_PATH)) {
      const clean = path.replace(/\.$/, '');
      // From the repository's root, or (in the small projects under tests/toolchains/) from the
      // file's own folder or one of the projects beside it.
      const bases = [root, join(root, dirname(file))];
      if (file.startsWith('tests/toolchains/')) {
        bases.push(...readdirSync(join(root, 'tests/toolchains'), { withFileTypes: true })
          .filter((d) => d.isDirectory()).map((d) => join(root, 'tests/toolchains', d.name)));
      }
      if (!bases.some((b) => existsSync(join(b, clean)))) missing.push(`${file}: ${clean}`);
    }
    for (const [, doc] of text.matchAll(DOCUMENT)) {
      if (doc.startsWith('../') && doc.includes('shared/')) { missing.push(`${file}: ${doc} (outside the repository)`); continue; }
      const here = [join(root, doc), join(root, dirname(file), doc)];
      if (!here.some((p) => existsSync(p))) missing.push(`${file}: ${doc}`);
    }
  }
  assert.deepEqual(missing, []);
});

/** Rust source without comments (doc comments may name what the code must not use). */
const code = (file) => readFileSync(join(root, file), 'utf8').split('\n')
  .map((line) => line.replace(/\/\/.*$/, '')).join('\n');

/** Whether `text` names the path `name` as a whole (`crate::js`, not `crate::json`). */
const names = (text, name) => new RegExp(`\\b${name}\\b`).test(text);

test('the core never uses JS bindings, the JS boundary or the sandbox; the sandbox never uses the JS boundary', () => {
  const core = tracked.filter((f) => /^src\/(amount\.rs|error\.rs|json\.rs|wallet_address\.rs|seal\.rs|percent\.rs|lib\.rs|(resources|signature|client|merchant|amount)\/.+\.rs)$/.test(f));
  assert.ok(core.length > 20, `found the core modules (${core.length})`);
  const offences = [];
  for (const file of core) {
    const text = code(file);
    for (const banned of ['wasm_bindgen', 'js_sys', 'web_sys', 'gloo_net', 'crate::js', 'crate::sandbox', 'super::sandbox']) {
      // lib.rs declares the modules; it may name them in `mod` lines and cfg attributes only.
      if (file === 'src/lib.rs') continue;
      if (names(text, banned)) offences.push(`${file} uses ${banned}`);
    }
  }
  for (const file of tracked.filter((f) => /^src\/sandbox\/.+\.rs$/.test(f))) {
    const text = code(file);
    for (const banned of ['wasm_bindgen', 'js_sys', 'web_sys', 'crate::js']) {
      if (names(text, banned)) offences.push(`${file} uses ${banned}`);
    }
  }
  assert.deepEqual(offences, []);
});
