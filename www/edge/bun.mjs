// Bun adapter: `bun www/edge/bun.mjs` (env as in handler.mjs; PORT, default 0).
// Prints {"url": ...} once listening.
// The package's Bun entry, which instantiates its .wasm at import.
import * as op from '../../pkg/npm/index.js';
import { createCheckoutHandler } from './handler.mjs';

const handler = createCheckoutHandler(op);
// The handler answers bodies above 64 KB with 413 and stops reading them. Bun's own
// `maxRequestBodySize` is left at its default: at that limit Bun closes the connection right after
// its 413, so a client still sending often sees a reset instead of the answer.
const server = Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.PORT ?? 0),
  fetch: (request) => handler.fetch(request, process.env) });
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }));
