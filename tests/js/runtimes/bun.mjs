// Bun: the package by name (the `bun` condition: it initialises itself). Usage: bun bun.mjs '<info json>'
import * as op from 'open-payments-wasm';
import { runWithPackage } from './scenario.mjs';

console.log(JSON.stringify(await runWithPackage(op, JSON.parse(process.argv[2]), 'bun')));
