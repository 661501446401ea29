// Vercel's edge-runtime: bundled (esbuild, condition `edge-light`, the `.wasm?module` import
// compiled as Vercel's build does) into one script evaluated in an EdgeVM.
import * as op from 'open-payments-wasm';
import { runWithPackage } from './scenario.mjs';

globalThis.runScenario = async (info) => JSON.stringify(await runWithPackage(op, JSON.parse(info), 'edge-runtime'));
