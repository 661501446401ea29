// The two Cloudflare Workers of README.md ("Accept a payment", "Charge a subscription"), taken
// from the README as written, bundled as wrangler does (esbuild, the `workerd` condition, the
// package's .wasm a separate module) and run in workerd (Miniflare) against the sandbox ASE: a
// shopper pays, denies, subscribes, is charged, is refused over the month's limit, cancels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { Miniflare } from 'miniflare';
import { startSandbox, shopEnv, pointer } from './support/sandbox.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The code block after `<!-- readme-worker: name -->`. */
function worker(name) {
  const marker = `<!-- readme-worker: ${name} -->`;
  const at = readme.indexOf(marker);
  assert.ok(at >= 0, `README.md has no ${marker}`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, `a js block follows ${marker}`);
  return block[1];
}

let sandbox, env;
before(async () => {
  sandbox = await startSandbox();
  env = await shopEnv(sandbox);
});
after(() => sandbox?.stop());

/** Bundles `code` as wrangler would and starts it in workerd with the shop's env. */
async function start(t, code) {
  const wasm = [];
  const bundle = await esbuild.build({
    stdin: { contents: code, resolveDir: root, sourcefile: 'worker.js', loader: 'js' },
    bundle: true, write: false, format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
    plugins: [{ name: 'wasm-module', setup(b) {
      b.onResolve({ filter: /\.wasm\?module$/ }, (args) => {
        wasm.push(`${args.resolveDir}/${args.path.replace(/\?module$/, '')}`);
        return { path: 'op.wasm', external: true };
      });
    } }],
  });
  assert.equal(wasm.length, 1, 'the .wasm is imported once, as a module');
  const mf = new Miniflare({
    modules: [
      { type: 'ESModule', path: 'worker.js', contents: bundle.outputFiles[0].text },
      { type: 'CompiledWasm', path: 'op.wasm', contents: readFileSync(wasm[0]) },
    ],
    compatibilityDate: '2025-01-01',
    bindings: env,
    kvNamespaces: ['SUBSCRIPTIONS'],
  });
  t.after(() => mf.dispose());
  const get = (url, cookie) => mf.dispatchFetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { get };
}

/** Follows the worker's redirect to the wallet: the consent URL and the cookie it set. */
async function toConsent(res) {
  assert.equal(res.status, 302, await res.clone().text());
  const cookie = res.headers.get('set-cookie').split(';')[0];
  assert.match(res.headers.get('set-cookie'), /HttpOnly; Secure; SameSite=Lax/);
  return { consentUrl: res.headers.get('location'), cookie };
}

async function decide(consentUrl, verb) {
  return (await sandbox.dev(`/dev/interactions/${consentUrl.split('/').pop()}/${verb}`)).redirect;
}

test('README: "Accept a payment" as written pays once in workerd; a denial pays nothing', async (t) => {
  const w = await start(t, worker('payment'));
  const before = await sandbox.balances();
  const wallet = encodeURIComponent(pointer(sandbox.info.wallets.alice));
  const { consentUrl, cookie } = await toConsent(await w.get(`http://shop.test/pay?wallet=${wallet}`));
  const finish = await decide(consentUrl, 'approve');
  assert.ok(finish.startsWith('http://shop.test/paid?'), finish);
  const receipt = await (await w.get(finish, cookie)).json();
  assert.equal(receipt.status, 'paid', JSON.stringify(receipt));
  assert.deepEqual(receipt.receiveAmount, { value: '1999', assetCode: 'USD', assetScale: 2 });
  const again = await (await w.get(finish, cookie)).json();
  assert.equal(again.reconciled, true);
  let after = await sandbox.balances();
  assert.equal(before.alice - after.alice, 1999n);
  assert.equal(after.shop - before.shop, 1999n);

  const denied = await toConsent(await w.get(`http://shop.test/pay?wallet=${wallet}`));
  const back = await w.get(await decide(denied.consentUrl, 'deny'), denied.cookie);
  assert.equal(back.status, 400);
  assert.equal((await back.json()).error, 'consent_denied');
  after = await sandbox.balances();
  assert.equal(before.alice - after.alice, 1999n);
});

test('README: "Charge a subscription" as written: consent, charge, over the limit refused, cancel', async (t) => {
  const w = await start(t, worker('subscription'));
  const before = await sandbox.balances();
  const wallet = encodeURIComponent(pointer(sandbox.info.wallets.alice));
  const { consentUrl, cookie } = await toConsent(await w.get(`http://shop.test/subscribe?wallet=${wallet}`));
  const { id, interval } = await (await w.get(await decide(consentUrl, 'approve'), cookie)).json();
  assert.match(interval, /^R\/.+\/P1M$/);
  const charge = await (await w.get(`http://shop.test/charge?id=${id}`)).json();
  assert.deepEqual(charge.receiveAmount, { value: '500', assetCode: 'USD', assetScale: 2 }, JSON.stringify(charge));
  const over = await w.get(`http://shop.test/charge?id=${id}`);
  assert.equal(over.status, 400);
  assert.equal((await over.json()).error, 'limit_exceeded');
  assert.deepEqual(await (await w.get(`http://shop.test/cancel?id=${id}`)).json(), { cancelled: id });
  const ended = await w.get(`http://shop.test/charge?id=${id}`);
  assert.equal((await ended.json()).error, 'subscription_ended');
  const after = await sandbox.balances();
  assert.equal(before.alice - after.alice, 500n);
  assert.equal(after.shop - before.shop, 500n);
});
