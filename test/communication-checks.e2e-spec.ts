import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { communicationCheckBody, startCommunicationCheck } from './fixtures/communication-check.fixture';
import { createContact, participate, signedInUser, SignedIn } from './support/factories';
import { acknowledgementToken, ReceivedMail, TestMailbox } from './support/mailbox';
import { createTestApp } from './support/test-app';

describe('Communication checks ("ping tests")', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let worker: NotificationWorker;
  let mailbox: TestMailbox;
  const http = () => request(app.getHttpServer());
  const users = {} as Record<'secretariat' | 'ltuAdmin' | 'bolViewer' | 'senOfficer' | 'mliAdmin', SignedIn>;
  const contacts: Record<string, { id: string; email: string }> = {};

  // The worker mails whatever is due in this worker's database, other files' leftovers included: this
  // file counts only mail to its own States (LTU, BOL, SEN and MLI appear in no other file).
  const ownMail = () => mailbox.messages.filter((mail) => mail.to.some((address) => /@(ltu|bol|sen|mli)\.example$/.test(address)));
  const mailTo = (name: string): ReceivedMail => {
    const mails = mailbox.to(contacts[name].email);
    expect(mails).toHaveLength(1);
    return mails[0];
  };

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    ({ app } = await createTestApp({ SMTP_URL: mailbox.url, PUBLIC_BASE_URL: 'https://cbm.example' }));
    prisma = app.get(PrismaService);
    worker = app.get(NotificationWorker);
    await participate(app, 'LTU', 'BOL', 'SEN', 'MLI');
    users.secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    users.ltuAdmin = await signedInUser(app, Role.STATE_ADMIN, 'LTU');
    users.bolViewer = await signedInUser(app, Role.STATE_VIEWER, 'BOL');
    users.senOfficer = await signedInUser(app, Role.STATE_OFFICER, 'SEN');
    users.mliAdmin = await signedInUser(app, Role.STATE_ADMIN, 'MLI');
    const make = async (name: string, state: string, kind: 'DIPLOMATIC' | 'POLICY' | 'TECHNICAL', languages = ['en']) => {
      const email = `${name}@${state.toLowerCase()}.example`;
      const contact = await createContact(app, state, { name, kind, emails: [email], languages, timeZone: 'America/La_Paz' });
      contacts[name] = { id: contact.id, email };
    };
    await make('ltu-tech', 'LTU', 'TECHNICAL');
    await make('ltu-policy', 'LTU', 'POLICY');
    await make('bol-tech', 'BOL', 'TECHNICAL');
    await make('bol-diplomat', 'BOL', 'DIPLOMATIC');
    await make('sen-tech', 'SEN', 'TECHNICAL', ['fr']);
    await make('mli-tech', 'MLI', 'TECHNICAL');
    // Not targeted: inactive, or no address.
    await createContact(app, 'LTU', { emails: ['gone@ltu.example'], status: 'INACTIVE' });
    await createContact(app, 'BOL', { emails: [] });
  });
  afterAll(async () => {
    await app.close();
    await mailbox.close();
  });
  beforeEach(async () => {
    await worker.drain();
    mailbox.clear();
  });

  it('only the secretariat starts a check, and its inputs are checked', async () => {
    const body = communicationCheckBody({ stateCodes: ['LTU'] });
    await http().post('/api/v1/communication-checks').set(users.ltuAdmin.auth).send(body).expect(403);
    await http().post('/api/v1/communication-checks').send(body).expect(401);
    const start = (overrides: Record<string, unknown>) => http().post('/api/v1/communication-checks').set(users.secretariat.auth).send(communicationCheckBody(overrides));
    const unknown = await start({ stateCodes: ['LTU', 'ATA'] }).expect(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'stateCodes', message: expect.stringContaining('ATA') })]);
    await start({ windowHours: 0 }).expect(400);
    await start({ reminderHoursBefore: 24 }).expect(400);
    await start({ kinds: ['MILITARY'] }).expect(400);
    const nothing = await start({ stateCodes: ['MLI'], kinds: ['POLICY'] }).expect(422);
    expect(nothing.body.code).toBe('NOTHING_TO_CHECK');
  });

  it('mails every targeted contact once; only the confirming POST acknowledges, exactly once; results, reminders and closing are right', async () => {
    mailbox.clear();
    const started = await startCommunicationCheck(app, users.secretariat.auth, { stateCodes: ['LTU', 'BOL', 'SEN'], windowHours: 48, note: 'Annual check' });
    const checkId = started.id;
    expect(started).toMatchObject({ status: 'OPEN', kinds: ['DIPLOMATIC', 'POLICY', 'TECHNICAL'], totals: { targeted: 5, acknowledged: 0, pending: 5 } });
    await worker.drain();

    // One mail per contact, each with its own link; MLI was not targeted.
    expect(ownMail()).toHaveLength(5);
    const tokens = ['ltu-tech', 'ltu-policy', 'bol-tech', 'bol-diplomat', 'sen-tech'].map((name) => acknowledgementToken(mailTo(name)));
    expect(new Set(tokens).size).toBe(5);
    expect(mailTo('ltu-tech').text).toContain('https://cbm.example/api/v1/public/acknowledgements/');
    expect(mailTo('ltu-tech').text).toContain('Annual check');
    expect(mailTo('sen-tech').subject).toBe('[CBM Registry] Test de communication : merci de confirmer la réception');
    expect(mailbox.to(contacts['mli-tech'].email)).toHaveLength(0);
    // Only hashes are stored.
    const stored = JSON.stringify(await prisma.communicationCheckTarget.findMany({ where: { checkId } }));
    for (const token of tokens) expect(stored).not.toContain(token);

    // Opening the link (as a mail scanner does) shows a page and records nothing.
    const [ltuToken, ltuPolicyToken, bolToken] = tokens;
    const page = await http().get(`/api/v1/public/acknowledgements/${ltuToken}`).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<form method="post" action="/api/v1/public/acknowledgements/');
    expect(page.text).toContain('ltu-tech');
    await http().get(`/api/v1/public/acknowledgements/${ltuToken}`).expect(200);
    expect((await http().get(`/api/v1/communication-checks/${checkId}`).set(users.secretariat.auth).expect(200)).body.totals.acknowledged).toBe(0);

    // Confirming: once. Two concurrent confirmations: exactly one wins.
    const before = await prisma.contact.findUniqueOrThrow({ where: { id: contacts['ltu-tech'].id } });
    const racing = await Promise.all([1, 2, 3].map(() => http().post(`/api/v1/public/acknowledgements/${ltuToken}`)));
    expect(racing.map((response) => response.status).sort()).toEqual([200, 410, 410]);
    const winner = racing.find((response) => response.status === 200)!;
    expect(winner.body).toMatchObject({ acknowledged: true, contactName: 'ltu-tech', stateCode: 'LTU' });
    expect(racing.find((response) => response.status === 410)!.body.code).toBe('ACKNOWLEDGEMENT_USED');
    const after = await prisma.contact.findUniqueOrThrow({ where: { id: contacts['ltu-tech'].id } });
    expect(after.lastVerifiedAt).not.toBeNull();
    expect(after.version).toBe(before.version + 1);
    const usedPage = await http().get(`/api/v1/public/acknowledgements/${ltuToken}`).expect(410);
    expect(usedPage.headers['content-type']).toMatch(/^text\/html/);

    // The page's form asks for HTML and gets a thank-you page.
    const viaForm = await http().post(`/api/v1/public/acknowledgements/${bolToken}`).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(200);
    expect(viaForm.headers['content-type']).toMatch(/^text\/html/);
    expect(viaForm.text).toContain('bol-tech');

    // Unknown or malformed tokens are 404; nothing leaks about other links.
    const unknown = await http().post(`/api/v1/public/acknowledgements/${'A'.repeat(43)}`).expect(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    await http().post('/api/v1/public/acknowledgements/not-a-token').expect(404);
    await http().get('/api/v1/public/acknowledgements/%3Cscript%3E').expect(404);

    // Reminders go to those still pending, once, when the reminder time comes.
    mailbox.clear();
    await prisma.communicationCheck.update({ where: { id: checkId }, data: { remindAt: new Date(Date.now() - 1000) } });
    await worker.drain();
    await worker.drain();
    expect(ownMail().map((mail) => mail.to[0]).sort()).toEqual(
      [contacts['ltu-policy'].email, contacts['bol-diplomat'].email, contacts['sen-tech'].email].sort(),
    );
    expect(ownMail().every((mail) => mail.headers['x-cbm-event'] === 'communication_check.reminder')).toBe(true);
    // The reminder carries the same link, which still works.
    expect(acknowledgementToken(mailbox.to(contacts['ltu-policy'].email)[0])).toBe(ltuPolicyToken);
    await prisma.$executeRaw`UPDATE communication_check SET "startedAt" = now() - interval '1 hour' WHERE id = ${checkId}::uuid`;
    await http().post(`/api/v1/public/acknowledgements/${ltuPolicyToken}`).expect(200);

    // The window closes: who did not answer is UNRESPONSIVE, and late links are 410.
    await prisma.communicationCheck.update({ where: { id: checkId }, data: { windowEndsAt: new Date(Date.now() - 1000) } });
    await worker.drain();
    const late = await http().post(`/api/v1/public/acknowledgements/${tokens[4]}`).expect(410);
    expect(late.body.code).toBe('ACKNOWLEDGEMENT_EXPIRED');

    const check = await http().get(`/api/v1/communication-checks/${checkId}`).set(users.secretariat.auth).expect(200);
    expect(check.body).toMatchObject({ status: 'CLOSED', totals: { targeted: 5, acknowledged: 3, pending: 0, unresponsive: 2, responseRate: 0.6 } });
    expect(check.body.totals.medianSecondsToAcknowledge).toBeGreaterThanOrEqual(3000);

    const byState = await http().get(`/api/v1/communication-checks/${checkId}/results?groupBy=state`).set(users.secretariat.auth).expect(200);
    expect(byState.body.groups.map((group: { key: string; targeted: number; acknowledged: number; unresponsive: number }) => [group.key, group.targeted, group.acknowledged, group.unresponsive])).toEqual([
      ['BOL', 2, 1, 1],
      ['LTU', 2, 2, 0],
      ['SEN', 1, 0, 1],
    ]);
    const byRegion = await http().get(`/api/v1/communication-checks/${checkId}/results?groupBy=region`).set(users.secretariat.auth).expect(200);
    expect(byRegion.body.groups.map((group: { key: string; targeted: number }) => [group.key, group.targeted])).toEqual([
      ['AFRICAN', 1],
      ['EASTERN_EUROPEAN', 2],
      ['LATIN_AMERICAN_AND_CARIBBEAN', 2],
    ]);
    const byContact = await http().get(`/api/v1/communication-checks/${checkId}/results?groupBy=contact&limit=2`).set(users.secretariat.auth).expect(200);
    expect(byContact.body.contacts).toHaveLength(2);
    expect(byContact.body.nextCursor).toEqual(expect.any(String));

    // A State sees its own rows only; a State the check did not concern gets 404.
    const ownContacts = await http().get(`/api/v1/communication-checks/${checkId}/results?groupBy=contact&stateCode=LTU`).set(users.bolViewer.auth).expect(200);
    expect(ownContacts.body.contacts.map((row: { contactName: string; status: string }) => [row.contactName, row.status]).sort()).toEqual([
      ['bol-diplomat', 'UNRESPONSIVE'],
      ['bol-tech', 'ACKNOWLEDGED'],
    ]);
    const ownRegion = await http().get(`/api/v1/communication-checks/${checkId}/results?groupBy=region`).set(users.bolViewer.auth).expect(200);
    expect(ownRegion.body.groups).toEqual([expect.objectContaining({ key: 'LATIN_AMERICAN_AND_CARIBBEAN', targeted: 2 })]);
    const bolView = await http().get(`/api/v1/communication-checks/${checkId}`).set(users.bolViewer.auth).expect(200);
    expect(bolView.body.totals).toMatchObject({ targeted: 2, acknowledged: 1 });
    // Which other States were checked is not a State's business.
    expect(bolView.body.stateCodes).toEqual(['BOL']);
    await http().get(`/api/v1/communication-checks/${checkId}`).set(users.mliAdmin.auth).expect(404);
    await http().get(`/api/v1/communication-checks/${checkId}/results`).set(users.mliAdmin.auth).expect(404);
    const mliList = await http().get('/api/v1/communication-checks').set(users.mliAdmin.auth).expect(200);
    expect(mliList.body.items.map((item: { id: string }) => item.id)).not.toContain(checkId);
    await http().post(`/api/v1/communication-checks/${checkId}/close`).set(users.ltuAdmin.auth).expect(403);
    await http().post(`/api/v1/communication-checks/${checkId}/close`).set(users.secretariat.auth).expect(409);
  });

  it('shows trends over successive checks, and closing early marks the silent contacts', async () => {
    // Two checks of this test's own, one after the other; `limit=2` reads the latest two checks of a
    // State or region, whichever other tests ran checks of the same States before.
    const runCheck = async (confirming: string[]) => {
      const check = await startCommunicationCheck(app, users.secretariat.auth, { stateCodes: ['BOL', 'SEN'], windowHours: 12, reminderHoursBefore: 0 });
      expect(check.remindAt).toBeNull();
      mailbox.clear();
      await worker.drain();
      for (const name of confirming) await http().post(`/api/v1/public/acknowledgements/${acknowledgementToken(mailTo(name))}`).expect(200);
      return (await http().post(`/api/v1/communication-checks/${check.id}/close`).set(users.secretariat.auth).expect(200)).body;
    };
    const first = await runCheck(['bol-tech']);
    expect(first).toMatchObject({ status: 'CLOSED', totals: { targeted: 3, acknowledged: 1, unresponsive: 2 } });
    const second = await runCheck(['bol-tech', 'bol-diplomat', 'sen-tech']);
    expect(second).toMatchObject({ status: 'CLOSED', totals: { targeted: 3, acknowledged: 3, unresponsive: 0, responseRate: 1 } });

    const african = await http().get('/api/v1/communication-checks/trends?region=AFRICAN&limit=2').set(users.secretariat.auth).expect(200);
    expect(african.body.points.map((point: { checkId: string; responseRate: number }) => [point.checkId, point.responseRate])).toEqual([
      [first.id, 0],
      [second.id, 1],
    ]);
    expect(african.body.points[1].responseRateChange).toBe(1);
    const bol = await http().get('/api/v1/communication-checks/trends?limit=2').set(users.bolViewer.auth).expect(200);
    expect(bol.body.points.map((point: { targeted: number; acknowledged: number }) => [point.targeted, point.acknowledged])).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(bol.body.points[1].responseRateChange).toBe(0.5);
    // A State cannot ask for another State's trend: it always gets its own.
    const forced = await http().get('/api/v1/communication-checks/trends?stateCode=LTU&limit=2').set(users.bolViewer.auth).expect(200);
    expect(forced.body).toEqual(bol.body);
    const bySecretariat = await http().get('/api/v1/communication-checks/trends?stateCode=BOL&limit=2').set(users.secretariat.auth).expect(200);
    expect(bySecretariat.body).toEqual(bol.body);
    await http().get('/api/v1/communication-checks/trends?region=NOWHERE').set(users.secretariat.auth).expect(400);
  });
});
