// The scenario with the official @interledger/open-payments client (Node, in its own process:
// the other harnesses load miniflare and edge-runtime, which change Node's fetch internals).
// Usage: node official.mjs '<info json>'
import * as official from '@interledger/open-payments';
import * as op from 'open-payments-wasm';
import { scenario, registerShopKey } from './scenario.mjs';

const info = JSON.parse(process.argv[2]);
const key = await registerShopKey(op, info, 'official-client');
const client = await official.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop,
  privateKey: key.exportPrivateKeyPem(), keyId: 'official-client', useHttp: true, logLevel: 'silent' });
console.log(JSON.stringify({ runtime: 'official', ...(await scenario(op, client, info)) }));
