// Locks the resource models of src/js/facade/types.ts (declared in the files it re-exports: the
// models in src/js/facade/types-resources.ts) to the official OpenAPI files (the pinned
// @interledger/open-payments dev dependency): for every TypeScript type that models a schema
// (MAPPING), the property names and their optionality (`?` against the schema's `required`)
// must be the schema's, through `extends`, `$ref`, `allOf`, `oneOf`/`anyOf` variants and inline
// nested objects. Every difference is either listed in KNOWN_DIFFERENCES or fails the test, and
// every listed difference must still occur. Every exported type of types.ts and every object
// schema of the specs must be accounted for (mapped, or listed as not a model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import yaml from 'js-yaml';

const FACADE = new URL('../../src/js/facade/', import.meta.url);
const SPEC_DIR = new URL('../../node_modules/@interledger/open-payments/dist/openapi/specs/', import.meta.url);
const SPEC_NAMES = ['resource-server', 'auth-server', 'wallet-address-server'];

// ---- The mapping: TS type -> spec file + schema --------------------------------------------
// A schema is a component name, or a path into the spec file for inline (operation) schemas.

const body = (path, method) => ['paths', path, method, 'requestBody', 'content', 'application/json', 'schema'];
const response = (path, method, status) =>
  ['paths', path, method, 'responses', status, 'content', 'application/json', 'schema'];

const RS = 'resource-server';
const AS = 'auth-server';
const WA = 'wallet-address-server';

const MAPPING = [
  // Wallet address server.
  ['WalletAddress', WA, 'wallet-address'],
  ['JWK', WA, 'json-web-key'],
  ['JWKS', WA, 'json-web-key-set'],
  ['PublicJwk', WA, 'json-web-key'],
  ['JwksDocument', WA, 'json-web-key-set'],
  ['DIDDocument', WA, 'did-document'],
  // Resource server.
  ['Amount', RS, 'amount'],
  ['Metadata', RS, ['components', 'schemas', 'incoming-payment', 'properties', 'metadata']],
  ['IlpPaymentMethod', RS, 'ilp-payment-method'],
  ['IncomingPayment', RS, 'incoming-payment'],
  ['IncomingPaymentWithPaymentMethods', RS, 'incoming-payment-with-methods'],
  ['PublicIncomingPayment', RS, 'public-incoming-payment'],
  ['CreateIncomingPaymentArgs', RS, body('/incoming-payments', 'post')],
  ['IncomingPaymentPaginationResult', RS, response('/incoming-payments', 'get', '200')],
  ['Quote', RS, 'quote'],
  ['CreateQuoteArgs', RS, body('/quotes', 'post')],
  ['OutgoingPayment', RS, 'outgoing-payment'],
  ['OutgoingPaymentWithSpentAmounts', RS, 'outgoing-payment-with-spent-amounts'],
  ['OutgoingPaymentGrantSpentAmounts', RS, response('/outgoing-payment-grant', 'get', '200')],
  ['CreateOutgoingPaymentArgs', RS, body('/outgoing-payments', 'post')],
  ['OutgoingPaymentPaginationResult', RS, response('/outgoing-payments', 'get', '200')],
  ['PageInfo', RS, 'page-info'],
  ['ErrorResponse', RS, 'error-response'],
  // Authorization server.
  ['Amount', AS, 'amount'],
  ['JWK', AS, 'json-web-key'],
  ['AccessItem', AS, 'access-item'],
  ['AccessIncoming', AS, 'access-incoming'],
  ['AccessOutgoing', AS, 'access-outgoing'],
  ['AccessQuote', AS, 'access-quote'],
  ['AccessOutgoingLimits', AS, 'limits-outgoing'],
  ['GrantAccessToken', AS, 'access_token'],
  ['Client', AS, 'client'],
  ['GrantContinue', AS, 'continue'],
  ['InteractRequest', AS, 'interact-request'],
  ['InteractResponse', AS, 'interact-response'],
  ['Subject', AS, 'subject'],
  ['GrantRequest', AS, body('/', 'post')],
  ['PendingGrant', AS, [...response('/', 'post', '200'), 'oneOf', '0']],
  ['GrantWithAccessToken', AS, [...response('/', 'post', '200'), 'oneOf', '1']],
  ['GrantContinuationRequest', AS, body('/continue/{id}', 'post')],
  ['Grant', AS, response('/continue/{id}', 'post', '200')],
  ['AccessToken', AS, response('/token/{id}', 'post', '200')],
  ...['invalid-client', 'invalid-request', 'request-denied', 'too-fast', 'invalid-continuation', 'invalid-rotation']
    .map((code) => ['GnapErrorResponse', AS, `error-${code}`]),
];

