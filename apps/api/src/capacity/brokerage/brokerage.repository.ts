import { Injectable } from '@nestjs/common';
import {
  CapacityEngagementStatus,
  CapacityNeedStatus,
  CapacityOfferStatus,
  CapacityProposalStatus,
  Database,
  Prisma,
} from '@cbm/database';
import { visibleToSql } from '../../sharing/audience-visibility.repository';
import { expiredSql } from '../needs/need-expiry.repository';
import type {
  AggregateRow,
  CapacityListFilter,
  EngagementMetadataRow,
  NeedMetadataRow,
  OfferMetadataRow,
  OpenedWithin,
  ProposalMetadataRow,
  PublicNeedRow,
  PublicOfferRow,
  StatisticsReader,
} from './brokerage-rows';

/*
 * The secretariat's metadata, the statistics and the public view of capacity-building. Every
 * statement names its columns: no free text (title, description, message, self-assessment,
 * feedback, organisation) is read for the secretariat, and none but a public record's title for
 * the public. Dates are read as text (YYYY-MM-DD), so no time zone moves them.
 */

const TEXT_ARRAY = (column: string) => `COALESCE(${column}::text[], '{}')`;

@Injectable()
export class BrokerageRepository {
  constructor(private readonly database: Database) {}

  /**
   * Every State's needs but drafts, metadata only, latest change first (the (updatedAt, id) index, as
   * the needs' own list).
   */
  needMetadataPage(filter: CapacityListFilter<CapacityNeedStatus>, limit: number): Promise<NeedMetadataRow[]> {
    const conditions = [Prisma.sql`n."status" <> 'DRAFT'`, ...this.recordFilters(filter, 'n', 's', 'n', Prisma.raw('n."updatedAt"'))];
    return this.rows<NeedMetadataRow>(Prisma.sql`
      SELECT n."id", n."stateCode", s."region", n."status", ${expiredSql('n')} AS "expired",
             ${Prisma.raw(TEXT_ARRAY('n."areas"'))} AS "areas", ${Prisma.raw(TEXT_ARRAY('n."sectors"'))} AS "sectors",
             ${Prisma.raw(TEXT_ARRAY('n."modalities"'))} AS "modalities", ${Prisma.raw(TEXT_ARRAY('n."languages"'))} AS "languages",
             n."audience", (n."sourceRequestId" IS NOT NULL) AS "fromRequest", n."neededFrom"::text AS "neededFrom", n."neededBy"::text AS "neededBy",
             n."createdAt", n."updatedAt", n."openedAt", n."fulfilledAt", n."withdrawnAt"
        FROM "capacity_need" n JOIN "state" s ON s."code" = n."stateCode"
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY n."updatedAt" DESC, n."id" DESC
       LIMIT ${limit}`);
  }

  /** Every State's offers but drafts, metadata only, latest change first. */
  offerMetadataPage(filter: CapacityListFilter<CapacityOfferStatus>, limit: number): Promise<OfferMetadataRow[]> {
    const conditions = [Prisma.sql`o."status" <> 'DRAFT'`, ...this.recordFilters(filter, 'o', 's', 'o', Prisma.raw('o."updatedAt"'))];
    return this.rows<OfferMetadataRow>(Prisma.sql`
      SELECT o."id", o."stateCode", s."region", o."status",
             ${Prisma.raw(TEXT_ARRAY('o."areas"'))} AS "areas", ${Prisma.raw(TEXT_ARRAY('o."sectors"'))} AS "sectors",
             ${Prisma.raw(TEXT_ARRAY('o."modalities"'))} AS "modalities", ${Prisma.raw(TEXT_ARRAY('o."languages"'))} AS "languages",
             ${Prisma.raw(TEXT_ARRAY('o."regions"'))} AS "regions", o."places", o."experts",
             o."availableFrom"::text AS "availableFrom", o."availableUntil"::text AS "availableUntil", o."audience",
             o."createdAt", o."updatedAt", o."openedAt", o."withdrawnAt"
        FROM "capacity_offer" o JOIN "state" s ON s."code" = o."stateCode"
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY o."updatedAt" DESC, o."id" DESC
       LIMIT ${limit}`);
  }

