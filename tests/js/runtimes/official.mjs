// The scenario with the official @interledger/open-payments client (Node, in its own process:
// the other harnesses load miniflare and edge-runtime, which change Node's fetch internals).
// Usage: node official.mjs '<info json>'
import { readFileSync } from 'node:fs';
import * as official from '@interledger/open-payments';
import * as op from '../../../pkg/web/open_payments_wasm.js';
import { scenario, registerShopKey } from './scenario.mjs';

op.initSync({ module: readFileSync(new URL('../../../pkg/web/open_payments_wasm_bg.wasm', import.meta.url)) });
const info = JSON.parse(process.argv[2]);
const key = await registerShopKey(op, info, 'official-client');
const client = await official.createAuthenticatedClient({ walletAddressUrl: info.wallets.shop,
  privateKey: key.exportPrivateKeyPem(), keyId: 'official-client', useHttp: true, logLevel: 'silent' });
console.log(JSON.stringify({ runtime: 'official', ...(await scenario(op, client, info)) }));
