// The TypeScript types of the package: Open Payments resources (as the OpenAPI files define
// them), client arguments and results, keys and signatures, the merchant flows. Type declarations
// only, in the files beside this one by domain (types-keys.ts, types-resources.ts,
// types-client.ts, types-merchant.ts); this file re-exports them all, and the other modules import
// every type from './types.js'. The functions that take and return them are in the modules beside
// this one. tests/js/types-lock.test.mjs checks the resource models against the official OpenAPI
// files.

export type * from './types-keys.js';
export type * from './types-resources.js';
export type * from './types-client.js';
export type * from './types-merchant.js';
