import fc from 'fast-check';
import { sample as sampleSchema } from 'openapi-sampler';
import { DEFAULT_PASSWORD } from '../factories';
import { deepNesting, encodeComponent, headerGarbage, hostileNumber, hostileString, hostileValue, hugeString, malformedJson, rawUrlGarbage } from './hostile-values';
import { OpenApiDocument, Operation, Parameter, resolveSchema, SchemaObject } from './openapi-document';

/**
 * A request before it is sent. Ids of existing records are chosen at send time (`PoolRef`): the
 * records are created while the run goes on, so the case holds which one, not its value.
 */
export interface FuzzCase {
  actor: string;
  /** The credential headers sent by the `forged` caller. */
  forgedAuth: Record<string, string>;
  path: Array<string | PoolRef>;
  query: string;
  headers: Record<string, string | EtagRef>;
  body?: { raw: string | Buffer; contentType?: string; label: string };
}

export interface PoolRef {
  pool: string;
  index: number;
}
export interface EtagRef {
  etagOf: 'path-id';
  variant: 'current' | 'stale' | 'weak';
}

export interface GeneratorContext {
  document: OpenApiDocument;
  /** Names of the callers the spec has set up (besides `anonymous` and `forged`). */
  actors: string[];
  /** The States this run made participate; bodies and filters name these, not others. */
  stateCodes: string[];
  /** Real sign-in credentials, so that /auth/login sometimes succeeds. */
  credentials: Array<{ email: string; password: string }>;
}

/** Encoded characters per path or query value: keeps URLs under Node's 16 KiB header limit (else 431 before the app). */
const MAX_URL_VALUE = 1_500;

/** Percent-encodes and shortens to MAX_URL_VALUE without cutting an escape in two. */
function urlValue(value: string): string {
  const encoded = encodeComponent(value);
  return encoded.length <= MAX_URL_VALUE ? encoded : encoded.slice(0, MAX_URL_VALUE).replace(/%[0-9A-Fa-f]?$/, '');
}

/** A path segment that URL parsers would drop or resolve ('', '.', '..') would change the route, not test it. */
function pathSegment(encoded: string): string {
  return /^(\.|%2e){0,2}$/i.test(encoded) ? `${encoded}x` : encoded;
}

/** The pool of existing records a path's `{id}` is drawn from: the resource's name. */
export function poolOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const beforeParam = segments.slice(0, segments.findIndex((segment) => segment.startsWith('{')));
  return (beforeParam.length ? beforeParam : segments).filter((segment) => segment !== 'public').slice(-1)[0];
}

export function caseArbitrary(operation: Operation, context: GeneratorContext): fc.Arbitrary<FuzzCase> {
  // `owner`: whoever created (or first saw) the record the path names, so that writes get past 403.
  const actors: Array<fc.WeightedArbitrary<string>> = [
    { arbitrary: fc.constantFrom(...context.actors), weight: 8 },
    { arbitrary: fc.constant('anonymous'), weight: 1 },
    { arbitrary: fc.constant('forged'), weight: 1 },
  ];
  if (operation.path.includes('{id}')) actors.push({ arbitrary: fc.constant('owner'), weight: 6 });
  const actor = fc.oneof(...actors);
  return fc.record({
    actor,
    forgedAuth: forgedCredentials,
    path: pathArbitrary(operation, context),
    query: queryArbitrary(operation, context),
    headers: headersArbitrary(operation),
    body: bodyArbitrary(operation, context),
  });
}

// ---------------------------------------------------------------------------------------------
// Credentials that are not

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const forgedJwt = fc
  .tuple(fc.constantFrom('none', 'HS256', 'RS256', 'ES256', 'None', ''), fc.uuid(), fc.uuid(), fc.constantFrom('', 'c2lnbmF0dXJl', 'x'.repeat(342)), fc.integer({ min: -1, max: 2 ** 33 }))
  .map(([alg, sub, sid, signature, exp]) => `${base64url({ alg, typ: 'JWT' })}.${base64url({ sub, sid, exp, role: 'PLATFORM_ADMIN', permissions: ['*'] })}.${signature}`);
