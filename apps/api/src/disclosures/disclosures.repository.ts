import { Injectable } from '@nestjs/common';
import { CapacityArea, Database, Disclosure, DisclosureKind, DisclosureVersion, Prisma, Sector, Tlp, UnRegionalGroup } from '@cbm/database';
import { visibleToSql } from '../sharing/audience-visibility.repository';
import { Reader } from '../sharing/reader';

/** What an edit, a publication or a withdrawal may change. */
export type DisclosureChanges = Partial<Omit<Disclosure, 'id' | 'stateCode' | 'version' | 'createdAt' | 'updatedAt'>>;

/** One entry of a disclosure's history: its content and status at `version`, as plain JSON. */
export interface DisclosureVersionEntry {
  disclosureId: string;
  version: number;
  content: object;
  actorUserId: string | null | undefined;
  actorApiKeyId: string | null | undefined;
}

export interface DisclosureFilter {
  stateCode?: string;
  region?: UnRegionalGroup;
  kind?: DisclosureKind;
  sector?: Sector;
  area?: CapacityArea;
  tlp?: Tlp;
  updatedSince?: Date;
  q?: string;
  /** Keyset position, newest first: entries before (updatedAt, id). */
  before?: { updatedAt: Date; id: string };
}

/** The expression of the disclosure_search_idx GIN index: the search must use it verbatim. */
const SEARCH_DOCUMENT = Prisma.sql`to_tsvector('simple', d."title" || ' ' || d."summary" || ' ' || d."body")`;

/**
 * Every column of the model, typed the way Prisma returns them once mapped in `select`; an absent
 * list reads as empty, as Prisma reads it (its list columns are nullable in SQL).
 */
const DISCLOSURE_COLUMNS = Prisma.raw(
  `d."id", d."stateCode", d."status", d."kind", d."title", d."summary", d."body", COALESCE(d."sectors"::text[], '{}') AS "sectors", COALESCE(d."areas"::text[], '{}') AS "areas",
   COALESCE(d."references", '{}') AS "references",
   d."language", d."dateAdopted"::text AS "dateAdopted", d."officialReference", d."tlp", d."audience", COALESCE(d."selectedStates", '{}') AS "selectedStates",
   d."version", d."publishedAt", d."withdrawnAt", d."createdAt", d."updatedAt"`,
);

@Injectable()
export class DisclosuresRepository {
  constructor(private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  /** Only what `reader` may see, filtered and paged in one SQL statement. */
  findVisiblePage(reader: Reader, filter: DisclosureFilter, limit: number): Promise<Disclosure[]> {
    const conditions: Prisma.Sql[] = [visibleToSql(reader, 'd', 'disclosure')];
    if (filter.stateCode) conditions.push(Prisma.sql`d."stateCode" = ${filter.stateCode}`);
    if (filter.region) conditions.push(Prisma.sql`s."region" = ${filter.region}::"UnRegionalGroup"`);
    if (filter.kind) conditions.push(Prisma.sql`d."kind" = ${filter.kind}::"DisclosureKind"`);
    if (filter.sector) conditions.push(Prisma.sql`${filter.sector}::"Sector" = ANY (d."sectors")`);
    if (filter.area) conditions.push(Prisma.sql`${filter.area}::"CapacityArea" = ANY (d."areas")`);
    if (filter.tlp) conditions.push(Prisma.sql`d."tlp" = ${filter.tlp}::"Tlp"`);
    if (filter.updatedSince) conditions.push(Prisma.sql`d."updatedAt" >= ${filter.updatedSince}`);
    if (filter.q) conditions.push(Prisma.sql`${SEARCH_DOCUMENT} @@ websearch_to_tsquery('simple', ${filter.q})`);
    if (filter.before) {
      conditions.push(Prisma.sql`(d."updatedAt", d."id") < (${filter.before.updatedAt}, ${filter.before.id}::uuid)`);
    }
    return this.select(Prisma.sql`
      SELECT ${DISCLOSURE_COLUMNS} FROM "disclosure" d JOIN "state" s ON s."code" = d."stateCode"
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY d."updatedAt" DESC, d."id" DESC
       LIMIT ${limit}`);
  }

  async findVisible(reader: Reader, id: string): Promise<Disclosure | undefined> {
    const [row] = await this.select(Prisma.sql`
      SELECT ${DISCLOSURE_COLUMNS} FROM "disclosure" d WHERE d."id" = ${id}::uuid AND ${visibleToSql(reader, 'd', 'disclosure')}`);
    return row;
  }

  /**
   * One statement on the pool: the SQL decides which rows (visibility included) and their order, and
   * returns them whole. (It used to return ids that Prisma then read again: two round trips and a
   * compiled query per page.) Enum arrays come back as text[] and the date as text, mapped here.
   */
  private async select(query: Prisma.Sql): Promise<Disclosure[]> {
    const { rows } = await this.database.pool.query<Omit<Disclosure, 'dateAdopted'> & { dateAdopted: string | null }>(query.text, query.values);
    return rows.map((row) => ({ ...row, dateAdopted: row.dateAdopted === null ? null : new Date(`${row.dateAdopted}T00:00:00Z`) }));
  }

  /** Writes and version history are the owner's: another State's disclosure is not found. */
  findOwn(stateCode: string, id: string): Promise<Disclosure | null> {
    return this.prisma.disclosure.findFirst({ where: { id, stateCode } });
  }

  create(data: Prisma.DisclosureUncheckedCreateInput): Promise<Disclosure> {
    return this.prisma.disclosure.create({ data });
  }

  async updateAtVersion(stateCode: string, id: string, version: number, changes: DisclosureChanges): Promise<Disclosure | undefined> {
    const { count } = await this.prisma.disclosure.updateMany({ where: { id, stateCode, version }, data: { ...changes, version: { increment: 1 } } });
    return count === 1 ? ((await this.prisma.disclosure.findUnique({ where: { id } })) ?? undefined) : undefined;
  }

  addVersion(entry: DisclosureVersionEntry): Promise<DisclosureVersion> {
    return this.prisma.disclosureVersion.create({ data: { ...entry, content: entry.content as Prisma.InputJsonValue } });
  }

  versions(disclosureId: string): Promise<DisclosureVersion[]> {
    return this.prisma.disclosureVersion.findMany({ where: { disclosureId }, orderBy: { version: 'asc' } });
  }

}
