import { Injectable } from '@nestjs/common';
import type { JournaledAuditEvent } from '../audit';
import { outboxInsertSql } from '../outbox';
import { CbmRequest, Database, Prisma, RecipientStatus, RequestMessage, RequestRecipient, RequestTransition, RequestType, sqlParameters, Urgency } from '@cbm/database';
import { RequestReader } from './request-reader';
import { DEADLINE_NAMES, DEADLINES } from './request-rules';

/** A request as stored (the Prisma model keeps its historical name). */
export type RequestRecord = CbmRequest;
export type RequestWithRecipients = RequestRecord & { recipients: RequestRecipient[] };

export interface RequestFilter {
  direction?: 'incoming' | 'outgoing';
  type?: RequestType;
  status?: RecipientStatus;
  urgency?: Urgency;
  overdue?: boolean;
  now: Date;
  before?: { createdAt: Date; id: string };
}

/** What a filing writes besides the request: one outbox event per recipient State, and the answer kept for retries. */
export interface Filing {
  request: RequestWithRecipients;
  outbox: Array<{ stateCode: string; payload: Record<string, unknown> }>;
  response: Record<string, unknown>;
}

/**
 * What the filing statement did. `reference` is drawn when the key was new and every recipient takes
 * part — also for a filing that then lost its key to a concurrent duplicate (`filed` false).
 */
export interface FilingOutcome {
  filed: boolean;
  reference: string | null;
  participating: string[];
  earlier: IdempotencyAnswer | null;
}

/** A request's reference is `REQ-<year of filing, UTC>-<number, at least six digits>`. */
function referencePrefix(filedAt: Date): string {
  return `REQ-${filedAt.getUTCFullYear()}-`;
}

/** The answer kept for an idempotency key (written with its claim, in the filing's statement). */
export interface IdempotencyAnswer {
  requestHash: string;
  responseStatus: number | null;
  responseBody: unknown;
}

/** A recipient's move to another status, with the dates and answer that move sets. */
export interface RecipientStatusChange {
  status: RecipientStatus;
  acknowledgedAt?: Date;
  answeredAt?: Date;
  closedAt?: Date;
  answer?: string;
}

export interface NewTransition {
  requestId: string;
  recipientState: string;
  action: string;
  fromStatus: RecipientStatus;
  toStatus: RecipientStatus;
  note: string | undefined;
  actorState: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
}

export interface NewMessage {
  requestId: string;
  authorState: string;
  authorUserId: string | null;
  authorApiKeyId: string | null;
  toState: string | null;
  body: string;
}

const WITH_RECIPIENTS = { recipients: { orderBy: { stateCode: 'asc' } } } satisfies Prisma.CbmRequestInclude;

/** Requests as a reader may reach them: a State those it is party to (requester or recipient), the secretariat all. */
@Injectable()
export class RequestsRepository {
  constructor(private readonly database: Database) {}

  static involving(stateCode: string): Prisma.CbmRequestWhereInput {
    return { OR: [{ requesterState: stateCode }, { recipients: { some: { stateCode } } }] };
  }

  private static readableBy(reader: RequestReader): Prisma.CbmRequestWhereInput {
    return reader.kind === 'state' ? RequestsRepository.involving(reader.stateCode) : {};
  }

  /** The overdue rule of request-rules.ts as a Prisma condition: some recipient missed a deadline it owes. */
  static overdue(now: Date): Prisma.CbmRequestWhereInput {
    return {
      OR: DEADLINE_NAMES.map((deadline) => {
        const { column, owedWhile } = DEADLINES[deadline];
        return { [column]: { lt: now }, recipients: { some: { status: { in: [...owedWhile] } } } };
      }),
    };
  }

