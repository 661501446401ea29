// `open-payments-wasm/public`: lean + the client for public Open Payments data (wallet
// addresses, keys, DID documents, public incoming payments); no keys or signing code.

export * from './lean.js';
export { OpenPaymentsClientError, type ClientErrorReason } from './errors.js';
export { createUnauthenticatedClient } from './client.js';
export type {
  ClientLogEvent, ClientLogger, CreateUnauthenticatedClientArgs, DIDDocument, IlpPaymentMethod, JWK, JWKS,
  PublicIncomingPayment, RequestOptions, UnauthenticatedClient, UnauthenticatedIncomingPaymentRoutes,
  UnauthenticatedResourceRequestArgs, WalletAddress, WalletAddressRoutes,
} from './types.js';
