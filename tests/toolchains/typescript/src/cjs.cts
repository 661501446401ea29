// A CommonJS module (compiled to `require`): resolves the package's types through node.d.cts.
import { formatAmount, type Amount } from 'open-payments-wasm';

const amount: Amount = { value: '123456', assetCode: 'USD', assetScale: 2 };
const price: string = formatAmount(amount, { locale: 'en-US' });
console.log(JSON.stringify({ module: 'cjs', price }));
