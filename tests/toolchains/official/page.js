// The browser page of tests/toolchains written with the official client (OP_OFFICIAL=1 only):
// builds it where the toolchain can, for the bytes in benches/README.md.
import { createUnauthenticatedClient } from '@interledger/open-payments';

async function main() {
  const wallet = new URLSearchParams(location.search).get('wallet');
  const client = await createUnauthenticatedClient({ useHttp: true });
  const address = await client.walletAddress.get({ url: wallet });
  return { assetCode: address.assetCode, id: address.id };
}

main().then(
  (result) => { document.body.dataset.result = JSON.stringify(result); },
  (error) => { document.body.dataset.error = String(error?.stack ?? error); },
);
