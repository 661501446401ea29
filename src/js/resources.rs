//! JS exports that check Open Payments resources: each `parse*` takes a value as `JSON.parse`
//! gives it, validates it with the models of `crate::resources`, and returns the normalised
//! plain object (unknown fields of responses dropped, amount values without leading zeros).
//! Invalid input throws an `OpenPaymentsError` whose `field` is the JSON path of the bad field.

use wasm_bindgen::prelude::*;

use serde::de::DeserializeOwned;

use super::{from_js, to_js};
use crate::resources::{
    AccessTokenResponse, AnyIncomingPayment, CreateIncomingPaymentRequest,
    CreateOutgoingPaymentRequest, CreateQuoteRequest, DidDocument, ErrorResponse,
    GnapErrorResponse, Grant, GrantRequest, GrantResponse, IncomingPayment,
    IncomingPaymentWithPaymentMethods, JsonWebKey, JsonWebKeySet, OutgoingPayment,
    OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts, Page, PublicIncomingPayment,
    Quote, WalletAddress,
};

/// Reads a resource from a JS value (see [`from_js`]: same codes and paths as natively).
fn parse<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_js(value)
}

#[wasm_bindgen(typescript_custom_section)]
const TS_RESOURCES: &str = r#"
/** Free-form JSON data attached to a payment. */
export type Metadata = { [key: string]: unknown };

/** A wallet address document (`GET {walletAddress}`). */
export interface WalletAddress {
  id: string;
  publicName?: string;
  assetCode: string;
  assetScale: number;
  /** The grant endpoint of the authorization server. */
  authServer: string;
  resourceServer: string;
}

/** An Ed25519 public key as a JSON Web Key. */
export interface JWK {
  kid: string;
  alg: "EdDSA";
  use?: "sig";
  kty: "OKP";
  crv: "Ed25519";
  /** The public key, base64url without padding. */
  x: string;
}

/** The keys bound to a wallet address (`GET {walletAddress}/jwks.json`). */
export interface JWKS {
  keys: JWK[];
}

/** A DID document: any JSON object. */
export type DIDDocument = { [key: string]: unknown };

/** The ILP (STREAM) details to pay an incoming payment. */
export interface IlpPaymentMethod {
  type: "ilp";
  ilpAddress: string;
  sharedSecret: string;
}

/** An incoming payment as listed or completed (no payment methods). Timestamps are RFC 3339 text. */
export interface IncomingPayment {
  id: string;
  walletAddress: string;
  completed: boolean;
  incomingAmount?: Amount;
  receivedAmount: Amount;
  expiresAt?: string;
  metadata?: Metadata;
  createdAt: string;
}

/** An incoming payment with the details to pay it (create, or authorized get). */
export interface IncomingPaymentWithPaymentMethods extends IncomingPayment {
  methods: IlpPaymentMethod[];
}

/** What anyone may read of an incoming payment without a grant. */
export interface PublicIncomingPayment {
  receivedAmount?: Amount;
  authServer: string;
}

/** The body of `POST /incoming-payments`. */
export interface CreateIncomingPaymentArgs {
  walletAddress: string;
  incomingAmount?: Amount;
  expiresAt?: string;
  metadata?: Metadata;
}

/** A quote: what the sender pays and the receiver gets, until `expiresAt`. */
export interface Quote {
  id: string;
  walletAddress: string;
  receiver: string;
  receiveAmount: Amount;
  debitAmount: Amount;
  method: "ilp";
  expiresAt?: string;
  createdAt: string;
}

/** The body of `POST /quotes`: fixed send (`debitAmount`), fixed receive (`receiveAmount`) or neither. */
export type CreateQuoteArgs = {
  walletAddress: string;
  receiver: string;
  method: "ilp";
} & (
  | { debitAmount: Amount; receiveAmount?: never }
  | { receiveAmount: Amount; debitAmount?: never }
  | { debitAmount?: never; receiveAmount?: never }
);

/** An outgoing payment as read or listed. */
export interface OutgoingPayment {
  id: string;
  walletAddress: string;
  quoteId?: string;
  failed?: boolean;
  receiver: string;
  receiveAmount: Amount;
  debitAmount: Amount;
  sentAmount: Amount;
  metadata?: Metadata;
  createdAt: string;
}

/** A created outgoing payment with the totals already spent under its grant. */
export interface OutgoingPaymentWithSpentAmounts extends OutgoingPayment {
  grantSpentDebitAmount?: Amount;
  grantSpentReceiveAmount?: Amount;
}

/** `GET /outgoing-payment-grant`: spent under the grant (this interval); `null` when nothing. */
export interface OutgoingPaymentGrantSpentAmounts {
  spentReceiveAmount: Amount | null;
  spentDebitAmount: Amount | null;
}

