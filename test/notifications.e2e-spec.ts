import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { isPublicAddress, WebhookClient } from '../apps/api/src/notifications/webhooks/webhook-client';
import { NotificationQueueRepository } from '../apps/api/src/notifications/notification-queue.repository';
import { ConfigService } from '@nestjs/config';
import { minimalRequestBody, postRequest } from './fixtures/request.fixture';
import { createWebhook, webhookBody } from './fixtures/webhook.fixture';
import { createCert, createContact, participate, signedInUser, SignedIn } from './support/factories';
import { TestMailbox } from './support/mailbox';
import { createScratchDatabase, dropScratchDatabase } from './support/test-database';
import { createTestApp, withTestApp } from './support/test-app';

interface ReceivedCall {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records raw bodies (signatures are over the bytes received) and answers `status()`. */
async function startReceiver(status: () => number = () => 204): Promise<{ server: Server; url: string; calls: ReceivedCall[] }> {
  const calls: ReceivedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      calls.push({ headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') });
      outgoing.statusCode = status();
      outgoing.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cbm`, calls };
}

/** A filing whose description must never reach a mail or a webhook. */
const filing = (recipients: string[], overrides: Record<string, unknown> = {}) =>
  minimalRequestBody({
    recipients,
    title: 'Ransomware at the national grid operator',
    description: 'SECRET-DESCRIPTION: the operator lost control of two substations.',
    indicators: [{ type: 'IPV4', value: '198.51.100.23' }],
    ...overrides,
  });

describe('Notifications by mail and webhook', () => {
  let app: NestExpressApplication;
  /** A database of this file's own: its worker drains only the outbox this file wrote. */
  let databaseUrl: string;
  let prisma: PrismaService;
  let worker: NotificationWorker;
  let mailbox: TestMailbox;
  const http = () => request(app.getHttpServer());
  const users = {} as Record<'requester' | 'estOfficer' | 'estOptedIn' | 'lvaAdmin' | 'lvaOfficer' | 'estAdmin' | 'secretariat', SignedIn & { id: string; email: string }>;

  const file = (recipients: string[], overrides: Record<string, unknown> = {}) => postRequest(app, users.requester.auth, filing(recipients, overrides)).expect(201);
  /*
   * The worker delivers whatever is due in this worker's database, other files' leftovers included
   * (each test starts after a drain of them). So this file counts only its own: its States (ISL, EST
   * and LVA appear in no other file, and their contacts and users have addresses @<state>.example)
   * and the notifications of the events its requests raised.
   */
  const ownMail = () => mailbox.messages.filter((mail) => mail.to.some((address) => /@(isl|est|lva)\.example$/.test(address)));
  const notificationsOf = (requestId: string, type = 'request.created') =>
    prisma.notification.findMany({ where: { event: { type, payload: { path: ['requestId'], equals: requestId } } } });
  const eventsOf = (requestId: string, type: string) => prisma.outboxEvent.count({ where: { type, payload: { path: ['requestId'], equals: requestId } } });

  beforeAll(async () => {
    mailbox = await TestMailbox.start({
      refuse: (address) => {
        if (address.startsWith('bounce')) return { code: 550, message: 'No such mailbox' };
        if (address.startsWith('later')) return { code: 451, message: 'Try again later' };
        return undefined;
      },
    });
    databaseUrl = await createScratchDatabase('notifications');
    ({ app } = await createTestApp({
      DATABASE_URL: databaseUrl,
      SMTP_URL: mailbox.url,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      NOTIFICATION_RETRY_BASE_SECONDS: '0',
      NOTIFICATION_MAX_ATTEMPTS: '3',
      PUBLIC_BASE_URL: 'https://cbm.example',
    }));
    prisma = app.get(PrismaService);
    worker = app.get(NotificationWorker);
    await participate(app, 'ISL', 'EST', 'LVA');
    users.requester = await signedInUser(app, Role.STATE_OFFICER, 'ISL');
    users.estOfficer = await signedInUser(app, Role.STATE_OFFICER, 'EST');
    users.estOptedIn = await signedInUser(app, Role.STATE_OFFICER, 'EST');
    users.estAdmin = await signedInUser(app, Role.STATE_ADMIN, 'EST');
    users.lvaAdmin = await signedInUser(app, Role.STATE_ADMIN, 'LVA');
    users.lvaOfficer = await signedInUser(app, Role.STATE_OFFICER, 'LVA');
    users.secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    await createContact(app, 'ISL', { emails: ['duty@isl.example'] });
    await createContact(app, 'LVA', { emails: ['duty@lva.example'] });
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

  it('tells a new request\'s recipient State: technical contacts, CERTs and opted-in users, once per address, in their language, without the contents', async () => {
    const english = await createContact(app, 'EST', { name: 'Duty officer', emails: ['duty@est.example', 'shared@est.example'], timeZone: 'Europe/Tallinn' });
    await createContact(app, 'EST', { name: 'Analyste', emails: ['analyste@est.example'], languages: ['fr', 'et'] });
    await createContact(app, 'EST', { kind: 'POLICY', emails: ['policy@est.example'] });
    await createContact(app, 'EST', { emails: ['former@est.example'], status: 'INACTIVE' });
    await createCert(app, 'EST', { emails: ['shared@est.example', 'cert@est.example'] });
    const optIn = await http().put('/api/v1/auth/me/notification-preferences').set(users.estOptedIn.auth).send({ notifyByEmail: true }).expect(200);
    expect(optIn.body.notifyByEmail).toBe(true);

    const filed = await file(['EST']);
    await worker.drain();
    expect((await notificationsOf(filed.body.id)).map((notification) => notification.status)).toEqual(Array(4).fill('DELIVERED'));

    const addressees = ownMail().map((mail) => mail.to.sort().join(' ')).sort();
    expect(addressees).toEqual(['analyste@est.example', 'cert@est.example', 'duty@est.example shared@est.example', users.estOptedIn.email].sort());
    const [toDuty] = mailbox.to('duty@est.example');
    expect(toDuty.subject).toBe(`[CBM Registry] URGENT request ${filed.body.reference} from Iceland`);
    expect(toDuty.text).toContain('Dear Duty officer');
    expect(toDuty.text).toContain(`https://cbm.example/api/v1/requests/${filed.body.id}`);
    // The deadline in UTC and in the contact's own time zone.
    expect(toDuty.text).toMatch(/acknowledge it by \d{4}-\d\d-\d\d \d\d:\d\d UTC \(.* Europe\/Tallinn\)/);
    expect(toDuty.headers['x-cbm-event']).toBe('request.created');
    expect(toDuty.headers['auto-submitted']).toBe('auto-generated');
    const [toAnalyst] = mailbox.to('analyste@est.example');
    expect(toAnalyst.subject).toBe(`[CBM Registry] Demande ${filed.body.reference} (URGENT) de Iceland`);
    for (const mail of ownMail()) {
      expect(mail.text).not.toContain('SECRET-DESCRIPTION');
      expect(mail.text).not.toContain('198.51.100.23');
      expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@cbm-registry>$/);
    }
    expect(mailbox.to('policy@est.example')).toHaveLength(0);
    expect(mailbox.to('former@est.example')).toHaveLength(0);
    expect(mailbox.to(users.estOfficer.email)).toHaveLength(0);

    // Exactly once: later rounds deliver nothing again.
    await worker.drain();
    expect(ownMail()).toHaveLength(4);
    expect(await notificationsOf(filed.body.id)).toHaveLength(4);
    const attempts = await prisma.notificationAttempt.findMany({ where: { notification: { event: { payload: { path: ['requestId'], equals: filed.body.id } } } } });
    expect(attempts).toHaveLength(4);
    expect(attempts.every((attempt) => attempt.succeeded && attempt.outcome.startsWith('250'))).toBe(true);

    // An action by the recipient reaches the requester's contacts.
    await http().post(`/api/v1/requests/${filed.body.id}/actions`).set(users.estOfficer.auth).send({ action: 'ACKNOWLEDGE' }).expect(200);
    await worker.drain();
    const [action] = mailbox.to('duty@isl.example');
    expect(action.subject).toBe(`[CBM Registry] ${filed.body.reference}: ACKNOWLEDGE by Estonia`);
    await prisma.contact.update({ where: { id: english.id }, data: { status: 'INACTIVE' } });
  });

