// Run by Deno and by Bun from this folder's node_modules: one signed grant request with the
// shop's key (env vars), and an amount formatted.
import process from 'node:process';
import { createAuthenticatedClient, formatAmount } from 'open-payments-wasm';

const env = process.env;
const client = await createAuthenticatedClient({ walletAddressUrl: env.SHOP_WALLET_ADDRESS,
  privateKey: env.SHOP_PRIVATE_KEY, keyId: env.SHOP_KEY_ID });
const shop = await client.walletAddress.get({ url: env.SHOP_WALLET_ADDRESS });
const grant = await client.grant.request({ url: shop.authServer },
  { access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] } });
const price = formatAmount({ value: '123456', assetCode: 'USD', assetScale: 2 }, { locale: 'en-US' });
console.log(JSON.stringify({ authServer: shop.authServer, token: Boolean(grant.access_token?.value), price }));
