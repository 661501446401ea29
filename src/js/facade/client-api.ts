// `open-payments-wasm/client`: the Open Payments client alone, what the official client's package
// offers (both clients, the grant type guards, the interaction hash) plus the keys it signs with
// and the amounts; built with the wasm of `--no-default-features --features js-client`, which has
// no merchant flows, no `verifyRequest` and no `parse*` exports (those stay in the main entry).

export * from './public.js';
export {
  SigningKey, generateKeyPair, loadPrivateKey, exportPublicJwk, createJwks, signRequest, signWebRequest,
} from './keys.js';
export {
  AccessAction, AccessType, isPendingGrant, isFinalizedGrant, isFinalizedGrantWithAccessToken,
  isFinalizedGrantWithSubject, createInteractRequest, verifyInteractFinish,
} from './grants.js';
export { createAuthenticatedClient } from './authenticated.js';
export type * from './types-keys.js';
export type * from './types-resources.js';
export type * from './types-client.js';
