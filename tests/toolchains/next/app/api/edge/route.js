// A route handler in the edge runtime that makes one signed grant request with the shop's key.
import { createAuthenticatedClient } from 'open-payments-wasm';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export async function GET() {
  const env = process.env;
  try {
    const client = await createAuthenticatedClient({ walletAddressUrl: env.SHOP_WALLET_ADDRESS,
      privateKey: env.SHOP_PRIVATE_KEY, keyId: env.SHOP_KEY_ID });
    const shop = await client.walletAddress.get({ url: env.SHOP_WALLET_ADDRESS });
    const grant = await client.grant.request({ url: shop.authServer },
      { access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] } });
    return Response.json({ runtime, authServer: shop.authServer, token: Boolean(grant.access_token?.value) });
  } catch (error) {
    return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
  }
}
