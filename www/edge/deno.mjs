// Deno adapter: `deno run --allow-net=127.0.0.1 --allow-read --allow-env www/edge/deno.mjs`
// (env as in handler.mjs; PORT, default 0). Prints {"url": ...} once listening.
import * as op from '../../pkg/web/open_payments_wasm.js';
import { createCheckoutHandler } from './handler.mjs';

await op.default({ module_or_path: new URL('../../pkg/web/open_payments_wasm_bg.wasm', import.meta.url) });
const handler = createCheckoutHandler(op);
const env = Deno.env.toObject();
Deno.serve({ hostname: '127.0.0.1', port: Number(env.PORT ?? 0),
  onListen: ({ port }) => console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` })) },
(request) => handler.fetch(request, env));
