import { Injectable } from '@nestjs/common';
import { visibleToSql } from '../sharing/audience-visibility.repository';
import { CbmRequest, Database, Prisma, RecipientStatus, RequestMessage, RequestRecipient, RequestTransition, RequestType, Urgency } from '@cbm/database';
import { RequestReader } from './request-reader';
import { DEADLINE_NAMES, DEADLINES } from './request-rules';
import { messageCondition, PARTY_SIDES, partyCondition } from './request-visibility.repository';

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

  private static readableBy(reader: RequestReader): Prisma.CbmRequestWhereInput {
    return reader.kind === 'state' ? partyCondition(reader.stateCode) : {};
  }

  /** The overdue rule of request-rules.ts as a Prisma condition: some recipient missed a deadline it owes. */
  static overdue(now: Date): Prisma.CbmRequestWhereInput {
    return {
      OR: DEADLINE_NAMES.map((deadline) => {
        const { column, optional, owedWhile } = DEADLINES[deadline];
        // `not: null` keeps the condition two-valued: with a NULL deadline a bare `lt` is unknown, and
        // NOT (unknown) dropped every request without an answer deadline from `overdue=false`.
        return { [column]: optional ? { not: null, lt: now } : { lt: now }, recipients: { some: { status: { in: [...owedWhile] } } } };
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
    const outgoing = filter.direction !== 'incoming' ? this.findPageWhere([PARTY_SIDES.requester(stateCode), ...this.filters(filter)], limit) : Promise.resolve([]);
    const incoming = filter.direction !== 'outgoing' ? this.findPageWhere([PARTY_SIDES.recipient(stateCode), ...this.filters(filter)], limit) : Promise.resolve([]);
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

  /**
   * The capacity-building needs the recipients of a request opened from their "unable: capacity
   * limits" answers, those `stateCode` may see (the needs' own visibility rule).
   */
  capacityNeedsOf(requestId: string, stateCode: string): Promise<Array<{ id: string; stateCode: string }>> {
    return this.database.prisma.$queryRaw<Array<{ id: string; stateCode: string }>>`
      SELECT n."id", n."stateCode" FROM "capacity_need" n
       WHERE n."sourceRequestId" = ${requestId}::uuid AND ${visibleToSql({ kind: 'state', stateCode }, 'n', 'capacityNeed')}`;
  }

  transitions(requestId: string): Promise<RequestTransition[]> {
    return this.database.prisma.requestTransition.findMany({ where: { requestId }, orderBy: { at: 'asc' } });
  }

  /** The messages of a request that a party may read (see request-visibility.repository.ts). */
  messagesFor(requestId: string, stateCode: string, isRequester: boolean): Promise<RequestMessage[]> {
    return this.database.prisma.requestMessage.findMany({
      where: { requestId, ...messageCondition(stateCode, isRequester) },
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

  /** Counts and durations over the recipients of the requests the reader may reach, in SQL. */
  async stats(reader: RequestReader) {
    const inScope =
      reader.kind === 'state' ? Prisma.sql`(q."requesterState" = ${reader.stateCode} OR r."stateCode" = ${reader.stateCode})` : Prisma.sql`TRUE`;
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
    // What came of "unable: capacity limits" answers: the needs opened from them, and fulfilled. A
    // State counts only the needs it may see (a recipient may have narrowed its need's audience).
    const needVisible = reader.kind === 'state' ? visibleToSql({ kind: 'state', stateCode: reader.stateCode }, 'n', 'capacityNeed') : Prisma.sql`n."status" <> 'DRAFT'`;
    const [capacity] = await this.database.prisma.$queryRaw<Array<{ needsOpened: number; needsFulfilled: number }>>`
      SELECT COUNT(n."id")::int AS "needsOpened", COUNT(n."id") FILTER (WHERE n."status" = 'FULFILLED')::int AS "needsFulfilled"
        FROM "request_recipient" r JOIN "request" q ON q."id" = r."requestId"
        JOIN "capacity_need" n ON n."sourceRequestId" = r."requestId" AND n."stateCode" = r."stateCode"
       WHERE ${inScope} AND r."status" = 'UNABLE_CAPACITY' AND ${needVisible}`;
    return { durations, byStatus, byType, capacity };
  }
}
