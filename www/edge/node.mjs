// Node adapter: the edge handler on node:http (127.0.0.1), serving the page and the package (pkg/npm) on
// the same origin. `startNodeEdge(env, port)` for tests and www/demo.mjs; env as in handler.mjs.
import { createServer } from 'node:http';
import * as op from 'open-payments-wasm';
import { createCheckoutHandler } from './handler.mjs';
import { nodeListener } from './static.mjs';

const handler = createCheckoutHandler(op);

export function startNodeEdge(env, port = 0) {
  const server = createServer(nodeListener((request) => handler.fetch(request, env)));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
