// The page every browser toolchain builds: one import line, amounts and a wallet address
// fetched from the sandbox named in ?wallet=.
import { createUnauthenticatedClient, formatAmount } from 'open-payments-wasm';

async function main() {
  const wallet = new URLSearchParams(location.search).get('wallet');
  const client = await createUnauthenticatedClient({});
  const address = await client.walletAddress.get({ url: wallet });
  const price = formatAmount({ value: '123456', assetCode: address.assetCode, assetScale: address.assetScale },
    { locale: 'en-US' });
  return { price, assetCode: address.assetCode, id: address.id };
}

main().then(
  (result) => { document.body.dataset.result = JSON.stringify(result); },
  (error) => { document.body.dataset.error = String(error?.stack ?? error); },
);