const forgedCredentials: fc.Arbitrary<Record<string, string>> = fc.oneof(
  forgedJwt.map((token) => ({ Authorization: `Bearer ${token}` })),
  fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic YWRtaW46YWRtaW4=', 'Bearer a.b.c', 'Bearer ..', 'Token abc', 'Bearer cbm_' + 'a'.repeat(40)).map((value) => ({ Authorization: value })),
  headerGarbage.map((value) => ({ Authorization: `Bearer ${value}` })),
  headerGarbage.map((value) => ({ 'X-API-Key': value })),
  fc.tuple(forgedJwt, headerGarbage).map(([token, key]) => ({ Authorization: `Bearer ${token}`, 'X-API-Key': key })),
);

// ---------------------------------------------------------------------------------------------
// Path

function pathArbitrary(operation: Operation, context: GeneratorContext): fc.Arbitrary<Array<string | PoolRef>> {
  const parts = operation.path.split(/(\{[^}]+\})/).filter(Boolean);
  return fc.tuple(
    ...parts.map((part): fc.Arbitrary<string | PoolRef> => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (!name) return fc.constant(part);
      const parameter = operation.parameters.find((one) => one.in === 'path' && one.name === name);
      return pathParameterArbitrary(name, parameter, operation, context);
    }),
  );
}

function pathParameterArbitrary(name: string, parameter: Parameter | undefined, operation: Operation, context: GeneratorContext): fc.Arbitrary<string | PoolRef> {
  const garbage = fc.oneof(
    hostileString.map((value) => pathSegment(urlValue(value))),
    rawUrlGarbage.map(pathSegment),
    fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{3fa85f64-5717-4562-b3fc-2c963f66afa6}', '3FA85F64-5717-4562-B3FC-2C963F66AFA6', '3fa85f64571745%2062b3fc2c963f66afa6', 'x'.repeat(MAX_URL_VALUE), '1', '-1', '0'),
  );
  if (name === 'code') {
    return fc.oneof(
      { arbitrary: fc.constantFrom(...context.stateCodes, ...context.stateCodes.map((code) => code.toLowerCase()), 'ATA', 'ZZZ', 'XKX', 'PS', 'PSEE'), weight: 5 },
      { arbitrary: garbage, weight: 3 },
    );
  }
  const isUuid = resolveSchema(context.document, parameter?.schema)?.format === 'uuid';
  return fc.oneof(
    { arbitrary: fc.nat().map((index): PoolRef => ({ pool: poolOf(operation.path), index })), weight: 5 },
    { arbitrary: isUuid ? fc.uuid() : fc.base64String({ minLength: 20, maxLength: 64 }).map(urlValue), weight: 2 },
    { arbitrary: garbage, weight: 3 },
  );
}

// ---------------------------------------------------------------------------------------------
// Query