// ---- Deliberate differences (TS path: difference -> reason) -----------------------------------

const KNOWN_DIFFERENCES = {
  'GrantRequest: 1 variant in TS, 2 in the spec':
    'one interface instead of the anyOf (access_token | subject with interact); parseGrantRequest refuses a body matching neither',
  'AccessOutgoingLimits: 1 variant in TS, 3 in the spec':
    'one interface with all four keys optional: the anyOf\'s first branch (no amount, not closed) already admits every key combination',
  'GrantContinuationRequest: 2 variants in TS, 1 in the spec':
    '`| undefined` is "no body" (the requestBody is not required), as the official client\'s type',
  'GrantContinuationRequest.interact_ref: required in TS, optional in the spec':
    'as the official client (Required<…> | undefined): a body is only sent to carry the interact_ref',
  'GnapErrorResponse.error: required in TS, optional in the spec':
    'the spec marks nothing required in error-*; the parser requires error (see src/resources/error_body.rs)',
  'GnapErrorResponse.error.code: required in TS, optional in the spec':
    'a GNAP error without a code says nothing a client can act on; the parser requires it (src/resources/error_body.rs)',
  'IncomingPaymentPaginationResult.pagination: required in TS, optional in the spec':
    'as the official client\'s PaginationResult; the page parser (Page<T>) requires it',
  'IncomingPaymentPaginationResult.result: required in TS, optional in the spec':
    'as the official client\'s PaginationResult; the page parser (Page<T>) requires it',
  'OutgoingPaymentPaginationResult.pagination: required in TS, optional in the spec':
    'as the official client\'s PaginationResult; the page parser (Page<T>) requires it',
  'OutgoingPaymentPaginationResult.result: required in TS, optional in the spec':
    'as the official client\'s PaginationResult; the page parser (Page<T>) requires it',
  'GrantWithAccessToken.subject: in TS, not in the spec':
    'inherited from Grant, as the official client\'s GrantWithAccessToken (Grant & …); the grant response parser keeps a subject',
};

// ---- Exported types of types.ts that model no schema (reason -> names) ----------------------

const NOT_MODELS = {
  'client API: arguments, options, routes and clients of the JS client': [
    'ResourceRequestArgs', 'GrantOrTokenRequestArgs', 'CollectionRequestArgs', 'PaginationArgs',
    'InteractFinishParams', 'InterceptorFn', 'PrivateKeyObject', 'CreateAuthenticatedClientArgs',
    'GrantRoutes', 'TokenRoutes', 'IncomingPaymentRoutes', 'QuoteRoutes', 'OutgoingPaymentRoutes',
    'AuthenticatedClient', 'RequestOptions', 'UnauthenticatedResourceRequestArgs', 'ClientLogEvent',
    'ClientLogger', 'CreateUnauthenticatedClientArgs', 'WalletAddressRoutes',
    'UnauthenticatedIncomingPaymentRoutes', 'UnauthenticatedClient',
  ],
  'amount parsing and formatting options': ['AssetOptions', 'FormatAmountOptions'],
  "merchant flows (createMerchant): this package's own API over the core's merchant module": [
    'AmountIs', 'PaymentRequest', 'SubscriptionRequest', 'Party', 'ConsentSummary', 'Consent', 'FinishQuery',
    'PaymentReceipt', 'Subscription', 'SubscriptionCharge', 'FlowCallOptions', 'CreateMerchantArgs', 'Merchant',
  ],
  'private keys and HTTP message signatures (RFC 9421), not in the OpenAPI files': [
    'PrivateJwk', 'PrivateJwkInput', 'HeaderFields', 'SignableRequest', 'SignOptions', 'SignatureHeaders',
    'VerifyRequestOptions', 'VerifiedSignature',
  ],
  'narrowings of Grant (which is mapped) with no schema of their own': ['GrantContinuation', 'GrantWithSubject'],
  'a string enum, not an object': ['GnapErrorCode'],
};

// ---- Reading types.ts --------------------------------------------------------------------

