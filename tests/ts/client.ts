// A checkout written against the official @interledger/open-payments API, as its documentation
// writes it, with only the import changed: it must type-check against this package's
// declarations (strict, exactOptionalPropertyTypes) without casts.
import {
  createAuthenticatedClient, createUnauthenticatedClient, isFinalizedGrantWithAccessToken, isPendingGrant,
  OpenPaymentsClientError, AccessType, AccessAction,
  type AuthenticatedClient, type WalletAddress, type Quote, type PendingGrant, type Grant,
  type OutgoingPaymentWithSpentAmounts, type IncomingPaymentWithPaymentMethods,
} from 'open-payments-wasm';

export async function connect(keyPath: string): Promise<AuthenticatedClient> {
  return createAuthenticatedClient({ walletAddressUrl: 'https://wallet.example/shop', privateKey: keyPath, keyId: 'k1' });
}

export async function startPayment(client: AuthenticatedClient, senderUrl: string, receiverUrl: string) {
  const sendingWalletAddress: WalletAddress = await client.walletAddress.get({ url: senderUrl });
  const receivingWalletAddress = await client.walletAddress.get({ url: receiverUrl });

  const incomingPaymentGrant = await client.grant.request({ url: receivingWalletAddress.authServer }, {
    access_token: { access: [{ type: 'incoming-payment', actions: ['read', 'complete', 'create'] }] },
  });
  if (!isFinalizedGrantWithAccessToken(incomingPaymentGrant)) throw new Error('Expected finalized incoming payment grant');
  const incomingPayment: IncomingPaymentWithPaymentMethods = await client.incomingPayment.create(
    { url: receivingWalletAddress.resourceServer, accessToken: incomingPaymentGrant.access_token.value },
    { walletAddress: receivingWalletAddress.id,
      incomingAmount: { assetCode: receivingWalletAddress.assetCode, assetScale: receivingWalletAddress.assetScale, value: '1000' } },
  );

  const quoteGrant = await client.grant.request({ url: sendingWalletAddress.authServer }, {
    access_token: { access: [{ type: AccessType.Quote, actions: [AccessAction.Create, AccessAction.Read] }] },
  });
  if (!isFinalizedGrantWithAccessToken(quoteGrant)) throw new Error('Expected finalized quote grant');
  const quote: Quote = await client.quote.create(
    { url: sendingWalletAddress.resourceServer, accessToken: quoteGrant.access_token.value },
    { walletAddress: sendingWalletAddress.id, receiver: incomingPayment.id, method: 'ilp' },
  );

  const outgoingPaymentGrant: PendingGrant | Grant = await client.grant.request({ url: sendingWalletAddress.authServer }, {
    access_token: { access: [{ identifier: sendingWalletAddress.id, type: 'outgoing-payment', actions: ['read', 'create'],
      limits: { debitAmount: quote.debitAmount, receiveAmount: quote.receiveAmount } }] },
    interact: { start: ['redirect'], finish: { method: 'redirect', uri: 'https://shop.example/finish', nonce: crypto.randomUUID() } },
  });
  if (!isPendingGrant(outgoingPaymentGrant)) throw new Error('Expected interactive grant');
  return { redirect: outgoingPaymentGrant.interact.redirect, continueUri: outgoingPaymentGrant.continue.uri,
    continueToken: outgoingPaymentGrant.continue.access_token.value, quote };
}

export async function finishPayment(client: AuthenticatedClient, continueUri: string, continueToken: string,
  interactRef: string, senderUrl: string, quote: Quote): Promise<OutgoingPaymentWithSpentAmounts | string> {
  try {
    const finalized = await client.grant.continue({ url: continueUri, accessToken: continueToken }, { interact_ref: interactRef });
    if (!isFinalizedGrantWithAccessToken(finalized)) throw new Error('Expected finalized outgoing payment grant');
    return await client.outgoingPayment.create(
      { url: new URL(senderUrl).origin, accessToken: finalized.access_token.value },
      { walletAddress: senderUrl, quoteId: quote.id },
    );
  } catch (err) {
    // The official client's error fields: code (the server's GNAP code), status, description.
    if (err instanceof OpenPaymentsClientError) return `${err.code ?? ''} ${err.status ?? ''} ${err.description}`;
    throw err;
  }
}

export async function publicView(url: string) {
  const client = await createUnauthenticatedClient({ requestTimeoutMs: 10_000 });
  const payment = await client.incomingPayment.get({ url });
  return payment.receivedAmount?.value;
}
