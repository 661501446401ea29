// The shop's payment edge function: a Web-standard `fetch(request, env)` handler on the
// open-payments-wasm package. It uses only Web APIs (fetch, crypto.subtle, URL, Response), so the
// same file runs in Node, Cloudflare workerd, Deno and Bun; each adapter passes the package build
// that fits its runtime (already initialised) to `createCheckoutHandler(op)`.
//
// env: SHOP_WALLET_ADDRESS (URL), SHOP_PRIVATE_KEY (PKCS#8 PEM), SHOP_KEY_ID, SEAL_KEY (base64 of
// 32 random bytes), optional TOKEN_TTL_SECONDS (default 900).
//
// Stateless: what "finish" needs travels in a sealed token (AES-GCM 256, random 96-bit IV, expiry
// inside). The browser only ever sees sealed tokens and public data, never keys or access tokens.

const enc = new TextEncoder();
const dec = new TextDecoder();

function b64urlEncode(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function b64Decode(text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The largest request body the edge function accepts (as the sandbox ASE): a checkout request is
 *  a few hundred bytes. Larger bodies are answered 413 without being read to the end. */
export const MAX_BODY_BYTES = 64 * 1024;

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

const keys = new Map();
async function sealKey(env) {
  const raw = env.SEAL_KEY;
  if (!raw) throw new HttpError(500, 'misconfigured', 'SEAL_KEY is not set');
  if (!keys.has(raw)) {
    let bytes;
    try { bytes = b64Decode(String(raw)); } catch {
      throw new HttpError(500, 'misconfigured', 'SEAL_KEY is not base64');
    }
    if (bytes.length !== 32) throw new HttpError(500, 'misconfigured', 'SEAL_KEY must be 32 bytes (base64)');
    keys.set(raw, await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']));
  }
  return keys.get(raw);
}

/** Seals `payload` for `ttl` seconds; `purpose` is bound as additional data. */
export async function seal(env, purpose, payload, ttl) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const body = enc.encode(JSON.stringify({ ...payload, exp: Math.floor(Date.now() / 1000) + ttl }));
  const ct = new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: enc.encode(purpose) }, await sealKey(env), body));
  const out = new Uint8Array(12 + ct.length);
  out.set(iv);
  out.set(ct, 12);
  return b64urlEncode(out);
}

/** Opens a sealed token or throws 400 (`bad_token` / `token_expired`). */
export async function unseal(env, purpose, token) {
  await sealKey(env); // a misconfigured key is a 500, not a bad token
  let payload;
  try {
    const bytes = b64Decode(String(token ?? ''));
    if (bytes.length < 29) throw new Error('short');
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: enc.encode(purpose) },
      await sealKey(env), bytes.slice(12));
    payload = JSON.parse(dec.decode(pt));
  } catch {
    throw new HttpError(400, 'bad_token', 'This checkout link is not valid (it was altered or is not ours).');
  }
  if (!(payload.exp > Date.now() / 1000)) throw new HttpError(400, 'token_expired', 'This checkout link has expired. Please start again.');
  return payload;
}

