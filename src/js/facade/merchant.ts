// Payments and subscriptions as library calls, `createMerchant` (src/js/merchant.rs over the
// core's `merchant` module): two steps per consent (start → consent URL, summary, sealed state;
// finish → receipt or subscription) and, for subscriptions, charge and cancel.

import { answer, thrown, wasm, type CallContext, type RawMerchant, type RawPending } from './raw.js';
import { drive } from './pending.js';
import { flowErrorAt, invalid, type ErrorData } from './errors.js';
import { authenticatedHandle } from './authenticated.js';
import { json, member, optionalCount, optionsObject, str } from './json.js';
import type {
  Amount, Consent, CreateMerchantArgs, FinishQuery, FlowCallOptions, Merchant, PaymentReceipt, PaymentRequest,
  Subscription, SubscriptionCharge, SubscriptionRequest,
} from './types.js';

/** `!`: the first character of an error answer. */
const BANG = 33;

/** The value of a flow step's answer, or its error thrown with the wallet's error as `cause`. */
async function settle<T>(pending: RawPending, ctx: CallContext): Promise<T> {
  const text = await drive(pending, ctx, (answer) => answer);
  if (text.charCodeAt(0) === BANG) throw flowErrorAt(settle, JSON.parse(text.slice(1)) as ErrorData, ctx);
  const value = JSON.parse(text) as T | null;
  return (value === null ? undefined : value) as T;
}

/** The finish query as `{hash, interact_ref, result}` JSON text. */
function finishQuery(query: unknown): string {
  let params: URLSearchParams | undefined;
  if (query instanceof URLSearchParams) params = query;
  else if (query instanceof URL) params = query.searchParams;
  else if (typeof query === 'string') {
    const text = query.trim();
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      try {
        params = new URL(text).searchParams;
      } catch {
        throw invalid('invalid_value', 'query', 'the finish URL is not a valid URL');
      }
    } else {
      params = new URLSearchParams(text);
    }
  }
  const pick = (name: string): string | undefined => {
    const value = params !== undefined ? params.get(name) : member(query, name);
    if (value === undefined || value === null) return undefined;
    return str(value, name);
  };
  if (params === undefined && (query === null || typeof query !== 'object')) {
    throw invalid('invalid_type', 'query', 'the finish query must be a URL, URLSearchParams, a string or an object');
  }
  return JSON.stringify({ hash: pick('hash'), interact_ref: pick('interact_ref'), result: pick('result') });
}

/** The sealed text of a subscription (the object `finish`/`charge` answered, or its `sealed`). */
function sealed(subscription: unknown): string {
  if (typeof subscription === 'string') return subscription;
  return str(member(subscription, 'sealed'), 'subscription.sealed');
}

/** Creates a merchant: the shop's client (as `createAuthenticatedClient`) and its sealing keys. */
export async function createMerchant(options: CreateMerchantArgs): Promise<Merchant> {
  if (options === null || typeof options !== 'object') {
    throw invalid('invalid_type', 'options', 'the options must be an object');
  }
  const keys = member(options, 'sealKeys');
  const list: unknown[] = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? [...(keys as unknown[])] : [];
  if (list.length === 0) {
    throw invalid('invalid_seal_key', 'sealKeys', '`sealKeys` must be a base64 key (32 bytes) or a non-empty list of them');
  }
  const settings = {
    sealKeys: list.map((k, i) => str(k, `sealKeys[${i}]`, 'invalid_seal_key')),
    stateTtlSeconds: optionalCount(member(options, 'stateTtlSeconds'), 'stateTtlSeconds'),
    subscriptionTtlSeconds: optionalCount(member(options, 'subscriptionTtlSeconds'), 'subscriptionTtlSeconds'),
    reconcileWaitMs: optionalCount(member(options, 'reconcileWaitMs'), 'reconcileWaitMs'),
  };
  const shared = await authenticatedHandle(options);
  let m: RawMerchant;
  try {
    m = wasm().newMerchant(shared.handle, JSON.stringify(settings));
  } catch (e) {
    throw thrown(e);
  }

  /** The context of one step: the client's timeout and interceptor, the call's signal. */
  const context = (opts: unknown): CallContext => {
    optionsObject(opts, 'options');
    const ctx: CallContext = {
      timeoutMs: optionalCount(member(opts, 'requestTimeoutMs'), 'requestTimeoutMs') ?? shared.timeoutMs,
      intercept: shared.intercept,
      sign: shared.sign,
    };
    const signal = member(opts, 'signal');
    if (signal !== undefined && signal !== null) ctx.signal = signal as AbortSignal;
    return ctx;
  };

  /** One flow step: its context from `opts`, the raw call, the answer settled. */
  const step = <T>(opts: unknown, call: () => RawPending): Promise<T> => {
    const ctx = context(opts);
    return settle<T>(call(), ctx);
  };
  const amountJson = (amount: unknown) => (amount === undefined || amount === null ? undefined : json(amount, 'amount'));

  return {
    payments: {
      async start(request: PaymentRequest, opts?: FlowCallOptions) {
        return step<Consent>(opts, () => m.paymentStart(json(request, 'request')));
      },
      async finish(state: string, query: FinishQuery, opts?: FlowCallOptions) {
        return step<PaymentReceipt>(opts, () => m.paymentFinish(str(state, 'state'), finishQuery(query)));
      },
    },
    subscriptions: {
      async start(request: SubscriptionRequest, opts?: FlowCallOptions) {
        return step<Consent>(opts, () => m.subscriptionStart(json(request, 'request')));
      },
      async finish(state: string, query: FinishQuery, opts?: FlowCallOptions) {
        return step<Subscription>(opts, () => m.subscriptionFinish(str(state, 'state'), finishQuery(query)));
      },
      async charge(subscription: Subscription | string, amount?: Amount, opts?: FlowCallOptions) {
        return step<SubscriptionCharge>(opts, () => m.subscriptionCharge(sealed(subscription), amountJson(amount)));
      },
      async cancel(subscription: Subscription | string, opts?: FlowCallOptions) {
        return step<void>(opts, () => m.subscriptionCancel(sealed(subscription)));
      },
    },
    seal(purpose: string, data: unknown, ttlSeconds: number) {
      const ttl = optionalCount(ttlSeconds, 'ttlSeconds');
      if (ttl === undefined) throw invalid('invalid_value', 'ttlSeconds', '`ttlSeconds` must be a non-negative number');
      return answer<string>(m.seal(str(purpose, 'purpose'), json(data, 'data'), ttl));
    },
    open<T = unknown>(purpose: string, token: string): T {
      return answer<T>(m.open(str(purpose, 'purpose'), str(token, 'token')));
    },
  };
}
