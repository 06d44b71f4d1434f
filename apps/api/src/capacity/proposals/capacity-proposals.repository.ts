import { Injectable } from '@nestjs/common';
import { CapacityEngagement, CapacityNeedStatus, CapacityProposal, CapacityProposalStatus, Database, Prisma } from '@cbm/database';
import { visibleToSql } from '../../sharing/audience-visibility.repository';
import { expiredSql } from '../needs/need-expiry.repository';
import { Reader } from '../../sharing/reader';

/** A proposal as its parties read it: with the engagement it became, once accepted. */
export type ProposalRow = CapacityProposal & { engagementId: string | null };

/** The need a proposal is made on, as the proposing State may see it. */
export interface NeedForProposal {
  id: string;
  stateCode: string;
  status: CapacityNeedStatus;
  /** OPEN with its time frame's end (neededBy) before today, UTC. */
  expired: boolean;
}

export interface ProposalFilter {
  side?: 'needing' | 'providing';
  status?: CapacityProposalStatus;
  /** Keyset position, newest first: proposals before (createdAt, id). */
  before?: { createdAt: Date; id: string };
}

export interface DeclinedProposal {
  id: string;
  needId: string;
  needState: string;
  providerState: string;
}

const PROPOSAL_COLUMNS = Prisma.raw(
  `p."id", p."needId", p."needState", p."providerState", p."offerId", p."message", p."status"::text AS "status", p."decidedAt",
   p."createdByUserId", p."createdByApiKeyId", p."createdAt", p."updatedAt", e."id" AS "engagementId"`,
);
const FROM_PROPOSALS = Prisma.raw(`"capacity_proposal" p LEFT JOIN "capacity_engagement" e ON e."proposalId" = p."id"`);

/** Both parties' rows: the proposals of `stateCode` as the needing or the providing State. */
function partyCondition(stateCode: string, side?: 'needing' | 'providing'): Prisma.Sql {
  if (side === 'needing') return Prisma.sql`p."needState" = ${stateCode}`;
  if (side === 'providing') return Prisma.sql`p."providerState" = ${stateCode}`;
  return Prisma.sql`(p."needState" = ${stateCode} OR p."providerState" = ${stateCode})`;
}

/**
 * Proposals are read by their two parties only: every query takes the caller's State first and
 * filters by it in SQL. The raw statements go through `database.prisma`, so inside a unit of work
 * they join its transaction.
 */
