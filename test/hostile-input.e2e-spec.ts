import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Role } from '@cbm/database';
import { minimalRequestBody, postRequest } from './fixtures/request.fixture';
import { participate, signedInUser, SignedIn } from './support/factories';
import { listRoutes } from './support/routes';
import { createTestApp } from './support/test-app';

/**
 * Every route, every kind of caller, a battery of malformed and hostile inputs: nothing may answer
 * with a 5xx. (The schema-driven fuzzing of issue 9 goes further; this is the floor.)
 */
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  -1,
  1e308,
  '',
  ' ',
  "' OR 1=1 --",
  '"; DROP TABLE "user"; --',
  '<script>alert(1)</script>',
  '%',
  '_',
  '\\',
  '../../etc/passwd',
  'x'.repeat(10_000),
  '\u0000',
  '\u202e\u0301\u200b',
  '😀'.repeat(50),
  [],
  ['x'],
  {},
  { $ne: null },
  { nested: { deeper: { deepest: [1, { a: 'b' }] } } },
  '2026-13-45T99:99:99Z',
  '9999999999999999999999',
  'NaN',
];

const QUERY_KEYS = ['limit', 'cursor', 'q', 'state', 'region', 'kind', 'status', 'stale', 'language', 'updatedSince', 'overdue', 'direction', 'format', 'from', 'to', 'tlp', 'sector', 'certId', 'stateCode', 'participating', 'type', 'urgency', 'action'];
const BODY_KEYS = ['email', 'password', 'name', 'emails', 'phones', 'timeZone', 'languages', 'pgpKey', 'title', 'body', 'tlp', 'audience', 'selectedStates', 'recipients', 'indicators', 'action', 'note', 'role', 'stateCode', 'permissions', 'expiresInDays', 'participating', 'mfaRequired', 'refreshToken', 'mfaToken', 'code', 'token', 'kind', 'type', 'urgency', 'hours', 'sectors', 'respondBy'];

