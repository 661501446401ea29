// Bun adapter: `bun www/edge/bun.mjs` (env as in handler.mjs; PORT, default 0).
// Prints {"url": ...} once listening.
import * as op from '../../pkg/web/open_payments_wasm.js';
import { createCheckoutHandler } from './handler.mjs';

await op.default({ module_or_path: await Bun.file(new URL('../../pkg/web/open_payments_wasm_bg.wasm', import.meta.url)).arrayBuffer() });
const handler = createCheckoutHandler(op);
const server = Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.PORT ?? 0),
  fetch: (request) => handler.fetch(request, process.env) });
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }));
