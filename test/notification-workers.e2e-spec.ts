import type { NestExpressApplication } from '@nestjs/platform-express';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { PrismaService } from '@cbm/database';
import { createContact, participate } from './support/factories';
import { TestMailbox } from './support/mailbox';
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

/** Ends a worker and waits for its process to be gone: SIGTERM lets it finish the mail it is sending. */
async function stopWorker(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
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
    // CAN is this file's State: no other file gives it contacts or webhooks, so each event here
    // fans out to exactly one mail. Mail of other files' events (the workers deliver whatever is
    // due) is left alone and filtered out by event id.
    await participate(app, 'CAN', 'POL');
    await createContact(app, 'CAN', { emails: ['duty@can.example'] });
  }, 60_000);
  // Each case starts two fresh workers, so neither depends on the other having run (or not).
  beforeEach(() => {
    workers.length = 0;
    workers.push(startWorker(mailbox.url), startWorker(mailbox.url));
  });
  afterEach(async () => {
    await Promise.all(workers.map((worker) => stopWorker(worker, 'SIGKILL')));
  }, 30_000);
  afterAll(async () => {
    await app.close();
    await mailbox.close();
  });

  it(`delivers ${MESSAGES} messages exactly once with both workers running`, async () => {
    const events = await queue(MESSAGES);
    await until(() => received(events).length >= MESSAGES, 90_000, `${MESSAGES} mails`);
    // A duplicate, if any, is sent by then: both workers finish what they are sending and exit.
    await Promise.all(workers.map((worker) => stopWorker(worker)));
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
    await stopWorker(workers[0], 'SIGKILL');
    const atKill = received(events).length;
    const delivered = () => prisma.notification.count({ where: { eventId: { in: [...events] }, status: 'DELIVERED' } });
    // The kill fell mid-run: some but not all of the messages were delivered when the worker died,
    // and the killed worker had taken its share of this run until then.
    const deliveredAtKill = await delivered();
    expect(deliveredAtKill).toBeGreaterThan(0);
    expect(deliveredAtKill).toBeLessThan(MESSAGES);
    const killedAttempts = await prisma.notificationAttempt.count({ where: { worker: { endsWith: `:${workers[0].pid}` }, notification: { eventId: { in: [...events] } } } });
    expect(killedAttempts).toBeGreaterThan(0);

    await until(async () => (await delivered()) === MESSAGES, 90_000, 'every message to be delivered');
    // The survivor finishes what it is sending and exits: no mail is on its way after this.
    await stopWorker(workers[1]);

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
