import { Injectable } from '@nestjs/common';
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

  /** From a sequence: unique without a lock (see the migration request_reference_sequence). */
  async nextReference(tx: Tx, year: number): Promise<string> {
    const [row] = await tx.$queryRaw<Array<{ number: bigint }>>`SELECT nextval('request_reference_seq') AS number`;
    return `REQ-${year}-${String(row.number).padStart(6, '0')}`;
  }

  /** Claims the key for this body; false when someone used it first (then read the record). */
  async claimIdempotencyKey(tx: Tx, stateCode: string, key: string, requestHash: string): Promise<boolean> {
    const rows = await tx.$queryRaw<Array<{ claimed: number }>>`
      INSERT INTO "idempotency_record" ("stateCode", "key", "requestHash") VALUES (${stateCode}, ${key}, ${requestHash})
      ON CONFLICT DO NOTHING RETURNING 1 AS claimed`;
    return rows.length === 1;
  }

  saveIdempotentResponse(tx: Tx, stateCode: string, key: string, status: number, body: Prisma.InputJsonValue) {
    return tx.idempotencyRecord.update({ where: { stateCode_key: { stateCode, key } }, data: { responseStatus: status, responseBody: body } });
  }

  findIdempotencyRecord(stateCode: string, key: string) {
    return this.prisma.idempotencyRecord.findUnique({ where: { stateCode_key: { stateCode, key } } });
  }

  participatingStates(codes: string[]): Promise<string[]> {
    return this.prisma.state.findMany({ where: { code: { in: codes }, participating: true }, select: { code: true } }).then((rows) => rows.map((row) => row.code));
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