describe('Hostile input on every route', () => {
  let app: NestExpressApplication;
  const callers: Array<{ name: string; auth?: SignedIn['auth'] }> = [{ name: 'anonymous' }];

  beforeAll(async () => {
    ({ app } = await createTestApp());
    await participate(app, 'LUX');
    callers.push({ name: 'officer', auth: (await signedInUser(app, Role.STATE_OFFICER, 'LUX')).auth });
    callers.push({ name: 'secretariat', auth: (await signedInUser(app, Role.PLATFORM_ADMIN, null)).auth });
  }, 60_000);
  afterAll(() => app.close());

  /** Defects the schema-driven fuzzing (test/fuzz.e2e-spec.ts) found, each pinned by the input that showed it. */
  describe('found by fuzzing', () => {
    let admin: SignedIn;
    let secretariat: SignedIn;
    const http = () => request(app.getHttpServer());
    const contact = { kind: 'TECHNICAL', name: 'Duty desk', emails: ['desk@lux.example'], timeZone: 'Europe/Luxembourg', languages: ['fr'] };
    const request_ = minimalRequestBody({ recipients: ['BEL'], title: 'Fuzzed', description: 'Found by fuzzing.' });
    const cert = { name: 'GOVCERT.LU', type: 'NATIONAL', emails: ['info@govcert.lux.example'], timeZone: 'Europe/Luxembourg', languages: ['en'] };
    const fieldsAtFault = (body: { errors?: Array<{ field: string }> }) => [...new Set((body.errors ?? []).map((error) => error.field))];

    beforeAll(async () => {
      admin = await signedInUser(app, Role.STATE_ADMIN, 'LUX');
      secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    });

    it('refuses nesting deeper than any field needs with a 400, not a stack overflow', async () => {
      // Written as text: JSON.stringify itself overflows at this depth.
      const deep = `${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const objects = await http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(deep).expect(400);
      expect(objects.body.code).toBe('VALIDATION_FAILED');
      expect(objects.body.errors[0].message).toMatch(/more than 32 levels deep/);
      const arrays = `{"emails":${'['.repeat(2000)}${']'.repeat(2000)}}`;
      const nested = await http().post('/api/v1/contacts').set(admin.auth).set('Content-Type', 'application/json').send(arrays).expect(400);
      expect(fieldsAtFault(nested.body)[0]).toMatch(/^emails(\.0)+$/);
      // At the limit, the ordinary checks answer.
      let shallow: unknown = [];
      for (let level = 0; level < 30; level++) shallow = [shallow];
      const ordinary = await http().post('/api/v1/contacts').set(admin.auth).send({ ...contact, hours: shallow }).expect(400);
      expect(fieldsAtFault(ordinary.body)).toContain('hours');
    });

    it('refuses null for fields that cannot be empty, on creation as on update (null skipped every check)', async () => {
      for (const [path, body, field] of [
        ['/api/v1/contacts', { ...contact, available24x7: null }, 'available24x7'],
        ['/api/v1/certs', { ...cert, available24x7: null }, 'available24x7'],
        ['/api/v1/certs', { ...cert, firstMember: null }, 'firstMember'],
        ['/api/v1/certs', { ...cert, trustedIntroducer: null }, 'trustedIntroducer'],
        ['/api/v1/certs', { ...cert, sectors: null }, 'sectors'],
        ['/api/v1/users', { email: `null.${randomUUID()}@lux.example`, displayName: 'N', role: 'STATE_VIEWER', password: null }, 'password'],
        ['/api/v1/users', { email: `null.${randomUUID()}@lux.example`, displayName: 'N', role: 'STATE_VIEWER', stateCode: null }, 'stateCode'],
      ] as const) {
        const refused = await http().post(path).set(admin.auth).send(body).expect(400);
        expect({ path, fields: fieldsAtFault(refused.body) }).toEqual({ path, fields: [field] });
      }
      const user = await http().post('/api/v1/users').set(admin.auth).send({ email: `viewer.${randomUUID()}@lux.example`, displayName: 'Viewer', role: 'STATE_VIEWER', password: 'a long enough passphrase 2026' }).expect(201);
      for (const caller of [admin, secretariat]) {
        for (const body of [{ role: null }, { displayName: null }]) {
          const refused = await http().patch(`/api/v1/users/${user.body.user.id}`).set(caller.auth).send(body).expect(400);
          expect(fieldsAtFault(refused.body)).toEqual(Object.keys(body));
        }
      }
      const unchanged = await http().get(`/api/v1/users/${user.body.user.id}`).set(admin.auth).expect(200);
      expect(unchanged.body).toMatchObject({ role: 'STATE_VIEWER', displayName: 'Viewer' });
    });

    it('refuses lists of anything but objects where objects are expected, instead of storing them or failing later', async () => {
      for (const items of [[[[]]], [[{ type: 'IPV4', value: '192.0.2.1' }]], [1], ['09:00'], [null]]) {
        for (const field of ['hours', 'phones']) {
          const refused = await http().post('/api/v1/contacts').set(admin.auth).send({ ...contact, [field]: items }).expect(400);
          expect(fieldsAtFault(refused.body)).toContain(field);
        }
        const filing = await postRequest(app, admin.auth, { ...request_, indicators: items }).expect(400);
        expect(fieldsAtFault(filing.body)).toContain('indicators');
      }
    });

    it('reads only text as a date-time: an object is a 400, not a crash in the Date constructor', async () => {
      for (const value of [{ toString: null }, { 'e]b': { ' ': null }, toString: null }, [], 1e20, true]) {
        for (const field of ['incidentStart', 'incidentEnd', 'respondBy']) {
          const refused = await postRequest(app, admin.auth, { ...request_, [field]: value }).expect(400);
          expect(fieldsAtFault(refused.body)).toContain(field);
        }
      }
    });
  });

  it('answers no 5xx to malformed path parameters, queries, headers and bodies', async () => {
    const routes = listRoutes(app).filter((route) => !route.path.startsWith('/metrics'));
    const failures: string[] = [];
    let sent = 0;
    const send = async (caller: (typeof callers)[number], method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      let call = request(app.getHttpServer())[method.toLowerCase() as 'get'](path);
      if (caller.auth) call = call.set(caller.auth);
      for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
      const response = body === undefined ? await call : await call.set('Content-Type', 'application/json').send(JSON.stringify(body));
      sent++;
      if (response.status >= 500) failures.push(`${caller.name} ${method} ${path} ${JSON.stringify(body)?.slice(0, 80)} → ${response.status} ${response.text.slice(0, 120)}`);
    };

    for (const route of routes) {
      for (const caller of callers) {
        const paths = [
          route.path.replace(/:id\b/g, randomUUID()).replace(/:code\b/g, 'LUX'),
          route.path.replace(/:id\b/g, 'not-a-uuid').replace(/:code\b/g, '%F0%9F%98%80'),
          route.path.replace(/:id\b/g, "1'%20OR%20'1'='1").replace(/:code\b/g, 'l%00x'),
        ];
        for (const path of paths) await send(caller, route.method, path);
        const base = paths[0];
        if (route.method === 'GET') {
          for (const value of ["' OR 1=1 --", '-1', '%00', 'x'.repeat(5000), '-100000-01-01']) {
            await send(caller, route.method, `${base}?${QUERY_KEYS.map((key) => `${key}=${encodeURIComponent(value)}`).join('&')}`);
          }
          await send(caller, route.method, `${base}?${QUERY_KEYS.map((key) => `${key}[]=a&${key}[x]=b`).join('&')}`);
        } else {
          for (const value of HOSTILE_VALUES) await send(caller, route.method, base, value);
          for (const value of HOSTILE_VALUES.slice(0, 22)) {
            await send(caller, route.method, base, Object.fromEntries(BODY_KEYS.map((key) => [key, value])));
          }
          await send(caller, route.method, base, {}, { 'If-Match': '"1"', 'Idempotency-Key': "'; DROP TABLE x;--" });
          await send(caller, route.method, base, {}, { 'If-Match': 'W/"999999999999999999999"', 'Idempotency-Key': 'x'.repeat(300) });
        }
      }
    }
    expect(sent).toBeGreaterThan(3000);
    expect(failures.slice(0, 30)).toEqual([]);
  }, 300_000);
});