  it('reminds a recipient before the deadlines and reports them overdue to both sides, once each', async () => {
    const filed = await file(['LVA'], { urgency: 'CRITICAL', respondBy: new Date(Date.now() + 48 * 3_600_000).toISOString() });
    await worker.drain();
    mailbox.clear();
    const id = filed.body.id as string;
    const shift = (sql: string) => prisma.$executeRawUnsafe(sql, id);

    // A quarter of the 2-hour acknowledgement window is left: the reminder is due.
    await shift(`UPDATE request SET "createdAt" = now() - interval '100 minutes', "acknowledgeBy" = now() + interval '20 minutes' WHERE id = $1::uuid`);
    await worker.drain();
    expect(await eventsOf(id, 'request.ack_reminder')).toBe(1);
    expect(mailbox.to('duty@lva.example').map((mail) => mail.headers['x-cbm-event'])).toEqual(['request.ack_reminder']);
    await worker.drain();
    expect(await eventsOf(id, 'request.ack_reminder')).toBe(1);
    expect(ownMail()).toHaveLength(1);

    await shift(`UPDATE request SET "acknowledgeBy" = now() - interval '1 minute' WHERE id = $1::uuid`);
    await worker.drain();
    const overdueToLva = mailbox.to('duty@lva.example').filter((mail) => mail.headers['x-cbm-event'] === 'request.ack_overdue');
    const overdueToIsl = mailbox.to('duty@isl.example').filter((mail) => mail.headers['x-cbm-event'] === 'request.ack_overdue');
    expect(overdueToLva).toHaveLength(1);
    expect(overdueToLva[0].text).toContain('was due to be acknowledged');
    expect(overdueToIsl).toHaveLength(1);
    expect(overdueToIsl[0].text).toContain('Latvia has not acknowledged request');
    mailbox.clear();

    // Acknowledged, but the answer is late: reminder, then overdue.
    await http().post(`/api/v1/requests/${id}/actions`).set(users.lvaOfficer.auth).send({ action: 'ACKNOWLEDGE' }).expect(200);
    await worker.drain();
    mailbox.clear();
    await shift(`UPDATE request SET "createdAt" = now() - interval '40 hours', "respondBy" = now() + interval '1 hour' WHERE id = $1::uuid`);
    await worker.drain();
    expect(mailbox.to('duty@lva.example').map((mail) => mail.headers['x-cbm-event'])).toEqual(['request.response_reminder']);
    await shift(`UPDATE request SET "respondBy" = now() - interval '1 minute' WHERE id = $1::uuid`);
    await worker.drain();
    expect(ownMail().filter((mail) => mail.headers['x-cbm-event'] === 'request.response_overdue').map((mail) => mail.to[0]).sort()).toEqual([
      'duty@isl.example',
      'duty@lva.example',
    ]);
    await worker.drain();
    expect(ownMail()).toHaveLength(3);
  });

