import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { PASSWORD_RESET_ANSWER_MS } from '../apps/api/src/auth/password-reset.service';
import { PAGE_STRINGS, pageText } from '../apps/api/src/localization';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { startCommunicationCheck } from './fixtures/communication-check.fixture';
import { fileRequest } from './fixtures/request.fixture';
import { createContact, createUser, participate, signIn, signedInUser, SignedIn } from './support/factories';
import { acknowledgementToken, ReceivedMail, TestMailbox } from './support/mailbox';
import { createScratchDatabase, dropScratchDatabase } from './support/test-database';
import { atTime } from './support/clock';
import { createTestApp } from './support/test-app';

/** The path of the one link of `kind` in a mail, as a person would click it (the base is PUBLIC_BASE_URL). */
function linkPath(mail: ReceivedMail, kind: 'invitations' | 'password-resets'): string {
  const match = new RegExp(`https://cbm\\.example(/api/v1/public/${kind}/[A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`No ${kind} link in: ${mail.text}`);
  return match[1];
}

/** Only the text between the tags: what a reader sees (the page escapes quotes and apostrophes). */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const STRONG_PASSWORD = 'cuatro gatos pardos en la azotea';

describe('Pages behind mailed links, in six languages', () => {
  let app: NestExpressApplication;
  /** A database of this file's own: its worker drains only the outbox this file wrote. */
  let databaseUrl: string;
  let prisma: PrismaService;
  let worker: NotificationWorker;
  let mailbox: TestMailbox;
  const http = () => request(app.getHttpServer());
  let secretariat: SignedIn;
  let colAdmin: SignedIn;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    databaseUrl = await createScratchDatabase('account_links');
    ({ app } = await createTestApp({ DATABASE_URL: databaseUrl, SMTP_URL: mailbox.url, PUBLIC_BASE_URL: 'https://cbm.example' }));
    prisma = app.get(PrismaService);
    worker = app.get(NotificationWorker);
    await participate(app, 'COL', 'JOR', 'KAZ');
    secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    colAdmin = await signedInUser(app, Role.STATE_ADMIN, 'COL');
  });
  afterAll(async () => {
    await app.close();
    await dropScratchDatabase(databaseUrl);
    await mailbox.close();
  });
  beforeEach(async () => {
    await worker.drain();
    mailbox.clear();
  });

  describe('invitations', () => {
    it('mails the link in the user\'s language; the page shows the rules, refuses a weak password by name, sets a good one once', async () => {
      const email = 'camila.rojas@col.example';
      const created = await http()
        .post('/api/v1/users')
        .set(colAdmin.auth)
        .send({ email, displayName: 'Camila Rojas', role: 'STATE_OFFICER', preferredLanguage: 'es' })
        .expect(201);
      expect(created.body.user).toMatchObject({ preferredLanguage: 'es', passwordSet: false });
      await http().post('/api/v1/users').set(colAdmin.auth).send({ email: 'x@col.example', displayName: 'X', role: 'STATE_OFFICER', preferredLanguage: 'de' }).expect(400);

      await worker.drain();
      const mails = mailbox.to(email);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe('[CBM Registry] Su invitación');
      expect(mails[0].text).toContain('Estimado/a Camila Rojas:');
      const path = linkPath(mails[0], 'invitations');
      expect(path).toMatch(/^\/api\/v1\/public\/invitations\/inv_[A-Za-z0-9_-]{43}$/);
      const user = () => prisma.user.findUniqueOrThrow({ where: { email }, include: { tokens: true } });

      // Opening the page (a mail scanner does) changes nothing; the user's language beats the browser's.
      const page = await http().get(path).set('Accept-Language', 'fr-FR,fr;q=0.9').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-language']).toBe('es');
      expect(page.text).toMatch(/^<!doctype html><html lang="es" dir="ltr">/);
      expect(page.text).toContain(`<form method="post" action="${path}">`);
      expect(page.text).toContain(pageText('es', 'passwordRuleLength', { min: 12, max: 128 }));
      expect(page.text).toContain(pageText('es', 'invitationIntro', { displayName: 'Camila Rojas', email, role: 'STATE_OFFICER' }));
      expect(page.text).not.toMatch(/<script/i);
      await http().get(path).expect(200);
      expect((await user()).passwordHash).toBeNull();
      expect((await user()).tokens.map((token) => token.usedAt)).toEqual([null]);

      // Each broken rule is named on the form, in Spanish (400); nothing is set, the link still works.
      const post = (password: string, passwordConfirmation = password) => http().post(path).type('form').send({ password, passwordConfirmation });
      const refusals: Array<[string, string, string]> = [
        ['short', 'short', pageText('es', 'passwordBrokenLength', { min: 12, max: 128 })],
        ['qwerty123456', 'qwerty123456', pageText('es', 'passwordBrokenCommon')],
        [email, email, pageText('es', 'passwordBrokenEmail')],
        [STRONG_PASSWORD, `${STRONG_PASSWORD}!`, pageText('es', 'passwordMismatch')],
      ];
      for (const [password, confirmation, message] of refusals) {
        const refused = await post(password, confirmation).expect(400);
        expect(refused.headers['content-type']).toMatch(/^text\/html/);
        expect(refused.text).toContain(`<div class="problem" role="alert"><p><strong>${pageText('es', 'passwordRefusedTitle')}</strong></p><p>${message}</p></div>`);
        expect(refused.text).toContain(`<form method="post" action="${path}">`);
      }
      expect((await user()).passwordHash).toBeNull();
      // A form that is not the page's is refused like any bad body.
      const missing = await http().post(path).type('form').send({ password: STRONG_PASSWORD }).expect(400);
      expect([...new Set(missing.body.errors.map((error: { field: string }) => error.field))]).toEqual(['passwordConfirmation']);

      // A good password: set, and the page says how to sign in (no second factor for this role and State).
      const done = await post(STRONG_PASSWORD).expect(200);
      expect(done.text).toMatch(/^<!doctype html><html lang="es" dir="ltr">/);
      expect(done.text).toContain(`<h1>${PAGE_STRINGS.es.invitationDoneTitle}</h1>`);
      expect(done.text).toContain(
        pageText('es', 'signInHow', { email, docsUrl: 'https://cbm.example/docs', loginUrl: 'https://cbm.example/api/v1/auth/login' }),
      );
      expect(done.text).not.toContain(pageText('es', 'mfaEnrolHow'));
      await http().post('/api/v1/auth/login').send({ email, password: STRONG_PASSWORD }).expect(200);
      const accepted = await prisma.auditEvent.findMany({ where: { action: 'user.invitation.accepted', entityId: created.body.user.id } });
      expect(accepted).toHaveLength(1);

      // Used: the same page as an unknown link, 404, whatever is posted; the password stays.
      const usedGet = await http().get(path).expect(404);
      const unknownGet = await http().get(`/api/v1/public/invitations/inv_${'A'.repeat(43)}`).expect(404);
      expect(usedGet.text).toBe(unknownGet.text);
      expect(usedGet.text).toContain(`<h1>${PAGE_STRINGS.en.invitationInvalidTitle}</h1>`);
      const usedPost = await post('another quite long passphrase').expect(404);
      expect(usedPost.text).toBe(unknownGet.text);
      await http().get('/api/v1/public/invitations/not-a-token').set('Accept-Language', 'es').expect(404);
      await http().post('/api/v1/auth/login').send({ email, password: STRONG_PASSWORD }).expect(200);
    });

    it('tells an invited platform administrator, in Arabic and right to left, how to enrol the second factor the role requires', async () => {
      const email = 'layla.haddad@un.example';
      await http().post('/api/v1/users').set(secretariat.auth).send({ email, displayName: 'Layla Haddad', role: 'PLATFORM_ADMIN', preferredLanguage: 'ar' }).expect(201);
      await worker.drain();
      const [mail] = mailbox.to(email);
      expect(mail.subject).toBe('[CBM Registry] دعوتكم');
      const path = linkPath(mail, 'invitations');

      const page = await http().get(path).expect(200);
      expect(page.text).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/);
      expect(page.text).toContain(`<h1>${PAGE_STRINGS.ar.invitationTitle}</h1>`);
      const done = await http().post(path).type('form').send({ password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD }).expect(200);
      expect(done.text).toContain(pageText('ar', 'mfaEnrolHow'));
      const login = await http().post('/api/v1/auth/login').send({ email, password: STRONG_PASSWORD }).expect(200);
      expect(login.body.mfaEnrolmentRequired).toBe(true);
    });

    it('refuses the link of a user disabled since the invitation', async () => {
      const email = 'disabled.invitee@col.example';
      const created = await http().post('/api/v1/users').set(colAdmin.auth).send({ email, displayName: 'Gone', role: 'STATE_VIEWER' }).expect(201);
      await worker.drain();
      const path = linkPath(mailbox.to(email)[0], 'invitations');
      await http().post(`/api/v1/users/${created.body.user.id}/disable`).set(colAdmin.auth).expect(200);
      await http().get(path).expect(404);
      await http().post(path).type('form').send({ password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD }).expect(404);
      expect((await prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBeNull();
    });
  });

  describe('password reset', () => {
    it('keeps the language preference on /auth/me', async () => {
      const user = await createUser(app, Role.STATE_OFFICER, 'KAZ');
      const session = await signIn(app, user);
      const set = await http().put('/api/v1/auth/me/notification-preferences').set(session.auth).send({ notifyByEmail: false, preferredLanguage: 'ru' }).expect(200);
      expect(set.body).toMatchObject({ notifyByEmail: false, preferredLanguage: 'ru' });
      // Omitted: unchanged.
      await http().put('/api/v1/auth/me/notification-preferences').set(session.auth).send({ notifyByEmail: false }).expect(200);
      expect((await http().get('/api/v1/auth/me').set(session.auth).expect(200)).body.preferredLanguage).toBe('ru');
      const wrong = await http().put('/api/v1/auth/me/notification-preferences').set(session.auth).send({ notifyByEmail: false, preferredLanguage: 'de' }).expect(400);
      expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'preferredLanguage' })]);
      // null: back to the browser's language, else English.
      const cleared = await http().put('/api/v1/auth/me/notification-preferences').set(session.auth).send({ notifyByEmail: false, preferredLanguage: null }).expect(200);
      expect(cleared.body.preferredLanguage).toBeNull();
    });

    it('answers 202 alike for any address, mails a link only to an active account, and the link sets a new password once and ends every session', async () => {
      const user = await createUser(app, Role.STATE_OFFICER, 'KAZ');
      await prisma.user.update({ where: { id: user.id }, data: { preferredLanguage: 'ru' } });
      const first = await signIn(app, user);
      const second = await signIn(app, user);

      const ask = async (email: string) => {
        const started = Date.now();
        const response = await http().post('/api/v1/auth/password-reset').send({ email }).expect(202);
        return { response, took: Date.now() - started };
      };
      const unknown = await ask('nobody.at.all@kaz.example');
      const known = await ask(user.email.toUpperCase());
      // The same answer, and no sooner than the floor either way: time does not tell an account exists.
      expect(unknown.response.text).toBe('');
      expect(known.response.text).toBe('');
      expect(unknown.took).toBeGreaterThanOrEqual(PASSWORD_RESET_ANSWER_MS - 5);
      expect(known.took).toBeGreaterThanOrEqual(PASSWORD_RESET_ANSWER_MS - 5);
      await http().post('/api/v1/auth/password-reset').send({ email: 'not an address' }).expect(400);

      await worker.drain();
      expect(mailbox.messages.map((mail) => mail.to)).toEqual([[user.email]]);
      const [mail] = mailbox.messages;
      expect(mail.subject).toBe('[CBM Registry] Сброс пароля');
      expect(mail.headers['x-cbm-event']).toBe('user.password_reset');
      const path = linkPath(mail, 'password-resets');
      const token = path.split('/').pop()!;
      expect(token).toMatch(/^pwr_[A-Za-z0-9_-]{43}$/);
      const tokens = await prisma.userToken.findMany({ where: { userId: user.id, purpose: 'PASSWORD_RESET' } });
      expect(tokens).toHaveLength(1);
      // 30 minutes (PASSWORD_RESET_TTL_MINUTES), give or take the clocks of the process and the database.
      expect(Math.abs(tokens[0].expiresAt.getTime() - tokens[0].createdAt.getTime() - 30 * 60_000)).toBeLessThan(2_000);
      // Only the hash is stored, and the audit log records the request without the token.
      expect(JSON.stringify(tokens)).not.toContain(token);
      const requested = await prisma.auditEvent.findMany({ where: { action: 'auth.password-reset.requested', entityId: user.id } });
      expect(requested).toHaveLength(1);
      expect(JSON.stringify(requested[0].summary)).not.toContain(token);
      expect(requested[0].summary).toEqual({ expiresAt: tokens[0].expiresAt.toISOString() });
      const before = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });

      // The page: Russian, the rules, nothing changed by opening it.
      const page = await http().get(path).set('Accept-Language', 'en').expect(200);
      expect(page.text).toMatch(/^<!doctype html><html lang="ru" dir="ltr">/);
      expect(page.text).toContain(pageText('ru', 'resetIntro', { email: user.email }));
      const weak = await http().post(path).type('form').send({ password: 'too short', passwordConfirmation: 'too short' }).expect(400);
      expect(weak.text).toContain(pageText('ru', 'passwordBrokenLength', { min: 12, max: 128 }));
      expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(before.passwordHash);
      await http().get('/api/v1/auth/me').set(first.auth).expect(200);

      const newPassword = 'степь широкая и ветер вольный';
      const done = await http().post(path).type('form').send({ password: newPassword, passwordConfirmation: newPassword }).expect(200);
      expect(done.text).toContain(`<h1>${PAGE_STRINGS.ru.resetDoneTitle}</h1>`);
      expect(done.text).toContain(pageText('ru', 'resetDone'));

      // Every session ended: access tokens and refresh tokens of both.
      await http().get('/api/v1/auth/me').set(first.auth).expect(401);
      await http().get('/api/v1/auth/me').set(second.auth).expect(401);
      await http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
      await http().post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
      await http().post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(401);
      await http().post('/api/v1/auth/login').send({ email: user.email, password: newPassword }).expect(200);
      const completed = await prisma.auditEvent.findMany({ where: { action: 'auth.password-reset.completed', entityId: user.id } });
      expect(completed).toHaveLength(1);
      expect(completed[0].summary ?? null).toBeNull();

      // Single use: the page and its POST now say the link cannot be used (in the browser's language).
      const reused = await http().post(path).type('form').set('Accept-Language', 'zh-CN').send({ password: 'yet another fine passphrase', passwordConfirmation: 'yet another fine passphrase' }).expect(404);
      expect(reused.text).toMatch(/^<!doctype html><html lang="zh" dir="ltr">/);
      expect(reused.text).toContain(`<h1>${PAGE_STRINGS.zh.resetInvalidTitle}</h1>`);
      await http().get(path).expect(404);
      await http().post('/api/v1/auth/login').send({ email: user.email, password: newPassword }).expect(200);
    });

    it('refuses an expired link and retires older links once one is used', async () => {
      const user = await createUser(app, Role.STATE_VIEWER, 'KAZ');
      const links: string[] = [];
      for (let round = 0; round < 2; round++) {
        await http().post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
        await worker.drain();
        links.push(linkPath(mailbox.to(user.email)[round], 'password-resets'));
      }
      // The first has expired (as 30 minutes later): refused on the page and on the POST.
      const [oldest] = await prisma.userToken.findMany({ where: { userId: user.id, purpose: 'PASSWORD_RESET' }, orderBy: { createdAt: 'asc' } });
      await prisma.userToken.update({ where: { id: oldest.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await http().get(links[0]).expect(404);
      await http().post(links[0]).type('form').send({ password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD }).expect(404);
      expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).not.toBeNull();

      // A third link, then the second is used: the third stops working with it.
      await http().post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
      await worker.drain();
      const third = linkPath(mailbox.to(user.email)[2], 'password-resets');
      await http().post(links[1]).type('form').send({ password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD }).expect(200);
      await http().get(third).expect(404);

      // At most three links an hour to one account: a fourth request is answered the same, and mails nothing.
      mailbox.clear();
      await http().post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
      await worker.drain();
      expect(mailbox.to(user.email)).toHaveLength(0);
    });

    it('mails nothing to a disabled account', async () => {
      const user = await createUser(app, Role.STATE_OFFICER, 'KAZ');
      await prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
      await http().post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
      await worker.drain();
      expect(mailbox.messages).toHaveLength(0);
      expect(await prisma.userToken.count({ where: { userId: user.id } })).toBe(0);
    });
  });

  it('mails an opted-in user in their preferred language, a contact in its first language the service has', async () => {
    const follower = await createUser(app, Role.STATE_OFFICER, 'KAZ');
    const session = await signIn(app, follower);
    await http().put('/api/v1/auth/me/notification-preferences').set(session.auth).send({ notifyByEmail: true, preferredLanguage: 'zh' }).expect(200);
    await createContact(app, 'KAZ', { name: 'Aigerim Nurlanovna', emails: ['aigerim@kaz.example'], languages: ['kk', 'ru'], timeZone: 'Asia/Almaty' });
    const colOfficer = await signedInUser(app, Role.STATE_OFFICER, 'COL');
    const filed = await fileRequest(app, colOfficer.auth, { recipients: ['KAZ'], urgency: 'URGENT' });
    await worker.drain();
    const [toFollower] = mailbox.to(follower.email);
    expect(toFollower.subject).toBe(`[CBM Registry] Colombia 发来的请求 ${filed.reference}（URGENT）`);
    expect(toFollower.text).toContain(`（类型 MITIGATION，紧急程度 URGENT）`);
    const [toContact] = mailbox.to('aigerim@kaz.example');
    expect(toContact.subject).toBe(`[CBM Registry] Запрос ${filed.reference} (URGENT) от Colombia`);
    // The deadline in the contact's time zone, in Russian, and in UTC.
    expect(toContact.text).toMatch(/до \d{4}-\d\d-\d\d \d\d:\d\d UTC \(\d{1,2} [а-я]+\.?,? \d\d:\d\d Asia\/Almaty\)/);
    await http().put('/api/v1/auth/me/notification-preferences').set(session.auth).send({ notifyByEmail: false }).expect(200);
  });

  describe('acknowledgement pages', () => {
    it('speak the contact\'s language (Arabic right to left, in their time zone and UTC), else the browser\'s, else English', async () => {
      const jor = await createContact(app, 'JOR', { name: 'Rania Khalil', emails: ['rania@jor.example'], languages: ['ar', 'en'], timeZone: 'Asia/Amman' });
      const colSpanish = await createContact(app, 'COL', { name: 'Andrés Gómez', emails: ['andres@col.example'], languages: ['es'], timeZone: 'America/Bogota' });
      const colGerman = await createContact(app, 'COL', { name: 'Jonas Weber', emails: ['jonas@col.example'], languages: ['de'], timeZone: 'America/Bogota' });
      const check = await startCommunicationCheck(app, secretariat.auth, { stateCodes: ['JOR', 'COL'], windowHours: 48 });
      await worker.drain();
      const tokenOf = (address: string) => {
        const mails = mailbox.to(address);
        expect(mails).toHaveLength(1);
        return acknowledgementToken(mails[0]);
      };
      expect(mailbox.to('rania@jor.example')[0].subject).toBe('[CBM Registry] اختبار الاتصال: يُرجى تأكيد الاستلام');
      expect(mailbox.to('andres@col.example')[0].subject).toBe('[CBM Registry] Prueba de comunicación: sírvase confirmar la recepción');
      expect(mailbox.to('jonas@col.example')[0].subject).toBe('[CBM Registry] Communication check: please confirm you receive this');
      const pathOf = (address: string) => `/api/v1/public/acknowledgements/${tokenOf(address)}`;
      const windowEndsAt = new Date(String(check.windowEndsAt));
      const utc = `${windowEndsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

      // Arabic: right to left, translated, the deadline in Amman's time and in UTC; no script (CSP).
      const arabic = await http().get(pathOf('rania@jor.example')).set('Accept-Language', 'fr').expect(200);
      expect(arabic.text).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/);
      expect(arabic.headers['content-language']).toBe('ar');
      expect(arabic.text).toContain(`<h1>${PAGE_STRINGS.ar.ackTitle}</h1>`);
      expect(arabic.text).toContain(pageText('ar', 'ackIntro', { contactName: 'Rania Khalil', stateCode: 'JOR' }));
      expect(arabic.text).toContain(`<button type="submit">${PAGE_STRINGS.ar.ackConfirm}</button>`);
      expect(visibleText(arabic.text)).toContain(`(Asia/Amman) — ${utc}`);
      expect(arabic.text).not.toMatch(/<script/i);
      expect(arabic.headers['content-security-policy']).toContain("script-src 'self'");
      expect(arabic.text).not.toMatch(/margin-left|margin-right|padding-left|padding-right|text-align:(left|right)/);

      // The POST records it and thanks in Arabic; the used link then says so, in Arabic, 410.
      const thanked = await http().post(pathOf('rania@jor.example')).set('Accept', 'text/html').expect(200);
      expect(thanked.text).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/);
      expect(thanked.text).toContain(pageText('ar', 'ackDone', { contactName: 'Rania Khalil' }));
      expect((await prisma.contact.findUniqueOrThrow({ where: { id: jor.id } })).lastVerifiedAt).not.toBeNull();
      const used = await http().get(pathOf('rania@jor.example')).expect(410);
      expect(used.text).toContain(`<h1>${PAGE_STRINGS.ar.ackGoneTitle}</h1>`);
      expect(used.text).toContain(pageText('ar', 'ackUsed'));

      // The contact's language beats the browser's.
      const spanish = await http().get(pathOf('andres@col.example')).set('Accept-Language', 'fr-FR,fr;q=0.9,en;q=0.8').expect(200);
      expect(spanish.text).toMatch(/^<!doctype html><html lang="es" dir="ltr">/);
      expect(visibleText(spanish.text)).toContain(`(America/Bogota) — ${utc}`);

      // No language of the contact's that the service has: the browser's best, by q-value, else English.
      const german = pathOf('jonas@col.example');
      const langOf = async (acceptLanguage?: string) => {
        const call = http().get(german);
        const response = await (acceptLanguage === undefined ? call : call.set('Accept-Language', acceptLanguage)).expect(200);
        return /<html lang="(\w+)"/.exec(response.text)![1];
      };
      expect(await langOf('fr-CA,fr;q=0.9')).toBe('fr');
      expect(await langOf('de-DE, es;q=0.3, ru;q=0.7')).toBe('ru');
      expect(await langOf('zh-Hans-CN')).toBe('zh');
      expect(await langOf('de-DE, pt-BR')).toBe('en');
      expect(await langOf(undefined)).toBe('en');
      expect(colGerman.languages).toEqual(['de']);
      expect(colSpanish.languages).toEqual(['es']);

      // An unknown link: the browser's language.
      const unknown = await http().get(`/api/v1/public/acknowledgements/${'A'.repeat(43)}`).set('Accept-Language', 'zh').expect(404);
      expect(unknown.text).toContain(`<h1>${PAGE_STRINGS.zh.ackUnknownTitle}</h1>`);
    });
  });

  it('throttles password reset requests per client address with 429', async () => {
    // Windows are fixed minutes: the requests are made with the clock standing at the start of a
    // minute no other test counts in (a year ahead), on this file's own database, and only that
    // window's counters are removed afterwards.
    const window = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 365 * 86_400_000);
    const limited = await createTestApp({ DATABASE_URL: databaseUrl, AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const ask = () => request(limited.app.getHttpServer()).post('/api/v1/auth/password-reset').send({ email: 'nobody@kaz.example' });
      await atTime(new Date(window.getTime() + 1_000), async () => {
        await ask().expect(202);
        await ask().expect(202);
        const throttled = await ask().expect(429);
        expect(throttled.body.code).toBe('TOO_MANY_REQUESTS');
        expect(throttled.headers['retry-after']).toBe('59');
      });
    } finally {
      await limited.app.close();
      await prisma.$executeRaw`DELETE FROM rate_limit_hit WHERE "windowStart" = ${window}`;
    }
  });
});
