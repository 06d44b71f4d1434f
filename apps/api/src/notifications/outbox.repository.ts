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

  /** Takes due notifications for `leaseSeconds`; one attempt is counted at the claim, so a crash counts too. */
  claimDueNotifications(limit: number, leaseSeconds: number): Promise<ClaimedNotification[]> {
    return this.prisma.$queryRaw<ClaimedNotification[]>`
      WITH due AS (
        SELECT id FROM notification
         WHERE status = 'PENDING' AND "nextAttemptAt" <= now() AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
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

  async recordDelivered(notification: ClaimedNotification, durationMs: number, outcome: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.notification.update({
        where: { id: notification.id },
        data: { status: 'DELIVERED', deliveredAt: new Date(), leaseUntil: null, lastError: null },
      }),
      this.prisma.notificationAttempt.create({
        data: { notificationId: notification.id, attempt: notification.attempts, durationMs, succeeded: true, outcome: outcome.slice(0, 500), worker: WORKER },
      }),
    ]);
  }

  /** A failure: retried at `retryAt`, or FAILED for good (null); a contact that cannot be reached is stale. */
  async recordFailure(notification: ClaimedNotification, durationMs: number, outcome: string, retryAt: Date | null): Promise<void> {
    const now = new Date();
    await this.prisma.$transaction(async (tx) => {
      await tx.notification.update({
        where: { id: notification.id },
        data: retryAt
          ? { nextAttemptAt: retryAt, leaseUntil: null, lastError: outcome.slice(0, 500) }
          : { status: 'FAILED', failedAt: now, leaseUntil: null, lastError: outcome.slice(0, 500) },
      });
      await tx.notificationAttempt.create({
        data: { notificationId: notification.id, attempt: notification.attempts, durationMs, succeeded: false, outcome: outcome.slice(0, 500), worker: WORKER },
      });
      if (!retryAt && notification.contactId && notification.channel === NotificationChannel.EMAIL) {
        await tx.contact.update({ where: { id: notification.contactId }, data: { deliveryFailedAt: now, version: { increment: 1 } } });
      }
    });
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