function queryArbitrary(operation: Operation, context: GeneratorContext): fc.Arbitrary<string> {
  const documented = operation.parameters.filter((parameter) => parameter.in === 'query');
  const pair = (name: string, value: string) => `${encodeComponent(name)}=${urlValue(value)}`;
  const validPairs = documented.map((parameter) => {
    const value = validValue(resolveSchema(context.document, parameter.schema) ?? {}, parameter.name, context).map((one) => pair(parameter.name, String(one)));
    return parameter.required ? fc.oneof({ arbitrary: value, weight: 9 }, { arbitrary: fc.constant(undefined), weight: 1 }) : fc.option(value, { nil: undefined, freq: 2 });
  });
  /** One parameter broken in one of many ways; the others stay valid. */
  const broken = (parameter: Parameter): fc.Arbitrary<string> => {
    const schema = resolveSchema(context.document, parameter.schema) ?? {};
    const value = fc.oneof(boundaryValue(schema).map(String), hostileString);
    const name = encodeComponent(parameter.name);
    return fc.oneof(
      { arbitrary: value.map((one) => pair(parameter.name, one)), weight: 6 },
      { arbitrary: fc.array(fc.oneof(value, validValue(schema, parameter.name, context).map(String)), { minLength: 2, maxLength: 3 }).map((values) => values.map((one) => pair(parameter.name, one)).join('&')), weight: 1 },
      { arbitrary: fc.tuple(fc.constantFrom('[]', '[0]', '[$ne]', '[x][y]', '.length'), value).map(([suffix, one]) => `${name}${suffix}=${urlValue(one.slice(0, 200))}`), weight: 1 },
      { arbitrary: rawUrlGarbage.map((raw) => `${name}=${raw}`), weight: 1 },
      { arbitrary: fc.constantFrom(name, `${name}=`), weight: 1 },
    );
  };
  const documentedPart: fc.Arbitrary<string[]> =
    documented.length === 0
      ? fc.constant([])
      : fc.oneof(
          { arbitrary: fc.tuple(...validPairs).map((pairs) => pairs.filter((one): one is string => one !== undefined)), weight: 3 },
          {
            arbitrary: fc.tuple(fc.tuple(...validPairs), fc.nat({ max: documented.length - 1 })).chain(([pairs, index]) =>
              broken(documented[index]).map((bad) => [...pairs.filter((one, at): one is string => one !== undefined && at !== index), bad]),
            ),
            weight: 2,
          },
        );
  // `limit` is every list's page size; unknown names must be refused or ignored, never crash.
  const extras = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 120 },
    { arbitrary: fc.oneof(fc.constantFrom('0', '1', '2', '200', '201', '-1', '1.5', '1e3', '99999999999999999999', 'abc', ''), hostileNumber.map(String)).map((value) => pair('limit', value)), weight: 40 },
    { arbitrary: fc.tuple(fc.constantFrom('unknown', 'id', 'orderBy', 'sort', '__proto__', 'constructor', 'where', 'include', 'select', 'page'), hostileString).map(([name, value]) => pair(name, value)), weight: 20 },
    { arbitrary: fc.constant(Array.from({ length: 1_100 }, (_, index) => `p${index}=1`).join('&')), weight: 1 },
  );
  return fc.tuple(documentedPart, extras).map(([pairs, extra]) => {
    const query = [...pairs, extra].filter(Boolean).join('&');
    return query.length > 12_000 ? (extra ?? '') : query;
  });
}

// ---------------------------------------------------------------------------------------------
// Headers

function headersArbitrary(operation: Operation): fc.Arbitrary<Record<string, string | EtagRef>> {
  const documented = new Map(operation.parameters.filter((parameter) => parameter.in === 'header').map((parameter) => [parameter.name.toLowerCase(), parameter]));
  const ifMatch = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: documented.get('if-match')?.required ? 1 : 3 },
    { arbitrary: fc.constant<EtagRef>({ etagOf: 'path-id', variant: 'current' }), weight: 5 },
    { arbitrary: fc.constantFrom<EtagRef>({ etagOf: 'path-id', variant: 'stale' }, { etagOf: 'path-id', variant: 'weak' }), weight: 1 },
    {
      arbitrary: fc.oneof(
        fc.constantFrom('"1"', '"0"', '"-1"', '*', 'W/"1"', '"1", "2"', '1', '""', '"99999999999999999999999"', '"1.5"', '"1e3"', '"0x10"', '" 1"', `"${'9'.repeat(400)}"`),
        headerGarbage,
      ),
      weight: 2,
    },
  );
  const idempotencyKey = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: documented.get('idempotency-key')?.required ? 1 : 6 },
    { arbitrary: fc.uuid(), weight: 5 },
    { arbitrary: fc.constantFrom('fuzz-fixed-key-1', 'fuzz-fixed-key-2'), weight: 1 },
    { arbitrary: fc.oneof(fc.constantFrom('x', '1234567', 'a'.repeat(200), 'a'.repeat(201), ' '.repeat(10), '        x'), headerGarbage), weight: 2 },
  );
  const accept = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: fc.constantFrom('application/xml', 'text/html', 'text/csv', '*/*', 'application/problem+json', 'image/png', 'application/json;q=0', ''), weight: 2 },
  );
  const noise = fc.oneof(
    { arbitrary: fc.constant({}), weight: 8 },
    {
      arbitrary: fc.tuple(fc.constantFrom('X-Request-Id', 'X-Forwarded-For', 'X-Forwarded-Proto', 'X-HTTP-Method-Override', 'Origin', 'User-Agent', 'Accept-Language', 'Cookie', 'Range'), headerGarbage).map(([name, value]) => ({ [name]: value })),
      weight: 2,
    },
  );
  return fc.record({ ifMatch, idempotencyKey, accept, noise }).map(({ ifMatch: match, idempotencyKey: key, accept: type, noise: extra }) => {
    const headers: Record<string, string | EtagRef> = { ...extra };
    if (match !== undefined) headers['If-Match'] = match;
    if (key !== undefined) headers['Idempotency-Key'] = key;
    if (type !== undefined) headers.Accept = type;
    return headers;
  });
}

