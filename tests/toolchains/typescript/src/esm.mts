// An ES module (`import`): resolves the package's types through index.d.ts.
import { formatAmount, type Amount } from 'open-payments-wasm';

const amount: Amount = { value: '123456', assetCode: 'USD', assetScale: 2 };
const price: string = formatAmount(amount, { locale: 'en-US' });
console.log(JSON.stringify({ module: 'esm', price }));