  /** Every proposal, metadata only; the State and region filters are the needing State's, the area the need's. */
  proposalMetadataPage(filter: CapacityListFilter<CapacityProposalStatus>, limit: number): Promise<ProposalMetadataRow[]> {
    const conditions = this.partyRecordFilters(filter, 'p', Prisma.raw('p."createdAt"'));
    return this.rows<ProposalMetadataRow>(Prisma.sql`
      SELECT p."id", p."needId", p."offerId", p."needState", ns."region" AS "needRegion", p."providerState", ps."region" AS "providerRegion",
             p."status", ${Prisma.raw(TEXT_ARRAY('n."areas"'))} AS "areas", p."createdAt", p."decidedAt"
        FROM "capacity_proposal" p
        JOIN "capacity_need" n ON n."id" = p."needId"
        JOIN "state" ns ON ns."code" = p."needState"
        JOIN "state" ps ON ps."code" = p."providerState"
       WHERE ${conditions.length > 0 ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`}
       ORDER BY p."createdAt" DESC, p."id" DESC
       LIMIT ${limit}`);
  }

  /** Every engagement, metadata only (outcomes, never feedback); filters as for proposals. */
  engagementMetadataPage(filter: CapacityListFilter<CapacityEngagementStatus>, limit: number): Promise<EngagementMetadataRow[]> {
    const conditions = this.partyRecordFilters(filter, 'e', Prisma.raw('e."startedAt"'));
    return this.rows<EngagementMetadataRow>(Prisma.sql`
      SELECT e."id", e."proposalId", e."needId", e."offerId", e."needState", ns."region" AS "needRegion", e."providerState", ps."region" AS "providerRegion",
             e."status", ${Prisma.raw(TEXT_ARRAY('n."areas"'))} AS "areas", e."startedAt", e."endedAt",
             e."needOutcome", e."needEvaluatedAt", e."providerOutcome", e."providerEvaluatedAt"
        FROM "capacity_engagement" e
        JOIN "capacity_need" n ON n."id" = e."needId"
        JOIN "state" ns ON ns."code" = e."needState"
        JOIN "state" ps ON ps."code" = e."providerState"
       WHERE ${conditions.length > 0 ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`}
       ORDER BY e."startedAt" DESC, e."id" DESC
       LIMIT ${limit}`);
  }

  /** OPEN needs shared with everyone, through the audience rule's anonymous reader; latest change first. */
  publicOpenNeedPage(filter: CapacityListFilter<never>, limit: number): Promise<PublicNeedRow[]> {
    const conditions = [visibleToSql({ kind: 'anonymous' }, 'n', 'capacityNeed'), Prisma.sql`n."status" = 'OPEN'`, ...this.recordFilters(filter, 'n', 's', 'n', Prisma.raw('n."updatedAt"'))];
    return this.rows<PublicNeedRow>(Prisma.sql`
      SELECT n."id", n."stateCode", n."title", ${Prisma.raw(TEXT_ARRAY('n."areas"'))} AS "areas", ${Prisma.raw(TEXT_ARRAY('n."modalities"'))} AS "modalities",
             ${Prisma.raw(TEXT_ARRAY('n."languages"'))} AS "languages", ${expiredSql('n')} AS "expired",
             n."neededFrom"::text AS "neededFrom", n."neededBy"::text AS "neededBy", n."updatedAt", n."openedAt"
        FROM "capacity_need" n JOIN "state" s ON s."code" = n."stateCode"
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY n."updatedAt" DESC, n."id" DESC
       LIMIT ${limit}`);
  }

  /** OPEN offers shared with everyone, through the audience rule's anonymous reader; latest change first. */
  publicOpenOfferPage(filter: CapacityListFilter<never>, limit: number): Promise<PublicOfferRow[]> {
    const conditions = [visibleToSql({ kind: 'anonymous' }, 'o', 'capacityOffer'), Prisma.sql`o."status" = 'OPEN'`, ...this.recordFilters(filter, 'o', 's', 'o', Prisma.raw('o."updatedAt"'))];
    return this.rows<PublicOfferRow>(Prisma.sql`
      SELECT o."id", o."stateCode", o."title", ${Prisma.raw(TEXT_ARRAY('o."areas"'))} AS "areas", ${Prisma.raw(TEXT_ARRAY('o."modalities"'))} AS "modalities",
             ${Prisma.raw(TEXT_ARRAY('o."languages"'))} AS "languages", ${Prisma.raw(TEXT_ARRAY('o."regions"'))} AS "regions",
             o."availableFrom"::text AS "availableFrom", o."availableUntil"::text AS "availableUntil", o."updatedAt", o."openedAt"
        FROM "capacity_offer" o JOIN "state" s ON s."code" = o."stateCode"
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY o."updatedAt" DESC, o."id" DESC
       LIMIT ${limit}`);
  }