// ---------------------------------------------------------------------------------------------
// Bodies

function bodyArbitrary(operation: Operation, context: GeneratorContext): fc.Arbitrary<FuzzCase['body']> {
  const json = (value: unknown, label: string) => ({ raw: JSON.stringify(value), label });
  const hostileBodies = fc.oneof(
    { arbitrary: hostileValue.map((value) => json(value, 'hostile value')), weight: 30 },
    { arbitrary: deepNesting.map((raw) => ({ raw, label: 'deep nesting' })), weight: 10 },
    { arbitrary: malformedJson.map((raw) => ({ raw, label: 'malformed JSON' })), weight: 20 },
    { arbitrary: fc.constantFrom(1_048_577, 1_100_000).map((size) => ({ raw: `{"x":"${'x'.repeat(size)}"}`, label: `${size}-byte body` })), weight: 1 },
    { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ raw: Buffer.concat([Buffer.from('{"x":"'), Buffer.from(bytes), Buffer.from('"}')]), label: 'invalid UTF-8' })), weight: 10 },
  );
  const wrongContentType = fc
    .tuple(
      fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', 'application/json; charset=koi8-r', 'application/json; charset=latin1', 'application/merge-patch+json', 'application/vnd.api+json', 'application/jsonx', 'garbage', ''),
      fc.constantFrom('{}', 'a=1&b=2', '<a/>', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'),
    )
    .map(([contentType, raw]) => ({ raw, contentType, label: `Content-Type ${JSON.stringify(contentType)}` }));

  if (!operation.requestBodySchema) {
    return fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 12 },
      { arbitrary: fc.constant({ raw: '{}', label: 'empty object' }), weight: 1 },
      { arbitrary: hostileBodies, weight: 1 },
      { arbitrary: wrongContentType, weight: 1 },
    );
  }
  const schema = resolveSchema(context.document, operation.requestBodySchema)!;
  const valid = validObject(schema, context);
  const sampled = sampledObject(operation.requestBodySchema, schema, context);
  const bodies: Array<fc.WeightedArbitrary<FuzzCase['body']>> = [];
  if (operation.path.endsWith('/auth/login') && context.credentials.length > 0) {
    bodies.push({ arbitrary: fc.constantFrom(...context.credentials).map((credentials) => json(credentials, 'real credentials')), weight: 3 });
  }
  return fc.oneof(
    ...bodies,
    { arbitrary: valid.map((value) => json(value, 'valid')), weight: 8 },
    { arbitrary: sampled.map((value) => json(value, 'openapi-sampler')), weight: 4 },
    { arbitrary: mutatedObject(schema, context, valid), weight: 16 },
    { arbitrary: hostileBodies, weight: 4 },
    { arbitrary: wrongContentType, weight: 2 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

/**
 * One request per body property, with that property `null` in an otherwise valid body: `null` passes
 * `@IsOptional()`, so it is where optional fields of non-nullable columns break. Deterministic, run
 * once per operation besides the random cases.
 */
export function nullSweep(operation: Operation, context: GeneratorContext, seed: number): FuzzCase[] {
  if (!operation.requestBodySchema) return [];
  const schema = resolveSchema(context.document, operation.requestBodySchema)!;
  const [valid] = fc.sample(validObject(schema, context), { seed, numRuns: 1 });
  const path = operation.path.split(/(\{[^}]+\})/).filter(Boolean).map((part) => (part === '{id}' ? { pool: poolOf(operation.path), index: 0 } : part === '{code}' ? context.stateCodes[0] : part));
  return Object.keys(schema.properties ?? {}).flatMap((name) =>
    (operation.path.includes('{id}') ? ['owner'] : context.actors.filter((actor) => /admin|officer|secretariat/.test(actor))).map((actor) => ({
      actor,
      forgedAuth: {},
      path,
      query: '',
      headers: { 'If-Match': { etagOf: 'path-id', variant: 'current' } as EtagRef, 'Idempotency-Key': `null-sweep-${name}-${actor}-${seed}` },
      body: { raw: JSON.stringify({ ...valid, [name]: null }), label: `null ${name}` },
    })),
  );
}

/** The document's own sample (examples and defaults), with fields the rules constrain made plausible. */
function sampledObject(reference: SchemaObject, schema: SchemaObject, context: GeneratorContext): fc.Arbitrary<Record<string, unknown>> {
  const base = sampleSchema(reference as never, { skipReadOnly: true, skipNonRequired: false }, context.document as never) as Record<string, unknown>;
  const plausible = Object.entries(schema.properties ?? {}).filter(([name, property]) => hintFor(name, context, resolveSchema(context.document, property)) !== undefined);
  return fc.tuple(...plausible.map(([name, property]) => validValue(resolveSchema(context.document, property) ?? {}, name, context))).map((values) => {
    const result = { ...base };
    plausible.forEach(([name], index) => {
      if (name in result) result[name] = values[index];
    });
    return result;
  });
}

function validObject(schema: SchemaObject, context: GeneratorContext, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {}).filter(([name]) => name !== 'pgpKey');
  const parts = entries.map(([name, property]) => {
    const value = validValue(resolveSchema(context.document, property) ?? {}, name, context, depth + 1);
    return required.has(name) ? value : fc.option(value, { nil: undefined, freq: 2 });
  });
  return fc.tuple(...parts).map((values) => {
    const result: Record<string, unknown> = {};
    entries.forEach(([name], index) => {
      if (values[index] !== undefined) result[name] = values[index];
    });
    return result;
  });
}

