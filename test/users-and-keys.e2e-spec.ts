import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { apiKeyBody, createApiKey } from './fixtures/api-key.fixture';
import { createUser, participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('Users and API keys, per State', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  let adminA: Awaited<ReturnType<typeof signedInUser>>;
  let adminB: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'NOR', 'GHA');
    adminA = await signedInUser(app, Role.STATE_ADMIN, 'NOR');
    adminB = await signedInUser(app, Role.STATE_ADMIN, 'GHA');
  });
  afterAll(() => app.close());

  it('answers text that is not well-formed Unicode with 400, not 500', async () => {
    const response = await http()
      .post('/api/v1/users')
      .set(adminA.auth)
      .set('Content-Type', 'application/json')
      .send('{"email":"x@a\\ud800b.example","displayName":"\\udc00","role":"STATE_VIEWER"}')
      .expect(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'email' }), expect.objectContaining({ field: 'displayName' })]),
    );
    await http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":"x@a\\ud800b.example","password":"whatever it is"}').expect(400);
  });

  it('a State administrator creates users of their own State, the State taken from the credential', async () => {
    const created = await http()
      .post('/api/v1/users')
      .set(adminA.auth)
      .send({ email: 'Duty.Officer@nor.example', displayName: 'Duty officer', role: 'STATE_OFFICER', password: 'a sound passphrase for nor' })
      .expect(201);
    expect(created.body.user).toMatchObject({ email: 'duty.officer@nor.example', stateCode: 'NOR', role: 'STATE_OFFICER', passwordSet: true });
    expect(created.body.invitation).toBeNull();
    expect(created.body.user).not.toHaveProperty('passwordHash');

    const duplicate = await http()
      .post('/api/v1/users')
      .set(adminA.auth)
      .send({ email: 'duty.officer@NOR.example', displayName: 'Again', role: 'STATE_VIEWER' })
      .expect(409);
    expect(duplicate.body).toMatchObject({ code: 'UNIQUE_VIOLATION', errors: [{ field: 'email', message: 'must be unique' }] });
  });

  it('refuses another State or PLATFORM_ADMIN in a State administrator\'s body', async () => {
    const otherState = await http()
      .post('/api/v1/users')
      .set(adminA.auth)
      .send({ email: 'spy@gha.example', displayName: 'Spy', role: 'STATE_OFFICER', stateCode: 'GHA' })
      .expect(403);
    expect(otherState.body.errors).toEqual([expect.objectContaining({ field: 'stateCode' })]);

    const escalation = await http()
      .post('/api/v1/users')
      .set(adminA.auth)
      .send({ email: 'boss@nor.example', displayName: 'Boss', role: 'PLATFORM_ADMIN' })
      .expect(403);
    expect(escalation.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
    expect(await prisma.user.count({ where: { email: { in: ['spy@gha.example', 'boss@nor.example'] } } })).toBe(0);
  });

  it('hides another State\'s users: 404 on read, change and disable, absent from lists', async () => {
    const ghanaian = await createUser(app, Role.STATE_OFFICER, 'GHA');
    await http().get(`/api/v1/users/${ghanaian.id}`).set(adminA.auth).expect(404);
    await http().patch(`/api/v1/users/${ghanaian.id}`).set(adminA.auth).send({ displayName: 'Renamed' }).expect(404);
    await http().post(`/api/v1/users/${ghanaian.id}/disable`).set(adminA.auth).expect(404);
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: ghanaian.id } });
    expect(stored).toMatchObject({ displayName: ghanaian.role + ' of GHA', disabledAt: null });

    const list = await http().get('/api/v1/users?limit=200').set(adminA.auth).expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((user: { stateCode: string }) => user.stateCode === 'NOR')).toBe(true);
    // Asking for another State's users changes nothing: the filter is the credential's State.
    const asked = await http().get('/api/v1/users?stateCode=GHA').set(adminA.auth).expect(200);
    expect(asked.body.items.every((user: { stateCode: string }) => user.stateCode === 'NOR')).toBe(true);
  });

  it('rejects mass assignment: stateCode and email cannot be changed, PLATFORM_ADMIN cannot be granted', async () => {
    const officer = await createUser(app, Role.STATE_OFFICER, 'NOR');
    const moved = await http().patch(`/api/v1/users/${officer.id}`).set(adminA.auth).send({ stateCode: 'GHA' }).expect(400);
    expect(moved.body.errors).toEqual([{ field: 'stateCode', message: 'is not a known field' }]);
    await http().patch(`/api/v1/users/${officer.id}`).set(adminA.auth).send({ email: 'new@nor.example' }).expect(400);
    await http().patch(`/api/v1/users/${officer.id}`).set(adminA.auth).send({ role: 'PLATFORM_ADMIN' }).expect(403);

    const promoted = await http().patch(`/api/v1/users/${officer.id}`).set(adminA.auth).send({ role: 'STATE_ADMIN' }).expect(200);
    expect(promoted.body).toMatchObject({ role: 'STATE_ADMIN', stateCode: 'NOR' });
    const event = await prisma.auditEvent.findFirst({ where: { action: 'user.updated', entityId: officer.id } });
    expect(event?.summary).toEqual({ before: { displayName: expect.any(String), role: 'STATE_OFFICER' }, after: { displayName: expect.any(String), role: 'STATE_ADMIN' } });
  });

  it('a viewer can neither read nor manage users (403), and the refusal is audited', async () => {
    const viewer = await signedInUser(app, Role.STATE_VIEWER, 'NOR');
    const denied = await http().get('/api/v1/users').set(viewer.auth).expect(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN', detail: 'This requires the permission user:read.' });
    await http().post('/api/v1/users').set(viewer.auth).send({ email: 'x@nor.example', displayName: 'X', role: 'STATE_VIEWER' }).expect(403);
    expect(await prisma.auditEvent.count({ where: { action: 'access.denied', actorUserId: viewer.id } })).toBe(2);
  });

  it('disabling a user ends their access at once; an administrator cannot disable themselves', async () => {
    const officer = await signedInUser(app, Role.STATE_OFFICER, 'NOR');
    await http().get('/api/v1/auth/me').set(officer.auth).expect(200);
    await http().post(`/api/v1/users/${officer.id}/disable`).set(adminA.auth).expect(200);
    await http().get('/api/v1/auth/me').set(officer.auth).expect(401);
    await http().post(`/api/v1/users/${adminA.id}/disable`).set(adminA.auth).expect(409);
  });

  it('the secretariat creates the first administrator of any State', async () => {
    const secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    const created = await http()
      .post('/api/v1/users')
      .set(secretariat.auth)
      .send({ email: 'first.admin@gha.example', displayName: 'First admin', role: 'STATE_ADMIN', stateCode: 'gha' })
      .expect(201);
    expect(created.body.user).toMatchObject({ stateCode: 'GHA', role: 'STATE_ADMIN' });
    expect(created.body.invitation).toEqual({ sentTo: 'first.admin@gha.example', expiresAt: expect.any(String) });
    expect(JSON.stringify(created.body)).not.toMatch(/inv_/);
    await http().post('/api/v1/users').set(secretariat.auth).send({ email: 'x@x.example', displayName: 'X', role: 'STATE_ADMIN' }).expect(400);
  });

  it('the secretariat cannot give itself a State\'s access: no officers, no passwords, no State roles', async () => {
    const secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    const officer = await http()
      .post('/api/v1/users')
      .set(secretariat.auth)
      .send({ email: 'planted@gha.example', displayName: 'Planted', role: 'STATE_OFFICER', stateCode: 'GHA' })
      .expect(403);
    expect(officer.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
    const withPassword = await http()
      .post('/api/v1/users')
      .set(secretariat.auth)
      .send({ email: 'known@gha.example', displayName: 'Known', role: 'STATE_ADMIN', stateCode: 'GHA', password: 'a password I would know' })
      .expect(403);
    expect(withPassword.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    const viewer = await createUser(app, Role.STATE_VIEWER, 'GHA');
    await http().patch(`/api/v1/users/${viewer.id}`).set(secretariat.auth).send({ role: 'STATE_OFFICER' }).expect(403);
    // It can still stop a compromised account.
    await http().post(`/api/v1/users/${viewer.id}/disable`).set(secretariat.auth).expect(200);
    await http().post('/api/v1/users').set(secretariat.auth).send({ email: 'y@x.example', displayName: 'Y', role: 'STATE_ADMIN', stateCode: 'XYZ' }).expect(400);
  });

  describe('API keys', () => {
    it('creates a key shown once, usable as Bearer or X-API-Key, with only its permissions', async () => {
      const created = await createApiKey(app, adminA.auth, { name: 'CERT directory sync', permissions: ['directory:read', 'directory:write'], expiresInDays: 90 });
      const key = created.key;
      expect(key).toMatch(/^cbm_/);
      expect(created).toMatchObject({ stateCode: 'NOR', permissions: ['directory:read', 'directory:write'], keyPrefix: key.slice(0, 10) });

      const listed = await http().get('/api/v1/api-keys').set(adminA.auth).expect(200);
      expect(listed.body.items.find((item: { id: string }) => item.id === created.id)).not.toHaveProperty('key');
      expect(JSON.stringify(listed.body)).not.toContain(key);

      const me = await http().get('/api/v1/auth/me').set('Authorization', `Bearer ${key}`).expect(200);
      expect(me.body).toMatchObject({ kind: 'apiKey', stateCode: 'NOR', permissions: ['directory:read', 'directory:write'] });
      await http().get('/api/v1/auth/me').set('X-API-Key', key).expect(200);
      await http().get('/api/v1/users').set('X-API-Key', key).expect(403);
      await http().get('/api/v1/api-keys').set('X-API-Key', key).expect(403);
      await http().get('/api/v1/auth/me').set('X-API-Key', key).set('Authorization', `Bearer ${key}`).expect(401);
    });

    it('refuses permissions a key may never hold', async () => {
      const create = (overrides: Record<string, unknown>) => http().post('/api/v1/api-keys').set(adminA.auth).send(apiKeyBody(overrides));
      const refused = await create({ name: 'Too strong', permissions: ['directory:read', 'user:write'] }).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'permissions' })]);
      await create({ name: 'Forever', expiresInDays: 5000 }).expect(400);
      await create({ name: 'Bad', permissions: ['launch:missiles'], expiresInDays: 5 }).expect(400);
    });

    it('a revoked or expired key stops at once; another State cannot see or revoke it', async () => {
      const created = await createApiKey(app, adminA.auth, { name: 'Short-lived', expiresInDays: 1 });
      await http().get('/api/v1/auth/me').set('X-API-Key', created.key).expect(200);

      await http().post(`/api/v1/api-keys/${created.id}/revoke`).set(adminB.auth).expect(404);
      const seenByB = await http().get('/api/v1/api-keys').set(adminB.auth).expect(200);
      expect(seenByB.body.items.map((item: { id: string }) => item.id)).not.toContain(created.id);

      await http().post(`/api/v1/api-keys/${created.id}/revoke`).set(adminA.auth).expect(200);
      await http().get('/api/v1/auth/me').set('X-API-Key', created.key).expect(401);

      const expiring = await createApiKey(app, adminA.auth, { name: 'Expiring', expiresInDays: 1 });
      await prisma.apiKey.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await http().get('/api/v1/auth/me').set('X-API-Key', expiring.key).expect(401);
    });
  });
});
