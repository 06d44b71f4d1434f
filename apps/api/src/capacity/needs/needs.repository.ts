import { Injectable } from '@nestjs/common';
import {
  CapacityArea,
  CapacityModality,
  CapacityNeedStatus,
  Database,
  DisclosureAudience,
  Prisma,
  Sector,
  Tlp,
  UnRegionalGroup,
} from '@cbm/database';
import { visibleToSql } from '../../sharing/audience-visibility.repository';
import { Reader } from '../../sharing/reader';
import { expiredSql } from './need-expiry.repository';

/** A need as read: calendar dates as YYYY-MM-DD text (a `date` read as an instant shifts with the zone). */
export interface NeedRow {
  id: string;
  stateCode: string;
  region: UnRegionalGroup;
  status: CapacityNeedStatus;
  title: string;
  description: string;
  areas: CapacityArea[];
  sectors: Sector[];
  modalities: CapacityModality[];
  languages: string[];
  neededFrom: string | null;
  neededBy: string;
  selfAssessmentModel: string | null;
  selfAssessmentLevel: string | null;
  selfAssessmentNotes: string | null;
  tlp: Tlp;
  audience: DisclosureAudience;
  selectedStates: string[];
  sourceRequestId: string | null;
  version: number;
  openedAt: Date | null;
  fulfilledAt: Date | null;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NeedFilter {
  stateCode?: string;
  region?: UnRegionalGroup;
  area?: CapacityArea;
  sector?: Sector;
  modality?: CapacityModality;
  language?: string;
  status?: CapacityNeedStatus;
  expired?: boolean;
  /** Keyset position, newest change first: entries before (updatedAt, id). */
  before?: { updatedAt: Date; id: string };
}

export type NeedChanges = Prisma.CapacityNeedUncheckedUpdateManyInput;

/** Every column, typed as NeedRow; absent lists read as empty, as Prisma reads them. */
export const NEED_COLUMNS = Prisma.raw(
  `n."id", n."stateCode", s."region", n."status", n."title", n."description",
   COALESCE(n."areas"::text[], '{}') AS "areas", COALESCE(n."sectors"::text[], '{}') AS "sectors",
   COALESCE(n."modalities"::text[], '{}') AS "modalities", COALESCE(n."languages", '{}') AS "languages",
   n."neededFrom"::text AS "neededFrom", n."neededBy"::text AS "neededBy",
   n."selfAssessmentModel", n."selfAssessmentLevel", n."selfAssessmentNotes",
   n."tlp", n."audience", COALESCE(n."selectedStates", '{}') AS "selectedStates", n."sourceRequestId",
   n."version", n."openedAt", n."fulfilledAt", n."withdrawnAt", n."createdAt", n."updatedAt"`,
);


@Injectable()
export class NeedsRepository {
  constructor(private readonly database: Database) {}

  /** Only what `reader` may see, filtered and paged in one statement. */
  findVisiblePage(reader: Reader, filter: NeedFilter, limit: number): Promise<NeedRow[]> {
    const conditions: Prisma.Sql[] = [visibleToSql(reader, 'n', 'capacityNeed')];
    if (filter.stateCode) conditions.push(Prisma.sql`n."stateCode" = ${filter.stateCode}`);
    if (filter.region) conditions.push(Prisma.sql`s."region" = ${filter.region}::"UnRegionalGroup"`);
    if (filter.area) conditions.push(Prisma.sql`${filter.area}::"CapacityArea" = ANY (n."areas")`);
    if (filter.sector) conditions.push(Prisma.sql`${filter.sector}::"Sector" = ANY (n."sectors")`);
    if (filter.modality) conditions.push(Prisma.sql`${filter.modality}::"CapacityModality" = ANY (n."modalities")`);
    if (filter.language) conditions.push(Prisma.sql`${filter.language} = ANY (n."languages")`);
    if (filter.status) conditions.push(Prisma.sql`n."status" = ${filter.status}::"CapacityNeedStatus"`);
    if (filter.expired !== undefined) conditions.push(filter.expired ? expiredSql('n') : Prisma.sql`NOT ${expiredSql('n')}`);
    if (filter.before) conditions.push(Prisma.sql`(n."updatedAt", n."id") < (${filter.before.updatedAt}, ${filter.before.id}::uuid)`);
    return this.select(Prisma.sql`
      SELECT ${NEED_COLUMNS} FROM "capacity_need" n JOIN "state" s ON s."code" = n."stateCode"
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY n."updatedAt" DESC, n."id" DESC
       LIMIT ${limit}`);
  }

  async findVisible(reader: Reader, id: string): Promise<NeedRow | undefined> {
    const [row] = await this.select(Prisma.sql`
      SELECT ${NEED_COLUMNS} FROM "capacity_need" n JOIN "state" s ON s."code" = n."stateCode"
       WHERE n."id" = ${id}::uuid AND ${visibleToSql(reader, 'n', 'capacityNeed')}`);
    return row;
  }

  /** Writes are the owner's: another State's need is not found. Read in the unit of work, locked. */
  async findOwnForUpdate(stateCode: string, id: string): Promise<NeedRow | undefined> {
    const [row] = await this.selectInTransaction(Prisma.sql`
      SELECT ${NEED_COLUMNS} FROM "capacity_need" n JOIN "state" s ON s."code" = n."stateCode"
       WHERE n."id" = ${id}::uuid AND n."stateCode" = ${stateCode}
       FOR UPDATE OF n`);
    return row;
  }

  async create(data: Prisma.CapacityNeedUncheckedCreateInput): Promise<string> {
    return (await this.database.prisma.capacityNeed.create({ data, select: { id: true } })).id;
  }

  async updateAtVersion(stateCode: string, id: string, version: number, changes: NeedChanges): Promise<boolean> {
    const { count } = await this.database.prisma.capacityNeed.updateMany({ where: { id, stateCode, version }, data: { ...changes, version: { increment: 1 } } });
    return count === 1;
  }


  /** Engagements of the need still under way: a need cannot be closed over them. */
  activeEngagements(needId: string): Promise<number> {
    return this.database.prisma.capacityEngagement.count({ where: { needId, status: 'ACTIVE' } });
  }


  private async select(query: Prisma.Sql): Promise<NeedRow[]> {
    return (await this.database.pool.query<NeedRow>(query.text, query.values)).rows;
  }

  private selectInTransaction(query: Prisma.Sql): Promise<NeedRow[]> {
    return this.database.prisma.$queryRaw<NeedRow[]>(query);
  }
}
