import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { ContactKind, EntryStatus, NotificationChannel, Prisma, PrismaService } from '@cbm/database';

type Tx = Prisma.TransactionClient;

const WORKER = `${hostname()}:${process.pid}`;

export interface ClaimedEvent {
  id: string;
  type: string;
  stateCode: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface ClaimedNotification {
  id: string;
  eventId: string;
  eventType: string;
  stateCode: string | null;
  channel: NotificationChannel;
  recipient: string;
  contactId: string | null;
  certId: string | null;
  userId: string | null;
  webhookId: string | null;
  checkTargetId: string | null;
  language: string;
  attempts: number;
  payload: Record<string, unknown>;
  eventCreatedAt: Date;
}

export interface PlannedNotification {
  channel: NotificationChannel;
  recipient: string;
  language: string;
  contactId?: string;
  certId?: string;
  userId?: string;
  webhookId?: string;
  checkTargetId?: string;
}

/**
 * The notification pipeline's SQL. Claims use FOR UPDATE SKIP LOCKED, so any number of processes can
 * work the same tables: each event is fanned out once and each notification is owned by one worker
 * at a time (until its lease ends: a crashed worker's notifications are taken over, not lost).
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  claimUndispatchedEvents(tx: Tx, limit: number): Promise<ClaimedEvent[]> {
    return tx.$queryRaw<ClaimedEvent[]>`
      SELECT id, type, "stateCode", payload, "createdAt" FROM outbox_event
       WHERE "dispatchedAt" IS NULL
       ORDER BY "createdAt"
       LIMIT ${limit}
         FOR UPDATE SKIP LOCKED`;
  }

  async saveDispatch(tx: Tx, event: ClaimedEvent, planned: PlannedNotification[], subjectFor: (plan: PlannedNotification) => string): Promise<void> {
    if (planned.length > 0) {
      await tx.notification.createMany({
        data: planned.map((plan) => ({
          eventId: event.id,
          eventType: event.type,
          stateCode: event.stateCode,
          channel: plan.channel,
          recipient: plan.recipient,
          language: plan.language,
          contactId: plan.contactId,
          certId: plan.certId,
          userId: plan.userId,
          webhookId: plan.webhookId,
          checkTargetId: plan.checkTargetId,
          subject: subjectFor(plan),
        })),
        skipDuplicates: true,
      });
    }
    await tx.outboxEvent.update({ where: { id: event.id }, data: { dispatchedAt: new Date(), recipientCount: planned.length } });
  }

  /** An event that cannot be fanned out is set aside with its error, so that it cannot hold up the rest. */
  async setAside(tx: Tx, event: ClaimedEvent, error: string): Promise<void> {
    await tx.outboxEvent.update({ where: { id: event.id }, data: { dispatchedAt: new Date(), dispatchError: error.slice(0, 500) } });
  }

  /** Takes due notifications for `leaseSeconds`; one attempt is counted at the claim, so a crash counts too. */
  claimDueNotifications(limit: number, leaseSeconds: number, maxAttempts: number): Promise<ClaimedNotification[]> {
    return this.prisma.$queryRaw<ClaimedNotification[]>`
      WITH due AS (
        SELECT id FROM notification
         WHERE status = 'PENDING' AND "nextAttemptAt" <= now() AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
           AND attempts < ${maxAttempts}
         ORDER BY "nextAttemptAt"
         LIMIT ${limit}
           FOR UPDATE SKIP LOCKED
      )
      UPDATE notification n
         SET "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}), attempts = n.attempts + 1
        FROM due, outbox_event e
       WHERE n.id = due.id AND e.id = n."eventId"
      RETURNING n.id, n."eventId", n."eventType", n."stateCode", n.channel, n.recipient, n."contactId", n."certId",
                n."userId", n."webhookId", n."checkTargetId", n.language, n.attempts, e.payload, e."createdAt" AS "eventCreatedAt"`;
  }

  /**
   * Extends the claim just before a send, so that the lease always covers one whole delivery. False:
   * the lease ran out and another worker owns the notification now (or it is settled): skip it.
   */
  async renewLease(notification: ClaimedNotification, leaseSeconds: number): Promise<boolean> {
    const updated = await this.prisma.$executeRaw`
      UPDATE notification SET "leaseUntil" = now() + make_interval(secs => ${leaseSeconds})
       WHERE id = ${notification.id}::uuid AND status = 'PENDING' AND attempts = ${notification.attempts} AND "leaseUntil" > now()`;
    return updated === 1;
  }

