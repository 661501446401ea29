// The TypeScript types of the package: Open Payments resources (as the OpenAPI files define
// them), client arguments and results, keys and signatures. Type declarations only; the
// functions that take and return them are in the modules beside this one.
// tests/js/types-lock.test.mjs checks the resource models against the official OpenAPI files.

import type { OpenPaymentsErrorCode } from './errors.js';
import type { AccessAction, AccessType } from './grants.js';
import type { SigningKey } from './keys.js';

/** A public Ed25519 key as Open Payments publishes it in `jwks.json`. */
export interface PublicJwk {
    kid: string;
    alg: "EdDSA";
    kty: "OKP";
    crv: "Ed25519";
    /** The 32-byte public key, unpadded base64url. */
    x: string;
    use?: "sig";
}

/** A private Ed25519 JWK, including the secret `d`. Treat it like a password. */
export interface PrivateJwk {
    kid: string;
    alg: "EdDSA";
    kty: "OKP";
    crv: "Ed25519";
    x: string;
    /** The 32-byte secret seed, unpadded base64url. */
    d: string;
}

/** A private JWK as accepted by `loadPrivateKey` (`x`, `kid`, `alg`, `use` are checked when present). */
export interface PrivateJwkInput {
    kty: "OKP";
    crv: "Ed25519";
    d: string;
    x?: string;
    kid?: string;
    alg?: "EdDSA";
    use?: "sig";
}

/** A JSON Web Key Set document (`{"keys": [...]}`), as served at `jwks.json`. */
export interface JwksDocument {
    keys: PublicJwk[];
}

/** Header fields: a plain object, `[name, value]` pairs, or a `Headers` object. */
export type HeaderFields = Record<string, string> | Iterable<readonly [string, string]>;

/** A request to sign or verify. The body is the exact bytes sent (a string is sent as UTF-8). */
export interface SignableRequest {
    method: string;
    /** The absolute URL the request is sent to, with its query. */
    url: string;
    headers?: HeaderFields;
    body?: string | Uint8Array | null;
}

/** Options of `signRequest`. */
export interface SignOptions {
    /** Signature creation time in unix seconds; default `Date.now() / 1000`. */
    created?: number;
}

/** The headers to add to a signed request (they replace any of the same name). */
export interface SignatureHeaders {
    "Content-Type"?: "application/json";
    "Content-Length"?: string;
    "Content-Digest"?: string;
    "Signature-Input": string;
    "Signature": string;
}

/** Options of `verifyRequest`. */
export interface VerifyRequestOptions {
    /** The verifier's time in unix seconds; default `Date.now() / 1000`. */
    now?: number;
    /** Largest accepted age of `created`, in seconds; default 300. */
    maxAgeSeconds?: number;
    /** Accepted clock skew for a `created` in the future, in seconds; default 60. */
    clockSkewSeconds?: number;
}

/** What a valid signature vouched for. */
export interface VerifiedSignature {
    keyId: string;
    /** Unix seconds. */
    created: number;
    /** The covered components, in order, e.g. `["@method", "@target-uri", "authorization"]`. */
    components: string[];
}

/** A resource addressed by its URL, with an access token. */
export interface ResourceRequestArgs extends UnauthenticatedResourceRequestArgs {
    /** The access token (`Authorization: GNAP <accessToken>`). */
    accessToken: string;
}

/** A grant (continue URL) or token (manage URL) with its token. */
export interface GrantOrTokenRequestArgs extends ResourceRequestArgs {}

/** A collection: the resource server URL, the token and the wallet address listed. */
export interface CollectionRequestArgs extends ResourceRequestArgs {
    walletAddress: string;
}

/** Which page to fetch: `first` (forward) or `last` (backward), 1 to 100, from `cursor`. */
export type PaginationArgs =
| { first?: number; last?: never; cursor?: string }
| { last?: number; first?: never; cursor?: string };

/** A continuation response with no access yet (poll again after `continue.wait`). */
export interface GrantContinuation {
    continue: GrantContinue;
}
/** A finalized grant with an access token. */
export interface GrantWithAccessToken extends Grant {
    access_token: GrantAccessToken;
}
/** A finalized grant with subject information. */
export interface GrantWithSubject extends Grant {
    subject: Subject;
}
/** The body of a grant continuation: the `interact_ref` of the finish redirect. */
export type GrantContinuationRequest = { interact_ref: string } | undefined;

