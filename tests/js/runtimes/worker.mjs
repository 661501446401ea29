// Cloudflare workerd (run by miniflare): the `web` build with the .wasm imported as a module.
// POST the sandbox info as the body; the answer is the scenario's result.
import * as op from '../../../pkg/web/open_payments_wasm.js';
import wasm from '../../../pkg/web/open_payments_wasm_bg.wasm';
import { runWithPackage } from './scenario.mjs';

let ready = false;
export default {
  async fetch(request) {
    if (!ready) {
      op.initSync({ module: wasm });
      ready = true;
    }
    try {
      return Response.json(await runWithPackage(op, await request.json(), 'workerd'));
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 });
    }
  },
};