/** Breaks one thing in an otherwise valid body. */
function mutatedObject(schema: SchemaObject, context: GeneratorContext, valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<FuzzCase['body']> {
  const names = Object.keys(schema.properties ?? {});
  const required = schema.required ?? [];
  const json = (value: unknown, label: string) => ({ raw: JSON.stringify(value), label });
  const mutations: Array<fc.WeightedArbitrary<FuzzCase['body']>> = [
    {
      arbitrary: fc.tuple(valid, fc.constantFrom('__unknown', 'id', 'stateCode', 'role', 'version', 'createdAt', 'createdById', 'status', 'permissions', 'isAdmin', 'constructor', '$where', '😀', ''), hostileValue).map(([body, name, value]) => json({ ...body, [name]: value }, `unknown field ${JSON.stringify(name)}`)),
      weight: 2,
    },
    { arbitrary: valid.map((body) => ({ raw: JSON.stringify(body).replace(/^\{/, '{"__proto__":{"isAdmin":true},'), label: '__proto__ field' })), weight: 1 },
  ];
  if (names.length > 0) {
    mutations.push(
      {
        arbitrary: fc.tuple(valid, fc.constantFrom(...names)).chain(([body, name]) =>
          boundaryValue(resolveSchema(context.document, schema.properties![name]) ?? {}).map((value) => json({ ...body, [name]: value }, `boundary ${name}`)),
        ),
        weight: 8,
      },
      { arbitrary: fc.tuple(valid, fc.constantFrom(...names), hostileValue).map(([body, name, value]) => json({ ...body, [name]: value }, `hostile ${name}`)), weight: 8 },
      {
        arbitrary: fc.tuple(valid, fc.constantFrom(...names), hostileString).map(([body, name, value]) => {
          const current = body[name];
          // Arrays keep their shape with a hostile element; everything else becomes the string.
          return json({ ...body, [name]: Array.isArray(current) ? [...current.slice(0, 1), value] : value }, `hostile text in ${name}`);
        }),
        weight: 6,
      },
      {
        arbitrary: fc.tuple(valid, fc.constantFrom(...names)).chain(([body, name]) => {
          const current = body[name];
          if (!Array.isArray(current) || current.length === 0 || typeof current[0] !== 'object' || current[0] === null) {
            return fc.constant(json({ ...body, [name]: [body] }, `nested object in ${name}`));
          }
          const itemKeys = Object.keys(current[0] as object);
          return fc.tuple(fc.constantFrom(...itemKeys, '__unknown'), hostileValue).map(([key, value]) => json({ ...body, [name]: [{ ...(current[0] as object), [key]: value }] }, `hostile ${name}[].${key}`));
        }),
        weight: 4,
      },
    );
  }
  if (required.length > 0) {
    mutations.push({
      arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([body, name]) => {
        const { [name]: _removed, ...rest } = body;
        return json(rest, `without ${name}`);
      }),
      weight: 2,
    });
  }
  return fc.oneof(...mutations);
}

// ---------------------------------------------------------------------------------------------
// Values from schemas (and from the field names, where the schema cannot say what the rules want)

const TIME_ZONES = ['UTC', 'Europe/Lisbon', 'Europe/Athens', 'Asia/Karachi', 'America/New_York', 'Pacific/Chatham', 'Asia/Kathmandu'];
const LANGUAGES = ['en', 'fr', 'pt', 'el', 'ar', 'zh', 'ru', 'es'];
const INDICATORS: Array<[string, string]> = [
  ['IPV4', '198.51.100.7'],
  ['IPV6', '2001:db8::1'],
  ['CIDR', '203.0.113.0/24'],
  ['DOMAIN', 'malicious.example'],
  ['URL', 'https://malicious.example/payload'],
  ['EMAIL', 'phish@malicious.example'],
  ['ASN', 'AS64500'],
  ['MD5', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['SHA1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['SHA256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
];

const text = (min = 1, max = 40) => fc.string({ unit: 'grapheme', minLength: Math.max(1, min), maxLength: Math.max(Math.max(1, min), Math.min(max, 40)) }).filter((value) => value.trim().length > 0);
const isoDate = (from: string, to: string) => fc.date({ min: new Date(from), max: new Date(to), noInvalidDate: true }).map((date) => date.toISOString());

/** Values the rules behind a field accept, where its schema alone does not say (time zones, codes). */
function hintFor(name: string, context: GeneratorContext, schema: SchemaObject = {}): fc.Arbitrary<unknown> | undefined {
  const codes = context.stateCodes;
  if (schema.format === 'date-time') return name === 'respondBy' ? isoDate('2030-01-01', '2031-01-01') : isoDate('2024-01-01', '2026-01-01');
  switch (name) {
    case 'timeZone':
      return fc.constantFrom(...TIME_ZONES);
    case 'language':
      return fc.constantFrom(...LANGUAGES);
    case 'languages':
      return fc.subarray(LANGUAGES, { minLength: 1, maxLength: 3 });
    case 'recipients':
    case 'selectedStates':
    case 'stateCodes':
      return fc.subarray(codes, { minLength: 1 });
    case 'stateCode':
    case 'state':
    case 'toState':
    case 'recipient':
      return fc.constantFrom(...codes);
    case 'email':
      return fc.uuid().map((id) => `fuzz.${id.slice(0, 8)}@${codes[0].toLowerCase()}.example`);
    case 'emails':
      return fc.uniqueArray(fc.uuid().map((id) => `fuzz.${id.slice(0, 8)}@${codes[0].toLowerCase()}.example`), { minLength: 1, maxLength: 3 });
    case 'from':
    case 'to':
      return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([hours, minutes]) => `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`);
    case 'number':
    case 'emergencyPhone':
      return fc.constantFrom('+351 21 123 4567', '+30 21 0123 4567', '+92 51 9201234', '+1 202 555 0143');
    case 'url':
      return fc.uuid().map((id) => `https://hooks.${codes[0].toLowerCase()}.example/cbm/${id}`);
    case 'website':
    case 'rfc2350Url':
      return fc.constantFrom('https://cert.prt.example/', 'https://cert.prt.example/rfc2350.txt');
    case 'references':
      return fc.array(fc.constantFrom('https://dre.pt/lei/46-2018', 'https://www.gov.gr/cyber'), { maxLength: 2 });
    case 'password':
    case 'newPassword':
      return fc.string({ unit: 'grapheme', minLength: 14, maxLength: 40 });
    case 'currentPassword':
      return fc.oneof(fc.constant(DEFAULT_PASSWORD), fc.string({ minLength: 1, maxLength: 30 }));
    case 'token':
    case 'refreshToken':
    case 'mfaToken':
      return fc.base64String({ minLength: 24, maxLength: 88 });
    case 'code':
      return fc.stringMatching(/^\d{6}$/);
    case 'dateAdopted':
      return isoDate('1990-01-01', '2026-01-01').map((value) => value.slice(0, 10));
    case 'indicators':
      return fc.array(fc.constantFrom(...INDICATORS).map(([type, value]) => ({ type, value })), { maxLength: 3 });
    case 'shortName':
      return fc.constantFrom('PTCERT', 'GR-CSIRT', 'CERT.IE');
    case 'cursor':
      if (schema.pattern || schema.format) return undefined;
      return fc.oneof(fc.base64String({ minLength: 4, maxLength: 40 }), fc.uuid(), fc.constantFrom('1', '18446744073709551615'));
  }
  return undefined;
}

export function validValue(schema: SchemaObject, name: string, context: GeneratorContext, depth = 0): fc.Arbitrary<unknown> {
  const hint = hintFor(name, context, schema);
  if (hint) return hint;
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return fc.integer({ min: Math.ceil(schema.minimum ?? 0), max: Math.floor(schema.maximum ?? 1_000) });
    case 'array': {
      const items = resolveSchema(context.document, schema.items) ?? {};
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3));
      const item = validValue(items, name.replace(/s$/, ''), context, depth + 1);
      return fc.uniqueArray(item, { minLength, maxLength, selector: (value) => JSON.stringify(value) });
    }
    case 'object':
      return depth > 4 ? fc.constant({}) : validObject(schema, context, depth);
  }
  if (schema.properties) return depth > 4 ? fc.constant({}) : validObject(schema, context, depth);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    case 'date-time':
      return isoDate('2020-01-01', '2030-01-01');
    case 'uri':
      return fc.webUrl({ validSchemes: ['https'] });
  }
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((value) => value.length <= (schema.maxLength ?? Infinity));
    } catch {
      // An unsupported pattern: plain text below.
    }
  }
  return text(schema.minLength, schema.maxLength);
}

