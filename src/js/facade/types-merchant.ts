// The merchant flows' types (src/js/facade/merchant.ts over the core's `merchant` module: the
// JSON of its Rust types): requests, consents, receipts, subscriptions, `createMerchant`.
// Re-exported by types.ts.

import type { Amount } from './types-resources.js';
import type { CreateAuthenticatedClientArgs } from './types-client.js';

/** Which side of the payment the amount fixes: what the shop receives (default) or what the shopper sends. */
export type AmountIs = 'receive' | 'send';

/** `payments.start`: what the shop asks to be paid. */
export interface PaymentRequest {
    /** The shopper's wallet address: a URL or a payment pointer (`$wallet.example/alice`). */
    walletAddress: string;
    /** In the shop's asset when the shop receives it (default), in the shopper's when the shopper sends it. */
    amount: Amount;
    amountIs?: AmountIs;
    /** Where the wallet sends the shopper back (absolute http(s) URL); it appends `hash` and `interact_ref`. */
    finishUrl: string;
    /** `metadata.description` of both payments. */
    description?: string;
    /** More metadata for the shop's incoming payment. */
    metadata?: Record<string, unknown>;
}

/** `subscriptions.start`: what the shopper is asked to allow per interval. */
export interface SubscriptionRequest {
    walletAddress: string;
    /** The most charged per interval. */
    amount: Amount;
    amountIs?: AmountIs;
    /** ISO 8601 duration of the interval (default `P1M`, monthly). */
    every?: string;
    finishUrl: string;
    description?: string;
}

/** One side of a payment, as a page shows it. */
export interface Party {
    walletAddress: string;
    publicName: string | null;
    assetCode: string;
    assetScale: number;
}

/** What the shopper is asked to approve. */
export interface ConsentSummary {
    shop: Party;
    shopper: Party;
    /** What leaves the shopper's account (per interval for a subscription; `null` when only known per charge). */
    debitAmount: Amount | null;
    /** What the shop receives (per interval for a subscription; `null` when only known per charge). */
    receiveAmount: Amount | null;
    /** Debit minus receive when both are in one asset; `null` where it cannot be known. */
    fee: Amount | null;
    /** When the quote expires (payments). */
    expiresAt: string | null;
    /** The repeating interval (subscriptions), e.g. `R/2026-12-01T00:00:00Z/P1M`. */
    interval: string | null;
}

/** The answer of a start step. */
export interface Consent {
    /** Redirect the shopper here. */
    consentUrl: string;
    summary: ConsentSummary;
    /** Sealed (AES-256-GCM) state for the finish step: keep it in an HttpOnly cookie or a session, never in a URL. */
    state: string;
}

/** The finish redirect's query: its URL, its `searchParams`, the query text, or its values. */
export type FinishQuery =
    | URL
    | URLSearchParams
    | string
    | { hash?: string | null; interact_ref?: string | null; result?: string | null };

/** A finished payment. */
export interface PaymentReceipt {
    /** `processing`: another finish continued this grant and its payment did not show yet. */
    status: 'paid' | 'processing';
    /** `null` when this finish reconciled another's (`reconciled`). */
    outgoingPaymentId: string | null;
    incomingPaymentId: string;
    /** The shopper's wallet address. */
    walletAddress: string;
    debitAmount: Amount;
    receiveAmount: Amount;
    /** True when the grant was continued already (a reload, a concurrent finish) and nothing was sent. */
    reconciled: boolean;
}

/** A subscription the shopper consented to; store it, and replace it with the one each charge returns. */
export interface Subscription {
    /** The sealed grant (its tokens, encrypted). */
    sealed: string;
    walletAddress: string;
    amount: Amount;
    amountIs: AmountIs;
    interval: string;
}

/** A charge of a subscription. */
export interface SubscriptionCharge {
    outgoingPaymentId: string;
    incomingPaymentId: string;
    debitAmount: Amount;
    receiveAmount: Amount;
    /** Store this in place of the subscription charged (its access token may have been rotated). */
    subscription: Subscription;
}

/** Per-call options of a flow step. */
export interface FlowCallOptions {
    signal?: AbortSignal;
    /** Timeout of each request of the step (default: the client's `requestTimeoutMs`). */
    requestTimeoutMs?: number;
}

/** `createMerchant`: the authenticated client's options plus the sealing keys. */
export type CreateMerchantArgs = CreateAuthenticatedClientArgs & {
    /** Base64 of 32 random bytes each (`openssl rand -base64 32`): the first seals, any opens. */
    sealKeys: string | readonly string[];
    /** Lifetime of the start → finish state, in seconds (default 900). */
    stateTtlSeconds?: number;
    /** Lifetime of a sealed subscription, in seconds (default 400 days). */
    subscriptionTtlSeconds?: number;
    /** How long a finish that finds the grant already continued waits for the payment to show (default 3000 ms). */
    reconcileWaitMs?: number;
};

/** Payments and subscriptions as library calls. Errors are `OpenPaymentsError`s with the flow's code and the wallet's error as `cause`. */
export interface Merchant {
    payments: {
        start(request: PaymentRequest, options?: FlowCallOptions): Promise<Consent>;
        finish(state: string, query: FinishQuery, options?: FlowCallOptions): Promise<PaymentReceipt>;
    };
    subscriptions: {
        start(request: SubscriptionRequest, options?: FlowCallOptions): Promise<Consent>;
        finish(state: string, query: FinishQuery, options?: FlowCallOptions): Promise<Subscription>;
        charge(subscription: Subscription | string, amount?: Amount, options?: FlowCallOptions): Promise<SubscriptionCharge>;
        cancel(subscription: Subscription | string, options?: FlowCallOptions): Promise<void>;
    };
    /** Seals your own JSON data (e.g. a receipt for a URL) with the merchant's keys: AES-256-GCM, bound to `purpose`, valid `ttlSeconds`. */
    seal(purpose: string, data: unknown, ttlSeconds: number): string;
    /** Opens data sealed by `seal` for `purpose`; throws `tampered_state` or `state_expired`. */
    open<T = unknown>(purpose: string, token: string): T;
}
