import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { ContactKind, Database, EntryStatus, Notification, NotificationChannel } from '@cbm/database';

const WORKER = `${hostname()}:${process.pid}`;

export interface ClaimedEvent {
  id: string;
  type: string;
  stateCode: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** A notification claimed for delivery, with what its event says. */
export type ClaimedNotification = Pick<
  Notification,
  'id' | 'eventId' | 'eventType' | 'stateCode' | 'channel' | 'recipient' | 'contactId' | 'certId' | 'userId' | 'webhookId' | 'checkTargetId' | 'language' | 'attempts'
> & { payload: Record<string, unknown>; eventCreatedAt: Date };

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

/** A planned notification with the subject it is listed under. */
export type AddressedNotification = PlannedNotification & { subject: string };

export interface DispatchedBatch {
  claimed: number;
  /** Events that could not be fanned out, with why: set aside, so that they hold up nothing. */
  setAside: Array<{ event: ClaimedEvent; error: string }>;
}

/** Claiming and fanning out a batch may take longer than one statement: a generous transaction timeout. */
const DISPATCH_TIMEOUT_MS = 60_000;

/**
 * The notification queue: events of the outbox fanned out into notifications, their claims, deliveries
 * and attempts (the outbox itself is written by apps/api/src/outbox). Claims use FOR UPDATE SKIP LOCKED, so any number of processes can
 * work the same tables: each event is fanned out once and each notification is owned by one worker
 * at a time (until its lease ends: a crashed worker's notifications are taken over, not lost).
 */
@Injectable()
export class NotificationQueueRepository {
  constructor(private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  /**
   * Claims up to `limit` events not yet fanned out and, in the same transaction, saves the
   * notifications `fanOut` addresses for each. A savepoint per event: an event that cannot be fanned
   * out (`fanOut` throws) is set aside with its error, and the others go on. `fanOut` may read through
   * this repository: its reads join the transaction.
   */
  dispatchEach(limit: number, fanOut: (event: ClaimedEvent) => Promise<AddressedNotification[]>): Promise<DispatchedBatch> {
    return this.database.transaction(
      async (tx) => {
        const events = await tx.$queryRaw<ClaimedEvent[]>`
          SELECT id, type, "stateCode", payload, "createdAt" FROM outbox_event
           WHERE "dispatchedAt" IS NULL
           ORDER BY "createdAt"
           LIMIT ${limit}
             FOR UPDATE SKIP LOCKED`;
        const setAside: DispatchedBatch['setAside'] = [];
        for (const event of events) {
          await tx.$executeRawUnsafe('SAVEPOINT dispatch_event');
          try {
            await this.saveDispatch(event, await fanOut(event));
            await tx.$executeRawUnsafe('RELEASE SAVEPOINT dispatch_event');
          } catch (error) {
            await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT dispatch_event');
            const message = (error as Error).message || String(error);
            await this.setAside(event, message);
            setAside.push({ event, error: message });
          }
        }
        return { claimed: events.length, setAside };
      },
      undefined,
      DISPATCH_TIMEOUT_MS,
    );
  }

  private async saveDispatch(event: ClaimedEvent, addressed: AddressedNotification[]): Promise<void> {
    if (addressed.length > 0) {
      await this.prisma.notification.createMany({
        data: addressed.map((plan) => ({
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
          subject: plan.subject,
        })),
        skipDuplicates: true,
      });
    }
    await this.prisma.outboxEvent.update({ where: { id: event.id }, data: { dispatchedAt: new Date(), recipientCount: addressed.length } });
  }

  /** An event that cannot be fanned out is set aside with its error, so that it cannot hold up the rest. */
  private async setAside(event: ClaimedEvent, error: string): Promise<void> {
    await this.prisma.outboxEvent.update({ where: { id: event.id }, data: { dispatchedAt: new Date(), dispatchError: error.slice(0, 500) } });
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
    await this.database.transaction(async (tx) => {
      const { count } = await tx.notification.updateMany({
        where: { id: notification.id, status: 'PENDING', attempts: notification.attempts },
        data: { status: 'DELIVERED', deliveredAt: new Date(), leaseUntil: null, lastError: null },
      });
      await tx.notificationAttempt.create({
        data: { notificationId: notification.id, attempt: notification.attempts, durationMs, succeeded: true, outcome: outcome.slice(0, 500), worker: WORKER },
      });
      if (count === 1 && bounced) await this.markContactBounced(notification);
    });
  }

  /** A failure: retried at `retryAt`, or FAILED for good (null); `bounced`: the contact's address was refused. */
  async recordFailure(notification: ClaimedNotification, durationMs: number, outcome: string, retryAt: Date | null, bounced: boolean): Promise<void> {
    const now = new Date();
    await this.database.transaction(async (tx) => {
      const { count } = await tx.notification.updateMany({
        where: { id: notification.id, status: 'PENDING', attempts: notification.attempts },
        data: retryAt
          ? { nextAttemptAt: retryAt, leaseUntil: null, lastError: outcome.slice(0, 500) }
          : { status: 'FAILED', failedAt: now, leaseUntil: null, lastError: outcome.slice(0, 500) },
      });
      await tx.notificationAttempt.create({
        data: { notificationId: notification.id, attempt: notification.attempts, durationMs, succeeded: false, outcome: outcome.slice(0, 500), worker: WORKER },
      });
      if (count === 1 && bounced) await this.markContactBounced(notification);
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

  private async markContactBounced(notification: ClaimedNotification): Promise<void> {
    if (!notification.contactId || notification.channel !== NotificationChannel.EMAIL) return;
    await this.prisma.contact.update({ where: { id: notification.contactId }, data: { deliveryFailedAt: new Date(), version: { increment: 1 } } });
  }

  // Recipients -----------------------------------------------------------------------------------

  /** A State's technical contacts: they and the State's CERTs hear about requests. */
  technicalContacts(stateCode: string) {
    return this.prisma.contact.findMany({
      where: { stateCode, kind: ContactKind.TECHNICAL, status: EntryStatus.ACTIVE, NOT: { emails: { isEmpty: true } } },
      select: { id: true, emails: true, languages: true, timeZone: true },
      orderBy: { id: 'asc' },
    });
  }

  certs(stateCode: string) {
    return this.prisma.cert.findMany({
      where: { stateCode, status: EntryStatus.ACTIVE, NOT: { emails: { isEmpty: true } } },
      select: { id: true, emails: true, languages: true, timeZone: true },
      orderBy: { id: 'asc' },
    });
  }

  optedInUsers(stateCode: string) {
    return this.prisma.user.findMany({
      where: { stateCode, notifyByEmail: true, disabledAt: null, passwordHash: { not: null } },
      select: { id: true, email: true, preferredLanguage: true },
      orderBy: { id: 'asc' },
    });
  }

  webhooks(stateCode: string, eventType: string) {
    return this.prisma.webhook.findMany({
      where: { stateCode, disabledAt: null, OR: [{ eventTypes: { isEmpty: true } }, { eventTypes: { has: eventType } }] },
      select: { id: true, url: true },
      orderBy: { id: 'asc' },
    });
  }

  webhook(id: string) {
    return this.prisma.webhook.findFirst({ where: { id, disabledAt: null }, select: { id: true, url: true } });
  }

  user(id: string) {
    return this.prisma.user.findUnique({ where: { id }, select: { id: true, email: true, disabledAt: true, preferredLanguage: true } });
  }

  checkTarget(id: string) {
    return this.prisma.communicationCheckTarget.findUnique({
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
    return this.prisma.webhook.findUnique({ where: { id }, select: { id: true, secretCiphertext: true, disabledAt: true, attachStix: true } });
  }
}