/** What the client has after the user is back from the interaction. */
export interface InteractFinishParams {
    /** The nonce the client sent in `interact.finish.nonce`. */
    clientNonce: string;
    /** The server's `interact.finish` of the pending grant. */
    finishNonce: string;
    /** The `interact_ref` query parameter of the finish redirect. */
    interactRef: string;
    /** The URL the grant request was sent to (the wallet address's `authServer`), verbatim. */
    grantEndpoint: string;
    /** The `hash` query parameter of the finish redirect. */
    hash: string;
}

/**
 * Signs a request instead of the client (the official client's option of the same name): gets
 * each request that must be signed (POSTs, requests with a token) as a `Request` with every
 * other header set, and returns the signed `Request` (or adds the headers to it and returns
 * nothing). A throw rejects the operation with code `request_not_sent`.
 */
export type InterceptorFn = (request: Request) => Request | Promise<Request> | void | Promise<void>;

/** A `node:crypto` private `KeyObject` (Node, Deno, Bun), as far as the client uses it. */
export interface PrivateKeyObject {
    /** `"private"` (a public or secret key is refused). */
    readonly type: "secret" | "public" | "private";
    export(options: { format: "der"; type: "pkcs8" }): Uint8Array;
}

/** Options of `createAuthenticatedClient`: a key and key id, or a request interceptor. */
export type CreateAuthenticatedClientArgs = CreateUnauthenticatedClientArgs & {
    /** The wallet address the client identifies itself by (its `jwks.json` holds the key). */
    walletAddressUrl: string;
} & (
| {
    /**
     * The Ed25519 private key: PKCS#8 PEM text, a private JWK, a `SigningKey`, PEM or PKCS#8
     * DER bytes (a `Buffer` too), a `node:crypto` private `KeyObject`, or, as in the official
     * client, the path of a key file (relative to the working directory; Node, Deno, Bun).
     */
    privateKey: string | PrivateJwkInput | SigningKey | Uint8Array | PrivateKeyObject;
    /** The key id (`kid`) of the key. */
    keyId: string;
    authenticatedRequestInterceptor?: never;
}
| {
    /** Signs the requests instead of a key held by the client (e.g. in an HSM or a KMS). */
    authenticatedRequestInterceptor: InterceptorFn;
    privateKey?: never;
    keyId?: never;
}
);

export interface GrantRoutes {
    /** `args.url` is the authorization server URL (the wallet address's `authServer`). */
    request(
    args: UnauthenticatedResourceRequestArgs,
    request: Omit<GrantRequest, "client">,
    clientOverride?: { jwk: JWK },
    ): Promise<PendingGrant | Grant>;
    continue(args: GrantOrTokenRequestArgs, request?: GrantContinuationRequest): Promise<Grant | GrantContinuation>;
    /** Verifies the interaction-finish hash, then continues with its `interact_ref`. */
    continueAfterInteraction(args: GrantOrTokenRequestArgs, finish: InteractFinishParams): Promise<Grant | GrantContinuation>;
    cancel(args: GrantOrTokenRequestArgs): Promise<void>;
}

export interface TokenRoutes {
    rotate(args: GrantOrTokenRequestArgs): Promise<AccessToken>;
    revoke(args: GrantOrTokenRequestArgs): Promise<void>;
}

export interface IncomingPaymentRoutes {
    /** `args.url` is the resource server URL. */
    create(args: ResourceRequestArgs, body: CreateIncomingPaymentArgs): Promise<IncomingPaymentWithPaymentMethods>;
    get(args: ResourceRequestArgs): Promise<IncomingPaymentWithPaymentMethods>;
    getPublic(args: UnauthenticatedResourceRequestArgs): Promise<PublicIncomingPayment>;
    list(args: CollectionRequestArgs, pagination?: PaginationArgs): Promise<IncomingPaymentPaginationResult>;
    /** Every incoming payment, page after page. */
    listAll(args: CollectionRequestArgs, pagination?: PaginationArgs): AsyncGenerator<IncomingPayment, void, undefined>;
    complete(args: ResourceRequestArgs): Promise<IncomingPayment>;
}

