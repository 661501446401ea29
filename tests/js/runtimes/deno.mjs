// Deno: the `web` build, initialised from its file URL. Usage: deno run ... deno.mjs '<info json>'
import init, * as op from '../../../pkg/web/open_payments_wasm.js';
import { runWithPackage } from './scenario.mjs';

await init();
console.log(JSON.stringify(await runWithPackage(op, JSON.parse(Deno.args[0]), 'deno')));
