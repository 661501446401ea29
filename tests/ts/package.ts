// The published package by name, as users import it (pkg/npm via node_modules): the `types`
// condition of each export resolves; the lean build declares no key functions.
import { parseAmount, createAuthenticatedClient, OpenPaymentsClientError, type Amount } from 'open-payments-wasm';
import * as lean from 'open-payments-wasm/lean';

const price: Amount = parseAmount('12.34', { assetCode: 'USD', assetScale: 2 });
const label: string = lean.formatAmount(price, { locale: 'en-US' });
export async function pay(pem: string): Promise<string> {
  try {
    const client = await createAuthenticatedClient({ walletAddressUrl: 'https://w.example/shop', privateKey: pem, keyId: 'k' });
    return (await client.walletAddress.get({ url: 'https://w.example/alice' })).id + label;
  } catch (e) {
    if (e instanceof OpenPaymentsClientError) return `${e.code} ${e.serverCode ?? ''} ${e.status ?? ''}`;
    throw e;
  }
}
// @ts-expect-error the lean build has no keys
void lean.generateKeyPair;
