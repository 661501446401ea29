// `open-payments-wasm/lean`: what a checkout page in a browser needs (amounts and wallet
// addresses; no client, no keys). Built with the wasm of `--no-default-features`.

export { parseAmount, formatAmount, addAmounts, subtractAmounts, compareAmounts, validateAmount } from './amount.js';
export { resolveWalletAddressUrl } from './wallet-address.js';
export { OpenPaymentsError, type OpenPaymentsErrorCode } from './errors.js';
export type { Amount, AssetOptions, FormatAmountOptions } from './types.js';