/** The body of `POST /outgoing-payments`: from a quote, or from an incoming payment and a debit amount. */
export type CreateOutgoingPaymentArgs =
  | { walletAddress: string; quoteId: string; metadata?: Metadata }
  | { walletAddress: string; incomingPayment: string; debitAmount: Amount; metadata?: Metadata };

/** Where a page sits in a list. */
export interface PageInfo {
  startCursor?: string;
  endCursor?: string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** A page of `GET /incoming-payments`. */
export interface IncomingPaymentPaginationResult {
  pagination: PageInfo;
  result: IncomingPayment[];
}

/** A page of `GET /outgoing-payments`. */
export interface OutgoingPaymentPaginationResult {
  pagination: PageInfo;
  result: OutgoingPayment[];
}

/** An action of an access item. */
export type AccessAction = "create" | "complete" | "read" | "read-all" | "list" | "list-all";

/** Maxima for the outgoing payments of a grant (`interval` is an ISO 8601 repeating interval). */
export interface AccessOutgoingLimits {
  receiver?: string;
  interval?: string;
  debitAmount?: Amount;
  receiveAmount?: Amount;
}

/** Access to incoming payments. */
export interface AccessIncoming {
  type: "incoming-payment";
  actions: ("create" | "complete" | "read" | "read-all" | "list" | "list-all")[];
  identifier?: string;
}

/** Access to outgoing payments of the wallet address `identifier`. */
export interface AccessOutgoing {
  type: "outgoing-payment";
  actions: ("create" | "read" | "read-all" | "list" | "list-all")[];
  identifier: string;
  limits?: AccessOutgoingLimits;
}

/** Access to quotes. */
export interface AccessQuote {
  type: "quote";
  actions: ("create" | "read" | "read-all")[];
}

/** One access right of a grant. */
export type AccessItem = AccessIncoming | AccessOutgoing | AccessQuote;

/** How a client identifies itself; the plain string form is deprecated. */
export type Client = string | { walletAddress: string; jwk?: never } | { jwk: JWK; walletAddress?: never };

/** The interaction a client supports. */
export interface InteractRequest {
  start: "redirect"[];
  finish?: { method: "redirect"; uri: string; nonce: string };
}

/** What to learn about the resource owner: exactly one subject identifier. */
export interface Subject {
  sub_ids: [{ id: string; format: "uri" }];
}

/** The body of a grant request: `access_token`, or `subject` with `interact`. */
export interface GrantRequest {
  access_token?: { access: AccessItem[] };
  client: Client;
  interact?: InteractRequest;
  subject?: Subject;
}

/** Where to send the user, and the server's finish nonce. */
export interface InteractResponse {
  redirect: string;
  finish: string;
}

/** How to continue a grant. */
export interface GrantContinue {
  access_token: { value: string };
  uri: string;
  /** Seconds to wait before continuing. */
  wait?: number;
}

/** An access token for the resource server. */
export interface GrantAccessToken {
  value: string;
  manage: string;
  expires_in?: number;
  access: AccessItem[];
}

/** A grant awaiting interaction. */
export interface PendingGrant {
  interact: InteractResponse;
  continue: GrantContinue;
}

/** A grant with what was granted (approved grant response, continuation response). */
export interface Grant {
  access_token?: GrantAccessToken;
  subject?: Subject;
  continue: GrantContinue;
}

/** The answer to a token rotation. */
export interface AccessToken {
  access_token: GrantAccessToken;
}

/** The error body of the resource server. */
export interface ErrorResponse {
  error: { code: string; description: string; details?: { [key: string]: unknown } };
}

/** GNAP error codes of the spec and of Rafiki; other codes are passed through as strings. */
export type GnapErrorCode =
  | "invalid_request" | "invalid_client" | "request_denied" | "too_fast"
  | "invalid_continuation" | "invalid_rotation"
  | "invalid_interaction" | "user_denied" | "unknown_interaction"
  | (string & {});

/** The error body of the authorization server. */
export interface GnapErrorResponse {
  error: { code: GnapErrorCode; description?: string };
}
"#;

/// Declares `pub fn $name(value: unknown) -> $ts`: parse as `$ty`, return the normalised object.
macro_rules! parser {
    ($(#[doc = $doc:literal])* $name:ident, $js:ident, $ty:ty, $ts:literal) => {
        $(#[doc = $doc])*
        #[wasm_bindgen(js_name = $js, unchecked_return_type = $ts)]
        pub fn $name(#[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue) -> Result<JsValue, JsValue> {
            to_js(&parse::<$ty>(value)?)
        }
    };
}

parser!(
    /// Checks a wallet address document.
    parse_wallet_address, parseWalletAddress, WalletAddress, "WalletAddress"
);
parser!(
    /// Checks one JWK (Ed25519 signing key).
    parse_json_web_key, parseJsonWebKey, JsonWebKey, "JWK"
);
parser!(
    /// Checks a key set (`jwks.json`).
    parse_json_web_key_set, parseJsonWebKeySet, JsonWebKeySet, "JWKS"
);
parser!(
    /// Checks that a DID document is a JSON object.
    parse_did_document, parseDidDocument, DidDocument, "DIDDocument"
);
parser!(
    /// Checks an incoming payment with its payment methods (create, or authorized get).
    parse_incoming_payment, parseIncomingPayment, IncomingPaymentWithPaymentMethods, "IncomingPaymentWithPaymentMethods"
);
parser!(
    /// Checks an incoming payment without methods (list item, `complete` response).
    parse_incoming_payment_without_methods, parseIncomingPaymentWithoutMethods, IncomingPayment, "IncomingPayment"
);
parser!(
    /// Checks the public view of an incoming payment (unauthenticated get).
    parse_public_incoming_payment, parsePublicIncomingPayment, PublicIncomingPayment, "PublicIncomingPayment"
);
parser!(
    /// Checks a `GET /incoming-payments/{id}` answer: the full view when it has an `id`, else the public view.
    parse_any_incoming_payment, parseAnyIncomingPayment, AnyIncomingPayment,
    "IncomingPaymentWithPaymentMethods | PublicIncomingPayment"
);
parser!(
    /// Checks a create-incoming-payment body (closed: unknown fields are refused).
    parse_create_incoming_payment_args, parseCreateIncomingPaymentArgs, CreateIncomingPaymentRequest,
    "CreateIncomingPaymentArgs"
);
parser!(
    /// Checks a page of incoming payments.
    parse_incoming_payment_page, parseIncomingPaymentPage, Page<IncomingPayment>, "IncomingPaymentPaginationResult"
);
parser!(
    /// Checks a quote.
    parse_quote, parseQuote, Quote, "Quote"
);
parser!(
    /// Checks a create-quote body: at most one of `debitAmount` and `receiveAmount`, no unknown fields.
    parse_create_quote_args, parseCreateQuoteArgs, CreateQuoteRequest, "CreateQuoteArgs"
);
parser!(
    /// Checks an outgoing payment (get, list item).
    parse_outgoing_payment, parseOutgoingPayment, OutgoingPayment, "OutgoingPayment"
);
parser!(
    /// Checks a created outgoing payment with its grant's spent amounts.
    parse_outgoing_payment_with_spent_amounts, parseOutgoingPaymentWithSpentAmounts, OutgoingPaymentWithSpentAmounts,
    "OutgoingPaymentWithSpentAmounts"
);
parser!(
    /// Checks the spent amounts of an outgoing payment grant (both keys required, `null` allowed).
    parse_outgoing_payment_grant_spent_amounts, parseOutgoingPaymentGrantSpentAmounts,
    OutgoingPaymentGrantSpentAmounts, "OutgoingPaymentGrantSpentAmounts"
);
parser!(
    /// Checks a create-outgoing-payment body: `quoteId`, or `incomingPayment` with `debitAmount`.
    parse_create_outgoing_payment_args, parseCreateOutgoingPaymentArgs, CreateOutgoingPaymentRequest,
    "CreateOutgoingPaymentArgs"
);
parser!(
    /// Checks a page of outgoing payments.
    parse_outgoing_payment_page, parseOutgoingPaymentPage, Page<OutgoingPayment>, "OutgoingPaymentPaginationResult"
);
parser!(
    /// Checks a grant request body.
    parse_grant_request, parseGrantRequest, GrantRequest, "GrantRequest"
);
parser!(
    /// Checks a grant response: pending (`interact`) or approved (`access_token`), never both.
    parse_grant_response, parseGrantResponse, GrantResponse, "PendingGrant | Grant"
);
parser!(
    /// Checks a continuation response (`continue`, with `access_token` and/or `subject` once approved).
    parse_grant_continuation, parseGrantContinuation, Grant, "Grant"
);
parser!(
    /// Checks a token rotation response.
    parse_access_token, parseAccessToken, AccessTokenResponse, "AccessToken"
);
parser!(
    /// Checks a resource server error body.
    parse_error_response, parseErrorResponse, ErrorResponse, "ErrorResponse"
);
parser!(
    /// Checks an authorization server (GNAP) error body; unknown codes are kept.
    parse_gnap_error_response, parseGnapErrorResponse, GnapErrorResponse, "GnapErrorResponse"
);
