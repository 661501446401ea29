// Starts what the checkout needs on 127.0.0.1: the sandbox ASE (native binary, --port 0), a fresh
// shop key registered with it, and the env of the edge function. Used by the tests, the
// benchmarks and the demo (www/demo.mjs); not part of the demo's deployable files.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

export const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The demo/test configuration: the default wallets plus `poor` (EUR 5.00) on bank-b. */
export const CONFIG = {
  ases: [
    { name: 'bank-a', wallets: [
      { name: 'shop', publicName: 'Harbour & Pine', assetCode: 'USD', assetScale: 2, balance: '0' },
      { name: 'alice', publicName: 'Alice', assetCode: 'USD', assetScale: 2, balance: '100000' }] },
    { name: 'bank-b', wallets: [
      { name: 'shopper', publicName: 'Sandbox Shopper', assetCode: 'EUR', assetScale: 2, balance: '100000' },
      { name: 'poor', publicName: 'Short Of Money', assetCode: 'EUR', assetScale: 2, balance: '500' }] },
  ],
  exchangeRates: [{ from: 'USD', to: 'EUR', rate: '0.9' }],
  feeBasisPoints: 100,
  // The tests move the sandbox clock past quote expiry; signatures and tokens stay valid.
  signatureMaxAgeSeconds: 3600,
  accessTokenLifetimeSeconds: 3600,
};

/** Starts the sandbox binary with `config` (`null`: its built-in default wallets alice, bob,
 *  shop, …) and `extraArgs` appended to its command line (e.g. `['--layout', 'origins']`);
 *  resolves when it prints its URLs. */
export async function startSandbox(config = CONFIG, extraArgs = []) {
  const args = ['--port', '0'];
  if (config !== null) {
    const file = join(mkdtempSync(join(tmpdir(), 'op-checkout-')), 'sandbox.json');
    writeFileSync(file, JSON.stringify(config));
    args.push('--config', file);
  }
  args.push(...extraArgs);
  const bin = process.env.OP_SANDBOX_BIN ?? `${root}target/debug/open-payments-sandbox`;
  const child = existsSync(bin)
    ? spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn('cargo', ['run', '-q', '--features', 'sandbox', '--bin', 'open-payments-sandbox', '--', ...args],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const info = JSON.parse(await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  }));
  const call = async (method, path, body) => {
    const res = await fetch(`${info.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    info, child,
    dev: (path, body) => call('POST', path, body ?? {}),
    balances: async () => {
      const { balances } = await call('GET', '/dev/balances');
      return Object.fromEntries(Object.entries(balances).map(([k, v]) => [k, BigInt(v.value)]));
    },
    stop: () => child.kill(),
  };
}

/** Generates the shop's Ed25519 key (node:crypto), registers its public JWK with the sandbox and
 *  returns the edge function's env. The private key stays in this process. */
export async function shopEnv(sandbox) {
  const keyId = `shop-${randomUUID()}`;
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: keyId, alg: 'EdDSA', use: 'sig' };
  await sandbox.dev('/dev/wallets/shop/keys', jwk);
  return {
    SHOP_WALLET_ADDRESS: sandbox.info.wallets.shop,
    SHOP_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    SHOP_KEY_ID: keyId,
    SEAL_KEY: randomBytes(32).toString('base64'),
  };
}

/** `$127.0.0.1:PORT/bank-b/shopper`, the form a shopper types. */
export const pointer = (url) => url.replace(/^https?:\/\//, '$');