  /**
   * Settles an attempt. The update is fenced by the attempt number: a worker whose lease ran out
   * (another has claimed the notification since) records its attempt but changes nothing else.
   */
  async recordDelivered(notification: ClaimedNotification, durationMs: number, outcome: string, bounced: boolean): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.notification.updateMany({
        where: { id: notification.id, status: 'PENDING', attempts: notification.attempts },
        data: { status: 'DELIVERED', deliveredAt: new Date(), leaseUntil: null, lastError: null },
      });
      await tx.notificationAttempt.create({
        data: { notificationId: notification.id, attempt: notification.attempts, durationMs, succeeded: true, outcome: outcome.slice(0, 500), worker: WORKER },
      });
      if (count === 1 && bounced) await this.markContactBounced(tx, notification);
    });
  }

  /** A failure: retried at `retryAt`, or FAILED for good (null); `bounced`: the contact's address was refused. */
  async recordFailure(notification: ClaimedNotification, durationMs: number, outcome: string, retryAt: Date | null, bounced: boolean): Promise<void> {
    const now = new Date();
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.notification.updateMany({
        where: { id: notification.id, status: 'PENDING', attempts: notification.attempts },
        data: retryAt
          ? { nextAttemptAt: retryAt, leaseUntil: null, lastError: outcome.slice(0, 500) }
          : { status: 'FAILED', failedAt: now, leaseUntil: null, lastError: outcome.slice(0, 500) },
      });
      await tx.notificationAttempt.create({
        data: { notificationId: notification.id, attempt: notification.attempts, durationMs, succeeded: false, outcome: outcome.slice(0, 500), worker: WORKER },
      });
      if (count === 1 && bounced) await this.markContactBounced(tx, notification);
    });
  }

  /** Gives the claim back (the process is stopping before it could send). */
  async release(notification: ClaimedNotification): Promise<void> {
    await this.prisma.notification.updateMany({
      where: { id: notification.id, status: 'PENDING', attempts: notification.attempts },
      data: { leaseUntil: null, attempts: { decrement: 1 } },
    });
  }

  /**
   * Notifications whose last allowed attempt never reported back (the worker died or hung while
   * sending) fail for good once that attempt's lease is over, instead of being tried forever.
   */
  failExhausted(maxAttempts: number): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE notification SET status = 'FAILED', "failedAt" = now(), "leaseUntil" = NULL,
             "lastError" = coalesce("lastError" || '; ', '') || 'no outcome reported for the last attempt'
       WHERE status = 'PENDING' AND attempts >= ${maxAttempts} AND "leaseUntil" < now()`;
  }

  private async markContactBounced(tx: Tx, notification: ClaimedNotification): Promise<void> {
    if (!notification.contactId || notification.channel !== NotificationChannel.EMAIL) return;
    await tx.contact.update({ where: { id: notification.contactId }, data: { deliveryFailedAt: new Date(), version: { increment: 1 } } });
  }

  // Recipients -----------------------------------------------------------------------------------

  /** A State's technical contacts: they and the State's CERTs hear about requests. */
  technicalContacts(tx: Tx, stateCode: string) {
    return tx.contact.findMany({
      where: { stateCode, kind: ContactKind.TECHNICAL, status: EntryStatus.ACTIVE, NOT: { emails: { isEmpty: true } } },
      select: { id: true, emails: true, languages: true, timeZone: true },
      orderBy: { id: 'asc' },
    });
  }

  certs(tx: Tx, stateCode: string) {
    return tx.cert.findMany({
      where: { stateCode, status: EntryStatus.ACTIVE, NOT: { emails: { isEmpty: true } } },
      select: { id: true, emails: true, languages: true, timeZone: true },
      orderBy: { id: 'asc' },
    });
  }

  optedInUsers(tx: Tx, stateCode: string) {
    return tx.user.findMany({
      where: { stateCode, notifyByEmail: true, disabledAt: null, passwordHash: { not: null } },
      select: { id: true, email: true },
      orderBy: { id: 'asc' },
    });
  }

  webhooks(tx: Tx, stateCode: string, eventType: string) {
    return tx.webhook.findMany({
      where: { stateCode, disabledAt: null, OR: [{ eventTypes: { isEmpty: true } }, { eventTypes: { has: eventType } }] },
      select: { id: true, url: true },
      orderBy: { id: 'asc' },
    });
  }

  webhook(tx: Tx, id: string) {
    return tx.webhook.findFirst({ where: { id, disabledAt: null }, select: { id: true, url: true } });
  }

  user(tx: Tx, id: string) {
    return tx.user.findUnique({ where: { id }, select: { id: true, email: true, disabledAt: true } });
  }

  checkTarget(tx: Tx, id: string) {
    return tx.communicationCheckTarget.findUnique({
      where: { id },
      select: { id: true, status: true, contact: { select: { id: true, emails: true, languages: true, status: true } } },
    });
  }

  // Rendering context ----------------------------------------------------------------------------

  contactForRendering(id: string) {
    return this.prisma.contact.findUnique({ where: { id }, select: { name: true, timeZone: true } });
  }

  certForRendering(id: string) {
    return this.prisma.cert.findUnique({ where: { id }, select: { name: true, timeZone: true } });
  }

  userForRendering(id: string) {
    return this.prisma.user.findUnique({ where: { id }, select: { displayName: true, email: true } });
  }

  checkForRendering(targetId: string) {
    return this.prisma.communicationCheckTarget.findUnique({
      where: { id: targetId },
      select: { id: true, contact: { select: { name: true, timeZone: true, stateCode: true } }, check: { select: { windowEndsAt: true, note: true } } },
    });
  }

  webhookSecret(id: string) {
    return this.prisma.webhook.findUnique({ where: { id }, select: { id: true, secretCiphertext: true, disabledAt: true } });
  }
}
