import { Injectable } from '@nestjs/common';
import { CapacityEngagement, CapacityEngagementStatus, CapacityEngagementUpdate, CapacityOutcome, Database, Prisma } from '@cbm/database';
import { Side } from '../shared/parties';

export interface EngagementFilter {
  status?: CapacityEngagementStatus;
  /** Keyset position, newest first: engagements before (startedAt, id). */
  before?: { startedAt: Date; id: string };
}

const ENGAGEMENT_COLUMNS = Prisma.raw(
  `e."id", e."proposalId", e."needId", e."needState", e."providerState", e."offerId", e."status"::text AS "status", e."startedAt", e."endedAt",
   e."needOutcome"::text AS "needOutcome", e."needFeedback", e."needEvaluatedAt",
   e."providerOutcome"::text AS "providerOutcome", e."providerFeedback", e."providerEvaluatedAt", e."version", e."updatedAt"`,
);

function partyCondition(stateCode: string): Prisma.Sql {
  return Prisma.sql`(e."needState" = ${stateCode} OR e."providerState" = ${stateCode})`;
}

/**
 * Engagements and their updates, read by their two parties only: every query takes the caller's
 * State first and filters by it in SQL. Writes are conditional on the status (and version) read,
 * so two people acting at once cannot both succeed.
 */
@Injectable()
export class CapacityEngagementsRepository {
  constructor(private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  /** One engagement of which `stateCode` is a party; `lock` FOR SHARE keeps its status still while an update is added. */
  async findForParty(stateCode: string, id: string, options: { lock?: boolean } = {}): Promise<CapacityEngagement | undefined> {
    const [row] = await this.prisma.$queryRaw<CapacityEngagement[]>(Prisma.sql`
      SELECT ${ENGAGEMENT_COLUMNS} FROM "capacity_engagement" e
       WHERE e."id" = ${id}::uuid AND ${partyCondition(stateCode)}
       ${options.lock ? Prisma.sql`FOR SHARE` : Prisma.empty}`);
    return row;
  }

  /** Newest first, filtered and paged in one statement (indexes on (needState|providerState, startedAt, id)). */
  listForParty(stateCode: string, filter: EngagementFilter, limit: number): Promise<CapacityEngagement[]> {
    const conditions = [partyCondition(stateCode)];
    if (filter.status) conditions.push(Prisma.sql`e."status" = ${filter.status}::"CapacityEngagementStatus"`);
    if (filter.before) conditions.push(Prisma.sql`(e."startedAt", e."id") < (${filter.before.startedAt}, ${filter.before.id}::uuid)`);
    return this.prisma.$queryRaw<CapacityEngagement[]>(Prisma.sql`
      SELECT ${ENGAGEMENT_COLUMNS} FROM "capacity_engagement" e
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY e."startedAt" DESC, e."id" DESC
       LIMIT ${limit}`);
  }

  /** ACTIVE → `status` at `version`; undefined when someone else changed it first. */
  async end(id: string, version: number, status: CapacityEngagementStatus): Promise<CapacityEngagement | undefined> {
    const { count } = await this.prisma.capacityEngagement.updateMany({
      where: { id, version, status: CapacityEngagementStatus.ACTIVE },
      data: { status, endedAt: new Date(), version: { increment: 1 } },
    });
    return count === 1 ? ((await this.prisma.capacityEngagement.findUnique({ where: { id } })) ?? undefined) : undefined;
  }

  /** The side's evaluation, once, after the end; undefined when it was given already or the engagement is still ACTIVE. */
  async evaluate(id: string, side: Side, outcome: CapacityOutcome, feedback: string): Promise<CapacityEngagement | undefined> {
    const ended = { status: { in: [CapacityEngagementStatus.COMPLETED, CapacityEngagementStatus.CANCELLED] } };
    const now = new Date();
    const { count } =
      side === 'needing'
        ? await this.prisma.capacityEngagement.updateMany({
            where: { id, ...ended, needEvaluatedAt: null },
            data: { needOutcome: outcome, needFeedback: feedback, needEvaluatedAt: now, version: { increment: 1 } },
          })
        : await this.prisma.capacityEngagement.updateMany({
            where: { id, ...ended, providerEvaluatedAt: null },
            data: { providerOutcome: outcome, providerFeedback: feedback, providerEvaluatedAt: now, version: { increment: 1 } },
          });
    return count === 1 ? ((await this.prisma.capacityEngagement.findUnique({ where: { id } })) ?? undefined) : undefined;
  }

  addUpdate(data: Prisma.CapacityEngagementUpdateUncheckedCreateInput): Promise<CapacityEngagementUpdate> {
    return this.prisma.capacityEngagementUpdate.create({ data });
  }

  /** Oldest first (a thread reads from the start), after the keyset position (createdAt, id). */
  listUpdates(engagementId: string, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<CapacityEngagementUpdate[]> {
    return this.prisma.$queryRaw<CapacityEngagementUpdate[]>(Prisma.sql`
      SELECT u."id", u."engagementId", u."authorState", u."authorUserId", u."authorApiKeyId", u."body", u."createdAt"
        FROM "capacity_engagement_update" u
       WHERE u."engagementId" = ${engagementId}::uuid
         ${after ? Prisma.sql`AND (u."createdAt", u."id") > (${after.createdAt}, ${after.id}::uuid)` : Prisma.empty}
       ORDER BY u."createdAt", u."id"
       LIMIT ${limit}`);
  }
}
