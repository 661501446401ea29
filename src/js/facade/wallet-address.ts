// Wallet addresses as people type them (src/js/wallet_address.rs).

import { answer, wasm } from './raw.js';
import { invalid } from './errors.js';

/** Resolves `$wallet.example/alice` or `https://wallet.example/alice` to the wallet address URL. */
export function resolveWalletAddressUrl(input: string): string {
  if (typeof input !== 'string') {
    throw invalid('invalid_wallet_address', undefined, 'the wallet address must be a string');
  }
  return answer<string>(wasm().resolveWalletAddressUrl(input));
}
