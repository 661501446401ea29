// The shop's payment edge function: routing and HTML around the package's merchant flows
// (`createMerchant`: payments and subscriptions as library calls). A Web-standard
// `fetch(request, env)` handler using only Web APIs, so the same file runs in Node, Cloudflare
// workerd, Deno and Bun; each adapter passes the package build that fits its runtime.
//
// env: SHOP_WALLET_ADDRESS (URL), SHOP_PRIVATE_KEY (PKCS#8 PEM), SHOP_KEY_ID, SEAL_KEY (base64 of
// 32 random bytes; a comma-separated list rotates: the first seals, any opens), optional
// TOKEN_TTL_SECONDS (how long a started checkout can be finished, default 900).
//
// What the browser sees: the consent URL, the summary, and sealed tokens (an HttpOnly cookie per
// checkout, a sealed receipt in the URL). Keys and access tokens stay here.

import { securityHeaders } from './headers.mjs';

/** The largest request body the edge function accepts (as the sandbox ASE): a checkout request is
 *  a few hundred bytes. Larger bodies are answered 413 without being read to the end. */
export const MAX_BODY_BYTES = 64 * 1024;

const SHOP = 'Harbour & Pine';
const RECEIPT_SECONDS = 24 * 3600;
const MAX_SUBSCRIPTIONS = 1000;

class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const tooLarge = () => new HttpError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);

/** The request body, read chunk by chunk and given up (413) as soon as it passes `limit` bytes; a
 *  larger `Content-Length` is refused before anything is read. */
export async function readLimitedBody(request, limit = MAX_BODY_BYTES) {
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= limit)) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

// ---------------------------------------------------------------- responses

