import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Role } from '@cbm/database';
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
