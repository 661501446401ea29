// Cloudflare Workers entry: the edge handler on pkg/web, with the .wasm imported as a module and
// instantiated synchronously on the first request (workerd forbids randomness at top level).
import * as op from '../../pkg/web/open_payments_wasm.js';
import wasm from '../../pkg/web/open_payments_wasm_bg.wasm';
import { createCheckoutHandler } from './handler.mjs';

let handler;
export default {
  fetch(request, env) {
    if (!handler) {
      op.initSync({ module: wasm });
      handler = createCheckoutHandler(op);
    }
    return handler.fetch(request, env);
  },
};
