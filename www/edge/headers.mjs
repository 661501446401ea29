// The headers every response of the shop sends (pages, scripts, API answers, redirects), as a
// payment page should:
// - Content-Security-Policy: scripts and styles from this origin only, no inline script;
//   requests to this origin and to wallets (https, or the sandbox on loopback);
//   'wasm-unsafe-eval' lets the page compile the package's WebAssembly module and nothing else;
//   frame-ancestors 'none' so no other site can frame the checkout (clickjacking).
// - Referrer-Policy: no-referrer, so the finish URL's `interact_ref` and `hash` never leave in a
//   Referer header (to the shop's own assets or anywhere else).
// - X-Content-Type-Options: nosniff.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  // The public build reads wallet address documents from the browser: any https wallet, and
  // the local sandbox on loopback.
  "connect-src 'self' https: http://127.0.0.1:*",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** `response` with the security headers set (a new Response when its headers are immutable). */
export function securityHeaders(response) {
  let out = response;
  try {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) out.headers.set(name, value);
  } catch {
    out = new Response(response.body, response);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) out.headers.set(name, value);
  }
  return out;
}