export interface QuoteRoutes {
    /** `args.url` is the resource server URL. */
    create(args: ResourceRequestArgs, body: CreateQuoteArgs): Promise<Quote>;
    get(args: ResourceRequestArgs): Promise<Quote>;
}

export interface OutgoingPaymentRoutes {
    /**
     * `args.url` is the resource server URL. Never creates two payments for one quote: after a
     * timeout or dropped connection the sender's payments are listed and the one made from the
     * same quote is returned.
     */
    create(args: ResourceRequestArgs, body: CreateOutgoingPaymentArgs): Promise<OutgoingPaymentWithSpentAmounts>;
    get(args: ResourceRequestArgs): Promise<OutgoingPayment>;
    list(args: CollectionRequestArgs, pagination?: PaginationArgs): Promise<OutgoingPaymentPaginationResult>;
    /** Every outgoing payment, page after page. */
    listAll(args: CollectionRequestArgs, pagination?: PaginationArgs): AsyncGenerator<OutgoingPayment, void, undefined>;
    /** `args.url` is the resource server URL. */
    getGrantSpentAmounts(args: ResourceRequestArgs): Promise<OutgoingPaymentGrantSpentAmounts>;
}

/** A client that signs its requests. */
export interface AuthenticatedClient {
    walletAddress: WalletAddressRoutes;
    incomingPayment: IncomingPaymentRoutes;
    outgoingPayment: OutgoingPaymentRoutes;
    grant: GrantRoutes;
    token: TokenRoutes;
    quote: QuoteRoutes;
}

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

/** Per-call options, accepted in the first argument of every client operation. */
export interface RequestOptions {
    /** Aborts the request; the operation then rejects with code `"aborted"`. */
    signal?: AbortSignal;
    /** Milliseconds before the request times out (code `"timeout"`); overrides the client's. */
    requestTimeoutMs?: number;
}

/** A resource addressed by its URL, without authorization. */
export interface UnauthenticatedResourceRequestArgs extends RequestOptions {
    /** The full URL of the resource (for create operations: the resource server URL). */
    url: string;
}

/** What a client logger receives. Never contains secrets: no bodies, `Authorization` redacted. */
export interface ClientLogEvent {
    kind: "request" | "response" | "retry" | "error" | "reconcile";
    method: string;
    url: string;
    attempt: number;
    headers?: Record<string, string>;
    status?: number;
    error?: OpenPaymentsErrorCode;
}

/** A logger: a function, or an object with a `debug` method (pino and console both fit). */
export type ClientLogger =
| ((event: ClientLogEvent) => void)
| { debug(event: ClientLogEvent, message?: string): void };

/** Options of `createUnauthenticatedClient`. */
export interface CreateUnauthenticatedClientArgs {
    /**
     * Milliseconds before a request times out, code `"timeout"` (default 5000, as the official
     * client: a server that never answers must not hold a checkout or an edge function forever).
     */
    requestTimeoutMs?: number;
    /** Receives redacted request/response events. */
    logger?: ClientLogger;
    /** Accepted for compatibility with the official client; ignored. */
    logLevel?: string;
    /** Rewrite `https` URLs to `http` (local development only). */
    useHttp?: boolean;
    /** Accepted for compatibility; responses are always validated. */
    validateResponses?: boolean;
    /** Retries of GET/DELETE requests after network errors, timeouts and 5xx (default 2). */
    maxRetries?: number;
    /**
     * In-memory cache of `walletAddress.get` documents per URL (default on: 5 minutes, 100
     * entries; a smaller `Cache-Control: max-age` wins, `no-store`/`no-cache` are not cached).
     * `false` turns it off.
     */
    walletAddressCache?: false | { ttlSeconds?: number; maxEntries?: number };
}

export interface WalletAddressRoutes {
    get(args: UnauthenticatedResourceRequestArgs): Promise<WalletAddress>;
    getKeys(args: UnauthenticatedResourceRequestArgs): Promise<JWKS>;
    getDIDDocument(args: UnauthenticatedResourceRequestArgs): Promise<DIDDocument>;
}

export interface UnauthenticatedIncomingPaymentRoutes {
    get(args: UnauthenticatedResourceRequestArgs): Promise<PublicIncomingPayment>;
}

/** A client for public data only. */
export interface UnauthenticatedClient {
    walletAddress: WalletAddressRoutes;
    incomingPayment: UnauthenticatedIncomingPaymentRoutes;
}
