// The published package by name, as users import it (pkg/npm via node_modules): the `types`
// condition of each export resolves; the lean build declares no key functions.
import { createMerchant, type PaymentReceipt, type Subscription } from 'open-payments-wasm';
import { parseAmount, createAuthenticatedClient, OpenPaymentsClientError, AccessType, AccessAction, type Amount,
  type AccessItem } from 'open-payments-wasm';
import * as lean from 'open-payments-wasm/lean';
import * as pub from 'open-payments-wasm/public';

const price: Amount = parseAmount('12.34', { assetCode: 'USD', assetScale: 2 });
const label: string = lean.formatAmount(price, { locale: 'en-US' });
export async function pay(pem: string): Promise<string> {
  try {
    const client = await createAuthenticatedClient({ walletAddressUrl: 'https://w.example/shop', privateKey: pem, keyId: 'k' });
    return (await client.walletAddress.get({ url: 'https://w.example/alice' })).id + label;
  } catch (e) {
    if (e instanceof OpenPaymentsClientError) return `${e.code} ${e.serverCode ?? ''} ${e.status ?? ''}`;
    throw e;
  }
}
// @ts-expect-error the lean build has no keys
void lean.generateKeyPair;
// @ts-expect-error nor the authenticated client
void lean.createAuthenticatedClient;

// @ts-expect-error nor the unauthenticated one: that is `open-payments-wasm/public`
void lean.createUnauthenticatedClient;
// @ts-expect-error the public build has no keys either
void pub.createAuthenticatedClient;

// The public build's unauthenticated client: public data, typed.
export async function lookUp(url: string): Promise<string> {
  const client = await pub.createUnauthenticatedClient({ requestTimeoutMs: 5000 });
  const wallet = await client.walletAddress.get({ url });
  return `${wallet.publicName ?? wallet.id} ${wallet.assetCode}`;
}

// The official client's interceptor option instead of a key: a signer elsewhere (KMS, HSM).
export async function intercepted(sign: (r: Request) => Promise<Record<string, string>>): Promise<void> {
  await createAuthenticatedClient({
    walletAddressUrl: 'https://w.example/shop',
    authenticatedRequestInterceptor: async (request) => {
      for (const [name, value] of Object.entries(await sign(request))) request.headers.set(name, value);
      return request;
    },
  });
  // @ts-expect-error a key and an interceptor together are refused (as by the official types)
  await createAuthenticatedClient({ walletAddressUrl: 'w', privateKey: 'pem', keyId: 'k', authenticatedRequestInterceptor: (r: Request) => r });
}

// The official client's named constants, typed as their literals.
export const quoteAccess: AccessItem = { type: AccessType.Quote, actions: [AccessAction.Create, AccessAction.Read] };
// @ts-expect-error an outgoing-payment access item needs `identifier`
export const broken: AccessItem = { type: AccessType.OutgoingPayment, actions: [AccessAction.Create] };

// Every type the official client's index exports, under the same name (a missing one fails tsc).
import type {
  GrantRequest, GrantContinuation, GrantContinuationRequest, IncomingPayment, PublicIncomingPayment,
  IncomingPaymentWithPaymentMethods, IlpPaymentMethod, Quote, OutgoingPayment, OutgoingPaymentWithSpentAmounts,
  OutgoingPaymentGrantSpentAmounts, PendingGrant, Grant, GrantWithAccessToken, GrantWithSubject, JWK, JWKS,
  PaginationArgs, WalletAddress, AccessToken, Subject, Client, AuthenticatedClient, UnauthenticatedClient,
} from 'open-payments-wasm';
export type OfficialTypeNames = [GrantRequest, GrantContinuation, GrantContinuationRequest, IncomingPayment,
  PublicIncomingPayment, IncomingPaymentWithPaymentMethods, IlpPaymentMethod, Quote, OutgoingPayment,
  OutgoingPaymentWithSpentAmounts, OutgoingPaymentGrantSpentAmounts, PendingGrant, Grant, GrantWithAccessToken,
  GrantWithSubject, JWK, JWKS, PaginationArgs, WalletAddress, AccessToken, Subject, Client, AuthenticatedClient,
  UnauthenticatedClient];

// privateKey as the official client takes it: a path, a Buffer (a Uint8Array), a node:crypto
// KeyObject (its shape from @types/node, overloaded `export` included).
declare const nodeKey: {
  readonly type: 'secret' | 'public' | 'private';
  readonly asymmetricKeyType?: string;
  export(options: { format: 'pem'; type: 'pkcs1' | 'spki' | 'pkcs8' | 'sec1' }): string | Uint8Array;
  export(options?: { format: 'der'; type: 'pkcs1' | 'spki' | 'pkcs8' | 'sec1' }): Uint8Array;
};
export const keyForms = [nodeKey, new Uint8Array(48), 'private.key'].map((privateKey) =>
  createAuthenticatedClient({ walletAddressUrl: 'https://w.example/shop', privateKey, keyId: 'k' }));

// The merchant flows: requests, answers and the finish query forms are typed exactly.
async function merchantTypes(): Promise<PaymentReceipt> {
  const m = await createMerchant({ walletAddressUrl: 'https://w.example/shop', privateKey: 'pem', keyId: 'k', sealKeys: 'key' });
  const c = await m.payments.start({
    walletAddress: '$w.example/alice', amount: { value: '1', assetCode: 'USD', assetScale: 2 }, finishUrl: 'https://s.example/f',
  });
  const fee: Amount | null = c.summary.fee;
  void fee;
  const s: Subscription = await m.subscriptions.finish(c.state, new URL('https://s.example/f?hash=a&interact_ref=b'));
  const charged = await m.subscriptions.charge(s, { value: '1', assetCode: 'USD', assetScale: 2 });
  await m.subscriptions.cancel(charged.subscription.sealed);
  await m.payments.start({
    walletAddress: 'x', amount: { value: '1', assetCode: 'USD', assetScale: 2 }, finishUrl: 'f',
    // @ts-expect-error the amount fixes what the shop receives or what the shopper sends
    amountIs: 'both',
  });
  return m.payments.finish(c.state, '?result=grant_rejected');
}
void merchantTypes;

// `open-payments-wasm/client`: the official client's surface, typed as the main entry's.
import * as opClient from 'open-payments-wasm/client';
export async function payWithClient(pem: string): Promise<string> {
  const client: opClient.AuthenticatedClient = await opClient.createAuthenticatedClient({
    walletAddressUrl: 'https://w.example/shop', privateKey: pem, keyId: 'k',
  });
  const grant = await client.grant.request({ url: 'https://auth.example' }, {
    access_token: { access: [{ type: opClient.AccessType.Quote, actions: [opClient.AccessAction.Create] }] },
  });
  return opClient.isPendingGrant(grant) ? grant.interact.redirect : grant.access_token?.value ?? '';
}
// @ts-expect-error the client entry has no merchant flows (`open-payments-wasm`)
void opClient.createMerchant;
// @ts-expect-error nor verifyRequest (a server's job)
void opClient.verifyRequest;
// @ts-expect-error nor the parse* exports
void opClient.parseQuote;
