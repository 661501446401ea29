// Type-checked (tsc --noEmit) against the published declarations: every export used as a user
// would, and the lines marked @ts-expect-error prove the types are exact (no `any`).
import {
  parseAmount, formatAmount, addAmounts, subtractAmounts, compareAmounts, validateAmount,
  resolveWalletAddressUrl, OpenPaymentsError,
  type Amount, type AssetOptions, type FormatAmountOptions, type OpenPaymentsErrorCode,
} from 'open-payments-wasm';

export async function checkout(input: string, shopper: string): Promise<string> {
  const asset: AssetOptions = { assetCode: 'USD', assetScale: 2 };
  const price: Amount = parseAmount(input, asset);
  const shipping: Amount = { value: '499', assetCode: 'USD', assetScale: 2 };
  const total: Amount = addAmounts(price, shipping);
  const change: Amount = subtractAmounts(total, price);
  const order: -1 | 0 | 1 = compareAmounts(total, change);
  const checked: Amount = validateAmount(JSON.parse('{"value":"1","assetCode":"USD","assetScale":2}'));
  const options: FormatAmountOptions = { locale: ['en-US'], style: 'currency', currencyDisplay: 'code' };
  const url: string = resolveWalletAddressUrl(shopper);
  try {
    return `${formatAmount(total, options)} ${formatAmount(checked)} ${order} ${url}`;
  } catch (err) {
    if (err instanceof OpenPaymentsError) {
      const code: OpenPaymentsErrorCode = err.code;
      const field: string | undefined = err.field;
      const asError: Error = err;
      return `${code} ${field ?? ''} ${asError.message}`;
    }
    throw err;
  }
}

// Amount values are strings, never numbers.
// @ts-expect-error value must be a string
export const bad: Amount = { value: 1234, assetCode: 'USD', assetScale: 2 };
// @ts-expect-error the result of compareAmounts is -1 | 0 | 1, not a string
export const order: string = compareAmounts(bad, bad);
// @ts-expect-error style is a closed set
export const badOptions: FormatAmountOptions = { style: 'percent' };
// @ts-expect-error codes are a closed union
export const badCode: OpenPaymentsErrorCode = 'no_such_code';
