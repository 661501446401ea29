// `open-payments-wasm`: everything. The client with its keys (`open-payments-wasm/client`), plus
// the merchant flows, `verifyRequest` and every resource check (`parse*`).

export * from './client-api.js';
export * from './resources.js';
export { verifyRequest, verifyWebRequest } from './keys.js';
export { createMerchant } from './merchant.js';
export type * from './types.js';
