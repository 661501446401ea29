// The resource checks: each `parse*` takes a value as `JSON.parse` gives it, validates it
// against the schema of an Open Payments model (src/js/resources.rs, one model per name below;
// the rules of the Rust models) and returns the normalised document as the model writes it
// (unknown members of responses dropped, `null` members left out, amount values without leading
// zeros; members in the order given). Invalid input throws an `OpenPaymentsError` whose `field` is the JSON path of
// the first bad field.

import { answer, wasm } from './raw.js';
import { json } from './json.js';
import type {
  AccessToken,
  CreateIncomingPaymentArgs,
  CreateOutgoingPaymentArgs,
  CreateQuoteArgs,
  DIDDocument,
  ErrorResponse,
  GnapErrorResponse,
  Grant,
  GrantRequest,
  IncomingPayment,
  IncomingPaymentPaginationResult,
  IncomingPaymentWithPaymentMethods,
  JWK,
  JWKS,
  OutgoingPayment,
  OutgoingPaymentGrantSpentAmounts,
  OutgoingPaymentPaginationResult,
  OutgoingPaymentWithSpentAmounts,
  PendingGrant,
  PublicIncomingPayment,
  Quote,
  WalletAddress,
} from './types.js';

const parser = <T>(kind: string) => (value: unknown): T => answer<T>(wasm().parseResource(kind, json(value)));

/** Checks a wallet address document. */
export const parseWalletAddress: (value: unknown) => WalletAddress = /* @__PURE__ */ parser('parseWalletAddress');
/** Checks one JWK (Ed25519 signing key). */
export const parseJsonWebKey: (value: unknown) => JWK = /* @__PURE__ */ parser('parseJsonWebKey');
/** Checks a key set (`jwks.json`). */
export const parseJsonWebKeySet: (value: unknown) => JWKS = /* @__PURE__ */ parser('parseJsonWebKeySet');
/** Checks that a DID document is a JSON object. */
export const parseDidDocument: (value: unknown) => DIDDocument = /* @__PURE__ */ parser('parseDidDocument');
/** Checks an incoming payment with its payment methods (create, or authorized get). */
export const parseIncomingPayment: (value: unknown) => IncomingPaymentWithPaymentMethods = /* @__PURE__ */ parser('parseIncomingPayment');
/** Checks an incoming payment without methods (list item, `complete` response). */
export const parseIncomingPaymentWithoutMethods: (value: unknown) => IncomingPayment = /* @__PURE__ */ parser('parseIncomingPaymentWithoutMethods');
/** Checks the public view of an incoming payment (unauthenticated get). */
export const parsePublicIncomingPayment: (value: unknown) => PublicIncomingPayment = /* @__PURE__ */ parser('parsePublicIncomingPayment');
/** Checks a `GET /incoming-payments/{id}` answer: the full view when it has an `id`, else the public view. */
export const parseAnyIncomingPayment: (value: unknown) => IncomingPaymentWithPaymentMethods | PublicIncomingPayment = /* @__PURE__ */ parser('parseAnyIncomingPayment');
/** Checks a create-incoming-payment body (closed: unknown fields are refused). */
export const parseCreateIncomingPaymentArgs: (value: unknown) => CreateIncomingPaymentArgs = /* @__PURE__ */ parser('parseCreateIncomingPaymentArgs');
/** Checks a page of incoming payments. */
export const parseIncomingPaymentPage: (value: unknown) => IncomingPaymentPaginationResult = /* @__PURE__ */ parser('parseIncomingPaymentPage');
/** Checks a quote. */
export const parseQuote: (value: unknown) => Quote = /* @__PURE__ */ parser('parseQuote');
/** Checks a create-quote body: at most one of `debitAmount` and `receiveAmount`, no unknown fields. */
export const parseCreateQuoteArgs: (value: unknown) => CreateQuoteArgs = /* @__PURE__ */ parser('parseCreateQuoteArgs');
/** Checks an outgoing payment (get, list item). */
export const parseOutgoingPayment: (value: unknown) => OutgoingPayment = /* @__PURE__ */ parser('parseOutgoingPayment');
/** Checks a created outgoing payment with its grant's spent amounts. */
export const parseOutgoingPaymentWithSpentAmounts: (value: unknown) => OutgoingPaymentWithSpentAmounts = /* @__PURE__ */ parser('parseOutgoingPaymentWithSpentAmounts');
/** Checks the spent amounts of an outgoing payment grant (both keys required, `null` allowed). */
export const parseOutgoingPaymentGrantSpentAmounts: (value: unknown) => OutgoingPaymentGrantSpentAmounts = /* @__PURE__ */ parser('parseOutgoingPaymentGrantSpentAmounts');
/** Checks a create-outgoing-payment body: `quoteId`, or `incomingPayment` with `debitAmount`. */
export const parseCreateOutgoingPaymentArgs: (value: unknown) => CreateOutgoingPaymentArgs = /* @__PURE__ */ parser('parseCreateOutgoingPaymentArgs');
/** Checks a page of outgoing payments. */
export const parseOutgoingPaymentPage: (value: unknown) => OutgoingPaymentPaginationResult = /* @__PURE__ */ parser('parseOutgoingPaymentPage');
/** Checks a grant request body. */
export const parseGrantRequest: (value: unknown) => GrantRequest = /* @__PURE__ */ parser('parseGrantRequest');
/** Checks a grant response: pending (`interact`) or approved (`access_token`), never both. */
export const parseGrantResponse: (value: unknown) => PendingGrant | Grant = /* @__PURE__ */ parser('parseGrantResponse');
/** Checks a continuation response (`continue`, with `access_token` and/or `subject` once approved). */
export const parseGrantContinuation: (value: unknown) => Grant = /* @__PURE__ */ parser('parseGrantContinuation');
/** Checks a token rotation response. */
export const parseAccessToken: (value: unknown) => AccessToken = /* @__PURE__ */ parser('parseAccessToken');
/** Checks a resource server error body. */
export const parseErrorResponse: (value: unknown) => ErrorResponse = /* @__PURE__ */ parser('parseErrorResponse');
/** Checks an authorization server (GNAP) error body; unknown codes are kept. */
export const parseGnapErrorResponse: (value: unknown) => GnapErrorResponse = /* @__PURE__ */ parser('parseGnapErrorResponse');
