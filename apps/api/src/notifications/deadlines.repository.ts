import { Injectable } from '@nestjs/common';
import { Database } from '@cbm/database';
import { outboxInsertSql } from '../outbox';
import { Deadline, DEADLINES, hasMissedSql, owesSql } from '../requests';

/** The recipient row `rr` and its request `r`, now: where the request rules are read in these statements. */
const DUE = { recipient: 'rr', request: 'r', now: 'now()' };

/** The event's payload, built in SQL from the `due` row; `audience` says whom the notice is for. */
function deadlinePayload(audience: 'recipient' | 'requester'): string {
  return `jsonb_build_object(
    'requestId', due.id, 'reference', due.reference, 'type', due.type, 'urgency', due.urgency,
    'from', due."requesterState", 'recipient', due."stateCode", 'audience', '${audience}'::text,
    'acknowledgeBy', due."acknowledgeBy", 'respondBy', due."respondBy")`;
}

/** Which mark each deadline's reminder and overdue notice set on the recipient, and the events they write. */
const NOTICES = {
  acknowledgement: {
    reminder: { mark: 'ackReminderSentAt', type: 'request.ack_reminder' },
    overdue: { mark: 'ackOverdueSentAt', type: 'request.ack_overdue' },
  },
  response: {
    reminder: { mark: 'responseReminderSentAt', type: 'request.response_reminder' },
    overdue: { mark: 'responseOverdueSentAt', type: 'request.response_overdue' },
  },
} as const satisfies Record<Deadline, Record<'reminder' | 'overdue', { mark: string; type: string }>>;

/**
 * The deadline scheduler's statements. Each marks what it handles and writes the outbox rows in one
 * statement, so with several workers every notice goes out exactly once: the second worker's UPDATE
 * finds the mark already set.
 */
@Injectable()
export class DeadlinesRepository {
  constructor(private readonly database: Database) {}

  /**
   * Reminds recipients still owing `deadline` once a quarter of its window is left (a 2-hour
   * CRITICAL acknowledgement 30 minutes before, a 72-hour ROUTINE one 18 hours before). Returns how
   * many events were written.
   */
  remindDeadline(deadline: Deadline): Promise<number> {
    const { mark, type } = NOTICES[deadline].reminder;
    const column = `r."${DEADLINES[deadline].column}"`;
    return this.execute(`
      WITH due AS (
        UPDATE request_recipient rr SET "${mark}" = now()
          FROM request r
         WHERE rr."requestId" = r.id AND ${owesSql(deadline, DUE)} AND rr."${mark}" IS NULL
           AND ${column} > now()
           AND now() >= ${column} - (${column} - r."createdAt") / 4
        RETURNING rr."stateCode", r.*
      )
      ${outboxInsertSql({ type: `'${type}'`, stateCode: 'due."stateCode"', payload: deadlinePayload('recipient') }, 'due')}`);
  }

  /** Tells the late recipient and the requester that `deadline` was missed. Returns how many events were written. */
  noticeMissedDeadline(deadline: Deadline): Promise<number> {
    const { mark, type } = NOTICES[deadline].overdue;
    return this.execute(`
      WITH due AS (
        UPDATE request_recipient rr SET "${mark}" = now()
          FROM request r
         WHERE rr."requestId" = r.id AND rr."${mark}" IS NULL AND ${hasMissedSql(deadline, DUE)}
        RETURNING rr."stateCode", r.*
      )
      ${outboxInsertSql(
        { type: `'${type}'`, stateCode: 'notice."stateCode"', payload: 'notice."payload"' },
        `(SELECT due."stateCode", ${deadlinePayload('recipient')} AS "payload" FROM due
          UNION ALL
          SELECT due."requesterState", ${deadlinePayload('requester')} FROM due) AS notice`,
      )}`);
  }

  /** Reminds the pending targets of open communication checks whose reminder time has come. Returns how many events were written. */
  remindCommunicationChecks(): Promise<number> {
    return this.execute(`
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
      ${outboxInsertSql(
        {
          type: `'communication_check.reminder'`,
          stateCode: '"stateCode"',
          payload: `jsonb_build_object('targetId', id, 'checkId', "checkId", 'windowEndsAt', "windowEndsAt")`,
        },
        'reminded',
      )}`);
  }

  /** Contacts that did not answer within the window become UNRESPONSIVE; `checkId` closes one early. */
  closeEndedChecks(checkId?: string): Promise<number> {
    return this.execute(
      `
      WITH closed AS (
        UPDATE communication_check SET status = 'CLOSED', "closedAt" = now()
         WHERE status = 'OPEN' AND ($1::uuid IS NULL AND "windowEndsAt" <= now() OR id = $1::uuid)
        RETURNING id
      )
      UPDATE communication_check_target t SET status = 'UNRESPONSIVE'
        FROM closed WHERE t."checkId" = closed.id AND t.status = 'PENDING'`,
      checkId ?? null,
    );
  }

  private execute(sql: string, ...values: unknown[]): Promise<number> {
    return this.database.prisma.$executeRawUnsafe(sql, ...values);
  }
}