const json = (status, body) => new Response(JSON.stringify(body), {
  status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
});
const redirect = (location) => new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const htmlPage = (status, title, message) => new Response(
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/style.css"></head><body>
<header class="bar"><span class="brand">Harbour &amp; Pine</span><span class="secure">Secure checkout · Open Payments</span></header>
<main class="card"><h1>${escapeHtml(title)}</h1><p class="error" id="message" role="alert">${escapeHtml(message)}</p>
<p><a class="button" href="/checkout.html">Back to the cart</a></p></main></body></html>`,
  { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });

/** What the page is told for each flow outcome: [HTTP status, message]. Nothing was paid in any. */
const OUTCOMES = {
  invalid_wallet_address: [400], insecure_wallet_address: [400], invalid_amount: [400], asset_mismatch: [400],
  invalid_argument: [400], too_many_decimals: [400], invalid_asset_scale: [400], invalid_asset_code: [400],
  unknown_wallet: [404, 'No wallet answers at this address. Check it and try again.'],
  tampered_state: [400, 'This link is not valid (it was altered, or started in another browser). Nothing was paid.'],
  state_expired: [400, 'This link has expired. Nothing was paid; please start again.'],
  tampered_hash: [400, 'The consent result could not be verified (the link was altered). Nothing was paid.'],
  missing_consent_result: [400, 'The wallet sent you back without a consent result. Nothing was paid.'],
  already_finished: [409, 'This subscription was already set up.'],
  limit_exceeded: [409, 'This charge is above what the shopper allowed for this period.'],
  subscription_ended: [410, 'This subscription has ended.'],
};
/** Outcomes the page explains itself (checkout.html?problem=code). */
const PAGE_PROBLEMS = new Set(['consent_denied', 'quote_expired', 'insufficient_funds']);

/** The HttpError for a flow's error (an OpenPaymentsError with the flow's code). */
function outcome(e) {
  if (e instanceof HttpError) return e;
  const code = typeof e?.code === 'string' && e.code ? e.code : 'upstream_error';
  const [status, message] = OUTCOMES[code] ?? [502, 'The payment service could not complete the request. Nothing was paid.'];
  return new HttpError(status, code, message ?? e.message);
}

// ---------------------------------------------------------------- cookies

const cookieNames = (request) => (request.headers.get('cookie') ?? '').split(';').map((p) => p.trim().split('=')[0]).filter(Boolean);
const cookie = (request, name) => {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
};
const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
const isSecure = (origin) => origin.startsWith('https:');

/** Set-Cookie values keeping a flow's sealed state for `ttl` seconds (HttpOnly, this path only),
 *  and expiring all but the newest two earlier ones of the same prefix (another tab, a double
 *  click), so the Cookie header stays small however many checkouts a shopper starts. */
function stateCookies(request, prefix, path, id, state, ttl) {
  const secure = isSecure(new URL(request.url).origin) ? '; Secure' : '';
  const earlier = cookieNames(request).filter((n) => n.startsWith(prefix));
  return [
    ...earlier.slice(0, Math.max(0, earlier.length - 2)).map((n) => `${n}=; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=0${secure}`),
    `${prefix}${id}=${state}; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=${ttl}${secure}`,
  ];
}

/** The sealed state of the flow the finish URL names (`ref`), or a 400. */
function finishState(request, prefix) {
  const ref = new URL(request.url).searchParams.get('ref') ?? '';
  const state = /^[0-9a-f]{24}$/.test(ref) ? cookie(request, `${prefix}${ref}`) : null;
  if (!state) throw new HttpError(400, 'missing_state', OUTCOMES.tampered_state[1]);
  return state;
}

function bodyJson(bytes) {
  try { return JSON.parse(new TextDecoder().decode(bytes)); } catch {
    throw new HttpError(400, 'bad_request', 'The request body must be JSON.');
  }
}

// ---------------------------------------------------------------- the handler

/** Creates the handler around an initialised open-payments-wasm module (`op`). */
export function createCheckoutHandler(op) {
  const merchants = new Map();
  /** The merchant for `env` (made once per configuration); a bad SEAL_KEY is a 500. */
  async function merchantFor(env) {
    const id = `${env.SHOP_WALLET_ADDRESS}#${env.SHOP_KEY_ID}#${env.SEAL_KEY}`;
    if (!merchants.has(id)) {
      const made = op.createMerchant({
        walletAddressUrl: env.SHOP_WALLET_ADDRESS, privateKey: env.SHOP_PRIVATE_KEY, keyId: env.SHOP_KEY_ID,
        sealKeys: String(env.SEAL_KEY ?? '').split(',').filter(Boolean),
        stateTtlSeconds: Number(env.TOKEN_TTL_SECONDS ?? 900), requestTimeoutMs: 10000,
      });
      merchants.set(id, made);
      made.catch(() => merchants.delete(id));
    }
    try {
      return await merchants.get(id);
    } catch (e) {
      if (e?.code === 'invalid_seal_key') throw new HttpError(500, 'misconfigured', 'SEAL_KEY must be base64 of 32 random bytes.');
      throw new HttpError(500, 'misconfigured', `The shop is misconfigured: ${e?.message ?? e}`);
    }
  }

  // Subscriptions, by id, as a shop keeps them in its database (here: this instance's memory).
  // Each holds the sealed grant the library returned; the browser only ever holds their ids.
  const subscriptions = new Map();

  async function startCheckout(request, env, merchant, body) {
    const origin = new URL(request.url).origin;
    const id = randomId();
    const consent = await merchant.payments.start({
      walletAddress: String(body?.walletAddress ?? ''), amount: body?.amount ?? body?.receiveAmount,
      finishUrl: `${origin}/checkout/finish?ref=${id}`, description: `${SHOP} order`,
    });
    const { summary } = consent;
    const res = json(200, {
      consentUrl: consent.consentUrl,
      walletAddress: {
        shopper: { id: summary.shopper.walletAddress, publicName: summary.shopper.publicName, assetCode: summary.shopper.assetCode },
        shop: { id: summary.shop.walletAddress, publicName: summary.shop.publicName },
      },
      quote: { debitAmount: summary.debitAmount, receiveAmount: summary.receiveAmount, fee: summary.fee, expiresAt: summary.expiresAt },
    });
    const ttl = Number(env.TOKEN_TTL_SECONDS ?? 900);
    for (const c of stateCookies(request, 'opc_', '/checkout', id, consent.state, ttl)) res.headers.append('set-cookie', c);
    return res;
  }

  async function finishCheckout(request, env, merchant) {
    const url = new URL(request.url);
    const receipt = await merchant.payments.finish(finishState(request, 'opc_'), url.searchParams);
    return redirect(`${url.origin}/checkout.html?receipt=${merchant.seal('receipt', receipt, RECEIPT_SECONDS)}`);
  }

  async function showReceipt(request, env, merchant) {
    const r = merchant.open('receipt', new URL(request.url).searchParams.get('r') ?? '');
    return json(200, {
      paid: r.status === 'paid', shopperWallet: r.walletAddress, debitAmount: r.debitAmount, receiveAmount: r.receiveAmount,
      outgoingPaymentId: r.outgoingPaymentId, reconciled: r.reconciled,
      incomingPayment: { id: r.incomingPaymentId, completed: r.status === 'paid', receivedAmount: r.receiveAmount },
      subscription: r.subscription ?? null,
    });
  }

  async function startSubscription(request, env, merchant, body) {
    const origin = new URL(request.url).origin;
    const id = randomId();
    const consent = await merchant.subscriptions.start({
      walletAddress: String(body?.walletAddress ?? ''), amount: body?.amount,
      finishUrl: `${origin}/subscribe/finish?ref=${id}`, description: `${SHOP} monthly box`,
    });
    const res = json(200, { consentUrl: consent.consentUrl, summary: consent.summary });
    const ttl = Number(env.TOKEN_TTL_SECONDS ?? 900);
    for (const c of stateCookies(request, 'ops_', '/subscribe', id, consent.state, ttl)) res.headers.append('set-cookie', c);
    return res;
  }

  /** Consent given: keep the subscription, charge the first period, show the receipt. */
  async function finishSubscription(request, env, merchant) {
    const url = new URL(request.url);
    const subscription = await merchant.subscriptions.finish(finishState(request, 'ops_'), url.searchParams);
    const id = randomId();
    if (subscriptions.size >= MAX_SUBSCRIPTIONS) subscriptions.delete(subscriptions.keys().next().value);
    const record = { id, subscription, status: 'active', charges: [] };
    subscriptions.set(id, record);
    const charge = await chargeRecord(merchant, record);
    const receipt = {
      status: 'paid', walletAddress: subscription.walletAddress, debitAmount: charge.debitAmount,
      receiveAmount: charge.receiveAmount, outgoingPaymentId: charge.outgoingPaymentId,
      incomingPaymentId: charge.incomingPaymentId, reconciled: false,
      subscription: { id, amount: subscription.amount, interval: subscription.interval },
    };
    const res = redirect(`${url.origin}/checkout.html?receipt=${merchant.seal('receipt', receipt, RECEIPT_SECONDS)}`);
    const secure = isSecure(url.origin) ? '; Secure' : '';
    const ids = [...(cookie(request, 'op_subs') ?? '').split('.').filter((s) => /^[0-9a-f]{24}$/.test(s)), id].slice(-10);
    res.headers.append('set-cookie', `op_subs=${ids.join('.')}; Path=/subscriptions; HttpOnly; SameSite=Lax; Max-Age=${400 * 86400}${secure}`);
    return res;
  }

  async function chargeRecord(merchant, record) {
    try {
      const charge = await merchant.subscriptions.charge(record.subscription);
      record.subscription = charge.subscription;
      const entry = { outgoingPaymentId: charge.outgoingPaymentId, incomingPaymentId: charge.incomingPaymentId,
        debitAmount: charge.debitAmount, receiveAmount: charge.receiveAmount, at: new Date().toISOString() };
      record.charges.push(entry);
      return entry;
    } catch (e) {
      if (e?.code === 'subscription_ended') record.status = 'cancelled';
      throw e;
    }
  }

  /** This browser's subscriptions (their ids are in an HttpOnly cookie). */
  const mine = (request) => (cookie(request, 'op_subs') ?? '').split('.').map((id) => subscriptions.get(id)).filter(Boolean);
  const view = (r) => ({ id: r.id, walletAddress: r.subscription.walletAddress, amount: r.subscription.amount,
    interval: r.subscription.interval, status: r.status, charges: r.charges });
  const owned = (request, body) => {
    const record = mine(request).find((r) => r.id === body?.id);
    if (!record) throw new HttpError(404, 'not_found', 'No such subscription.');
    return record;
  };

  async function listSubscriptions(request) {
    return json(200, { subscriptions: mine(request).map(view) });
  }

  // In a real shop the charge runs from a scheduler each period, not from the shopper's page;
  // the demo shows it as a button.
  async function chargeSubscription(request, env, merchant, body) {
    const record = owned(request, body);
    await chargeRecord(merchant, record);
    return json(200, view(record));
  }

  async function cancelSubscription(request, env, merchant, body) {
    const record = owned(request, body);
    await merchant.subscriptions.cancel(record.subscription);
    record.status = 'cancelled';
    return json(200, view(record));
  }

  const routes = new Map([
    ['POST /checkout', startCheckout], ['GET /checkout/finish', finishCheckout], ['GET /checkout/receipt', showReceipt],
    ['POST /subscribe', startSubscription], ['GET /subscribe/finish', finishSubscription],
    ['GET /subscriptions', listSubscriptions], ['POST /subscriptions/charge', chargeSubscription],
    ['POST /subscriptions/cancel', cancelSubscription],
  ]);

  return {
    async fetch(request, env) {
      const url = new URL(request.url);
      let response;
      try {
        const route = routes.get(`${request.method} ${url.pathname}`);
        if (!route) {
          response = json(404, { error: { code: 'not_found', message: 'no such endpoint' } });
        } else {
          // The body within the limit and JSON first, then the configuration: a misconfigured
          // SEAL_KEY answers 500 before any request to the wallets.
          const body = request.method === 'POST' ? bodyJson(await readLimitedBody(request)) : null;
          const merchant = await merchantFor(env);
          response = await route(request, env, merchant, body);
        }
      } catch (e) {
        response = errorResponse(url, outcome(e));
      }
      return securityHeaders(response);
    },
  };
}

function errorResponse(url, e) {
  if (url.pathname.endsWith('/finish')) {
    if (PAGE_PROBLEMS.has(e.code)) return redirect(`${url.origin}/checkout.html?problem=${e.code}`);
    return htmlPage(e.status, 'Payment not completed', e.message);
  }
  return json(e.status, { error: { code: e.code, message: e.message } });
}
