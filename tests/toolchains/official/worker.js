// The Worker of tests/toolchains written with the official client (OP_OFFICIAL=1 only).
import { createAuthenticatedClient } from '@interledger/open-payments';

export default {
  async fetch(request, env) {
    try {
      const client = await createAuthenticatedClient({ walletAddressUrl: env.SHOP_WALLET_ADDRESS,
        privateKey: env.SHOP_PRIVATE_KEY, keyId: env.SHOP_KEY_ID, useHttp: true });
      const shop = await client.walletAddress.get({ url: env.SHOP_WALLET_ADDRESS });
      const grant = await client.grant.request({ url: shop.authServer },
        { access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] } });
      return Response.json({ token: Boolean(grant.access_token?.value) });
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
