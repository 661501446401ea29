// Cloudflare Workers entry: the edge handler on the package as wrangler bundles it (the `workerd`
// condition: edge.js, whose .wasm is imported as a compiled module and instantiated at load). The
// handler answers bodies above MAX_BODY_BYTES with 413 (far below the platform's own limit).
import * as op from 'open-payments-wasm';
import { createCheckoutHandler } from './handler.mjs';

let handler;
export default {
  fetch(request, env) {
    handler ??= createCheckoutHandler(op);
    return handler.fetch(request, env);
  },
};