  /**
   * Every figure of the statistics in one statement. A State counts the needs and offers the audience
   * rule lets it see, and the proposals and engagements it is a party to (so "matched" and the medians
   * are what it may know: on another State's need, its own proposal only); the secretariat counts
   * every record but drafts. `within` keeps the records opened in a period (engagements and proposals:
   * their need's).
   */
  statistics(reader: StatisticsReader, within: OpenedWithin | undefined): Promise<AggregateRow[]> {
    const secretariat = reader.kind === 'secretariat';
    const needVisible = secretariat ? Prisma.sql`TRUE` : visibleToSql(reader, 'n', 'capacityNeed');
    const offerVisible = secretariat ? Prisma.sql`TRUE` : visibleToSql(reader, 'o', 'capacityOffer');
    const party = (alias: string) =>
      secretariat ? Prisma.sql`TRUE` : Prisma.sql`(${Prisma.raw(`${alias}."needState"`)} = ${reader.stateCode} OR ${Prisma.raw(`${alias}."providerState"`)} = ${reader.stateCode})`;
    return this.rows<AggregateRow>(Prisma.sql`
      WITH needs AS (
        SELECT n."id", n."status", n."areas", n."openedAt", n."sourceRequestId", ${expiredSql('n')} AS "expired", s."region"
          FROM "capacity_need" n JOIN "state" s ON s."code" = n."stateCode"
         WHERE n."status" <> 'DRAFT' AND ${needVisible} AND ${openedWithin('n', within)}
      ), firsts AS (
        SELECT needs."id", needs."openedAt",
               min(p."createdAt") AS "firstProposalAt",
               min(p."decidedAt") FILTER (WHERE p."status" = 'ACCEPTED') AS "firstAcceptedAt"
          FROM needs LEFT JOIN "capacity_proposal" p ON p."needId" = needs."id" AND ${party('p')}
         WHERE needs."openedAt" IS NOT NULL
         GROUP BY needs."id", needs."openedAt"
      ), offers AS (
        SELECT o."status", o."areas"
          FROM "capacity_offer" o
         WHERE o."status" <> 'DRAFT' AND ${offerVisible} AND ${openedWithin('o', within)}
      ), engagements AS (
        SELECT e."status", e."needOutcome", e."providerOutcome"
          FROM "capacity_engagement" e JOIN "capacity_need" n ON n."id" = e."needId"
         WHERE ${party('e')} AND ${openedWithin('n', within)}
      )
      SELECT 'needs.byStatus' AS "dimension", "status"::text AS "key", count(*)::float8 AS "value" FROM needs GROUP BY "status"
      UNION ALL SELECT 'needs.openByRegion', "region"::text, count(*) FROM needs WHERE "status" = 'OPEN' GROUP BY "region"
      UNION ALL SELECT 'needs.openByArea', area::text, count(*) FROM needs CROSS JOIN LATERAL unnest(needs."areas") AS area WHERE "status" = 'OPEN' GROUP BY area
      UNION ALL SELECT 'needs', 'expiredOpen', count(*) FILTER (WHERE "expired") FROM needs
      UNION ALL SELECT 'needs', 'fulfilled', count(*) FILTER (WHERE "status" = 'FULFILLED') FROM needs
      UNION ALL SELECT 'needs', 'fromRequests', count(*) FILTER (WHERE "sourceRequestId" IS NOT NULL) FROM needs
      UNION ALL SELECT 'needs', 'fromRequestsFulfilled', count(*) FILTER (WHERE "sourceRequestId" IS NOT NULL AND "status" = 'FULFILLED') FROM needs
      UNION ALL SELECT 'needs', 'opened', count(*) FROM firsts
      UNION ALL SELECT 'needs', 'matched', count("firstProposalAt") FROM firsts
      UNION ALL SELECT 'needs', 'medianDaysToFirstProposal',
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "firstProposalAt" - "openedAt")::float8 / 86400) FROM firsts
      UNION ALL SELECT 'needs', 'medianDaysToFirstAcceptance',
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "firstAcceptedAt" - "openedAt")::float8 / 86400) FROM firsts
      UNION ALL SELECT 'offers.byStatus', "status"::text, count(*) FROM offers GROUP BY "status"
      UNION ALL SELECT 'offers.openByArea', area::text, count(*) FROM offers CROSS JOIN LATERAL unnest(offers."areas") AS area WHERE "status" = 'OPEN' GROUP BY area
      UNION ALL SELECT 'engagements.byStatus', "status"::text, count(*) FROM engagements GROUP BY "status"
      UNION ALL SELECT 'engagements.needingSide', "needOutcome"::text, count(*) FROM engagements WHERE "needOutcome" IS NOT NULL GROUP BY "needOutcome"
      UNION ALL SELECT 'engagements.providingSide', "providerOutcome"::text, count(*) FROM engagements WHERE "providerOutcome" IS NOT NULL GROUP BY "providerOutcome"`);
  }

