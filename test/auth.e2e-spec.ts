import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { currentTotpCode } from '../apps/api/src/auth/totp';
import { createUser, DEFAULT_PASSWORD, participate, signIn, signedInUser } from './support/factories';
import { createTestApp, withTestApp } from './support/test-app';
import { invitationToken, TestMailbox } from './support/mailbox';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { atTime } from './support/clock';

describe('Authentication', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'KEN', 'CHL');
  });
  afterAll(() => app.close());

  it('signs in with email and password and tells the caller who they are', async () => {
    const officer = await createUser(app, Role.STATE_OFFICER, 'KEN');
    const login = await http().post('/api/v1/auth/login').send({ email: officer.email.toUpperCase(), password: officer.password }).expect(200);
    expect(login.body).toMatchObject({ mfaRequired: false, tokenType: 'Bearer', expiresIn: 900, mfaEnrolmentRequired: false });
    expect(login.body.accessToken.split('.')).toHaveLength(3);
    expect(login.body.refreshToken).toMatch(/^rt_/);

    const me = await http().get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ kind: 'user', id: officer.id, email: officer.email, role: 'STATE_OFFICER', stateCode: 'KEN', mfaEnabled: false });
    expect(me.body.permissions).toEqual(
      ['capacity:read', 'capacity:write', 'commcheck:read', 'directory:read', 'directory:write', 'disclosure:read', 'disclosure:write', 'request:read', 'request:respond', 'request:write'],
    );
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const officer = await createUser(app, Role.STATE_OFFICER, 'KEN');
    const wrong = await http().post('/api/v1/auth/login').send({ email: officer.email, password: 'not the password at all' }).expect(401);
    const unknown = await http().post('/api/v1/auth/login').send({ email: 'nobody@nowhere.example', password: 'not the password at all' }).expect(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses users of States that do not take part, and disabled users', async () => {
    const outsider = await createUser(app, Role.STATE_OFFICER, 'TUV');
    const { participating } = await prisma.state.findUniqueOrThrow({ where: { code: 'TUV' } });
    await prisma.state.update({ where: { code: 'TUV' }, data: { participating: false } });
    try {
      await http().post('/api/v1/auth/login').send({ email: outsider.email, password: outsider.password }).expect(401);
    } finally {
      await prisma.state.update({ where: { code: 'TUV' }, data: { participating } });
    }

    const leaver = await createUser(app, Role.STATE_VIEWER, 'KEN');
    const session = await signIn(app, leaver);
    await prisma.user.update({ where: { id: leaver.id }, data: { disabledAt: new Date() } });
    await http().get('/api/v1/auth/me').set(session.auth).expect(401);
    await http().post('/api/v1/auth/login').send({ email: leaver.email, password: leaver.password }).expect(401);
  });

  it('rotates refresh tokens, and a reused one revokes the whole session', async () => {
    const officer = await createUser(app, Role.STATE_OFFICER, 'KEN');
    const first = await signIn(app, officer);

    const second = await http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    await http().get('/api/v1/auth/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(200);

    // The first token again: someone has a copy. Everything of this sign-in stops working.
    const reuse = await http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('INVALID_CREDENTIALS');
    await http().post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
    await http().get('/api/v1/auth/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(401);

    const events = await prisma.auditEvent.findMany({ where: { action: 'auth.refresh.reused', actorUserId: officer.id } });
    expect(events).toHaveLength(1);
  });

  it('logs out: the access and refresh tokens of the session stop working at once', async () => {
    const viewer = await createUser(app, Role.STATE_VIEWER, 'KEN');
    const session = await signIn(app, viewer);
    const other = await signIn(app, viewer);
    await http().post('/api/v1/auth/logout').set(session.auth).expect(204);
    await http().get('/api/v1/auth/me').set(session.auth).expect(401);
    await http().post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    // Other sign-ins of the same person go on.
    await http().get('/api/v1/auth/me').set(other.auth).expect(200);
  });

  it('locks an account after 5 failures, even against the right password, and records it', async () => {
    const officer = await createUser(app, Role.STATE_OFFICER, 'CHL');
    for (let attempt = 0; attempt < 5; attempt++) {
      await http().post('/api/v1/auth/login').send({ email: officer.email, password: `wrong guess number ${attempt}` }).expect(401);
    }
    const locked = await http().post('/api/v1/auth/login').send({ email: officer.email, password: officer.password }).expect(401);
    expect(locked.body.code).toBe('INVALID_CREDENTIALS');
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: officer.id } });
    expect(stored.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(await prisma.auditEvent.count({ where: { action: 'auth.account.locked', entityId: officer.id } })).toBe(1);

    await prisma.user.update({ where: { id: officer.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    await http().post('/api/v1/auth/login').send({ email: officer.email, password: officer.password }).expect(200);
  });

  it('parallel guesses cannot outrun the lockout: at most 5 passwords are checked', async () => {
    const officer = await createUser(app, Role.STATE_OFFICER, 'CHL');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, attempt) =>
        http().post('/api/v1/auth/login').send({ email: officer.email, password: `parallel guess ${attempt}` }),
      ),
    );
    expect(answers.every((answer) => answer.status === 401)).toBe(true);
    const checked = await prisma.auditEvent.count({ where: { action: 'auth.login.failed', actorUserId: officer.id, summary: { equals: { reason: 'password' } } } });
    expect(checked).toBeLessThanOrEqual(5);
    await http().post('/api/v1/auth/login').send({ email: officer.email, password: officer.password }).expect(401);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: officer.id } })).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
  });

  it('a disabled user\'s refresh token stops working too', async () => {
    const viewer = await createUser(app, Role.STATE_VIEWER, 'KEN');
    const session = await signIn(app, viewer);
    await prisma.user.update({ where: { id: viewer.id }, data: { disabledAt: new Date() } });
    await http().post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
  });

  it('makes a user who must use a second factor enrol first, then asks for it at every sign-in', async () => {
    const admin = await createUser(app, Role.PLATFORM_ADMIN, null);
    const login = await http().post('/api/v1/auth/login').send({ email: admin.email, password: admin.password }).expect(200);
    expect(login.body).toMatchObject({ mfaRequired: false, mfaEnrolmentRequired: true });
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };

    const blocked = await http().get('/api/v1/users').set(auth).expect(403);
    expect(blocked.body.code).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await http().get('/api/v1/audit-events').set(auth).expect(403)).body.code).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await http().post('/api/v1/auth/password').set(auth).send({ currentPassword: 'x', newPassword: 'y' }).expect(403)).body.code).toBe(
      'MFA_ENROLMENT_REQUIRED',
    );
    await http().get('/api/v1/auth/me').set(auth).expect(200);

    const enrolment = await http().post('/api/v1/auth/mfa/enrolment').set(auth).expect(200);
    expect(enrolment.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/CBM%20Registry:/);
    await http().post('/api/v1/auth/mfa/enrolment/confirm').set(auth).send({ code: '000000' }).expect(400);
    const code = currentTotpCode(enrolment.body.secret);
    const confirmed = await http().post('/api/v1/auth/mfa/enrolment/confirm').set(auth).send({ code }).expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    await http().get('/api/v1/users').set(auth).expect(200);

    // Next sign-in: password, then the second factor. The code used to confirm cannot be replayed.
    const second = await http().post('/api/v1/auth/login').send({ email: admin.email, password: admin.password }).expect(200);
    expect(second.body).toMatchObject({ mfaRequired: true });
    expect(second.body.accessToken).toBeUndefined();
    await http().post('/api/v1/auth/mfa/verify').send({ mfaToken: second.body.mfaToken, code }).expect(401);
    const nextCode = currentTotpCode(enrolment.body.secret, Date.now() + 30_000);
    const verified = await http().post('/api/v1/auth/mfa/verify').send({ mfaToken: second.body.mfaToken, code: nextCode }).expect(200);
    await http().get('/api/v1/users').set('Authorization', `Bearer ${verified.body.accessToken}`).expect(200);

    // A recovery code works once.
    const third = await http().post('/api/v1/auth/login').send({ email: admin.email, password: admin.password }).expect(200);
    const recoveryCode = confirmed.body.recoveryCodes[0].toLowerCase();
    await http().post('/api/v1/auth/mfa/verify').send({ mfaToken: third.body.mfaToken, code: recoveryCode }).expect(200);
    const fourth = await http().post('/api/v1/auth/login').send({ email: admin.email, password: admin.password }).expect(200);
    await http().post('/api/v1/auth/mfa/verify').send({ mfaToken: fourth.body.mfaToken, code: recoveryCode }).expect(401);
  });

  it('refuses an MFA challenge token used as an access token', async () => {
    const admin = await createUser(app, Role.PLATFORM_ADMIN, null, { mfa: true });
    const login = await http().post('/api/v1/auth/login').send({ email: admin.email, password: admin.password }).expect(200);
    await http().get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.mfaToken}`).expect(401);
  });

  it('applies a State\'s own requirement of a second factor to all its users', async () => {
    const stateAdmin = await signedInUser(app, Role.STATE_ADMIN, 'CHL');
    const viewer = await createUser(app, Role.STATE_VIEWER, 'CHL');
    await http().put('/api/v1/states/mine/security-policy').set(stateAdmin.auth).send({ mfaRequired: true }).expect(200);
    try {
      const login = await http().post('/api/v1/auth/login').send({ email: viewer.email, password: viewer.password }).expect(200);
      expect(login.body.mfaEnrolmentRequired).toBe(true);
      // The administrator's own session, begun without a second factor, is held to it too.
      const blocked = await http().get('/api/v1/users').set(stateAdmin.auth).expect(403);
      expect(blocked.body.code).toBe('MFA_ENROLMENT_REQUIRED');
    } finally {
      await prisma.state.update({ where: { code: 'CHL' }, data: { mfaRequired: false } });
    }
  });

  it('changes a password only with the current one and a good new one, ending other sessions', async () => {
    const officer = await createUser(app, Role.STATE_OFFICER, 'KEN');
    const current = await signIn(app, officer);
    const elsewhere = await signIn(app, officer);

    const wrong = await http().post('/api/v1/auth/password').set(current.auth).send({ currentPassword: 'not it at all!', newPassword: 'another fine passphrase' }).expect(400);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
    const weak = await http().post('/api/v1/auth/password').set(current.auth).send({ currentPassword: DEFAULT_PASSWORD, newPassword: 'qwerty123456' }).expect(400);
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'newPassword' })]);

    await http().post('/api/v1/auth/password').set(current.auth).send({ currentPassword: DEFAULT_PASSWORD, newPassword: 'another fine passphrase' }).expect(204);
    await http().get('/api/v1/auth/me').set(current.auth).expect(200);
    await http().get('/api/v1/auth/me').set(elsewhere.auth).expect(401);
    await http().post('/api/v1/auth/login').send({ email: officer.email, password: DEFAULT_PASSWORD }).expect(401);
    await http().post('/api/v1/auth/login').send({ email: officer.email, password: 'another fine passphrase' }).expect(200);
  });

  it('mails the invitation to the invited user only, who sets a password once', async () => {
    const mailbox = await TestMailbox.start();
    try {
      await withTestApp({ SMTP_URL: mailbox.url }, async (mailing) => {
        const stateAdmin = await signedInUser(mailing, Role.STATE_ADMIN, 'KEN');
        const created = await request(mailing.getHttpServer())
          .post('/api/v1/users')
          .set(stateAdmin.auth)
          .send({ email: 'invited.officer@ken.example', displayName: 'Invited Officer', role: 'STATE_OFFICER' })
          .expect(201);
        // The creator never sees the code: otherwise whoever creates an account could take it over.
        expect(created.body.invitation).toEqual({ sentTo: 'invited.officer@ken.example', expiresAt: expect.any(String) });
        expect(JSON.stringify(created.body)).not.toMatch(/inv_/);
        expect(created.body.user.passwordSet).toBe(false);

        await mailing.get(NotificationWorker).drain();
        // The worker mails whatever is due in this database (other files' leftovers too): the
        // invitation is the one mail to the invited address, and its code is in no other mail.
        const invited = mailbox.to('invited.officer@ken.example');
        expect(invited).toHaveLength(1);
        const [mail] = invited;
        expect(mail.text).toContain('Dear Invited Officer');
        const token = invitationToken(mail);
        expect(mailbox.messages.filter((other) => other.text.includes(token))).toEqual([mail]);
        const stored = await prisma.userToken.findMany({ where: { user: { email: 'invited.officer@ken.example' } } });
        expect(JSON.stringify(stored)).not.toContain(token);

        const weak = await http().post('/api/v1/auth/invitations/accept').send({ token, password: 'short' }).expect(400);
        expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
        await http().post('/api/v1/auth/invitations/accept').send({ token, password: 'my very own passphrase' }).expect(204);
        const reused = await http().post('/api/v1/auth/invitations/accept').send({ token, password: 'my other passphrase!' }).expect(400);
        expect(reused.body.code).toBe('INVALID_TOKEN');
        await http().post('/api/v1/auth/login').send({ email: 'invited.officer@ken.example', password: 'my very own passphrase' }).expect(200);
      });
    } finally {
      await mailbox.close();
    }
  });

  it('throttles sign-in attempts per client address with 429 and Retry-After, across API processes', async () => {
    // Windows are fixed minutes. The attempts are made with the clock standing at the start of a
    // minute no other test counts in (a year ahead): all four fall in that one window, on counters
    // of their own, and only those are removed afterwards.
    const window = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 365 * 86_400_000);
    const first = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    const second = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const attempt = (target: NestExpressApplication) =>
        request(target.getHttpServer()).post('/api/v1/auth/login').send({ email: 'x@y.example', password: 'whatever it is' });
      await atTime(new Date(window.getTime() + 1_000), async () => {
        // Two processes on one database: three attempts in all, whichever process gets them.
        await attempt(first.app).expect(401);
        await attempt(second.app).expect(401);
        await attempt(first.app).expect(401);
        const throttled = await attempt(second.app).expect(429);
        expect(throttled.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(throttled.body.code).toBe('TOO_MANY_REQUESTS');
        // The rest of the minute: 59 seconds.
        expect(throttled.headers['retry-after']).toBe('59');
        await attempt(first.app).expect(429);
      });
    } finally {
      await first.app.close();
      await second.app.close();
      await prisma.$executeRaw`DELETE FROM rate_limit_hit WHERE "windowStart" = ${window}`;
    }
  });
});
