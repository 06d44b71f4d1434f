import type { NestExpressApplication } from '@nestjs/platform-express';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { PrismaService } from '@cbm/database';
import { createContact, participate } from './support/factories';
import { TestMailbox } from './support/mailbox';
import { setAsideEarlierNotifications } from './support/outbox';
import { createTestApp } from './support/test-app';
import { workerDatabaseUrl } from './support/test-database';

const ROOT = path.resolve(__dirname, '..');
const MESSAGES = 1000;

/** The standalone worker (apps/api/src/notifications/worker.ts) in its own Node process, as deployed. */
function startWorker(smtpUrl: string): ChildProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/notifications/worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
      NODE_ENV: 'test',
      DATABASE_URL: workerDatabaseUrl(),
      SMTP_URL: smtpUrl,
      NOTIFICATION_POLL_INTERVAL_MS: '50',
      NOTIFICATION_LEASE_SECONDS: '3',
      DELIVERY_TIMEOUT_MS: '1000',
      DATABASE_POOL_SIZE: '3',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Two worker processes share one outbox: every message is delivered, none twice while both live;
 * when one is killed mid-run (SIGKILL: no clean-up at all), the other takes over its claimed messages
 * when their lease ends. A kill can repeat at most the one mail that was being sent at that instant
 * (at-least-once: SMTP has no two-phase commit); it carries the same Message-ID, so receivers drop it.
 */
describe('Notification delivery by two worker processes', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let mailbox: TestMailbox;
  const workers: ChildProcess[] = [];

  const queue = async (count: number): Promise<Set<string>> => {
    const ids = Array.from({ length: count }, () => randomUUID());
    await prisma.outboxEvent.createMany({
      data: ids.map((id, index) => ({ id, type: 'request.message', stateCode: 'CAN', payload: { requestId: randomUUID(), reference: `REQ-LOAD-${index}`, from: 'POL' } })),
    });
    return new Set(ids);
  };
  const received = (events: Set<string>) => mailbox.messages.filter((mail) => events.has(mail.headers['x-cbm-event-id']));

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await setAsideEarlierNotifications(prisma);
    await participate(app, 'CAN', 'POL');
    await createContact(app, 'CAN', { emails: ['duty@can.example'] });
    workers.push(startWorker(mailbox.url), startWorker(mailbox.url));
  }, 60_000);
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await app.close();
    await mailbox.close();
  });

  it(`delivers ${MESSAGES} messages exactly once with both workers running`, async () => {
    const events = await queue(MESSAGES);
    await until(() => received(events).length >= MESSAGES, 90_000, `${MESSAGES} mails`);
    // Give a duplicate, if any, the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const mails = received(events);
    const distinct = new Set(mails.map((mail) => mail.headers['x-cbm-event-id']));
    expect({ received: mails.length, distinct: distinct.size }).toEqual({ received: MESSAGES, distinct: MESSAGES });
    expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(MESSAGES);
    const notifications = await prisma.notification.groupBy({ by: ['status'], where: { eventId: { in: [...events] } }, _count: { _all: true } });
    expect(notifications).toEqual([{ status: 'DELIVERED', _count: { _all: MESSAGES } }]);
    // Both processes took a share (claims skip each other's locked rows instead of waiting).
    const byWorker = await prisma.notificationAttempt.groupBy({ by: ['worker'], where: { notification: { eventId: { in: [...events] } } }, _count: { _all: true } });
    expect(byWorker.map((row) => row.worker.split(':')[1]).sort()).toEqual(workers.map((worker) => String(worker.pid)).sort());
    expect(Math.min(...byWorker.map((row) => row._count._all))).toBeGreaterThan(MESSAGES / 10);
  }, 120_000);

  it(`loses none of ${MESSAGES} messages when one worker is killed mid-run`, async () => {
    const events = await queue(MESSAGES);
    await until(() => received(events).length >= MESSAGES / 5, 60_000, 'the run to be under way');
    workers[0].kill('SIGKILL');
    const atKill = received(events).length;
    await until(async () => (await prisma.notification.count({ where: { eventId: { in: [...events] }, status: 'DELIVERED' } })) === MESSAGES, 90_000, 'every message to be delivered');
    await new Promise((resolve) => setTimeout(resolve, 500));

    const mails = received(events);
    const distinct = new Set(mails.map((mail) => mail.headers['x-cbm-event-id']));
    const duplicates = mails.length - distinct.size;
    process.stderr.write(`two workers, one killed after ${atKill} of ${MESSAGES}: ${distinct.size} delivered, ${MESSAGES - distinct.size} lost, ${duplicates} duplicate(s)\n`);
    expect(distinct.size).toBe(MESSAGES);
    expect(duplicates).toBeLessThanOrEqual(1);
    // A duplicate is the same message (same Message-ID), never a second notification.
    expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(distinct.size);
    expect(await prisma.notification.count({ where: { eventId: { in: [...events] } } })).toBe(MESSAGES);
  }, 150_000);
});