// types.ts and, through its `export type * from './types-….js'`, the files it re-exports: what
// types.ts exports is every exported declaration of them. Nodes are read with their own file
// (`getText()`).
const declarations = new Map();
const exported = [];
function readTypes(file) {
  const source = ts.createSourceFile(file, readFileSync(new URL(file, FACADE), 'utf8'), ts.ScriptTarget.Latest, true);
  for (const st of source.statements) {
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      declarations.set(st.name.text, st);
      if (st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) exported.push(st.name.text);
    }
    if (ts.isExportDeclaration(st) && !st.exportClause && st.moduleSpecifier) {
      readTypes(st.moduleSpecifier.text.replace(/^\.\//, '').replace(/\.js$/, '.ts'));
    }
  }
}
readTypes('types.ts');

// An object variant is { kind: 'object', props: Map(name -> TS type node or schema), required: Set };
// anything else is { kind: 'other', label }.
const objectVariant = (props = new Map(), required = new Set()) => ({ kind: 'object', props, required });

function mergeVariants(a, b, where) {
  if (a.kind !== 'object' || b.kind !== 'object') throw new Error(`${where}: cannot intersect ${a.label ?? 'an object'} with ${b.label ?? 'an object'}`);
  return objectVariant(new Map([...a.props, ...b.props]), new Set([...a.required, ...b.required]));
}

const product = (as, bs, where) => (as === null ? bs : as.flatMap((a) => bs.map((b) => mergeVariants(a, b, where))));

const propName = (name) => (ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText());

function membersVariant(members) {
  const v = objectVariant();
  for (const m of members) {
    if (!ts.isPropertySignature(m)) continue; // index and method signatures name no property
    if (m.type?.kind === ts.SyntaxKind.NeverKeyword) continue; // `x?: never` marks exclusivity
    const name = propName(m.name);
    v.props.set(name, m.type);
    if (!m.questionToken) v.required.add(name);
  }
  return v;
}

function declVariants(name) {
  const decl = declarations.get(name);
  if (!decl) throw new Error(`types.ts has no interface or type ${name}`);
  if (ts.isTypeAliasDeclaration(decl)) return tsVariants(decl.type);
  let variants = null;
  for (const clause of decl.heritageClauses ?? []) {
    for (const base of clause.types) {
      const baseName = base.expression.getText();
      if (!declarations.has(baseName)) throw new Error(`${name} extends ${baseName}, which is not in types.ts`);
      variants = product(variants, declVariants(baseName), name);
    }
  }
  return product(variants, [membersVariant(decl.members)], name);
}

function tsVariants(node) {
  if (ts.isParenthesizedTypeNode(node)) return tsVariants(node.type);
  if (ts.isTypeLiteralNode(node)) return [membersVariant(node.members)];
  if (ts.isUnionTypeNode(node)) return node.types.flatMap(tsVariants);
  if (ts.isIntersectionTypeNode(node)) return node.types.reduce((acc, t) => product(acc, tsVariants(t), node.getText()), null);
  if (ts.isTypeReferenceNode(node) && !node.typeArguments && declarations.has(node.typeName.getText())) {
    return declVariants(node.typeName.getText());
  }
  return [{ kind: 'other', label: node.getText() }];
}

// The inline object type of a property (through arrays, tuples, `| null`, `| undefined`), or null
// when the property is not an inline object (a named type is checked by its own mapping).
function tsInline(node) {
  if (!node) return null;
  if (ts.isParenthesizedTypeNode(node)) return tsInline(node.type);
  if (ts.isArrayTypeNode(node)) return wrapArray(tsInline(node.elementType));
  if (ts.isTupleTypeNode(node) && node.elements.length > 0) return wrapArray(tsInline(node.elements[0]));
  if (ts.isUnionTypeNode(node)) {
    const rest = node.types.filter((t) => !isNullish(t));
    if (rest.length === 1) return tsInline(rest[0]);
    return rest.every(ts.isTypeLiteralNode) ? { array: false, variants: rest.flatMap(tsVariants) } : null;
  }
  if (ts.isTypeLiteralNode(node)) return { array: false, variants: tsVariants(node) };
  return null;
}
const wrapArray = (inline) => inline && { ...inline, array: true };
const isNullish = (t) => t.kind === ts.SyntaxKind.UndefinedKeyword
  || (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword);

// ---- Reading the specs ------------------------------------------------------------------

const specs = Object.fromEntries(SPEC_NAMES.map((name) =>
  [name, yaml.load(readFileSync(new URL(`${name}.yaml`, SPEC_DIR), 'utf8'))]));

const pointerText = (segments) => '#/' + segments.map((s) => String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function at(doc, segments, where) {
  let node = doc;
  for (const s of segments) {
    node = node?.[s];
    if (node === undefined) throw new Error(`${where}: no ${pointerText(segments)}`);
  }
  return node;
}

function deref(doc, schema, where) {
  for (let hops = 0; schema?.$ref !== undefined; hops++) {
    if (!schema.$ref.startsWith('#/') || hops > 20) throw new Error(`${where}: cannot resolve ${schema.$ref}`);
    schema = at(doc, schema.$ref.slice(2).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')), where);
  }
  return schema;
}

const isObjectSchema = (s) => s.type === 'object' || s.properties !== undefined || s.required !== undefined;

function specVariants(doc, schema, where) {
  schema = deref(doc, schema, where);
  let variants = isObjectSchema(schema)
    ? [objectVariant(new Map(Object.entries(schema.properties ?? {})), new Set(schema.required ?? []))]
    : null;
  for (const member of schema.allOf ?? []) variants = product(variants, specVariants(doc, member, where), where);
  for (const key of ['oneOf', 'anyOf']) {
    if (schema[key]) variants = product(variants, schema[key].flatMap((m) => specVariants(doc, m, where)), where);
  }
  return variants ?? [{ kind: 'other', label: String(schema.type ?? 'any') }];
}

function specInline(doc, schema, where) {
  schema = deref(doc, schema, where);
  if (schema.type === 'array' && schema.items) return wrapArray(specInline(doc, schema.items, where));
  for (const key of ['oneOf', 'anyOf']) {
    const rest = schema[key]?.filter((m) => deref(doc, m, where).type !== 'null');
    if (rest?.length === 1 && !isObjectSchema(schema)) return specInline(doc, rest[0], where);
  }
  const variants = specVariants(doc, schema, where);
  return variants.some((v) => v.kind === 'object') ? { array: false, variants } : null;
}

// ---- Comparing ------------------------------------------------------------------------------

function mergedObject(variants) {
  const objects = variants.filter((v) => v.kind === 'object');
  if (objects.length === 0) return null;
  const merged = objectVariant();
  for (const v of objects) for (const [name, type] of v.props) if (!merged.props.has(name)) merged.props.set(name, type);
  for (const name of merged.props.keys()) if (objects.every((v) => v.required.has(name))) merged.required.add(name);
  return merged;
}

function permutations(n) {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

function compareVariants(where, tsVs, specVs, doc, diffs) {
  if (tsVs.length === specVs.length) {
    let best = null;
    for (const perm of permutations(tsVs.length)) {
      const found = [];
      tsVs.forEach((v, i) => compareVariant(tsVs.length === 1 ? where : `${where}(variant ${i + 1})`, v, specVs[perm[i]], doc, found));
      if (best === null || found.length < best.length) best = found;
      if (found.length === 0) break;
    }
    diffs.push(...best);
    return;
  }
  diffs.push(`${where}: ${tsVs.length} variant${tsVs.length === 1 ? '' : 's'} in TS, ${specVs.length} in the spec`);
  const tsMerged = mergedObject(tsVs);
  const specMerged = mergedObject(specVs);
  if (tsMerged && specMerged) compareVariant(where, tsMerged, specMerged, doc, diffs);
}

function compareVariant(where, t, s, doc, diffs) {
  if (t.kind !== s.kind || (t.kind === 'other' && t.label !== s.label)) {
    diffs.push(`${where}: ${t.label ?? 'an object'} in TS, ${s.label ?? 'an object'} in the spec`);
    return;
  }
  if (t.kind === 'other') return;
  const names = [...new Set([...t.props.keys(), ...s.props.keys(), ...s.required])].sort();
  for (const name of names) {
    const path = `${where}.${name}`;
    const inTs = t.props.has(name);
    const inSpec = s.props.has(name) || s.required.has(name);
    if (!inTs) { diffs.push(`${path}: in the spec, missing in TS`); continue; }
    if (!inSpec) { diffs.push(`${path}: in TS, not in the spec`); continue; }
    if (t.required.has(name) !== s.required.has(name)) {
      diffs.push(`${path}: ${t.required.has(name) ? 'required in TS, optional' : 'optional in TS, required'} in the spec`);
    }
    const tsInner = tsInline(t.props.get(name));
    if (!tsInner) continue;
    const specInner = s.props.has(name) ? specInline(doc, s.props.get(name), path) : null;
    if (!specInner) { diffs.push(`${path}: an inline object in TS, not an object in the spec`); continue; }
    compareVariants(tsInner.array ? `${path}[]` : path, tsInner.variants, specInner.variants, doc, diffs);
  }
}

function schemaSegments(schema) {
  return Array.isArray(schema) ? schema : ['components', 'schemas', schema];
}

function allDifferences() {
  const diffs = new Set();
  for (const [tsName, specName, schema] of MAPPING) {
    const doc = specs[specName];
    const segments = schemaSegments(schema);
    const where = `${tsName} -> ${specName} ${pointerText(segments)}`;
    const found = [];
    compareVariants(tsName, declVariants(tsName), specVariants(doc, at(doc, segments, where), where), doc, found);
    for (const d of found) diffs.add(d);
  }
  return diffs;
}

// ---- Tests ---------------------------------------------------------------------------------

test('the TS resource models have the property names and optionality of the OpenAPI schemas', () => {
  const diffs = allDifferences();
  const unexpected = [...diffs].filter((d) => !(d in KNOWN_DIFFERENCES)).sort();
  const stale = Object.keys(KNOWN_DIFFERENCES).filter((d) => !diffs.has(d)).sort();
  assert.deepEqual(unexpected, [], `types.ts and the OpenAPI schemas differ (fix types.ts, or list a deliberate difference in KNOWN_DIFFERENCES):\n  ${unexpected.join('\n  ')}`);
  assert.deepEqual(stale, [], `KNOWN_DIFFERENCES lists differences that no longer occur (remove them):\n  ${stale.join('\n  ')}`);
});

test('every KNOWN_DIFFERENCES entry has a one-line reason', () => {
  for (const [diff, reason] of Object.entries(KNOWN_DIFFERENCES)) {
    assert.ok(typeof reason === 'string' && reason.trim() !== '' && !reason.includes('\n'), diff);
  }
});

test('every exported type of types.ts is mapped to a schema or listed as not a model', () => {
  const mapped = new Set(MAPPING.map(([tsName]) => tsName));
  const notModels = Object.values(NOT_MODELS).flat();
  const both = notModels.filter((n) => mapped.has(n));
  assert.deepEqual(both, [], 'both mapped and listed in NOT_MODELS');
  const accounted = new Set([...mapped, ...notModels]);
  const unaccounted = exported.filter((n) => !accounted.has(n));
  assert.deepEqual(unaccounted, [], 'exported from types.ts but neither in MAPPING nor in NOT_MODELS');
  const missing = [...accounted].filter((n) => !declarations.has(n));
  assert.deepEqual(missing, [], 'in MAPPING or NOT_MODELS but not declared in types.ts');
});

test('every object schema of the specs is mapped to a TS type', () => {
  const mapped = MAPPING.map(([, specName, schema]) => `${specName} ${pointerText(schemaSegments(schema))}`);
  const isMapped = (specName, segments) => {
    const prefix = `${specName} ${pointerText(segments)}`;
    return mapped.some((m) => m === prefix || m.startsWith(`${prefix}/`));
  };
  const unmapped = [];
  for (const [specName, doc] of Object.entries(specs)) {
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const segments = ['components', 'schemas', name];
      if (specVariants(doc, schema, name).some((v) => v.kind === 'object') && !isMapped(specName, segments)) {
        unmapped.push(`${specName} ${pointerText(segments)}`);
      }
    }
    // Inline request and response bodies (a plain $ref, or a union of $refs, is its component's).
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        const bodies = [];
        if (op?.requestBody?.content?.['application/json']) bodies.push(body(path, method));
        for (const [status, res] of Object.entries(op?.responses ?? {})) {
          if (res?.content?.['application/json']) bodies.push(response(path, method, status));
        }
        for (const segments of bodies) {
          const schema = at(doc, segments, specName);
          const union = schema.oneOf ?? schema.anyOf;
          const onlyRefs = schema.$ref !== undefined || (union?.every((m) => m.$ref !== undefined) && !isObjectSchema(schema));
          if (!onlyRefs && !isMapped(specName, segments)) unmapped.push(`${specName} ${pointerText(segments)}`);
        }
      }
    }
  }
  assert.deepEqual(unmapped, [], 'object schemas with no TS type in MAPPING');
});
