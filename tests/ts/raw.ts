// The facade's view of the wasm exports (`Raw` in src/js/facade/raw.ts) against what each build
// really exports (the wasm-bindgen declarations of pkg/npm/<build>/): a Rust export that changes
// its name or shape, or disappears from a build, fails this type check.
import type { Raw, RawAuthenticatedClient, RawMerchant, RawSigningKey } from '../../src/js/facade/raw.js';
import * as full from '../../pkg/npm/web/open_payments_wasm.js';
import * as node from '../../pkg/npm/nodejs/open_payments_wasm.js';
import * as publicBuild from '../../pkg/npm/public/open_payments_wasm.js';
import * as clientBuild from '../../pkg/npm/client/open_payments_wasm.js';
import * as lean from '../../pkg/npm/lean/open_payments_wasm.js';

type Lean = Pick<Raw, 'parseAmount' | 'decimalAmount' | 'addAmounts' | 'subtractAmounts' | 'compareAmounts'
  | 'validateAmount' | 'resolveWalletAddressUrl'>;
type Public = Lean & Pick<Raw, 'newClient' | 'responseHeaders'>;
/** The client build: every raw export but the merchant flows, `verifyRequest` and `parseResource`. */
type Client = Omit<Raw, 'newMerchant' | 'verifyRequest' | 'parseResource'>;

export const checks: [Raw, Raw, Client, Public, Lean] = [full, node, clientBuild, publicBuild, lean];
export const handles: [RawSigningKey, RawAuthenticatedClient] = [
  full.generateKey('k'),
  full.newKeyClient('{}', undefined, 'https://wallet.example/shop', full.generateKey('k')),
];
export const merchant: RawMerchant = full.newMerchant(
  full.newKeyClient('{}', undefined, 'https://wallet.example/shop', full.generateKey('k')), '{}');
