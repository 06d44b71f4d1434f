import type { NestExpressApplication } from '@nestjs/platform-express';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { Role } from '@cbm/database';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../apps/api/src/auth/token.service';
import { createUser, participate, signIn } from './support/factories';
import { describeAccess, listRoutes } from './support/routes';
import { createTestApp } from './support/test-app';

const JWT_SECRET = 'a test secret that is at least thirty-two characters long';

describe('Access control on every route', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp({ JWT_SECRET }));
    await participate(app, 'FRA');
  });
  afterAll(() => app.close());

  it('every route declares its access rule on the handler, and no controller declares one for all', () => {
    const routes = listRoutes(app);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((route) => !route.access).map((route) => `${route.method} ${route.path}`)).toEqual([]);
    expect(routes.filter((route) => route.controllerAccess).map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });

  it('the route → access map is what was reviewed (update the snapshot deliberately)', () => {
    expect(listRoutes(app).map((route) => `${route.method.padEnd(6)} ${route.path}  →  ${describeAccess(route.access)}`)).toMatchSnapshot();
  });

  describe('forged and broken access tokens are refused on every protected route', () => {
    let genuine: string;
    let sub: string;
    let sid: string;

    beforeAll(async () => {
      const officer = await createUser(app, Role.STATE_OFFICER, 'FRA');
      genuine = (await signIn(app, officer)).accessToken;
      ({ sub, sid } = jwt.decode(genuine) as { sub: string; sid: string });
    });

    const claims = () => ({ sub, sid, typ: 'access', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE });
    const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    const forgeries: Record<string, () => string> = {
      'alg none': () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims(), exp: Math.floor(Date.now() / 1000) + 600 })}.`,
      'RS256 instead of HS256': () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return jwt.sign(claims(), privateKey, { algorithm: 'RS256', expiresIn: 600 });
      },
      'HS512 with the right secret': () => jwt.sign(claims(), JWT_SECRET, { algorithm: 'HS512', expiresIn: 600 }),
      'wrong key': () => jwt.sign(claims(), 'another secret that is also long enough to be used', { algorithm: 'HS256', expiresIn: 600 }),
      expired: () => jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 }, JWT_SECRET, { algorithm: 'HS256' }),
      'edited payload': () => {
        const [header, , signature] = genuine.split('.');
        const edited = { ...(jwt.decode(genuine) as object), sub: randomUUID() };
        return `${header}.${base64url(edited)}.${signature}`;
      },
      'another session id': () => jwt.sign({ ...claims(), sid: randomUUID() }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 600 }),
      'garbage': () => 'not-a-token',
    };

    it('the harness can tell: a correctly signed token for a real session is accepted', async () => {
      const honest = jwt.sign(claims(), JWT_SECRET, { algorithm: 'HS256', expiresIn: 600 });
      await request(app.getHttpServer()).get('/api/v1/auth/me').set('Authorization', `Bearer ${honest}`).expect(200);
    });

    it.each(Object.keys(forgeries))('%s → 401 on every protected route', async (name) => {
      const token = forgeries[name]();
      const protectedRoutes = listRoutes(app).filter((route) => route.access?.kind !== 'public');
      const answers: string[] = [];
      for (const route of protectedRoutes) {
        const path = route.path.replace(/:id\b/g, randomUUID()).replace(/:code\b/g, 'FRA');
        const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
        const response = await request(app.getHttpServer())[method](path).set('Authorization', `Bearer ${token}`).send({});
        if (response.status !== 401) answers.push(`${route.method} ${route.path} → ${response.status}`);
      }
      expect(answers).toEqual([]);
    });

    it('no credential at all → 401 with WWW-Authenticate on every protected route', async () => {
      const unexpected: string[] = [];
      for (const route of listRoutes(app).filter((r) => r.access?.kind !== 'public')) {
        const path = route.path.replace(/:id\b/g, randomUUID()).replace(/:code\b/g, 'FRA');
        const response = await request(app.getHttpServer())[route.method.toLowerCase() as 'get'](path);
        if (response.status !== 401 || !response.headers['www-authenticate']) unexpected.push(`${route.method} ${route.path} → ${response.status}`);
      }
      expect(unexpected).toEqual([]);
    });
  });
});
