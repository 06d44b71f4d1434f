import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { buildOpenApiDocument } from '../apps/api/src/configure-app';
import { apiKeyBody } from './fixtures/api-key.fixture';
import { createNeed, createOffer, propose } from './fixtures/capacity.fixture';
import { communicationCheckBody } from './fixtures/communication-check.fixture';
import { disclosureBody } from './fixtures/disclosure.fixture';
import { minimalRequestBody } from './fixtures/request.fixture';
import { webhookBody } from './fixtures/webhook.fixture';
import { createCert, createContact, DEFAULT_PASSWORD, participate, signedInUser } from './support/factories';
import { generatePluginMetadata, listOperations, Operation } from './support/fuzz/openapi-document';
import { caseArbitrary, EtagRef, FuzzCase, GeneratorContext, nullSweep, poolOf } from './support/fuzz/request-generator';
import { ResponseValidator, SchemaViolation, VIOLATION_KINDS } from './support/fuzz/response-validator';
import { listRoutes } from './support/routes';
import { createTestApp } from './support/test-app';
import { TEST_DATABASE_PREFIX_VARIABLE, TEST_SERVER_URL_VARIABLE, templateDatabaseName, withDatabase } from './support/test-database';

/**
 * Schema-driven fuzzing (issue 9): every operation of the OpenAPI document, called by real callers
 * of several roles and States, anonymous ones and forged ones, with valid bodies (openapi-sampler and
 * schema-driven fast-check arbitraries), boundary values and hostile input in path, query, headers
 * and body. No answer may be a 5xx, and every answer must match what the document says for its
 * status (problem+json ones against ProblemDetails), checked with ajv.
 *
 * FUZZ_RUNS (requests, 10,000 by default) and FUZZ_SEED (fixed by default; `random` for a new one)
 * size and steer the run: `npm run fuzz` makes a bigger one with a random seed, printed to replay it.
 * FUZZ_VERBOSE=1 prints the statuses per route, FUZZ_LOG_LEVEL=error the app's log (the stack of a
 * 500), FUZZ_DUMP_DOCUMENT=file the OpenAPI document the run checked against.
 * The run has a database of its own, cloned from the migrated template, so what it writes cannot
 * disturb other spec files.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20_261_126);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);

/** States that no other spec uses; MLT stays out of the registry (requests to it are refused). */
const PARTICIPATING = ['PRT', 'GRC', 'IRL'];
const STATE_CODES = [...PARTICIPATING, 'MLT'];

interface Caller {
  role: Role | 'apiKey';
  stateCode: string | null;
  headers: Record<string, string>;
  userId?: string;
  email?: string;
}

interface FailureGroup {
  routes: Set<string>;
  violation: SchemaViolation;
  count: number;
  sample: string;
}

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text);

/** Writes that can take a caller's session, role or State away: the world is put back after each batch. */
const DISRUPTIVE = /\/(auth\/(logout|password|mfa)|states\/|users|api-keys)/;

