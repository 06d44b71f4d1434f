import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { createApiKey } from './fixtures/api-key.fixture';
import { createUser, participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('Participation of States', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app } = await createTestApp());
    await participate(app, 'ARG');
  });
  afterAll(() => app.close());

  it('the secretariat admits a State; its users can then sign in; the change is audited', async () => {
    const secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    const officer = await createUser(app, Role.STATE_OFFICER, 'BTN');
    const { participating } = await app.get(PrismaService).state.findUniqueOrThrow({ where: { code: 'BTN' } });
    await app.get(PrismaService).state.update({ where: { code: 'BTN' }, data: { participating: false } });
    try {
    await http().post('/api/v1/auth/login').send({ email: officer.email, password: officer.password }).expect(401);

    const admitted = await http().patch('/api/v1/states/btn').set(secretariat.auth).send({ participating: true }).expect(200);
    expect(admitted.body).toMatchObject({ code: 'BTN', participating: true });
    await http().post('/api/v1/auth/login').send({ email: officer.email, password: officer.password }).expect(200);

    const event = await app.get(PrismaService).auditEvent.findFirstOrThrow({ where: { action: 'state.updated', entityId: 'BTN' }, orderBy: { seq: 'desc' } });
    expect(event).toMatchObject({ actorUserId: secretariat.id, stateCode: 'BTN', summary: { before: { participating: false }, after: { participating: true } } });

    await http().patch('/api/v1/states/XYZ').set(secretariat.auth).send({ participating: true }).expect(404);
    await http().patch('/api/v1/states/BTN').set(secretariat.auth).send({ participating: 'yes' }).expect(400);
    } finally {
      await app.get(PrismaService).state.update({ where: { code: 'BTN' }, data: { participating } });
    }
  });

  it('a State administrator cannot admit States, and sets only their own State\'s policy', async () => {
    const stateAdmin = await signedInUser(app, Role.STATE_ADMIN, 'ARG');
    await http().patch('/api/v1/states/ARG').set(stateAdmin.auth).send({ participating: false }).expect(403);
    const policy = await http().get('/api/v1/states/mine/security-policy').set(stateAdmin.auth).expect(200);
    expect(policy.body).toEqual({ stateCode: 'ARG', mfaRequired: false });
    await http().put('/api/v1/states/mine/security-policy').set(stateAdmin.auth).send({ mfaRequired: true, stateCode: 'BTN' }).expect(400);

    const btnBefore = await app.get(PrismaService).state.findUniqueOrThrow({ where: { code: 'BTN' } });
    await http().put('/api/v1/states/mine/security-policy').set(stateAdmin.auth).send({ mfaRequired: true }).expect(200);
    try {
      const arg = await app.get(PrismaService).state.findUniqueOrThrow({ where: { code: 'ARG' } });
      const btn = await app.get(PrismaService).state.findUniqueOrThrow({ where: { code: 'BTN' } });
      expect(arg.mfaRequired).toBe(true);
      expect(btn.mfaRequired).toBe(btnBefore.mfaRequired);
    } finally {
      await app.get(PrismaService).state.update({ where: { code: 'ARG' }, data: { mfaRequired: false } });
    }
  });

  it('suspending a State stops its users\' sessions and its API keys at once', async () => {
    const secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    const { participating } = await app.get(PrismaService).state.findUniqueOrThrow({ where: { code: 'URY' } });
    await participate(app, 'URY');
    const stateAdmin = await signedInUser(app, Role.STATE_ADMIN, 'URY');
    const apiKey = await createApiKey(app, stateAdmin.auth, { name: 'sync', expiresInDays: 10 });
    await http().get('/api/v1/auth/me').set(stateAdmin.auth).expect(200);
    await http().get('/api/v1/auth/me').set('X-API-Key', apiKey.key).expect(200);

    await http().patch('/api/v1/states/URY').set(secretariat.auth).send({ participating: false }).expect(200);
    try {
      await http().get('/api/v1/auth/me').set(stateAdmin.auth).expect(401);
      await http().get('/api/v1/auth/me').set('X-API-Key', apiKey.key).expect(401);
      await http().post('/api/v1/auth/refresh').send({ refreshToken: stateAdmin.refreshToken }).expect(401);
    } finally {
      await app.get(PrismaService).state.update({ where: { code: 'URY' }, data: { participating } });
    }
  });
});
