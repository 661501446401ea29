// The Open Payments resources of the package's types, as the OpenAPI files define them: amounts,
// wallet addresses and keys, incoming payments, quotes, outgoing payments, pages, grants and their
// access, error bodies. Re-exported by types.ts; tests/js/types-lock.test.mjs checks these models
// against the official OpenAPI files.

import type { AccessAction, AccessType } from './grants.js';

/** An amount in minor units, exactly as on the Open Payments wire: `value` is a string of digits. */
export interface Amount {
    value: string;
    assetCode: string;
    /** Decimal places of the smallest unit, 0 to 255. */
    assetScale: number;
}

/** The asset a decimal text is parsed into. */
export interface AssetOptions {
    assetCode: string;
    assetScale: number;
}

/** How `formatAmount` shows an amount. Without `locale` the result is the plain decimal text. */
export interface FormatAmountOptions {
    /** A BCP 47 locale (or list); formats through `Intl.NumberFormat` from the exact decimal text. */
    locale?: string | string[];
    /** `"currency"` shows the asset code as a currency (symbol, code or name). Default `"decimal"`. */
    style?: "decimal" | "currency";
    currencyDisplay?: "symbol" | "narrowSymbol" | "code" | "name";
    useGrouping?: boolean;
}

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