const json = (status, body, headers = {}) => new Response(JSON.stringify(body), {
  status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
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

/** Creates the handler around an initialised open-payments-wasm module (`op`). */
export function createCheckoutHandler(op) {
  const clients = new Map();
  async function shopClient(env) {
    const id = `${env.SHOP_WALLET_ADDRESS}#${env.SHOP_KEY_ID}`;
    if (!clients.has(id)) {
      clients.set(id, op.createAuthenticatedClient({
        walletAddressUrl: env.SHOP_WALLET_ADDRESS, privateKey: env.SHOP_PRIVATE_KEY, keyId: env.SHOP_KEY_ID,
        requestTimeoutMs: 10000,
      }).catch((e) => { clients.delete(id); throw e; }));
    }
    return clients.get(id);
  }

  // Non-interactive grant tokens reused across checkouts until shortly before they expire: the
  // shop's incoming-payment token on its own wallet, and a quote token per shopper auth server
  // (quote grants name no wallet). A token the server refuses (401/403) is dropped and the call
  // made once more with a fresh grant.
  const tokens = new Map();
  const TOKEN_MAX_SECONDS = 600;
  const TOKEN_MARGIN_SECONDS = 30;
  async function cachedToken(key, requestGrant) {
    const hit = tokens.get(key);
    if (hit && hit.exp > Date.now()) return hit.value;
    tokens.delete(key);
    const token = (await requestGrant()).access_token;
    const life = Math.min(Number(token.expires_in ?? TOKEN_MAX_SECONDS), TOKEN_MAX_SECONDS) - TOKEN_MARGIN_SECONDS;
    if (life > 0) {
      if (tokens.size >= 100) tokens.clear();
      tokens.set(key, { value: token.value, exp: Date.now() + life * 1000 });
    }
    return token.value;
  }
  async function withToken(key, requestGrant, use) {
    const token = await cachedToken(key, requestGrant);
    try {
      return await use(token);
    } catch (e) {
      if (e?.status !== 401 && e?.status !== 403) throw e;
      tokens.delete(key);
      return use(await cachedToken(key, requestGrant));
    }
  }

  /** Runs `use(token)` with a non-interactive incoming-payment token on the shop's own wallet. */
  function withShopIncomingToken(client, env, shop, use) {
    return withToken(`ip ${env.SHOP_KEY_ID} ${shop.id}`, () => client.grant.request({ url: shop.authServer }, {
      access_token: { access: [{ type: 'incoming-payment', actions: ['create', 'read', 'complete'], identifier: shop.id }] },
    }), use);
  }

  /** Runs `use(token)` with a quote token at the shopper's authorization server. */
  function withQuoteToken(client, env, authServer, use) {
    return withToken(`quote ${env.SHOP_KEY_ID} ${authServer}`, () => client.grant.request({ url: authServer },
      { access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] } }), use);
  }

  function fee(quote) {
    const d = quote.debitAmount;
    const r = quote.receiveAmount;
    if (d.assetCode === r.assetCode && d.assetScale === r.assetScale) return op.subtractAmounts(d, r);
    return null;
  }

  async function startCheckout(request, env, bytes) {
    let body;
    try { body = JSON.parse(dec.decode(bytes)); } catch { throw new HttpError(400, 'bad_request', 'The request body must be JSON.'); }
    const client = await shopClient(env);
    const shop = await client.walletAddress.get({ url: env.SHOP_WALLET_ADDRESS });
    let shopperUrl;
    try { shopperUrl = op.resolveWalletAddressUrl(String(body?.walletAddress ?? '')); } catch (e) {
      throw new HttpError(400, e.code ?? 'invalid_wallet_address', e.message);
    }
    let shopper;
    try { shopper = await client.walletAddress.get({ url: shopperUrl }); } catch (e) {
      throw new HttpError(404, 'unknown_wallet', `No wallet answers at ${shopperUrl}. Check the address and try again.`);
    }
    const fixedReceive = body?.receiveAmount != null;
    const amount = body?.amount ?? body?.receiveAmount;
    try { op.validateAmount(amount); } catch (e) { throw new HttpError(400, e.code ?? 'invalid_amount', e.message); }
    if (amount.assetCode !== shop.assetCode || amount.assetScale !== shop.assetScale) {
      throw new HttpError(400, 'asset_mismatch', `The shop charges in ${shop.assetCode} (scale ${shop.assetScale}).`);
    }
    if (BigInt(amount.value) === 0n) throw new HttpError(400, 'invalid_amount', 'The cart is empty.');
    const amt = { value: String(amount.value), assetCode: amount.assetCode, assetScale: amount.assetScale };

    const incoming = await withShopIncomingToken(client, env, shop, (accessToken) => client.incomingPayment.create(
      { url: shop.resourceServer, accessToken },
      { walletAddress: shop.id, incomingAmount: amt, metadata: { description: 'Harbour & Pine order' } }));

    const quote = await withQuoteToken(client, env, shopper.authServer, (accessToken) => client.quote.create(
      { url: shopper.resourceServer, accessToken },
      { walletAddress: shopper.id, receiver: incoming.id, method: 'ilp', ...(fixedReceive ? { receiveAmount: amt } : {}) }));

    const ttl = Number(env.TOKEN_TTL_SECONDS ?? 900);
    // The finish URI must be fixed before the grant exists, so it carries a sealed reference
    // (checkout id, quote, incoming payment); the continuation secrets, known only after the
    // grant request, are sealed into an HttpOnly cookie named after the checkout id.
    const origin = new URL(request.url).origin;
    const id = b64urlEncode(crypto.getRandomValues(new Uint8Array(12)));
    const ref = await seal(env, 'ref', { id, q: quote.id, ip: incoming.id }, ttl);
    const interact = op.createInteractRequest(`${origin}/checkout/finish?ref=${ref}`);
    const pending = await client.grant.request({ url: shopper.authServer }, {
      access_token: { access: [{ type: 'outgoing-payment', actions: ['create', 'read', 'list'], identifier: shopper.id,
        limits: { debitAmount: quote.debitAmount, receiver: incoming.id } }] },
      interact,
    });
    if (!op.isPendingGrant(pending)) throw new HttpError(502, 'unexpected_grant', 'The wallet did not ask for consent.');
    const state = {
      id, cu: pending.continue.uri, ct: pending.continue.access_token.value, cn: interact.finish.nonce,
      fn: pending.interact.finish, ge: shopper.authServer, q: quote.id, ip: incoming.id,
      sw: shopper.id, srs: shopper.resourceServer, d: quote.debitAmount, r: quote.receiveAmount,
    };
    const sealed = await seal(env, 'checkout', state, ttl);
    const secure = origin.startsWith('https:') ? '; Secure' : '';
    // Keep the newest two earlier checkouts (another tab, a double click); expire the rest so the
    // Cookie header stays small however many checkouts a shopper starts.
    const earlier = cookieNames(request).filter((n) => n.startsWith('opc_'));
    const expire = earlier.slice(0, Math.max(0, earlier.length - 2))
      .map((n) => `${n}=; Path=/checkout; HttpOnly; SameSite=Lax; Max-Age=0${secure}`);
    const res = json(200, {
      consentUrl: pending.interact.redirect,
      walletAddress: { shopper: { id: shopper.id, publicName: shopper.publicName ?? null, assetCode: shopper.assetCode },
        shop: { id: shop.id, publicName: shop.publicName ?? null } },
      quote: { debitAmount: quote.debitAmount, receiveAmount: quote.receiveAmount, fee: fee(quote), expiresAt: quote.expiresAt },
    });
    for (const c of expire) res.headers.append('set-cookie', c);
    res.headers.append('set-cookie', `opc_${id}=${sealed}; Path=/checkout; HttpOnly; SameSite=Lax; Max-Age=${ttl}${secure}`);
    return res;
  }

  const cookieNames = (request) => (request.headers.get('cookie') ?? '').split(';').map((p) => p.trim().split('=')[0]).filter(Boolean);

  const cookie = (request, name) => {
    for (const part of (request.headers.get('cookie') ?? '').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === name) return v.join('=');
    }
    return null;
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const isAlreadyUsed = (e) => /already used/.test(`${e?.description ?? ''} ${e?.message ?? ''}`);
  const isQuoteExpired = (e) => /quote expired/.test(`${e?.description ?? ''} ${e?.message ?? ''}`);

  async function receiptRedirect(env, origin, receipt) {
    const r = await seal(env, 'receipt', receipt, 24 * 3600);
    return redirect(`${origin}/checkout.html?receipt=${r}`);
  }
  const problem = (origin, code) => redirect(`${origin}/checkout.html?problem=${code}`);

  async function finish(request, env) {
    const url = new URL(request.url);
    const origin = url.origin;
    const ref = await unseal(env, 'ref', url.searchParams.get('ref'));
    const raw = cookie(request, `opc_${ref.id}`);
    if (!raw) throw new HttpError(400, 'missing_state', 'This checkout was started in another browser or has expired. Please start again.');
    const st = await unseal(env, 'checkout', raw);
    if (st.id !== ref.id || st.q !== ref.q || st.ip !== ref.ip) throw new HttpError(400, 'bad_token', 'This checkout link is not valid.');
    if (url.searchParams.get('result') === 'grant_rejected') return problem(origin, 'consent_denied');
    const hash = url.searchParams.get('hash');
    const interactRef = url.searchParams.get('interact_ref');
    if (!hash || !interactRef) throw new HttpError(400, 'bad_finish', 'The wallet sent the shopper back without a consent result.');
    try {
      op.verifyInteractFinish({ clientNonce: st.cn, finishNonce: st.fn, interactRef, grantEndpoint: st.ge, hash });
    } catch {
      throw new HttpError(400, 'bad_interaction_hash', 'The consent result could not be verified (the link was altered). Nothing was paid.');
    }
    const client = await shopClient(env);
    const base = { ip: st.ip, q: st.q, sw: st.sw, d: st.d, r: st.r };
    let grant;
    try {
      grant = await client.grant.continue({ url: st.cu, accessToken: st.ct }, { interact_ref: interactRef });
    } catch (e) {
      // Already continued: a reload or a second submit of this finish URL. The payment (if any)
      // was made by the first request; report what the shop's incoming payment shows.
      if (e?.status === 401 || e?.status === 403 || e?.status === 404) {
        const received = await waitReceived(client, env, st.ip);
        return receiptRedirect(env, origin, { ...base, op: null, via: 'reconciled', paid: received });
      }
      throw e;
    }
    if (!op.isFinalizedGrantWithAccessToken(grant)) throw new HttpError(502, 'unexpected_grant', 'The wallet did not issue access.');
    const ot = { url: st.srs, accessToken: grant.access_token.value };
    let payment;
    try {
      payment = await client.outgoingPayment.create(ot, { walletAddress: st.sw, quoteId: st.q });
    } catch (e) {
      if (isQuoteExpired(e)) return problem(origin, 'quote_expired');
      if (!isAlreadyUsed(e)) throw e;
      payment = await findPayment(client, ot, st.sw, st.q);
      if (!payment) throw e;
    }
    if (payment.failed) return problem(origin, 'insufficient_funds');
    await completeIncoming(client, env, st.ip);
    return receiptRedirect(env, origin, { ...base, op: payment.id, paid: true });
  }

  async function findPayment(client, ot, wallet, quoteId) {
    for await (const p of client.outgoingPayment.listAll({ ...ot, walletAddress: wallet }, { first: 100 })) {
      if (p.quoteId === quoteId) return p;
    }
    return null;
  }

  async function incomingNow(client, env, ipId) {
    const shop = await client.walletAddress.get({ url: env.SHOP_WALLET_ADDRESS });
    return withShopIncomingToken(client, env, shop, async (token) => (
      { ip: await client.incomingPayment.get({ url: ipId, accessToken: token }), token }));
  }

  async function waitReceived(client, env, ipId) {
    for (let i = 0; i < 20; i++) {
      const { ip } = await incomingNow(client, env, ipId);
      if (BigInt(ip.receivedAmount.value) > 0n) return true;
      await sleep(150);
    }
    return false;
  }

  async function completeIncoming(client, env, ipId) {
    const { ip, token } = await incomingNow(client, env, ipId);
    if (!ip.completed && ip.incomingAmount && BigInt(ip.receivedAmount.value) >= BigInt(ip.incomingAmount.value)) {
      await client.incomingPayment.complete({ url: ipId, accessToken: token });
    }
  }

  async function receipt(request, env) {
    const url = new URL(request.url);
    const rc = await unseal(env, 'receipt', url.searchParams.get('r'));
    const client = await shopClient(env);
    const { ip } = await incomingNow(client, env, rc.ip);
    return json(200, {
      paid: rc.paid, shopperWallet: rc.sw, debitAmount: rc.d, receiveAmount: rc.r, outgoingPaymentId: rc.op,
      incomingPayment: { id: ip.id, completed: ip.completed, receivedAmount: ip.receivedAmount, incomingAmount: ip.incomingAmount ?? null },
    });
  }

  const routes = new Map([['POST /checkout', startCheckout], ['GET /checkout/finish', finish], ['GET /checkout/receipt', receipt]]);

  return {
    async fetch(request, env) {
      const url = new URL(request.url);
      try {
        const route = routes.get(`${request.method} ${url.pathname}`);
        if (!route) return json(404, { error: { code: 'not_found', message: 'no such endpoint' } });
        // The body (only POST /checkout has one) within the limit, then the configuration: a
        // misconfigured SEAL_KEY answers 500 before any request to the wallets.
        const bytes = request.method === 'POST' ? await readLimitedBody(request) : null;
        await sealKey(env);
        return await route(request, env, bytes);
      } catch (e) {
        return errorResponse(url, e);
      }
    },
  };
}

function errorResponse(url, e) {
  const status = e instanceof HttpError ? e.status : 502;
  // Only a client error's own code (a string); other exceptions (e.g. a DOMException, whose
  // numeric `code` means nothing to the page) are upstream errors.
  const code = e instanceof HttpError ? e.code : (typeof e?.code === 'string' && e.code ? e.code : 'upstream_error');
  const message = e instanceof HttpError ? e.message : 'The payment service could not complete the request. Nothing was paid.';
  if (url.pathname === '/checkout/finish') {
    return htmlPage(status, 'Payment not completed', message);
  }
  return json(status, { error: { code, message } });
}