describe('Schema-driven fuzzing from the OpenAPI document', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let databaseName: string;
  let baseUrl: string;
  const callers = new Map<string, Caller>();
  const pools = new Map<string, string[]>();
  const etags = new Map<string, string>();
  /** Who created (or first was shown) each record: the `owner` caller of a case. */
  const owners = new Map<string, string>();

  const adminClient = async () => {
    const client = new Client({ connectionString: process.env[TEST_SERVER_URL_VARIABLE] });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    const metadata = generatePluginMetadata();
    metadata.catch(() => undefined);
    try {
      await setUp();
      await (await metadata).apply();
    } finally {
      // The child is awaited, never left running, and its temporary folder goes whatever happened.
      await metadata.then((loaded) => loaded.dispose(), () => undefined);
    }
  }, 120_000);

  async function setUp(): Promise<void> {
    const prefix = process.env[TEST_DATABASE_PREFIX_VARIABLE]!;
    databaseName = `${prefix}_fuzz_w${process.env.JEST_WORKER_ID ?? '1'}`;
    const admin = await adminClient();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(databaseName)} TEMPLATE ${admin.escapeIdentifier(templateDatabaseName(prefix))}`);
    } finally {
      await admin.end();
    }
    ({ app } = await createTestApp({
      DATABASE_URL: withDatabase(process.env[TEST_SERVER_URL_VARIABLE]!, databaseName),
      // FUZZ_LOG_LEVEL=error shows the stack of each 500 while replaying a seed.
      ...(process.env.FUZZ_LOG_LEVEL ? { LOG_LEVEL: process.env.FUZZ_LOG_LEVEL } : {}),
    }));
    await app.listen(0, '127.0.0.1');
    // The client keeps connections alive; a server closing one idle for its 5-second default at the
    // instant the client reuses it resets the request (ECONNRESET) before the app sees it, which a
    // loaded machine hits now and then. Idle connections stay open for the run instead.
    (app.getHttpServer() as import('node:http').Server).keepAliveTimeout = 10 * 60_000;
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    prisma = app.get(PrismaService);
    await participate(app, ...PARTICIPATING);
    for (const [name, role, stateCode] of [
      ['secretariat', Role.PLATFORM_ADMIN, null],
      ['prt-admin', Role.STATE_ADMIN, 'PRT'],
      ['prt-officer', Role.STATE_OFFICER, 'PRT'],
      ['prt-viewer', Role.STATE_VIEWER, 'PRT'],
      ['grc-officer', Role.STATE_OFFICER, 'GRC'],
      ['irl-admin', Role.STATE_ADMIN, 'IRL'],
    ] as const) {
      await addUserCaller(name, role, stateCode);
    }
    await addApiKeyCaller();
    await seedRecords();
  }

  afterAll(async () => {
    keepAlive.destroy();
    await app?.close();
    if (!databaseName) return;
    const admin = await adminClient();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName)} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  /** Kept-alive connections (superagent opens one per request otherwise): the run measures the app, not TCP set-up. */
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 32 });
  const http = () => {
    const client = request(baseUrl);
    const withAgent = <T extends { agent(agent: Agent): unknown }>(test: T): T => (test.agent(keepAlive), test);
    return {
      get: (url: string) => withAgent(client.get(url)),
      post: (url: string) => withAgent(client.post(url)),
      put: (url: string) => withAgent(client.put(url)),
      patch: (url: string) => withAgent(client.patch(url)),
      delete: (url: string) => withAgent(client.delete(url)),
    };
  };

  /** Like supertest's expect(status), but says why when the setup itself is refused. */
  const expectStatus = async <T extends { status: number; text: string }>(call: PromiseLike<T>, status: number): Promise<T> => {
    const response = await call;
    if (response.status !== status) throw new Error(`Fuzzing setup: expected ${status}, got ${response.status} ${response.text}`);
    return response;
  };

  async function addUserCaller(name: string, role: Role, stateCode: string | null): Promise<void> {
    const user = await signedInUser(app, role, stateCode);
    callers.set(name, { role, stateCode, headers: user.auth, userId: user.id, email: user.email });
  }

  async function addApiKeyCaller(): Promise<void> {
    const created = await expectStatus(
      http()
        .post('/api/v1/api-keys')
        .set(callers.get('prt-admin')!.headers)
        .send(
          apiKeyBody({
            name: 'Fuzzing',
            permissions: ['directory:read', 'directory:write', 'disclosure:read', 'disclosure:write', 'request:read', 'request:write', 'request:respond', 'capacity:read', 'capacity:write'],
          }),
        ),
      201,
    );
    callers.set('prt-api-key', { role: 'apiKey', stateCode: 'PRT', headers: { 'X-API-Key': created.body.key } });
  }

  /** A few records of each kind, so that ids in paths sometimes name a real one. */
  async function seedRecords(): Promise<void> {
    const as = (name: string) => callers.get(name)!.headers;
    const cert = await createCert(app, 'PRT');
    remember('certs', cert.id, '"1"', 'prt-officer');
    remember('contacts', (await createContact(app, 'PRT')).id, '"1"', 'prt-officer');
    remember('contacts', (await createContact(app, 'GRC')).id, '"1"', 'grc-officer');
    remember('contacts', (await createContact(app, 'PRT', { kind: 'DIPLOMATIC' })).id, '"1"', 'prt-admin');
    const filing = (recipients: string[]) =>
      minimalRequestBody({
        urgency: 'PRIORITY',
        recipients,
        title: 'Ransomware affecting hospital networks',
        description: 'Encrypted systems in three regional hospitals; indicators attached.',
        indicators: [{ type: 'IPV4', value: '198.51.100.7' }],
      });
    for (const [caller, recipients] of [
      ['prt-officer', ['GRC', 'IRL']],
      ['grc-officer', ['IRL']],
      ['irl-admin', ['PRT']],
    ] as const) {
      const filed = await expectStatus(http().post('/api/v1/requests').set(as(caller)).set('Idempotency-Key', randomUUID()).send(filing([...recipients])), 201);
      remember('requests', filed.body.id, undefined, caller);
    }
    const draft = { kind: 'PROTECTION_EFFORT', title: 'National CSIRT network', summary: 'How sector CSIRTs coordinate.', body: 'Details.', sectors: ['HEALTH'], tlp: 'CLEAR' };
    for (const extra of [{ audience: 'PUBLIC' }, { audience: 'SELECTED_STATES', selectedStates: ['GRC'], tlp: 'AMBER' }]) {
      const created = await expectStatus(http().post('/api/v1/disclosures').set(as('prt-officer')).send(disclosureBody({ ...draft, ...extra })), 201);
      const published = await expectStatus(http().post(`/api/v1/disclosures/${created.body.id}/publish`).set(as('prt-officer')).set('If-Match', '"1"'), 200);
      remember('disclosures', created.body.id, published.headers.etag, 'prt-officer');
    }
    for (const [caller, overrides] of [
      ['prt-officer', {}],
      ['grc-officer', { audience: 'SELECTED_STATES', tlp: 'AMBER', selectedStates: ['PRT'] }],
    ] as const) {
      const need = await createNeed(app, as(caller), overrides);
      remember('needs', need.id, '"2"', caller);
      const offer = await createOffer(app, as(caller === 'prt-officer' ? 'grc-officer' : 'prt-officer'), overrides.audience ? { ...overrides, selectedStates: ['GRC'] } : {});
      remember('offers', offer.id, '"2"', caller === 'prt-officer' ? 'grc-officer' : 'prt-officer');
      // A proposal from the other State, and (for PRT's need) the engagement its acceptance starts.
      const provider = caller === 'prt-officer' ? 'grc-officer' : 'prt-officer';
      const proposal = await propose(app, as(provider), need.id);
      remember('proposals', proposal.id, undefined, provider);
      if (caller === 'prt-officer') {
        const accepted = await expectStatus(http().post(`/api/v1/capacity/proposals/${proposal.id}/accept`).set(as(caller)), 200);
        remember('engagements', accepted.body.engagementId, undefined, caller);
      }
    }
    const webhook = await expectStatus(http().post('/api/v1/webhooks').set(as('prt-admin')).send(webhookBody({ url: 'https://soc.prt.example/hook' })), 201);
    remember('webhooks', webhook.body.webhook.id, undefined, 'prt-admin');
    const check = await expectStatus(http().post('/api/v1/communication-checks').set(as('secretariat')).send(communicationCheckBody({ stateCodes: ['PRT', 'GRC'] })), 201);
    remember('communication-checks', check.body.id, undefined, 'secretariat');
    const victim = await prisma.user.create({ data: { email: `victim.${randomUUID().slice(0, 8)}@prt.example`, displayName: 'Victim', role: Role.STATE_VIEWER, stateCode: 'PRT' } });
    remember('users', victim.id, undefined, 'prt-admin');
    const notification = await prisma.notification.findFirst({ where: { stateCode: { in: STATE_CODES } } });
    if (notification) remember('notifications', notification.id, undefined, 'prt-admin');
  }

  function remember(pool: string, id: unknown, etag?: string, owner?: string): void {
    if (typeof id !== 'string') return;
    const ids = pools.get(pool) ?? [];
    if (!ids.includes(id) && ids.length < 500) ids.push(id);
    pools.set(pool, ids);
    if (etag) etags.set(id, etag);
    if (owner && callers.has(owner) && !owners.has(id)) owners.set(id, owner);
  }

  /** Ids and ETags of what an answer shows, for later path parameters and If-Match headers. */
  function harvest(operation: Operation, body: unknown, etag: string | undefined, caller: string): void {
    if (typeof body !== 'object' || body === null) return;
    const pool = poolOf(operation.path);
    const record = body as Record<string, unknown>;
    // Express tags every answer with a weak hash; only the resources' own ETags ("3") are versions.
    const version = typeof record.version === 'number' ? `"${record.version}"` : undefined;
    remember(pool, record.id, etag && !etag.startsWith('W/') ? etag : version, caller);
    if (Array.isArray(record.items)) for (const item of record.items) remember(pool, (item as { id?: unknown })?.id, undefined, caller);
    for (const value of Object.values(record)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) remember(pool, (value as { id?: unknown }).id, undefined, caller);
    }
  }

  /** Puts back what disruptive writes may have changed: participation, policies, roles, sessions. */
  async function restoreWorld(): Promise<void> {
    await prisma.state.updateMany({ where: { code: { in: PARTICIPATING } }, data: { participating: true, mfaRequired: false } });
    await prisma.state.updateMany({ where: { code: { in: STATE_CODES.filter((code) => !PARTICIPATING.includes(code)) } }, data: { participating: false } });
    for (const [name, caller] of callers) {
      if (caller.userId) await prisma.user.update({ where: { id: caller.userId }, data: { role: caller.role as Role, disabledAt: null } });
      const me = await http().get('/api/v1/auth/me').set(caller.headers);
      if (me.status === 200) continue;
      if (caller.role === 'apiKey') await addApiKeyCaller();
      else await addUserCaller(name, caller.role, caller.stateCode);
    }
  }

  it(
    `answers ${RUNS} fuzzed requests with no 5xx and only documented responses`,
    async () => {
      const document = buildOpenApiDocument(app);
      if (process.env.FUZZ_DUMP_DOCUMENT) writeFileSync(process.env.FUZZ_DUMP_DOCUMENT, JSON.stringify(document, null, 2));
      const operations = listOperations(document);
      const validator = new ResponseValidator(document);
      const credentials = [...callers.values()].filter((caller) => caller.email && caller.role !== Role.PLATFORM_ADMIN).map((caller) => ({ email: caller.email!, password: DEFAULT_PASSWORD }));
      const context: GeneratorContext = { document, actors: [...callers.keys()], stateCodes: STATE_CODES, credentials };

      // Creations first (they fill the pools), then reads and edits, then what disturbs the callers.
      const rank = (operation: Operation) =>
        DISRUPTIVE.test(operation.path) && operation.method !== 'GET' ? 2 : operation.method === 'POST' && !operation.path.includes('{') && !operation.path.includes('/auth/') ? 0 : 1;
      const ordered = [...operations].sort((a, b) => rank(a) - rank(b));
      const perBatch = Math.ceil(RUNS / (ordered.length * ROUNDS));

      const failures = new Map<string, FailureGroup>();
      const statuses = new Map<string, Map<number, number>>();
      let sent = 0;
      const started = Date.now();
      /** Milliseconds per operation: generating cases, sending them, restoring the world. */
      const timings = new Map<string, [number, number, number]>();

      const sendCase = async (operation: Operation, fuzz: FuzzCase): Promise<void> => {
        let pathId: string | undefined;
        const path = fuzz.path
          .map((part) => {
            if (typeof part === 'string') return part;
            const ids = pools.get(part.pool) ?? [];
            pathId = ids.length ? ids[part.index % ids.length] : `00000000-0000-4000-8000-${(part.index % 2 ** 48).toString(16).padStart(12, '0')}`;
            return pathId;
          })
          .join('');
        const url = fuzz.query ? `${path}?${fuzz.query}` : path;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(fuzz.headers)) headers[name] = typeof value === 'string' ? value : etagHeader(value, pathId);
        const actor = fuzz.actor === 'owner' ? ((pathId && owners.get(pathId)) ?? context.actors[0]) : fuzz.actor;
        Object.assign(headers, actor === 'forged' ? fuzz.forgedAuth : actor === 'anonymous' ? {} : callers.get(actor)!.headers);

        let call = http()[operation.method.toLowerCase() as 'get'](url).timeout({ response: 30_000, deadline: 60_000 });
        for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
        if (fuzz.body) {
          call = call.set('Content-Type', fuzz.body.contentType ?? 'application/json').send(fuzz.body.raw as string);
        }
        const described = () => {
          const shown = Object.fromEntries(Object.entries(headers).filter(([name]) => fuzz.actor === 'forged' || !/^(authorization|x-api-key)$/i.test(name)));
          const body = fuzz.body ? ` body[${fuzz.body.label}]=${clip(String(fuzz.body.raw), 300)}` : '';
          return `${fuzz.actor === 'owner' ? `owner (${actor})` : actor} ${operation.method} ${clip(url, 300)} headers=${clip(JSON.stringify(shown), 300)}${body}`;
        };

        let violation: SchemaViolation | undefined;
        try {
          const response = await call;
          sent++;
          const byStatus = statuses.get(`${operation.method} ${operation.path}`) ?? new Map<number, number>();
          byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
          statuses.set(`${operation.method} ${operation.path}`, byStatus);
          violation = validator.check(operation, { status: response.status, contentType: response.headers['content-type'], body: response.body, text: response.text ?? '' });
          // One 500 per route hides another: tell them apart by what the body was.
          if (violation?.kind === 'server-error' && fuzz.body) violation.signature += ` [body: ${fuzz.body.label}]`;
          if (response.status < 300) harvest(operation, response.body, response.headers.etag, actor);
        } catch (error) {
          sent++;
          violation = { kind: 'server-error', signature: `no answer: ${(error as Error).message}`, detail: String((error as Error).stack).slice(0, 300) };
        }
        if (violation) {
          // A status no route documents is one defect of the document, wherever it shows: grouped across routes.
          const route = `${operation.method} ${operation.path}`;
          const key = violation.kind === 'undocumented-status' ? `${violation.kind} | ${violation.signature}` : `${route} | ${violation.kind} | ${violation.signature}`;
          const group = failures.get(key);
          if (group) {
            group.count++;
            group.routes.add(route);
          } else {
            failures.set(key, { routes: new Set([route]), violation, count: 1, sample: described() });
          }
        }
      };

      const etagHeader = (ref: EtagRef, id: string | undefined): string => {
        const current = (id && etags.get(id)) || '"1"';
        if (ref.variant === 'weak') return `W/${current}`;
        if (ref.variant === 'stale') return `"${Math.max(0, Number(current.replace(/\D/g, '') || 1) - 1)}"`;
        return current;
      };

      for (const [index, operation] of ordered.entries()) {
        for (const fuzz of nullSweep(operation, context, SEED + index)) await sendCase(operation, fuzz);
        if (DISRUPTIVE.test(operation.path) && operation.method !== 'GET') await restoreWorld();
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, operation] of ordered.entries()) {
          const batchStarted = Date.now();
          const cases = fc.sample(caseArbitrary(operation, context), { seed: SEED + round * 100_003 + index * 7_919, numRuns: perBatch });
          const generated = Date.now();
          let next = 0;
          await Promise.all(
            Array.from({ length: CONCURRENCY }, async () => {
              while (next < cases.length) await sendCase(operation, cases[next++]);
            }),
          );
          const answered = Date.now();
          if (DISRUPTIVE.test(operation.path) && operation.method !== 'GET') await restoreWorld();
          const key = `${operation.method} ${operation.path}`;
          const spent = timings.get(key) ?? [0, 0, 0];
          timings.set(key, [spent[0] + generated - batchStarted, spent[1] + answered - generated, spent[2] + Date.now() - answered]);
        }
      }

      const seconds = (Date.now() - started) / 1000;
      const untested = operations.filter((operation) => !statuses.has(`${operation.method} ${operation.path}`));
      const successes = [...statuses.entries()].filter(([, byStatus]) => [...byStatus.keys()].some((status) => status < 300)).length;
      // Written to stderr like the matrix's count: console.warn would print a stack frame with it.
      process.stderr.write(
        `Fuzzing: ${sent} requests over ${operations.length} operations in ${seconds.toFixed(1)} s (seed ${SEED}); ` +
          `${successes} operations answered 2xx at least once; ${failures.size} distinct failures.\n`,
      );
      if (process.env.FUZZ_VERBOSE) {
        const lines = [...statuses.entries()].map(([operation, byStatus]) => {
          const [generating, sending, restoring] = timings.get(operation) ?? [0, 0, 0];
          const counts = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
          return `${operation}: ${counts} | ms generate ${generating} send ${sending} restore ${restoring}`;
        });
        console.warn(lines.join('\n'));
      }

      // Every route the app registered is in the document (probes and metrics are left out on purpose).
      const documented = new Set(operations.map((operation) => `${operation.method} ${operation.path}`));
      const undocumentedRoutes = listRoutes(app)
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`)
        .filter((route) => !documented.has(route) && !/ \/(health|metrics)\b/.test(route));
      expect(undocumentedRoutes).toEqual([]);
      expect(untested).toEqual([]);
      expect(sent).toBeGreaterThanOrEqual(RUNS);
      if (failures.size > 0) {
        const where = (group: FailureGroup) => {
          const routes = [...group.routes].sort();
          return routes.length === 1 ? routes[0] : `${routes.length} routes (${routes.slice(0, 6).join(', ')}${routes.length > 6 ? ', …' : ''})`;
        };
        const groups = [...failures.values()].sort((a, b) => VIOLATION_KINDS.indexOf(a.violation.kind) - VIOLATION_KINDS.indexOf(b.violation.kind) || where(a).localeCompare(where(b)) || b.count - a.count);
        const report = groups
          .map((group) => `• [${group.violation.kind}] ${where(group)} → ${group.violation.signature} (×${group.count})\n    input: ${group.sample}\n    got: ${group.violation.detail}`)
          .join('\n');
        throw new Error(`${failures.size} distinct failures in ${sent} fuzzed requests (seed ${SEED}; replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}):\n${report}`);
      }
    },
    Math.max(300_000, RUNS * 30),
  );
});
