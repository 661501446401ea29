// The client's types: request arguments, per-call options, logging, the options of
// `createUnauthenticatedClient` and `createAuthenticatedClient`, the routes and the clients.
// Re-exported by types.ts.

import type { OpenPaymentsErrorCode } from './errors.js';
import type { SigningKey } from './keys.js';
import type { PrivateJwkInput } from './types-keys.js';
import type { AccessToken, CreateIncomingPaymentArgs, CreateOutgoingPaymentArgs, CreateQuoteArgs, DIDDocument, Grant, GrantAccessToken, GrantContinue, GrantRequest, IncomingPayment, IncomingPaymentPaginationResult, IncomingPaymentWithPaymentMethods, JWK, JWKS, OutgoingPayment, OutgoingPaymentGrantSpentAmounts, OutgoingPaymentPaginationResult, OutgoingPaymentWithSpentAmounts, PendingGrant, PublicIncomingPayment, Quote, Subject, WalletAddress } from './types-resources.js';

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
