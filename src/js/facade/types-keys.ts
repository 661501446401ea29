// The keys and HTTP message signatures (RFC 9421) of the package's types: JWKs, key sets, the
// requests `signRequest` and `verifyRequest` take and what they answer. Re-exported by types.ts.

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
    /** `EdDSA`, or `Ed25519` as RFC 9864 names it (WebCrypto exports that). */
    alg?: "EdDSA" | "Ed25519";
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
