// `createMerchant` through the package in Node against the sandbox ASE: what the runtime tests
// (tests/js/runtimes/merchant-flow.mjs, every runtime) cannot do there: a subscription over a
// calendar month (the sandbox clock and the client's clock moved together, the access token
// expired and rotated on the way), concurrent finishes of one checkout paying once, seal key
// rotation, and errors as a caller sees them (code, the wallet's error as `cause`, stack).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as op from 'open-payments-wasm';
import { startSandbox, shopEnv } from './support/sandbox.mjs';

let sandbox, env;
const usd = (value) => ({ value: String(value), assetCode: 'USD', assetScale: 2 });
const realNow = Date.now;
let offsetMs = 0;

before(async () => {
  sandbox = await startSandbox();
  env = await shopEnv(sandbox);
  // The client signs with Date.now; the sandbox checks signature age on its own clock.
  Date.now = () => realNow() + offsetMs;
});
after(() => {
  Date.now = realNow;
  sandbox?.stop();
});

async function advance(seconds) {
  await sandbox.dev('/dev/clock', { advanceSeconds: seconds });
  offsetMs += seconds * 1000;
}

const merchantWith = (sealKeys) => op.createMerchant({
  walletAddressUrl: env.SHOP_WALLET_ADDRESS, privateKey: env.SHOP_PRIVATE_KEY, keyId: env.SHOP_KEY_ID, sealKeys,
});

async function approve(consentUrl) {
  const approved = await sandbox.dev(`/dev/interactions/${consentUrl.split('/').pop()}/approve`);
  return new URL(approved.redirect);
}

test('concurrent finishes of one checkout pay once; the seal key can be rotated', async () => {
  const oldKey = randomBytes(32).toString('base64');
  const merchant = await merchantWith(oldKey);
  const before = await sandbox.balances();
  const consent = await merchant.payments.start({
    walletAddress: sandbox.info.wallets.alice, amount: usd(999), finishUrl: 'https://shop.example/finish',
  });
  const finishUrl = await approve(consent.consentUrl);
  // Another instance, after a key rotation: the new key first, the old one still opens.
  const rotated = await merchantWith([randomBytes(32).toString('base64'), oldKey]);
  const receipts = await Promise.all([
    merchant.payments.finish(consent.state, finishUrl),
    rotated.payments.finish(consent.state, finishUrl.search),
    merchant.payments.finish(consent.state, Object.fromEntries(finishUrl.searchParams)),
  ]);
  assert.equal(receipts.filter((r) => !r.reconciled).length, 1, JSON.stringify(receipts));
  assert.ok(receipts.every((r) => r.status === 'paid'));
  const after = await sandbox.balances();
  assert.equal(before.alice - after.alice, 999n);
  assert.equal(after.shop - before.shop, 999n);
  // A merchant without the old key cannot open it.
  const stranger = await merchantWith(randomBytes(32).toString('base64'));
  await assert.rejects(stranger.payments.finish(consent.state, finishUrl), { code: 'tampered_state' });
});

test('errors carry the flow code, the wallet error as cause, and the caller in their stack', async () => {
  const merchant = await merchantWith(env.SEAL_KEY);
  const e = await merchant.payments.start({
    walletAddress: `${sandbox.info.baseUrl}/bank-a/nobody`, amount: usd(1), finishUrl: 'https://shop.example/f',
  }).catch((err) => err);
  assert.ok(e instanceof op.OpenPaymentsError);
  assert.equal(e.code, 'unknown_wallet');
  assert.equal(e.field, 'walletAddress');
  assert.ok(e.cause instanceof op.OpenPaymentsClientError);
  assert.equal(e.cause.status, 404);
  assert.match(e.stack.split('\n').slice(0, 4).join('\n'), /merchant\.test\.mjs/);
  await assert.rejects(merchant.payments.start({
    walletAddress: sandbox.info.wallets.alice, amount: { value: '1', assetCode: 'EUR', assetScale: 2 }, finishUrl: 'https://s.example/f',
  }), { code: 'asset_mismatch', field: 'amount' });
  await assert.rejects(op.createMerchant({
    walletAddressUrl: env.SHOP_WALLET_ADDRESS, privateKey: env.SHOP_PRIVATE_KEY, keyId: env.SHOP_KEY_ID, sealKeys: ['c2hvcnQ='],
  }), { code: 'invalid_seal_key', field: 'sealKeys[0]' });
  await assert.rejects(merchant.payments.finish('x', 42), { code: 'invalid_type', field: 'query' });
});

test('a monthly subscription: charged, refused over its limit, charged next month, cancelled', async () => {
  const merchant = await merchantWith(env.SEAL_KEY);
  const alice0 = (await sandbox.balances()).alice;
  const consent = await merchant.subscriptions.start({
    walletAddress: sandbox.info.wallets.alice, amount: usd(2500), finishUrl: 'https://shop.example/sub',
    description: 'Monthly coffee',
  });
  assert.match(consent.summary.interval, /^R\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\/P1M$/);
  assert.equal(consent.summary.receiveAmount.value, '2500');
  let sub = await merchant.subscriptions.finish(consent.state, await approve(consent.consentUrl));
  assert.equal(sub.amountIs, 'receive');
  assert.ok(!JSON.stringify(sub).includes('GNAP'), 'no token readable in the subscription');
  sub = (await merchant.subscriptions.charge(sub)).subscription;
  const over = await merchant.subscriptions.charge(sub, usd(1)).catch((e) => e);
  assert.equal(over.code, 'limit_exceeded');
  assert.equal(over.cause.status, 403);
  assert.equal((await sandbox.balances()).alice, alice0 - 2500n);
  // Next month: the sandbox's tokens live an hour here, so this charge rotates first.
  await advance(31 * 24 * 3600);
  const next = await merchant.subscriptions.charge(sub);
  assert.notEqual(next.subscription.sealed, sub.sealed);
  assert.equal((await sandbox.balances()).alice, alice0 - 5000n);
  await merchant.subscriptions.cancel(next.subscription);
  await assert.rejects(merchant.subscriptions.charge(next.subscription), { code: 'subscription_ended' });
  assert.equal((await sandbox.balances()).alice, alice0 - 5000n);
});

test('merchant.seal and open: the app data, bound to its purpose, never a flow state', async () => {
  const merchant = await merchantWith(env.SEAL_KEY);
  const token = merchant.seal('receipt', { order: 7, paid: true }, 60);
  assert.deepEqual(merchant.open('receipt', token), { order: 7, paid: true });
  assert.throws(() => merchant.open('other', token), { code: 'tampered_state' });
  assert.throws(() => merchant.open('receipt', token.slice(0, -2)), { code: 'tampered_state' });
  const consent = await merchant.payments.start({
    walletAddress: sandbox.info.wallets.alice, amount: usd(1), finishUrl: 'https://shop.example/f',
  });
  assert.throws(() => merchant.open('payment', consent.state), { code: 'tampered_state' });
  assert.throws(() => merchant.seal('x', 1n, 60), { code: 'invalid_type' });
  const expired = merchant.seal('receipt', 1, 0);
  assert.throws(() => merchant.open('receipt', expired), { code: 'state_expired' });
});
