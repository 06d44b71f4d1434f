import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@cbm/database';

/**
 * Time-driven events. Each statement marks what it handles and writes the outbox rows in one
 * statement, so with several workers every reminder goes out exactly once: the second worker's
 * UPDATE finds the mark already set.
 *
 * Reminders go out when a quarter of the window is left (a 2-hour CRITICAL acknowledgement is
 * reminded 30 minutes before, a 72-hour ROUTINE one 18 hours before); overdue notices go to the late
 * recipient and to the requester.
 */
@Injectable()
export class DeadlineScheduler {
  constructor(private readonly prisma: PrismaService) {}

  /** Returns how many outbox events were written. */
  async runDue(): Promise<number> {
    let written = 0;
    written += await this.prisma.$executeRaw`
      WITH due AS (
        UPDATE request_recipient rr SET "ackReminderSentAt" = now()
          FROM request r
         WHERE rr."requestId" = r.id AND rr.status = 'SUBMITTED' AND rr."ackReminderSentAt" IS NULL
           AND r."acknowledgeBy" > now()
           AND now() >= r."acknowledgeBy" - (r."acknowledgeBy" - r."createdAt") / 4
        RETURNING rr."stateCode", r.*
      )
      INSERT INTO outbox_event (id, type, "stateCode", payload)
      SELECT gen_random_uuid(), 'request.ack_reminder', due."stateCode", ${deadlinePayload('recipient')} FROM due`;

    written += await this.prisma.$executeRaw`
      WITH due AS (
        UPDATE request_recipient rr SET "ackOverdueSentAt" = now()
          FROM request r
         WHERE rr."requestId" = r.id AND rr.status = 'SUBMITTED' AND rr."ackOverdueSentAt" IS NULL
           AND r."acknowledgeBy" <= now()
        RETURNING rr."stateCode", r.*
      )
      INSERT INTO outbox_event (id, type, "stateCode", payload)
      SELECT gen_random_uuid(), 'request.ack_overdue', due."stateCode", ${deadlinePayload('recipient')} FROM due
      UNION ALL
      SELECT gen_random_uuid(), 'request.ack_overdue', due."requesterState", ${deadlinePayload('requester')} FROM due`;

    written += await this.prisma.$executeRaw`
      WITH due AS (
        UPDATE request_recipient rr SET "responseReminderSentAt" = now()
          FROM request r
         WHERE rr."requestId" = r.id AND rr.status IN ('SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS')
           AND rr."responseReminderSentAt" IS NULL AND r."respondBy" IS NOT NULL
           AND r."respondBy" > now()
           AND now() >= r."respondBy" - (r."respondBy" - r."createdAt") / 4
        RETURNING rr."stateCode", r.*
      )
      INSERT INTO outbox_event (id, type, "stateCode", payload)
      SELECT gen_random_uuid(), 'request.response_reminder', due."stateCode", ${deadlinePayload('recipient')} FROM due`;

    written += await this.prisma.$executeRaw`
      WITH due AS (
        UPDATE request_recipient rr SET "responseOverdueSentAt" = now()
          FROM request r
         WHERE rr."requestId" = r.id AND rr.status IN ('SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS')
           AND rr."responseOverdueSentAt" IS NULL AND r."respondBy" IS NOT NULL
           AND r."respondBy" <= now()
        RETURNING rr."stateCode", r.*
      )
      INSERT INTO outbox_event (id, type, "stateCode", payload)
      SELECT gen_random_uuid(), 'request.response_overdue', due."stateCode", ${deadlinePayload('recipient')} FROM due
      UNION ALL
      SELECT gen_random_uuid(), 'request.response_overdue', due."requesterState", ${deadlinePayload('requester')} FROM due`;

    written += await this.prisma.$executeRaw`
      WITH due_checks AS (
        UPDATE communication_check SET "remindersSentAt" = now()
         WHERE status = 'OPEN' AND "remindAt" <= now() AND "remindersSentAt" IS NULL AND "windowEndsAt" > now()
        RETURNING id, "windowEndsAt"
      ), reminded AS (
        UPDATE communication_check_target t SET "remindedAt" = now()
          FROM due_checks c
         WHERE t."checkId" = c.id AND t.status = 'PENDING'
        RETURNING t.id, t."stateCode", t."checkId", c."windowEndsAt"
      )
      INSERT INTO outbox_event (id, type, "stateCode", payload)
      SELECT gen_random_uuid(), 'communication_check.reminder', "stateCode",
             jsonb_build_object('targetId', id, 'checkId', "checkId", 'windowEndsAt', "windowEndsAt")
        FROM reminded`;

    await this.closeEndedChecks();
    return written;
  }

  /** Contacts that did not answer within the window become UNRESPONSIVE; `checkId` closes one early. */
  async closeEndedChecks(checkId?: string): Promise<number> {
    return this.prisma.$executeRaw`
      WITH closed AS (
        UPDATE communication_check SET status = 'CLOSED', "closedAt" = now()
         WHERE status = 'OPEN' AND (${checkId ?? null}::uuid IS NULL AND "windowEndsAt" <= now() OR id = ${checkId ?? null}::uuid)
        RETURNING id
      )
      UPDATE communication_check_target t SET status = 'UNRESPONSIVE'
        FROM closed WHERE t."checkId" = closed.id AND t.status = 'PENDING'`;
  }
}

/** The event's payload, built in SQL from the `due` row; `audience` says whom the notice is for. */
function deadlinePayload(audience: 'recipient' | 'requester') {
  return Prisma.sql`jsonb_build_object(
    'requestId', due.id, 'reference', due.reference, 'type', due.type, 'urgency', due.urgency,
    'from', due."requesterState", 'recipient', due."stateCode", 'audience', ${audience}::text,
    'acknowledgeBy', due."acknowledgeBy", 'respondBy', due."respondBy")`;
}
