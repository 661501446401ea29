// The merchant flows (`createMerchant`: payments and subscriptions as library calls) against the
// sandbox ASE, written with Web APIs only so the same file runs in Node, Deno, Bun, Cloudflare
// workerd, Vercel's edge-runtime and Chromium. The sandbox clock is real time here (other runtimes
// cannot move the client's clock), so the subscription uses a short interval (PT4S) and waits
// for the next window; tests/merchant/subscriptions.rs and tests/js/merchant.test.mjs cover a
// month.
// Returns what a runtime must agree on: the balance changes and the outcomes.

function check(condition, message) {
  if (!condition) throw new Error(`merchant flow check failed: ${message}`);
}

async function dev(info, path, body) {
  const res = await fetch(`${info.baseUrl}${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  check(res.ok, `${path} answered ${res.status}`);
  return res.json();
}

const usd = (value) => ({ value: String(value), assetCode: 'USD', assetScale: 2 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Approves the consent as the shopper would; answers the finish redirect URL. */
async function approve(info, consentUrl) {
  const approved = await dev(info, `/dev/interactions/${consentUrl.split('/').pop()}/approve`, {});
  return new URL(approved.redirect);
}

/** The error's code, or `none` when `promise` resolved. */
async function codeOf(promise) {
  try {
    await promise;
    return 'none';
  } catch (e) {
    return e?.code ?? String(e);
  }
}

async function balance(info, wallet) {
  return BigInt((await dev(info, `/dev/balances/${wallet}`)).value);
}

/** Base64 of 32 random bytes: a seal key as `openssl rand -base64 32` prints it. */
function newSealKey() {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
}

export async function merchantFlows(op, info, privateKey, keyId) {
  const merchant = await op.createMerchant({
    walletAddressUrl: info.wallets.shop, privateKey, keyId, sealKeys: [newSealKey()],
  });
  const alice0 = await balance(info, 'alice');
  const outcomes = {};

  // One-off payment: start, consent, finish; a reload reconciles, a forged hash pays nothing.
  const consent = await merchant.payments.start({
    walletAddress: info.wallets.alice, amount: usd(1500), finishUrl: 'https://shop.example/finish?order=1',
    description: 'Runtime test order',
  });
  check(consent.summary.receiveAmount.value === '1500' && consent.summary.fee?.value === '0', 'payment summary');
  check(consent.summary.shop.publicName === 'Sandbox Shop', 'shop name in the summary');
  const finishUrl = await approve(info, consent.consentUrl);
  const forged = new URL(finishUrl);
  forged.searchParams.set('hash', 'AAAA');
  outcomes.forged = await codeOf(merchant.payments.finish(consent.state, forged));
  const receipt = await merchant.payments.finish(consent.state, finishUrl);
  check(receipt.status === 'paid' && !receipt.reconciled && receipt.outgoingPaymentId, 'paid');
  const reload = await merchant.payments.finish(consent.state, finishUrl.searchParams);
  check(reload.status === 'paid' && reload.reconciled && reload.outgoingPaymentId === null, 'a reload reconciles');
  outcomes.denied = await (async () => {
    const c = await merchant.payments.start({ walletAddress: info.wallets.alice, amount: usd(1), finishUrl: 'https://shop.example/f' });
    await dev(info, `/dev/interactions/${c.consentUrl.split('/').pop()}/deny`, {});
    return codeOf(merchant.payments.finish(c.state, '?result=grant_rejected'));
  })();
  check((await balance(info, 'alice')) === alice0 - 1500n, 'the payment moved once');

  // Subscription: 10.00 USD per 4-second interval; fill it, be refused, next interval, cancel.
  const sc = await merchant.subscriptions.start({
    walletAddress: info.wallets.alice, amount: usd(1000), every: 'PT4S', finishUrl: 'https://shop.example/sub',
  });
  check(sc.summary.interval.endsWith('/PT4S'), 'interval in the summary');
  let sub = await merchant.subscriptions.finish(sc.state, await approve(info, sc.consentUrl));
  const start = Date.parse(sub.interval.split('/')[1]);
  const into = (Date.now() - start) % 4000;
  if (into > 1500) await sleep(4000 - into + 100); // two charges in one window
  const first = await merchant.subscriptions.charge(sub);
  check(first.receiveAmount.value === '1000', 'first charge');
  sub = first.subscription;
  const over = await merchant.subscriptions.charge(sub, usd(1)).catch((e) => e);
  outcomes.overLimit = over.code;
  check(over.cause?.status === 403, `the wallet's refusal is the cause: ${over.cause?.status}`);
  await sleep(4000 - ((Date.now() - start) % 4000) + 100);
  const next = await merchant.subscriptions.charge(sub, usd(700));
  sub = next.subscription;
  await merchant.subscriptions.cancel(sub);
  outcomes.afterCancel = await codeOf(merchant.subscriptions.charge(sub, usd(1)));
  const alice1 = await balance(info, 'alice');
  return { alicePaid: (alice0 - alice1).toString(), outcomes };
}
