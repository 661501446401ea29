// `open-payments-wasm`: everything. The client with keys and signing, every resource check.

export * from './public.js';
export * from './resources.js';
export {
  SigningKey, generateKeyPair, loadPrivateKey, exportPublicJwk, createJwks, signRequest, verifyRequest,
  signWebRequest, verifyWebRequest,
} from './keys.js';
export {
  AccessAction, AccessType, isPendingGrant, isFinalizedGrant, isFinalizedGrantWithAccessToken,
  isFinalizedGrantWithSubject, createInteractRequest, verifyInteractFinish,
} from './grants.js';
export { createAuthenticatedClient } from './authenticated.js';
export { createMerchant } from './merchant.js';
export type * from './types.js';
