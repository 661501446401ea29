// Deno adapter: `deno run --allow-net=127.0.0.1 --allow-read --allow-env www/edge/deno.mjs`
// (env as in handler.mjs; PORT, default 0). Prints {"url": ...} once listening.
// The package's browser/Deno entry: it fetches its .wasm (file://, hence --allow-read) at import.
import * as op from '../../pkg/npm/index.js';
import { createCheckoutHandler } from './handler.mjs';

const handler = createCheckoutHandler(op);
const env = Deno.env.toObject();
// Deno.serve has no body limit of its own: the handler reads at most MAX_BODY_BYTES (413 beyond).
Deno.serve({ hostname: '127.0.0.1', port: Number(env.PORT ?? 0),
  onListen: ({ port }) => console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` })) },
(request) => handler.fetch(request, env));
