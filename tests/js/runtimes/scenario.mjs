// The end-to-end scenario, written against the official client's API and Web APIs only
// (fetch), so the same file runs in Node, Deno, Bun, Cloudflare workerd, Vercel's edge-runtime
// and Chromium. `op` is the package module (already initialised), `client` an Open Payments
// client (ours, or the official one), `info` the sandbox's /dev/info JSON.
// Returns what the run did to the sandbox, so runs in different runtimes can be compared.

function check(condition, message) {
  if (!condition) throw new Error(`scenario check failed: ${message}`);
}

async function dev(info, path, body) {
  const res = await fetch(`${info.baseUrl}${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  check(res.ok, `${path} answered ${res.status}`);
  return res.json();
}

/** Registers a fresh key of the package for the sandbox wallet `shop` (the client's identity). */
export async function registerShopKey(op, info, kid) {
  const key = op.generateKeyPair(kid);
  await dev(info, '/dev/wallets/shop/keys', key.publicJwk());
  return key;
}

export async function balances(info) {
  return (await dev(info, '/dev/balances')).balances;
}

/** The whole scenario: discovery, incoming payment, three quote kinds, interactive grant with
 * the finish hash verified, outgoing payment, completion, listing, token rotation and revocation. */
export async function scenario(op, client, info) {
  const before = await balances(info);
  const alice = await client.walletAddress.get({ url: info.wallets.alice });
  const bob = await client.walletAddress.get({ url: info.wallets.bob });
  check(alice.assetCode === 'USD' && bob.assetCode === 'EUR', 'wallet assets');
  const keys = await client.walletAddress.getKeys({ url: info.wallets.shop });
  check(keys.keys.length > 0, 'shop publishes its keys');

  const bobGrant = await client.grant.request({ url: bob.authServer }, {
    access_token: { access: [{ type: 'incoming-payment', actions: ['create', 'read', 'list', 'complete'], identifier: bob.id }] },
  });
  check(op.isFinalizedGrant(bobGrant) && !op.isPendingGrant(bobGrant), 'incoming-payment grant is not interactive');
  const bobToken = bobGrant.access_token;
  const incoming = await client.incomingPayment.create({ url: bob.resourceServer, accessToken: bobToken.value }, {
    walletAddress: bob.id, incomingAmount: { value: '1000', assetCode: 'EUR', assetScale: 2 },
  });
  const pub = await client.incomingPayment.getPublic({ url: incoming.id });
  check(pub.authServer === bob.authServer, 'public incoming payment names the auth server');

  const quoteGrant = await client.grant.request({ url: alice.authServer }, {
    access_token: { access: [{ type: op.AccessType.Quote, actions: [op.AccessAction.Create, op.AccessAction.Read] }] },
  });
  const qt = { url: alice.resourceServer, accessToken: quoteGrant.access_token.value };
  const fixedSend = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp',
    debitAmount: { value: '500', assetCode: 'USD', assetScale: 2 } });
  check(fixedSend.debitAmount.value === '500' && fixedSend.receiveAmount.assetCode === 'EUR', 'fixed-send quote');
  const fixedReceive = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp',
    receiveAmount: { value: '200', assetCode: 'EUR', assetScale: 2 } });
  check(fixedReceive.receiveAmount.value === '200' && fixedReceive.debitAmount.assetCode === 'USD', 'fixed-receive quote');
  const quote = await client.quote.create(qt, { walletAddress: alice.id, receiver: incoming.id, method: 'ilp' });
  check(quote.receiveAmount.value === '1000', 'incomingAmount quote receives the whole amount');
  const again = await client.quote.get({ url: quote.id, accessToken: qt.accessToken });
  check(again.id === quote.id, 'quote.get');

  const interact = op.createInteractRequest('http://127.0.0.1/return');
  const pending = await client.grant.request({ url: alice.authServer }, {
    access_token: { access: [{ type: 'outgoing-payment', actions: ['create', 'read', 'list'], identifier: alice.id,
      limits: { debitAmount: quote.debitAmount } }] },
    interact,
  });
  check(op.isPendingGrant(pending), 'outgoing-payment grant needs interaction');
  const approved = await dev(info, `/dev/interactions/${pending.interact.redirect.split('/').pop()}/approve`, {});
  const finish = { clientNonce: interact.finish.nonce, finishNonce: pending.interact.finish,
    interactRef: approved.interactRef, grantEndpoint: alice.authServer, hash: approved.hash };
  op.verifyInteractFinish(finish);
  let forged = false;
  try { op.verifyInteractFinish({ ...finish, interactRef: 'forged' }); } catch { forged = true; }
  check(forged, 'a forged interact_ref fails the hash');
  const grant = await client.grant.continue(
    { url: pending.continue.uri, accessToken: pending.continue.access_token.value },
    { interact_ref: approved.interactRef });
  check(op.isFinalizedGrantWithAccessToken(grant), 'continued grant has a token');
  const ot = { url: alice.resourceServer, accessToken: grant.access_token.value };
  const payment = await client.outgoingPayment.create(ot, { walletAddress: alice.id, quoteId: quote.id });
  check(payment.quoteId === quote.id && !payment.failed, 'outgoing payment from the quote');
  const got = await client.outgoingPayment.get({ url: payment.id, accessToken: ot.accessToken });
  check(got.id === payment.id, 'outgoingPayment.get');
  const spent = await client.outgoingPayment.getGrantSpentAmounts(ot);
  check(spent.spentDebitAmount?.value === quote.debitAmount.value, 'grant spent amounts');

  const completed = await client.incomingPayment.complete({ url: incoming.id, accessToken: bobToken.value });
  check(completed.completed === true && completed.receivedAmount.value === '1000', 'incoming payment completed and paid');
  const inList = await client.incomingPayment.list({ url: bob.resourceServer, accessToken: bobToken.value, walletAddress: bob.id });
  check(inList.result.some((p) => p.id === incoming.id), 'incoming payment listed');
  const outList = await client.outgoingPayment.list({ ...ot, walletAddress: alice.id }, { first: 100 });
  check(outList.result.filter((p) => p.quoteId === quote.id).length === 1, 'exactly one outgoing payment for the quote');

  const rotated = await client.token.rotate({ url: bobToken.manage, accessToken: bobToken.value });
  check(rotated.access_token.value !== bobToken.value, 'rotation gives a new token');
  await client.token.revoke({ url: rotated.access_token.manage, accessToken: rotated.access_token.value });
  let refused = false;
  try {
    await client.incomingPayment.get({ url: incoming.id, accessToken: rotated.access_token.value });
  } catch (e) {
    refused = e.status === 401 || e.status === 403 || e.response?.status === 401 || e.response?.status === 403
      || /40[13]/.test(String(e.message));
  }
  check(refused, 'a revoked token is refused');

  // The sandbox implements no DID documents (the spec allows its 500): the client must say so.
  let noDid = false;
  try { await client.walletAddress.getDIDDocument({ url: info.wallets.alice }); } catch { noDid = true; }
  check(noDid, 'getDIDDocument reports the 500');
  // Cancelling a grant kills its tokens.
  await client.grant.cancel({ url: quoteGrant.continue.uri, accessToken: quoteGrant.continue.access_token.value });
  let cancelled = false;
  try { await client.quote.get({ url: quote.id, accessToken: qt.accessToken }); } catch { cancelled = true; }
  check(cancelled, 'tokens of a cancelled grant are refused');

  const after = await balances(info);
  const delta = {};
  for (const name of Object.keys(after)) {
    delta[name] = (BigInt(after[name]?.value ?? '0') - BigInt(before[name]?.value ?? '0')).toString();
  }
  return { delta, paid: quote.debitAmount, received: completed.receivedAmount };
}

/** Runs the scenario with this package's client (what every runtime harness calls). */
export async function runWithPackage(op, info, runtime) {
  const kid = `${runtime}-${Math.random().toString(36).slice(2)}`;
  const key = await registerShopKey(op, info, kid);
  return countingWebCryptoSignatures(async () => {
    const client = await op.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop, privateKey: key, keyId: kid });
    const result = await scenario(op, client, info);
    // `open-payments-wasm/client` has no merchant flows.
    if (op.createMerchant === undefined) return { runtime, ...result };
    const { merchantFlows } = await import('./merchant-flow.mjs');
    return { runtime, ...result, merchant: await merchantFlows(op, info, key, kid) };
  });
}

/** `run`'s result with `webCryptoSignatures`: how many Ed25519 signatures were made with
 *  `crypto.subtle.sign` meanwhile (the package signs there where WebCrypto is faster than its
 *  wasm signer), or `null` where that method cannot be wrapped. */
async function countingWebCryptoSignatures(run) {
  const subtle = globalThis.crypto?.subtle;
  const original = subtle?.sign;
  let count = 0;
  let wrapped = false;
  if (typeof original === 'function') {
    try {
      Object.defineProperty(subtle, 'sign', {
        configurable: true, writable: true,
        value(algorithm, ...rest) {
          if ((algorithm?.name ?? algorithm) === 'Ed25519') count++;
          return original.call(this, algorithm, ...rest);
        },
      });
      wrapped = true;
    } catch {
      // left unwrapped: the count is unknown
    }
  }
  try {
    return { ...(await run()), webCryptoSignatures: wrapped ? count : null };
  } finally {
    if (wrapped) delete subtle.sign;
  }
}
