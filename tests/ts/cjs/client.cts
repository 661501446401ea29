// The package from TypeScript in a CommonJS project: `require`d, its types from node.d.cts.
import op = require('open-payments-wasm');

export const price: op.Amount = op.parseAmount('12.34', { assetCode: 'USD', assetScale: 2 });

export async function shopperName(url: string, pem: string): Promise<string> {
  const client = await op.createAuthenticatedClient({ walletAddressUrl: 'https://wallet.example/shop', privateKey: pem, keyId: 'k1' });
  try {
    const wallet: op.WalletAddress = await client.walletAddress.get({ url });
    return wallet.publicName ?? wallet.id;
  } catch (e) {
    if (e instanceof op.OpenPaymentsClientError) return `${e.code} ${e.status ?? ''}`;
    throw e;
  }
}
