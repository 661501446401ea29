// The error comparison of client-errors.test.mjs (the same failing calls through this package's
// client and the official one, against the sandbox and a local status-as-code server) run with
// the client build, `open-payments-wasm/client` (pkg/npm/client.js and its own .wasm: no merchant
// flows, no verifyRequest, no parse*, Ed25519 without precomputed tables).
process.env.OP_CLIENT_ERRORS_BUILD = 'client';
await import('./client-errors.test.mjs');
