// Vercel's edge-runtime: bundled (esbuild) into one script evaluated in an EdgeVM, which then
// compiles the wasm bytes itself and runs the scenario.
import * as op from '../../../pkg/web/open_payments_wasm.js';
import { runWithPackage } from './scenario.mjs';

globalThis.runScenario = async (bytes, info) => {
  op.initSync({ module: new WebAssembly.Module(new Uint8Array(bytes)) });
  return JSON.stringify(await runWithPackage(op, JSON.parse(info), 'edge-runtime'));
};
