// Grant helpers: the official client's type guards and access constants, and the GNAP
// interaction helpers (src/js/authenticated.rs: the nonce and the finish-hash check).

import { answer, wasm } from './raw.js';
import { invalid } from './errors.js';
import { member, str } from './json.js';
import type {
  Grant, GrantContinuation, GrantWithAccessToken, GrantWithSubject, InteractFinishParams, InteractRequest,
  PendingGrant,
} from './types.js';

/** The actions of access items as named constants, as the official client exports them. */
export const AccessAction = {
  Create: 'create', Read: 'read', ReadAll: 'read-all', Complete: 'complete', List: 'list', ListAll: 'list-all',
} as const;
/** An action of an access item. */
export type AccessAction = (typeof AccessAction)[keyof typeof AccessAction];

/** The types of access items as named constants, as the official client exports them. */
export const AccessType = {
  IncomingPayment: 'incoming-payment', OutgoingPayment: 'outgoing-payment', Quote: 'quote',
} as const;
/** The type of an access item. */
export type AccessType = (typeof AccessType)[keyof typeof AccessType];

/** `true` when the grant awaits interaction (it has `interact`). */
export function isPendingGrant(grant: PendingGrant | Grant): grant is PendingGrant {
  return !!member(grant, 'interact');
}

/** `true` when the grant carries an access token or subject information. */
export function isFinalizedGrant(grant: GrantContinuation | Grant): grant is Grant {
  return !!member(grant, 'access_token') || !!member(grant, 'subject');
}

/** `true` when the grant carries an access token. */
export function isFinalizedGrantWithAccessToken(grant: GrantContinuation | Grant): grant is GrantWithAccessToken {
  return !!member(grant, 'access_token');
}

/** `true` when the grant carries subject information. */
export function isFinalizedGrantWithSubject(grant: GrantContinuation | Grant): grant is GrantWithSubject {
  return !!member(grant, 'subject');
}

/**
 * The `interact` block of an interactive grant request, with a fresh nonce in
 * `finish.nonce` (keep it: `verifyInteractFinish` needs it).
 */
export function createInteractRequest(
  finishUri: string,
): InteractRequest & { finish: { method: 'redirect'; uri: string; nonce: string } } {
  return answer(wasm().createInteractRequest(str(finishUri, 'finishUri')), true);
}

/** The five fields of an interaction finish, checked to be strings. */
export function finishFields(params: unknown): [string, string, string, string, string] {
  if (params === null || typeof params !== 'object') {
    throw invalid('invalid_type', 'finish', 'the interaction finish must be an object');
  }
  const field = (name: string) => str(member(params, name), name);
  return [field('clientNonce'), field('finishNonce'), field('interactRef'), field('grantEndpoint'), field('hash')];
}

/**
 * Checks the interaction-finish `hash` of the redirect back from the authorization server;
 * throws (`interaction_hash_mismatch` / `invalid_interaction_hash`) when it does not match.
 */
export function verifyInteractFinish(params: InteractFinishParams): void {
  answer(wasm().verifyInteractFinish(...finishFields(params)), true);
}
