// Throughput of the amount exports in Node, through the npm package (pkg/nodejs).
// Prints `runtime<TAB>operation<TAB>ops/s` rows; benches/run turns them into a table.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const op = require('open-payments-wasm');

function measure(f, ms = 1000) {
  const rates = [];
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < ms / 5) {
      for (let i = 0; i < 500; i++) f(i);
      n += 500;
    }
    rates.push(n / ((performance.now() - start) / 1000));
  }
  return rates.sort((a, b) => a - b)[2];
}

const usd = { assetCode: 'USD', assetScale: 2 };
const inputs = ['12.34', '0.01', '184467440737095516.15', '999999.99'];
const amount = { value: '18446744073709551615', assetCode: 'USD', assetScale: 2 };
const rows = [
  ['parseAmount (scale 2)', measure((i) => op.parseAmount(inputs[i % 4], usd))],
  ['formatAmount plain', measure(() => op.formatAmount(amount))],
  ['formatAmount en-US currency (Intl)', measure(() => op.formatAmount(amount, { locale: 'en-US', style: 'currency' }))],
  ['validateAmount', measure(() => op.validateAmount(amount))],
  ['addAmounts', measure(() => op.addAmounts(amount, { value: '0', assetCode: 'USD', assetScale: 2 }))],
];
for (const [name, rate] of rows) console.log(`node (wasm)\t${name}\t${rate.toFixed(0)}`);