  /**
   * A page of requests, newest first. "Involving a State" is two sets, each with its own index
   * (requests it filed; requests addressed to it): as one OR the planner can only scan the whole
   * table, so each side is read separately, `limit` at most, and the two are merged.
   */
  async findPage(reader: RequestReader, filter: RequestFilter, limit: number): Promise<RequestWithRecipients[]> {
    if (reader.kind === 'secretariat') return this.findPageWhere(this.filters(filter), limit);
    const { stateCode } = reader;
    const outgoing = filter.direction !== 'incoming' ? this.findPageWhere([{ requesterState: stateCode }, ...this.filters(filter)], limit) : Promise.resolve([]);
    const incoming = filter.direction !== 'outgoing' ? this.findPageWhere([{ recipients: { some: { stateCode } } }, ...this.filters(filter)], limit) : Promise.resolve([]);
    const merged = new Map<string, RequestWithRecipients>();
    for (const request of [...(await outgoing), ...(await incoming)]) merged.set(request.id, request);
    return [...merged.values()]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit);
  }

  private filters(filter: RequestFilter): Prisma.CbmRequestWhereInput[] {
    const where: Prisma.CbmRequestWhereInput[] = [];
    if (filter.type) where.push({ type: filter.type });
    if (filter.urgency) where.push({ urgency: filter.urgency });
    if (filter.status) where.push({ recipients: { some: { status: filter.status } } });
    if (filter.overdue === true) where.push(RequestsRepository.overdue(filter.now));
    if (filter.overdue === false) where.push({ NOT: RequestsRepository.overdue(filter.now) });
    if (filter.before) {
      where.push({
        OR: [{ createdAt: { lt: filter.before.createdAt } }, { createdAt: filter.before.createdAt, id: { lt: filter.before.id } }],
      });
    }
    return where;
  }

  private findPageWhere(where: Prisma.CbmRequestWhereInput[], limit: number): Promise<RequestWithRecipients[]> {
    return this.database.prisma.cbmRequest.findMany({
      where: { AND: where },
      include: WITH_RECIPIENTS,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  /** A request the reader may reach (see the class); otherwise null. */
  findVisible(reader: RequestReader, id: string): Promise<RequestWithRecipients | null> {
    return this.database.prisma.cbmRequest.findFirst({
      where: { id, ...RequestsRepository.readableBy(reader) },
      include: WITH_RECIPIENTS,
    });
  }

  transitions(requestId: string): Promise<RequestTransition[]> {
    return this.database.prisma.requestTransition.findMany({ where: { requestId }, orderBy: { at: 'asc' } });
  }

  /** Messages a party may read: the requester all; a recipient those to all parties or to it. */
  messagesFor(requestId: string, stateCode: string, isRequester: boolean): Promise<RequestMessage[]> {
    return this.database.prisma.requestMessage.findMany({
      where: { requestId, ...(isRequester ? {} : { OR: [{ toState: null }, { toState: stateCode }] }) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /**
   * Moves a recipient to another status only if it is still in `from`, the status it was read in:
   * false when a concurrent action moved it first (nothing is written then).
   */
  async updateRecipientStatus(recipientId: string, from: RecipientStatus, change: RecipientStatusChange): Promise<boolean> {
    const { count } = await this.database.prisma.requestRecipient.updateMany({
      where: { id: recipientId, status: from },
      data: {
        status: change.status,
        ...(change.acknowledgedAt ? { acknowledgedAt: change.acknowledgedAt } : {}),
        ...(change.answer !== undefined ? { answer: change.answer } : {}),
        ...(change.answeredAt ? { answeredAt: change.answeredAt } : {}),
        ...(change.closedAt ? { closedAt: change.closedAt } : {}),
      },
    });
    return count === 1;
  }

  async recordTransition(transition: NewTransition): Promise<void> {
    await this.database.prisma.requestTransition.create({ data: transition });
  }

  /** Marks the request as changed now. */
  async touch(id: string): Promise<void> {
    await this.database.prisma.cbmRequest.update({ where: { id }, data: { updatedAt: new Date() } });
  }

  createMessage(message: NewMessage): Promise<RequestMessage> {
    return this.database.prisma.requestMessage.create({ data: message });
  }

  /**
   * Files a request in one statement, atomic on its own and the only one of a filing: the answer kept
   * for its key if it was used before (a retry, answered from that record), which recipients take
   * part in the registry, and — when the key is new and all of them do — the reference drawn from its
   * sequence, the idempotency claim with the answer kept for retries, the request, its recipients,
   * the outbox events and the journaled audit event. The reference is written into the kept answer,
   * the events and the audit summary here, where it is drawn. `filed` is false when the key was used
   * before, a recipient does not take part, or another filing claimed the key first (a concurrent
   * duplicate waits here for the first to commit, and finds its record afterwards). A number drawn
   * for a filing that then loses the race is not reused: references are unique and increasing, not
   * gapless (no sequence is). Written for the hottest write of an incident: through Prisma's
   * interactive transaction it was thirteen round trips, each a turn of a busy event loop.
   */
  async fileRequest(filing: Filing, key: string, requestHash: string, auditEvent: JournaledAuditEvent): Promise<FilingOutcome> {
    const { request } = filing;
    // Bound in this order every time: the statement is named, so its text must never change.
    const { params, bind } = sqlParameters();
    const $ = {
      id: bind(request.id),
      referencePrefix: bind(referencePrefix(request.createdAt)),
      requesterState: bind(request.requesterState),
      type: bind(request.type),
      urgency: bind(request.urgency),
      title: bind(request.title),
      description: bind(request.description),
      incidentStart: bind(request.incidentStart),
      incidentEnd: bind(request.incidentEnd),
      sectors: bind(request.sectors),
      indicators: bind(JSON.stringify(request.indicators)),
      requestedActions: bind(request.requestedActions),
      tlp: bind(request.tlp),
      respondBy: bind(request.respondBy),
      acknowledgeBy: bind(request.acknowledgeBy),
      language: bind(request.language),
      createdByUserId: bind(request.createdByUserId),
      createdByApiKeyId: bind(request.createdByApiKeyId),
      createdAt: bind(request.createdAt),
      recipientIds: bind(request.recipients.map((recipient) => recipient.id)),
      recipientStates: bind(request.recipients.map((recipient) => recipient.stateCode)),
      eventStates: bind(filing.outbox.map((event) => event.stateCode)),
      eventPayloads: bind(filing.outbox.map((event) => JSON.stringify(event.payload))),
      key: bind(key),
      requestHash: bind(requestHash),
      response: bind(JSON.stringify(filing.response)),
    };
    const withReference = (json: string) => `jsonb_set(${json}, '{reference}', to_jsonb((SELECT "reference" FROM drawn)))`;
    const journal = auditEvent.insertSql(params.length + 1, 'EXISTS (SELECT 1 FROM created)', withReference);
    params.push(...journal.values);
    const notify = outboxInsertSql(
      { type: `'request.created'`, stateCode: 'event."stateCode"', payload: withReference('event."payload"'), createdAt: `${$.createdAt}::timestamptz` },
      `created, unnest(${$.eventStates}::text[], ${$.eventPayloads}::jsonb[]) AS event("stateCode", "payload")`,
    );
    const { rows } = await this.database.pool.query<FilingOutcome & { requestHash: string | null; responseStatus: number | null; responseBody: unknown }>({
      // Named: a statement this size costs PostgreSQL more to plan than to run.
      name: 'file-request',
      text: `WITH earlier AS (
         SELECT r."requestHash", r."responseStatus", r."responseBody" FROM "idempotency_record" r WHERE r."stateCode" = ${$.requesterState} AND r."key" = ${$.key}),
       participating AS (
         SELECT ARRAY(SELECT s."code"::text FROM "state" s WHERE s."code" = ANY(${$.recipientStates}::text[]) AND s."participating" ORDER BY s."code") AS "codes"),
       drawn AS (
         SELECT ${$.referencePrefix} || lpad(next.n::text, greatest(6, length(next.n::text)), '0') AS "reference"
           FROM (SELECT nextval('request_reference_seq') AS n
                  WHERE NOT EXISTS (SELECT 1 FROM earlier)
                    AND (SELECT cardinality("codes") FROM participating) = cardinality(${$.recipientStates}::text[])) AS next),
       claimed AS (
         INSERT INTO "idempotency_record" ("stateCode", "key", "requestHash", "responseStatus", "responseBody")
         SELECT ${$.requesterState}, ${$.key}, ${$.requestHash}, 201, ${withReference(`${$.response}::jsonb`)} FROM drawn
         ON CONFLICT DO NOTHING RETURNING 1),
       created AS (
         INSERT INTO "request" ("id", "reference", "requesterState", "type", "urgency", "title", "description", "incidentStart",
                                "incidentEnd", "sectors", "indicators", "requestedActions", "tlp", "respondBy", "acknowledgeBy",
                                "language", "createdByUserId", "createdByApiKeyId", "createdAt", "updatedAt")
         SELECT ${$.id}::uuid, drawn."reference", ${$.requesterState}, ${$.type}::"RequestType", ${$.urgency}::"Urgency", ${$.title}, ${$.description},
                ${$.incidentStart}::timestamptz, ${$.incidentEnd}::timestamptz, ${$.sectors}::text[]::"Sector"[], ${$.indicators}::jsonb, ${$.requestedActions},
                ${$.tlp}::"Tlp", ${$.respondBy}::timestamptz, ${$.acknowledgeBy}::timestamptz, ${$.language}, ${$.createdByUserId}::uuid,
                ${$.createdByApiKeyId}::uuid, ${$.createdAt}::timestamptz, ${$.createdAt}::timestamptz
           FROM drawn
          WHERE EXISTS (SELECT 1 FROM claimed)
         RETURNING "id"),
       addressed AS (
         INSERT INTO "request_recipient" ("id", "requestId", "stateCode", "status", "updatedAt")
         SELECT recipient."id", created."id", recipient."stateCode", 'SUBMITTED', ${$.createdAt}::timestamptz
           FROM created, unnest(${$.recipientIds}::uuid[], ${$.recipientStates}::text[]) AS recipient("id", "stateCode")),
       notified AS (${notify}),
       audited AS (${journal.sql})
       SELECT EXISTS (SELECT 1 FROM created) AS "filed", (SELECT "reference" FROM drawn) AS "reference",
              (SELECT "codes" FROM participating) AS "participating", e."requestHash", e."responseStatus", e."responseBody"
         FROM (SELECT 1) AS one LEFT JOIN earlier e ON TRUE`,
      values: params,
    });
    const { filed, reference, participating, ...earlier } = rows[0];
    return { filed, reference, participating, earlier: earlier.requestHash === null ? null : (earlier as IdempotencyAnswer) };
  }

  /**
   * For a filing refused before it is written: the answer kept for this key, if any (a retry is
   * answered from it whatever else has changed), and which of the recipients take part.
   */
  async filingContext(stateCode: string, key: string, recipients: string[]): Promise<{ earlier: IdempotencyAnswer | null; participating: string[] }> {
    const { rows } = await this.database.pool.query<IdempotencyAnswer & { participating: string[] }>({
      name: 'filing-context',
      text: `SELECT r."requestHash", r."responseStatus", r."responseBody",
              ARRAY(SELECT s."code"::text FROM "state" s WHERE s."code" = ANY($3::text[]) AND s."participating") AS "participating"
         FROM (SELECT 1) AS one LEFT JOIN "idempotency_record" r ON r."stateCode" = $1 AND r."key" = $2`,
      values: [stateCode, key, recipients],
    });
    const { participating, ...earlier } = rows[0];
    return { earlier: earlier.requestHash === null ? null : earlier, participating };
  }

  findIdempotencyRecord(stateCode: string, key: string) {
    return this.database.prisma.idempotencyRecord.findUnique({ where: { stateCode_key: { stateCode, key } } });
  }

  /** Counts and durations over the recipients of the requests the reader may reach, in SQL. */
  async stats(reader: RequestReader) {
    const inScope =
      reader.kind === 'state'
      ? Prisma.sql`(q."requesterState" = ${reader.stateCode} OR r."stateCode" = ${reader.stateCode})`
      : Prisma.sql`TRUE`;
    const [durations] = await this.database.prisma.$queryRaw<
      Array<{ ackMedian: number | null; ackP90: number | null; answerMedian: number | null; answerP90: number | null }>
    >`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."acknowledgedAt" - q."createdAt"))::float8 AS "ackMedian",
             percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."acknowledgedAt" - q."createdAt"))::float8 AS "ackP90",
             percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."answeredAt" - q."createdAt"))::float8 AS "answerMedian",
             percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."answeredAt" - q."createdAt"))::float8 AS "answerP90"
        FROM "request_recipient" r JOIN "request" q ON q."id" = r."requestId"
       WHERE ${inScope}`;
    const byStatus = await this.database.prisma.$queryRaw<Array<{ status: string; count: number }>>`
      SELECT r."status"::text AS status, COUNT(*)::int AS count
        FROM "request_recipient" r JOIN "request" q ON q."id" = r."requestId"
       WHERE ${inScope} GROUP BY r."status"`;
    const byType = await this.database.prisma.$queryRaw<Array<{ type: string; count: number }>>`
      SELECT q."type"::text AS type, COUNT(DISTINCT q."id")::int AS count
        FROM "request" q JOIN "request_recipient" r ON q."id" = r."requestId"
       WHERE ${inScope} GROUP BY q."type"`;
    return { durations, byStatus, byType };
  }
}