  it('a bounced address fails at once, makes the contact stale, and is visible to its own State\'s administrators only', async () => {
    const bouncing = await createContact(app, 'LVA', { emails: ['bounce@lva.example'] });
    await prisma.contact.update({ where: { id: bouncing.id }, data: { lastVerifiedAt: new Date() } });
    await file(['LVA']);
    await worker.drain();
    expect((await prisma.notification.findMany({ where: { contactId: bouncing.id } })).map((notification) => notification.status)).toEqual(['FAILED']);

    const failed = await http().get('/api/v1/notifications?status=FAILED').set(users.lvaAdmin.auth).expect(200);
    const notification = failed.body.items.find((item: { contactId: string }) => item.contactId === bouncing.id);
    expect(notification).toMatchObject({ status: 'FAILED', attempts: 1, channel: 'EMAIL', recipient: 'bounce@lva.example', stateCode: 'LVA' });
    expect(notification.lastError).toMatch(/550/);
    const contact = await http().get(`/api/v1/contacts/${bouncing.id}`).set(users.lvaAdmin.auth).expect(200);
    expect(contact.body).toMatchObject({ stale: true, deliveryFailedAt: expect.any(String) });
    const staleList = await http().get('/api/v1/contacts?state=LVA&stale=true').set(users.lvaAdmin.auth).expect(200);
    expect(staleList.body.items.map((item: { id: string }) => item.id)).toContain(bouncing.id);

    // Another State's administrator neither lists nor reads it; the secretariat does, with attempts.
    const elsewhere = await http().get('/api/v1/notifications?status=FAILED').set(users.estAdmin.auth).expect(200);
    expect(elsewhere.body.items.map((item: { id: string }) => item.id)).not.toContain(notification.id);
    await http().get(`/api/v1/notifications/${notification.id}`).set(users.estAdmin.auth).expect(404);
    const detail = await http().get(`/api/v1/notifications/${notification.id}`).set(users.secretariat.auth).expect(200);
    expect(detail.body.deliveryLog).toEqual([expect.objectContaining({ attempt: 1, succeeded: false })]);
    await http().get('/api/v1/notifications').set(users.lvaOfficer.auth).expect(403);
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^notifications\{status="FAILED"\} [1-9]\d*$/m);
    expect(metrics.text).toMatch(/^outbox_events_undispatched 0$/m);

    // Verifying the entry again clears the bounce.
    const verified = await http().post(`/api/v1/contacts/${bouncing.id}/verify`).set(users.lvaAdmin.auth).expect(200);
    expect(verified.body).toMatchObject({ stale: false, deliveryFailedAt: null });
    await prisma.contact.update({ where: { id: bouncing.id }, data: { status: 'INACTIVE' } });
  });

  it('retries a temporary failure with backoff, records every attempt, and gives up after the maximum', async () => {
    const later = await createContact(app, 'LVA', { emails: ['later@lva.example'] });
    await file(['LVA']);
    await worker.drain();
    const notification = await prisma.notification.findFirstOrThrow({ where: { contactId: later.id }, include: { deliveryLog: { orderBy: { attempt: 'asc' } } } });
    expect(notification).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(notification.deliveryLog.map((attempt) => [attempt.attempt, attempt.succeeded])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(notification.deliveryLog[0].outcome).toMatch(/451/);
    // Running out of retries says nothing about the contact: only a refused address makes it stale.
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: later.id } })).deliveryFailedAt).toBeNull();
    await prisma.contact.update({ where: { id: later.id }, data: { status: 'INACTIVE' } });
  });

  it('an address refused among accepted ones is delivered, and still marks the contact stale', async () => {
    const mixed = await createContact(app, 'LVA', { emails: ['desk@lva.example', 'bounce.old@lva.example'] });
    await file(['LVA']);
    await worker.drain();
    const notification = await prisma.notification.findFirstOrThrow({ where: { contactId: mixed.id }, include: { deliveryLog: true } });
    expect(notification.status).toBe('DELIVERED');
    expect(notification.deliveryLog[0].outcome).toMatch(/refused for good: bounce\.old@lva\.example/);
    expect(mailbox.to('desk@lva.example')).toHaveLength(1);
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: mixed.id } })).deliveryFailedAt).not.toBeNull();
    await prisma.contact.update({ where: { id: mixed.id }, data: { status: 'INACTIVE' } });
  });

  it('an event that cannot be fanned out is set aside and does not hold up the others', async () => {
    const broken = await prisma.outboxEvent.create({ data: { type: 'user.invited', stateCode: 'LVA', payload: { userId: 'not-a-uuid' } } });
    await file(['LVA']);
    await worker.drain();
    expect(mailbox.to('duty@lva.example')).toHaveLength(1);
    const setAside = await prisma.outboxEvent.findUniqueOrThrow({ where: { id: broken.id } });
    expect(setAside.dispatchedAt).not.toBeNull();
    expect(setAside.dispatchError).toEqual(expect.any(String));
  });

  it('a worker whose lease ran out cannot overwrite the outcome of the worker that took over', async () => {
    const outbox = app.get(NotificationQueueRepository);
    const event = await prisma.outboxEvent.create({ data: { type: 'request.message', stateCode: 'LVA', payload: {}, dispatchedAt: new Date(), recipientCount: 1 } });
    await prisma.notification.create({ data: { eventId: event.id, eventType: 'request.message', stateCode: 'LVA', channel: 'EMAIL', recipient: 'fence@lva.example' } });
    const [slow] = (await outbox.claimDueNotifications(50, 60, 8)).filter((claimed) => claimed.eventId === event.id);
    await prisma.notification.updateMany({ where: { eventId: event.id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    const [takeover] = (await outbox.claimDueNotifications(50, 60, 8)).filter((claimed) => claimed.eventId === event.id);
    expect(takeover.attempts).toBe(slow.attempts + 1);

    expect(await outbox.renewLease(slow, 60)).toBe(false);
    await outbox.recordFailure(slow, 5, 'late failure', null, true);
    expect(await prisma.notification.findFirstOrThrow({ where: { eventId: event.id } })).toMatchObject({ status: 'PENDING', attempts: 2 });
    await outbox.recordDelivered(takeover, 5, '250 OK', false);
    const settled = await prisma.notification.findFirstOrThrow({ where: { eventId: event.id }, include: { deliveryLog: true } });
    expect(settled.status).toBe('DELIVERED');
    expect(settled.deliveryLog).toHaveLength(2);

    // The last allowed attempt never reported back (its worker died): failed for good after its lease.
    await prisma.notification.update({ where: { id: settled.id }, data: { status: 'PENDING', attempts: 3, leaseUntil: new Date(Date.now() - 1000) } });
    await worker.drain();
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: settled.id } })).toMatchObject({ status: 'FAILED', lastError: expect.stringContaining('no outcome') });
  });

  it('webhooks: a State administrator registers one, sees the secret once, and every delivery is signed by the documented recipe', async () => {
    let failuresLeft = 1;
    const receiver = await startReceiver(() => (failuresLeft-- > 0 ? 500 : 204));
    try {
      await http().post('/api/v1/webhooks').set(users.lvaOfficer.auth).send(webhookBody({ url: receiver.url })).expect(403);
      const created = await createWebhook(app, users.lvaAdmin.auth, { url: receiver.url, description: 'SOC intake' });
      const secret = created.secret;
      expect(secret).toMatch(/^whsec_/);
      const listed = await http().get('/api/v1/webhooks').set(users.lvaAdmin.auth).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      const stored = await prisma.webhook.findUniqueOrThrow({ where: { id: created.webhook.id } });
      expect(stored.secretCiphertext).not.toContain(secret.slice(6));

      const filed = await file(['LVA']);
      // The first answer is a 500: retried (base delay 0 here) until the receiver accepts.
      await worker.drain();
      const created_ = receiver.calls.filter((call) => call.headers['x-cbm-event'] === 'request.created');
      expect(created_).toHaveLength(2);
      expect(created_[0].headers['x-cbm-delivery']).toBe(created_[1].headers['x-cbm-delivery']);
      const delivered = created_[created_.length - 1];
      expect(JSON.parse(delivered.body)).toMatchObject({ type: 'request.created', state: 'LVA', data: { requestId: filed.body.id, reference: filed.body.reference } });
      expect(delivered.body).not.toContain('SECRET-DESCRIPTION');
      // Checked as a receiver following the README would, with node:crypto alone (not the code under test):
      // X-CBM-Signature: t=<Unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>, |now − t| ≤ 300 s.
      const signature = delivered.headers['x-cbm-signature'] as string;
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? [];
      expect(v1).toBeDefined();
      expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThanOrEqual(300);
      const hmac = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');
      expect(v1).toBe(hmac(secret, `${t}.${delivered.body}`));
      expect(v1).not.toBe(hmac(secret, `${t}.${delivered.body.replace('LVA', 'EST')}`));
      expect(v1).not.toBe(hmac('whsec_wrong', `${t}.${delivered.body}`));
      const record = await prisma.notification.findFirstOrThrow({ where: { webhookId: created.webhook.id, eventType: 'request.created' }, include: { deliveryLog: true } });
      expect(record.status).toBe('DELIVERED');
      expect(record.deliveryLog.map((attempt) => attempt.outcome).sort()).toEqual(['HTTP 204 No Content', 'HTTP 500 Internal Server Error']);

      // A ping, to check a receiver's set-up; another State cannot touch the webhook.
      receiver.calls.length = 0;
      await http().post(`/api/v1/webhooks/${created.webhook.id}/ping`).set(users.estAdmin.auth).expect(404);
      await http().post(`/api/v1/webhooks/${created.webhook.id}/ping`).set(users.lvaAdmin.auth).expect(202);
      await worker.drain();
      expect(receiver.calls.map((call) => call.headers['x-cbm-event'])).toEqual(['webhook.ping']);

      // Removed: nothing more is sent.
      await http().delete(`/api/v1/webhooks/${created.webhook.id}`).set(users.estAdmin.auth).expect(404);
      await http().delete(`/api/v1/webhooks/${created.webhook.id}`).set(users.lvaAdmin.auth).expect(204);
      receiver.calls.length = 0;
      await file(['LVA']);
      await worker.drain();
      expect(receiver.calls).toHaveLength(0);
    } finally {
      receiver.server.close();
    }
  });

  it('a key or the secretariat cannot opt in to request mail', async () => {
    const refused = await http().put('/api/v1/auth/me/notification-preferences').set(users.secretariat.auth).send({ notifyByEmail: true }).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'notifyByEmail' })]);
    await http().put('/api/v1/auth/me/notification-preferences').set(users.estOfficer.auth).send({ notifyByEmail: 'yes' }).expect(400);
  });

  it('a webhook receiver that answers a byte at a time is cut off at the delivery timeout', async () => {
    const trickle = createServer((_incoming, outgoing) => {
      outgoing.socket?.write('HTTP/1.1 200');
      const drip = setInterval(() => outgoing.socket?.write(' '), 100);
      outgoing.socket?.on('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => trickle.listen(0, '127.0.0.1', resolve));
    try {
      const client = new WebhookClient(new ConfigService({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true, DELIVERY_TIMEOUT_MS: 500 }));
      const url = `http://127.0.0.1:${(trickle.address() as AddressInfo).port}/`;
      await expect(client.post({ url, secret: 'whsec_x', body: '{}', headers: {} })).rejects.toThrow(/No complete answer within 500 ms/);
    } finally {
      trickle.closeAllConnections();
      trickle.close();
    }
    expect(isPublicAddress('::7f00:1')).toBe(false);
    expect(isPublicAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isPublicAddress('2001:db8::1')).toBe(false);
    expect(isPublicAddress('193.0.6.139')).toBe(true);
  });

  it('refuses webhooks to loopback and private addresses unless configured otherwise', async () => {
    await withTestApp({ DATABASE_URL: databaseUrl }, async (strict) => {
      const admin = await signedInUser(strict, Role.STATE_ADMIN, 'LVA');
      for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.1.2.3/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest', 'ftp://example.org/x', 'https://user:pw@example.org/']) {
        const refused = await request(strict.getHttpServer()).post('/api/v1/webhooks').set(admin.auth).send({ url }).expect(400);
        expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
      }
      await request(strict.getHttpServer()).post('/api/v1/webhooks').set(admin.auth).send({ url: 'https://soc.lva.example/hooks', eventTypes: ['request.bogus'] }).expect(400);
    });
  });

  it('without SMTP_URL, mails are written to the log and recorded as delivered there', async () => {
    await withTestApp({ DATABASE_URL: databaseUrl }, async (plain) => {
      const officer = await signedInUser(plain, Role.STATE_OFFICER, 'ISL');
      await postRequest(plain, officer.auth, filing(['LVA'])).expect(201);
      await plain.get(NotificationWorker).drain();
    });
    const logged = await prisma.notification.findFirstOrThrow({ where: { recipient: 'duty@lva.example' }, orderBy: { createdAt: 'desc' }, include: { deliveryLog: true } });
    expect(logged.status).toBe('DELIVERED');
    expect(logged.deliveryLog[0].outcome).toMatch(/written to the log/);
    expect(ownMail()).toHaveLength(0);
  });

});
