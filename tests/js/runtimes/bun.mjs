// Bun: the `web` build, initialised synchronously from the .wasm bytes. Usage: bun bun.mjs '<info json>'
import * as op from '../../../pkg/web/open_payments_wasm.js';
import { runWithPackage } from './scenario.mjs';

op.initSync({ module: await Bun.file(new URL('../../../pkg/web/open_payments_wasm_bg.wasm', import.meta.url)).arrayBuffer() });
console.log(JSON.stringify(await runWithPackage(op, JSON.parse(process.argv[2]), 'bun')));
