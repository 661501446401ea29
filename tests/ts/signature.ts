// Type check of the key and signature exports (edge/server builds: pkg/web, pkg/nodejs).
import {
  generateKeyPair, loadPrivateKey, exportPublicJwk, createJwks, signRequest, verifyRequest,
  signWebRequest, verifyWebRequest, SigningKey,
  type PublicJwk, type PrivateJwk, type JwksDocument, type SignableRequest, type SignatureHeaders,
  type VerifiedSignature,
} from 'open-payments-wasm';

export async function roundTrip(pem: string): Promise<VerifiedSignature[]> {
  const key: SigningKey = generateKeyPair('key-1');
  const loaded: SigningKey = loadPrivateKey(pem, 'key-2');
  const jwk: PublicJwk = exportPublicJwk(key);
  const secret: PrivateJwk = key.exportPrivateJwk();
  const again: SigningKey = loadPrivateKey({ kty: 'OKP', crv: 'Ed25519', d: secret.d }, 'key-1');
  const jwks: JwksDocument = createJwks([key, loaded.publicJwk(), again]);
  const request: SignableRequest = {
    method: 'POST', url: 'https://wallet.example/incoming-payments',
    headers: { Authorization: 'GNAP token' }, body: '{"a":1}',
  };
  const headers: SignatureHeaders = signRequest(request, key, { created: 1_700_000_000 });
  const signature: string = headers.Signature;
  const verified = verifyRequest({ ...request, headers: { ...request.headers, ...headers } }, jwks, { now: 1_700_000_000 });
  const web = new Request(request.url, { method: 'POST', body: '{"a":1}' });
  const webHeaders: SignatureHeaders = await signWebRequest(web, key);
  const fromWeb = await verifyWebRequest(web, [jwk]);
  key.free();
  return signature && webHeaders ? [verified, fromWeb] : [];
}

// @ts-expect-error the key id is required
generateKeyPair();
// @ts-expect-error a JWKS needs keys, not strings
createJwks(['not a key']);
// @ts-expect-error JWKs are Ed25519 only
export const rsa: PublicJwk = { kid: 'k', alg: 'RS256', kty: 'RSA', crv: 'Ed25519', x: 'x' };
