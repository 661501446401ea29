// A Worker that makes one signed grant request with the shop's key (env vars).
import { createAuthenticatedClient } from 'open-payments-wasm';

async function quoteGrant(env) {
  const client = await createAuthenticatedClient({ walletAddressUrl: env.SHOP_WALLET_ADDRESS,
    privateKey: env.SHOP_PRIVATE_KEY, keyId: env.SHOP_KEY_ID });
  const shop = await client.walletAddress.get({ url: env.SHOP_WALLET_ADDRESS });
  const grant = await client.grant.request({ url: shop.authServer },
    { access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] } });
  return { runtime: 'workerd', authServer: shop.authServer, token: Boolean(grant.access_token?.value) };
}

export default {
  async fetch(request, env) {
    try {
      return Response.json(await quoteGrant(env));
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