/** At, just inside and just outside the documented bounds, and the wrong type for the field. */
export function boundaryValue(schema: SchemaObject): fc.Arbitrary<unknown> {
  const options: unknown[] = [null, '', [], {}];
  if (schema.type === 'string' || (!schema.type && !schema.properties && !schema.enum)) {
    for (const length of [schema.minLength, schema.maxLength]) {
      if (length === undefined) continue;
      for (const size of [length - 1, length, length + 1]) if (size >= 0) options.push('x'.repeat(size), '😀'.repeat(size));
    }
    options.push(7, true, ['x'], { x: 'y' });
  }
  if (schema.enum?.length) {
    const first = String(schema.enum[0]);
    options.push(first.toLowerCase(), ` ${first}`, `${first}\u0000`, `${first}x`, 0, [first]);
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const { minimum = 0, maximum = 1_000 } = schema;
    options.push(minimum - 1, minimum, maximum, maximum + 1, minimum + 0.5, String(minimum), '1e3', 'NaN', 'Infinity', -0, 2 ** 53, 1e308, -1e308, true);
  }
  if (schema.type === 'boolean') options.push('true', 'false', 0, 1, 'yes', 'on');
  if (schema.type === 'array') {
    const max = schema.maxItems ?? 50;
    options.push(
      Array.from({ length: max }, (_, index) => `item${index}`),
      Array.from({ length: max + 1 }, (_, index) => `item${index}`),
      Array.from({ length: 10_000 }, () => 'x'),
      ['x', 'x'],
      [null],
      [[[]]],
      'not-an-array',
    );
    if ((schema.minItems ?? 0) > 0) options.push([]);
  }
  if (schema.format === 'uuid') options.push('00000000-0000-0000-0000-000000000000', '3FA85F64-5717-4562-B3FC-2C963F66AFA6', 'not-a-uuid', '{3fa85f64-5717-4562-b3fc-2c963f66afa6}');
  if (schema.format === 'date-time') options.push('2026-02-30T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01', '1e10', 1e10);
  if (schema.format === 'email') options.push('a@b', '@example.org', 'a@example.org\u0000', `${'a'.repeat(250)}@example.org`, '"a b"@example.org', 'a@[127.0.0.1]');
  if (schema.format === 'uri') options.push('http://example.org', 'javascript:alert(1)', 'https://', `https://example.org/${'a'.repeat(3000)}`, 'https://127.0.0.1/', 'https://[::1]/');
  return fc.oneof({ arbitrary: fc.constantFrom(...options), weight: 8 }, { arbitrary: hugeString, weight: 1 });
}
