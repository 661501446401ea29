// Cloudflare workerd (run by miniflare): the package by name, bundled by esbuild with the
// `workerd` condition as wrangler does; its `.wasm?module` import is a CompiledWasm module.
// POST the sandbox info as the body; the answer is the scenario's result.
import * as op from 'open-payments-wasm';
import { runWithPackage } from './scenario.mjs';

export default {
  async fetch(request) {
    try {
      return Response.json(await runWithPackage(op, await request.json(), 'workerd'));
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 });
    }
  },
};
