import { Injectable } from '@nestjs/common';
import type { JournaledAuditEvent } from '../audit';
import { CbmRequest, Prisma, PrismaService, RecipientStatus, RequestMessage, RequestRecipient, RequestTransition, RequestType, Urgency } from '@cbm/database';

type Tx = Prisma.TransactionClient;
export type RequestWithRecipients = CbmRequest & { recipients: RequestRecipient[] };

const OPEN_STATUSES = [RecipientStatus.SUBMITTED, RecipientStatus.ACKNOWLEDGED, RecipientStatus.IN_PROGRESS];

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
  outbox: Array<{ stateCode: string; payload: Prisma.InputJsonValue }>;
  response: Prisma.InputJsonValue;
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

/** Requests involving a State (as requester or recipient); `scope` null is the secretariat's view of all. */
@Injectable()
export class RequestsRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  static involving(stateCode: string): Prisma.CbmRequestWhereInput {
    return { OR: [{ requesterState: stateCode }, { recipients: { some: { stateCode } } }] };
  }

  static overdue(now: Date): Prisma.CbmRequestWhereInput {
    return {
      OR: [
        { acknowledgeBy: { lt: now }, recipients: { some: { status: RecipientStatus.SUBMITTED } } },
        { respondBy: { lt: now }, recipients: { some: { status: { in: OPEN_STATUSES } } } },
      ],
    };
  }

  /**
   * A page of requests, newest first. "Involving a State" is two sets, each with its own index
   * (requests it filed; requests addressed to it): as one OR the planner can only scan the whole
   * table, so each side is read separately, `limit` at most, and the two are merged.
   */
  async findPage(scope: string | null, filter: RequestFilter, limit: number): Promise<RequestWithRecipients[]> {
    if (!scope) return this.findPageWhere(this.filters(filter), limit);
    const outgoing = filter.direction !== 'incoming' ? this.findPageWhere([{ requesterState: scope }, ...this.filters(filter)], limit) : Promise.resolve([]);
    const incoming = filter.direction !== 'outgoing' ? this.findPageWhere([{ recipients: { some: { stateCode: scope } } }, ...this.filters(filter)], limit) : Promise.resolve([]);
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
    return this.prisma.cbmRequest.findMany({
      where: { AND: where },
      include: { recipients: { orderBy: { stateCode: 'asc' } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  /** A request the scope State is party to (or any, for the secretariat); otherwise null. */
  findVisible(scope: string | null, id: string, tx: Tx = this.prisma): Promise<RequestWithRecipients | null> {
    return tx.cbmRequest.findFirst({
      where: { id, ...(scope ? RequestsRepository.involving(scope) : {}) },
      include: { recipients: { orderBy: { stateCode: 'asc' } } },
    });
  }

  transitions(requestId: string): Promise<RequestTransition[]> {
    return this.prisma.requestTransition.findMany({ where: { requestId }, orderBy: { at: 'asc' } });
  }

  /** Messages a party may read: the requester all; a recipient those to all parties or to it. */
  messagesFor(requestId: string, stateCode: string, isRequester: boolean): Promise<RequestMessage[]> {
    return this.prisma.requestMessage.findMany({
      where: { requestId, ...(isRequester ? {} : { OR: [{ toState: null }, { toState: stateCode }] }) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
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
  async file(filing: Filing, key: string, requestHash: string, auditEvent: JournaledAuditEvent): Promise<FilingOutcome> {
    const { request } = filing;
    const withReference = (json: string) => `jsonb_set(${json}, '{reference}', to_jsonb((SELECT "reference" FROM drawn)))`;
    const journal = auditEvent.insertSql(27, 'EXISTS (SELECT 1 FROM created)', withReference);
    const { rows } = await this.prisma.pool.query<FilingOutcome & { requestHash: string | null; responseStatus: number | null; responseBody: unknown }>({
      // Named: a statement this size costs PostgreSQL more to plan than to run.
      name: 'file-request',
      text: `WITH earlier AS (
         SELECT r."requestHash", r."responseStatus", r."responseBody" FROM "idempotency_record" r WHERE r."stateCode" = $3 AND r."key" = $24),
       participating AS (
         SELECT ARRAY(SELECT s."code"::text FROM "state" s WHERE s."code" = ANY($21::text[]) AND s."participating" ORDER BY s."code") AS "codes"),
       drawn AS (
         SELECT $2 || lpad(next.n::text, greatest(6, length(next.n::text)), '0') AS "reference"
           FROM (SELECT nextval('request_reference_seq') AS n
                  WHERE NOT EXISTS (SELECT 1 FROM earlier)
                    AND (SELECT cardinality("codes") FROM participating) = cardinality($21::text[])) AS next),
       claimed AS (
         INSERT INTO "idempotency_record" ("stateCode", "key", "requestHash", "responseStatus", "responseBody")
         SELECT $3, $24, $25, 201, ${withReference('$26::jsonb')} FROM drawn
         ON CONFLICT DO NOTHING RETURNING 1),
       created AS (
         INSERT INTO "request" ("id", "reference", "requesterState", "type", "urgency", "title", "description", "incidentStart",
                                "incidentEnd", "sectors", "indicators", "requestedActions", "tlp", "respondBy", "acknowledgeBy",
                                "language", "createdByUserId", "createdByApiKeyId", "createdAt", "updatedAt")
         SELECT $1::uuid, drawn."reference", $3, $4::"RequestType", $5::"Urgency", $6, $7, $8::timestamptz, $9::timestamptz, $10::text[]::"Sector"[],
                $11::jsonb, $12, $13::"Tlp", $14::timestamptz, $15::timestamptz, $16, $17::uuid, $18::uuid, $19::timestamptz, $19::timestamptz
           FROM drawn
          WHERE EXISTS (SELECT 1 FROM claimed)
         RETURNING "id"),
       addressed AS (
         INSERT INTO "request_recipient" ("id", "requestId", "stateCode", "status", "updatedAt")
         SELECT recipient."id", created."id", recipient."stateCode", 'SUBMITTED', $19::timestamptz
           FROM created, unnest($20::uuid[], $21::text[]) AS recipient("id", "stateCode")),
       notified AS (
         INSERT INTO "outbox_event" ("id", "type", "stateCode", "payload", "createdAt")
         SELECT gen_random_uuid(), 'request.created', event."stateCode", ${withReference('event."payload"')}, $19::timestamptz
           FROM created, unnest($22::text[], $23::jsonb[]) AS event("stateCode", "payload")),
       audited AS (${journal.sql})
       SELECT EXISTS (SELECT 1 FROM created) AS "filed", (SELECT "reference" FROM drawn) AS "reference",
              (SELECT "codes" FROM participating) AS "participating", e."requestHash", e."responseStatus", e."responseBody"
         FROM (SELECT 1) AS one LEFT JOIN earlier e ON TRUE`,
      values: [
        request.id, referencePrefix(request.createdAt), request.requesterState, request.type, request.urgency, request.title, request.description,
        request.incidentStart, request.incidentEnd, request.sectors, JSON.stringify(request.indicators), request.requestedActions,
        request.tlp, request.respondBy, request.acknowledgeBy, request.language, request.createdByUserId, request.createdByApiKeyId,
        request.createdAt, request.recipients.map((recipient) => recipient.id), request.recipients.map((recipient) => recipient.stateCode),
        filing.outbox.map((event) => event.stateCode), filing.outbox.map((event) => JSON.stringify(event.payload)),
        key, requestHash, JSON.stringify(filing.response), ...journal.values,
      ],
    });
    const { filed, reference, participating, ...earlier } = rows[0];
    return { filed, reference, participating, earlier: earlier.requestHash === null ? null : (earlier as IdempotencyAnswer) };
  }

  /**
   * For a filing refused before it is written: the answer kept for this key, if any (a retry is
   * answered from it whatever else has changed), and which of the recipients take part.
   */
  async filingContext(stateCode: string, key: string, recipients: string[]): Promise<{ earlier: IdempotencyAnswer | null; participating: string[] }> {
    const { rows } = await this.prisma.pool.query<IdempotencyAnswer & { participating: string[] }>({
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
    return this.prisma.idempotencyRecord.findUnique({ where: { stateCode_key: { stateCode, key } } });
  }

  /** Counts and durations over the recipients of requests in scope, in SQL. */
  async stats(scope: string | null) {
    const inScope = scope
      ? Prisma.sql`(q."requesterState" = ${scope} OR r."stateCode" = ${scope})`
      : Prisma.sql`TRUE`;
    const [durations] = await this.prisma.$queryRaw<
      Array<{ ackMedian: number | null; ackP90: number | null; answerMedian: number | null; answerP90: number | null }>
    >`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."acknowledgedAt" - q."createdAt"))::float8 AS "ackMedian",
             percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."acknowledgedAt" - q."createdAt"))::float8 AS "ackP90",
             percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."answeredAt" - q."createdAt"))::float8 AS "answerMedian",
             percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r."answeredAt" - q."createdAt"))::float8 AS "answerP90"
        FROM "request_recipient" r JOIN "request" q ON q."id" = r."requestId"
       WHERE ${inScope}`;
    const byStatus = await this.prisma.$queryRaw<Array<{ status: string; count: number }>>`
      SELECT r."status"::text AS status, COUNT(*)::int AS count
        FROM "request_recipient" r JOIN "request" q ON q."id" = r."requestId"
       WHERE ${inScope} GROUP BY r."status"`;
    const byType = await this.prisma.$queryRaw<Array<{ type: string; count: number }>>`
      SELECT q."type"::text AS type, COUNT(DISTINCT q."id")::int AS count
        FROM "request" q JOIN "request_recipient" r ON q."id" = r."requestId"
       WHERE ${inScope} GROUP BY q."type"`;
    return { durations, byStatus, byType };
  }
}
