// Runs inside each runtime of benches/signers.mjs (Node, Deno, Bun, workerd, Chromium): two
// authenticated clients of the package over an in-memory fetch, one as the package sets itself
// up in that runtime, one with WebCrypto's Ed25519 hidden from it (so the wasm signs), and bursts
// of signed `incomingPayment.get` calls through either. Web APIs only.

const WALLET = 'http://127.0.0.1:9/shop';
/** The incoming payment the in-memory fetch answers (benches/client.mjs uses it too). */
export const URL_ = 'http://127.0.0.1:9/op/incoming-payments/08394f02-7b7b-45e2-b645-51d04e7c330c';
export const INCOMING = JSON.stringify({
  id: URL_, walletAddress: 'http://127.0.0.1:9/alice',
  incomingAmount: { value: '2500', assetCode: 'USD', assetScale: 2 },
  receivedAmount: { value: '0', assetCode: 'USD', assetScale: 2 }, completed: false,
  expiresAt: '2032-02-03T23:20:50.520Z', metadata: { externalRef: 'INV2022-02-0137' },
  createdAt: '2022-03-12T23:20:50.520Z', updatedAt: '2022-03-12T23:20:50.520Z',
  methods: [{ type: 'ilp', ilpAddress: 'g.ilp.iwuyge987y.98y08y', sharedSecret: '1c7eaXa4rd2fFOBl1iydvCT1tV5TbM3RW1WLCafu_JA' }],
});

/** The two clients, and how many Ed25519 signatures WebCrypto made so far. */
export async function prepare(op) {
  globalThis.fetch = async () => new Response(INCOMING, { status: 200, headers: { 'content-type': 'application/json' } });
  const subtle = globalThis.crypto?.subtle;
  let webCryptoSignatures = 0;
  const sign = subtle?.sign;
  if (typeof sign === 'function') {
    Object.defineProperty(subtle, 'sign', {
      configurable: true, writable: true,
      value(algorithm, ...rest) {
        if ((algorithm?.name ?? algorithm) === 'Ed25519') webCryptoSignatures++;
        return sign.call(this, algorithm, ...rest);
      },
    });
  }
  const key = op.generateKeyPair('bench-key');
  const options = { walletAddressUrl: WALLET, privateKey: key, keyId: 'bench-key' };
  const chosen = await op.createAuthenticatedClient(options);
  let wasm;
  if (subtle) {
    Object.defineProperty(subtle, 'importKey', { configurable: true, writable: true, value: () => Promise.reject(new Error('hidden')) });
    try {
      wasm = await op.createAuthenticatedClient(options);
    } finally {
      delete subtle.importKey;
    }
  } else {
    wasm = chosen;
  }
  return { chosen, wasm, webCryptoSignatures: () => webCryptoSignatures };
}

/** `n` sequential signed GETs through `client`. */
export async function burst(client, n) {
  const args = { url: URL_, accessToken: 'tok' };
  for (let i = 0; i < n; i++) await client.incomingPayment.get(args);
}

/** Interleaved rounds timed here (not in workerd, whose clock stands still while code runs):
 *  the median ops/s of each client, and which signer the package chose. */
export async function measure(op, rounds = 10, ms = 150) {
  const clients = await prepare(op);
  const rates = { chosen: [], wasm: [] };
  for (const name of ['chosen', 'wasm']) await burst(clients[name], 300);
  const before = clients.webCryptoSignatures();
  await burst(clients.chosen, 10);
  const signer = clients.webCryptoSignatures() - before >= 10 ? 'WebCrypto' : 'wasm';
  for (let r = 0; r < rounds; r++) {
    // Each goes first in every other round: the first of a round was measured slower.
    for (const name of r % 2 ? ['wasm', 'chosen'] : ['chosen', 'wasm']) {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < ms) {
        await burst(clients[name], 10);
        n += 10;
      }
      rates[name].push(n / ((performance.now() - t0) / 1000));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { signer, chosen: median(rates.chosen), wasm: median(rates.wasm) };
}