@Injectable()
export class CapacityProposalsRepository {
  constructor(private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  /**
   * The need as `stateCode` may see it, its row locked FOR SHARE until the proposal is written: a
   * withdrawal or fulfilment waits for it, and then declines it with the other pending proposals.
   */
  async lockVisibleNeed(stateCode: string, needId: string): Promise<NeedForProposal | undefined> {
    const reader: Reader = { kind: 'state', stateCode };
    const [need] = await this.prisma.$queryRaw<NeedForProposal[]>(Prisma.sql`
      SELECT n."id", n."stateCode", n."status"::text AS "status",
             ${expiredSql('n')} AS "expired"
        FROM "capacity_need" n
       WHERE n."id" = ${needId}::uuid AND ${visibleToSql(reader, 'n', 'capacityNeed')}
         FOR SHARE`);
    return need;
  }

  async findVisibleNeed(stateCode: string, needId: string): Promise<{ id: string; stateCode: string } | undefined> {
    const reader: Reader = { kind: 'state', stateCode };
    const [need] = await this.prisma.$queryRaw<Array<{ id: string; stateCode: string }>>(Prisma.sql`
      SELECT n."id", n."stateCode" FROM "capacity_need" n WHERE n."id" = ${needId}::uuid AND ${visibleToSql(reader, 'n', 'capacityNeed')}`);
    return need;
  }

  async isOpenOfferOf(stateCode: string, offerId: string): Promise<boolean> {
    return (await this.prisma.capacityOffer.count({ where: { id: offerId, stateCode, status: 'OPEN' } })) === 1;
  }

  async existsFor(needId: string, providerState: string): Promise<boolean> {
    return (await this.prisma.capacityProposal.count({ where: { needId, providerState } })) > 0;
  }

  async create(data: Prisma.CapacityProposalUncheckedCreateInput): Promise<ProposalRow> {
    const created = await this.prisma.capacityProposal.create({ data });
    return { ...created, engagementId: null };
  }

  /** One proposal of which `stateCode` is a party; FOR UPDATE when a decision follows. */
  async findForParty(stateCode: string, id: string, options: { lock?: boolean } = {}): Promise<ProposalRow | undefined> {
    const [row] = await this.prisma.$queryRaw<ProposalRow[]>(Prisma.sql`
      SELECT ${PROPOSAL_COLUMNS} FROM ${FROM_PROPOSALS}
       WHERE p."id" = ${id}::uuid AND ${partyCondition(stateCode)}
       ${options.lock ? Prisma.sql`FOR UPDATE OF p` : Prisma.empty}`);
    return row;
  }

  /** Newest first, filtered and paged in one statement (indexes on (needState|providerState, createdAt, id)). */
  listForParty(stateCode: string, filter: ProposalFilter, limit: number): Promise<ProposalRow[]> {
    const conditions = [partyCondition(stateCode, filter.side)];
    if (filter.status) conditions.push(Prisma.sql`p."status" = ${filter.status}::"CapacityProposalStatus"`);
    if (filter.before) conditions.push(Prisma.sql`(p."createdAt", p."id") < (${filter.before.createdAt}, ${filter.before.id}::uuid)`);
    return this.prisma.$queryRaw<ProposalRow[]>(Prisma.sql`
      SELECT ${PROPOSAL_COLUMNS} FROM ${FROM_PROPOSALS}
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY p."createdAt" DESC, p."id" DESC
       LIMIT ${limit}`);
  }

  /**
   * A need's proposals, oldest first: all of them for its owner, the caller's own for a provider
   * (`providerState`). At most one per State, so no paging.
   */
  listForNeed(needId: string, providerState?: string): Promise<ProposalRow[]> {
    return this.prisma.$queryRaw<ProposalRow[]>(Prisma.sql`
      SELECT ${PROPOSAL_COLUMNS} FROM ${FROM_PROPOSALS}
       WHERE p."needId" = ${needId}::uuid ${providerState ? Prisma.sql`AND p."providerState" = ${providerState}` : Prisma.empty}
       ORDER BY p."createdAt", p."id"`);
  }

  /** PENDING → `status`, only if still PENDING; false when another decision came first. */
  async decide(id: string, status: CapacityProposalStatus): Promise<boolean> {
    const { count } = await this.prisma.capacityProposal.updateMany({
      where: { id, status: CapacityProposalStatus.PENDING },
      data: { status, decidedAt: new Date() },
    });
    return count === 1;
  }

  /**
   * The need moves to IN_PROGRESS when its State accepts a proposal, if it is OPEN or IN_PROGRESS
   * still (a conditional UPDATE: a withdrawal or fulfilment that came first wins). Its version and
   * updatedAt move only when its status does, so the owner's ETag stays valid otherwise. Run first
   * in the acceptance, so that the need row is locked before the proposal's, in the same order as a
   * withdrawal takes them.
   */
  async markNeedInProgress(needId: string, needState: string): Promise<boolean> {
    const updated = await this.prisma.$executeRaw(Prisma.sql`
      UPDATE "capacity_need"
         SET "status" = 'IN_PROGRESS',
             "version" = CASE WHEN "status" = 'OPEN' THEN "version" + 1 ELSE "version" END,
             "updatedAt" = CASE WHEN "status" = 'OPEN' THEN now() ELSE "updatedAt" END
       WHERE "id" = ${needId}::uuid AND "stateCode" = ${needState} AND "status" IN ('OPEN', 'IN_PROGRESS')`);
    return updated === 1;
  }

  createEngagement(proposal: CapacityProposal): Promise<CapacityEngagement> {
    return this.prisma.capacityEngagement.create({
      data: {
        proposalId: proposal.id,
        needId: proposal.needId,
        needState: proposal.needState,
        providerState: proposal.providerState,
        offerId: proposal.offerId,
      },
    });
  }

  /** Every PENDING proposal on the need becomes DECLINED; returns those it changed. */
  declinePendingForNeed(needId: string): Promise<DeclinedProposal[]> {
    return this.prisma.$queryRaw<DeclinedProposal[]>(Prisma.sql`
      UPDATE "capacity_proposal" SET "status" = 'DECLINED', "decidedAt" = now(), "updatedAt" = now()
       WHERE "needId" = ${needId}::uuid AND "status" = 'PENDING'
       RETURNING "id", "needId", "needState", "providerState"`);
  }

  async needStatus(needId: string): Promise<CapacityNeedStatus | undefined> {
    return (await this.prisma.capacityNeed.findUnique({ where: { id: needId }, select: { status: true } }))?.status;
  }
}