  /**
   * The public aggregate in one statement: needs opened in the period and not withdrawn (every
   * audience: counted, never named), offers opened in it and open now, the outcomes of engagements on
   * those needs; each cell with the number of distinct States behind it, for suppression.
   */
  publicStatistics(within: OpenedWithin): Promise<AggregateRow[]> {
    return this.rows<AggregateRow>(Prisma.sql`
      WITH needs AS (
        SELECT n."id", n."stateCode", n."status", n."areas", s."region"
          FROM "capacity_need" n JOIN "state" s ON s."code" = n."stateCode"
         WHERE n."status" IN ('OPEN', 'IN_PROGRESS', 'FULFILLED') AND ${openedWithin('n', within)}
      ), offers AS (
        SELECT o."stateCode", o."areas", s."region"
          FROM "capacity_offer" o JOIN "state" s ON s."code" = o."stateCode"
         WHERE o."status" = 'OPEN' AND ${openedWithin('o', within)}
      ), engagements AS (
        SELECT e."needOutcome", e."providerOutcome", e."needState", e."providerState"
          FROM "capacity_engagement" e JOIN needs ON needs."id" = e."needId"
      )
      SELECT 'needs.openedByArea' AS "dimension", area::text AS "key", count(*)::float8 AS "value", count(DISTINCT "stateCode")::float8 AS "states"
        FROM needs CROSS JOIN LATERAL unnest(needs."areas") AS area GROUP BY area
      UNION ALL SELECT 'needs.openedByRegion', "region"::text, count(*), count(DISTINCT "stateCode") FROM needs GROUP BY "region"
      UNION ALL SELECT 'needs', 'fulfilled', count(*) FILTER (WHERE "status" = 'FULFILLED'), count(DISTINCT "stateCode") FILTER (WHERE "status" = 'FULFILLED') FROM needs
      UNION ALL SELECT 'offers.openByArea', area::text, count(*), count(DISTINCT "stateCode") FROM offers CROSS JOIN LATERAL unnest(offers."areas") AS area GROUP BY area
      UNION ALL SELECT 'offers.openByRegion', "region"::text, count(*), count(DISTINCT "stateCode") FROM offers GROUP BY "region"
      UNION ALL SELECT 'outcomes.needingSide', "needOutcome"::text, count(*), count(DISTINCT "needState") FROM engagements WHERE "needOutcome" IS NOT NULL GROUP BY "needOutcome"
      UNION ALL SELECT 'outcomes.providingSide', "providerOutcome"::text, count(*), count(DISTINCT "providerState") FROM engagements WHERE "providerOutcome" IS NOT NULL GROUP BY "providerOutcome"`);
  }

  /** State, area, region, status and keyset conditions on a need or offer aliased `alias` joined to its State as `state`. */
  private recordFilters<Status extends string>(
    filter: CapacityListFilter<Status>,
    alias: string,
    state: string,
    areasOf: string,
    sortedBy: Prisma.Sql,
  ): Prisma.Sql[] {
    const column = (table: string, name: string) => Prisma.raw(`${table}."${name}"`);
    const conditions: Prisma.Sql[] = [];
    if (filter.status) conditions.push(Prisma.sql`${column(alias, 'status')}::text = ${filter.status}`);
    if (filter.stateCode) conditions.push(Prisma.sql`${column(alias, 'stateCode')} = ${filter.stateCode}`);
    if (filter.region) conditions.push(Prisma.sql`${column(state, 'region')} = ${filter.region}::"UnRegionalGroup"`);
    if (filter.area) conditions.push(Prisma.sql`${filter.area}::"CapacityArea" = ANY (${column(areasOf, 'areas')})`);
    if (filter.before) conditions.push(Prisma.sql`(${sortedBy}, ${column(alias, 'id')}) < (${filter.before.at}, ${filter.before.id}::uuid)`);
    return conditions;
  }

  /** The same for a proposal or engagement aliased `alias`, joined to its need `n` and the needing State `ns`. */
  private partyRecordFilters<Status extends string>(filter: CapacityListFilter<Status>, alias: string, sortedBy: Prisma.Sql): Prisma.Sql[] {
    const { stateCode, ...rest } = filter;
    const conditions = this.recordFilters(rest, alias, 'ns', 'n', sortedBy);
    if (stateCode) conditions.push(Prisma.sql`${Prisma.raw(`${alias}."needState"`)} = ${stateCode}`);
    return conditions;
  }

  private async rows<Row extends object>(query: Prisma.Sql): Promise<Row[]> {
    return (await this.database.pool.query<Row>(query.text, query.values)).rows;
  }
}

function openedWithin(alias: string, within: OpenedWithin | undefined): Prisma.Sql {
  if (!within) return Prisma.sql`TRUE`;
  const openedAt = Prisma.raw(`${alias}."openedAt"`);
  return Prisma.sql`(${openedAt} >= ${within.from} AND ${openedAt} < ${within.to})`;
}
