// Deno: the package by name, resolved through node_modules (the `deno` condition: it initialises
// itself). Usage: deno run ... deno.mjs '<info json>'
import * as op from 'open-payments-wasm';
import { runWithPackage } from './scenario.mjs';

console.log(JSON.stringify(await runWithPackage(op, JSON.parse(Deno.args[0]), 'deno')));
