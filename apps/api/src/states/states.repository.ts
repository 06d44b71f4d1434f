import { Injectable } from '@nestjs/common';
import { ContactKind, Database, Prisma, sqlParameters, State, UnRegionalGroup, UnStateRecord } from '@cbm/database';
import { staleEntrySql } from '../directory';

export interface StateFilter {
  region?: UnRegionalGroup;
  participating?: boolean;
}

/** The active directory entries of a State: how many, how many stale, and their last verification. */
export interface StateDirectoryCounts {
  contactsByKind: Array<{ kind: ContactKind; entries: number }>;
  certs: number;
  staleEntries: number;
  lastContactVerification: Date | null;
  lastCertVerification: Date | null;
}

export interface ReferenceSeedResult {
  inserted: number;
  updated: number;
}

@Injectable()
export class StatesRepository {
  constructor(private readonly database: Database) {}

  findMany(filter: StateFilter): Promise<State[]> {
    return this.database.prisma.state.findMany({
      where: { region: filter.region, participating: filter.participating },
      orderBy: { code: 'asc' },
    });
  }

  findByCode(code: string): Promise<State | null> {
    return this.database.prisma.state.findUnique({ where: { code } });
  }

  /**
   * Directory counts for one State in one statement (active entries only): a row per contact kind,
   * then one for the CERTs (kind NULL). Stale as the directory lists filter it (directory/staleness.ts).
   */
  async directoryCounts(code: string, staleBefore: Date): Promise<StateDirectoryCounts> {
    const { params, bind } = sqlParameters();
    const [state, threshold] = [bind(code), bind(staleBefore)];
    const counts = (table: string, kind: string, withBounces: boolean) =>
      `SELECT ${kind} AS "kind", count(*)::int AS "entries", (count(*) FILTER (WHERE ${staleEntrySql(true, threshold, { withBounces })}))::int AS "stale",
              max(e."lastVerifiedAt") AS "lastVerifiedAt"
       FROM "${table}" e WHERE e."stateCode" = ${state} AND e."status" = 'ACTIVE'::"EntryStatus"`;
    const rows = await this.database.prisma.$queryRawUnsafe<Array<{ kind: ContactKind | null; entries: number; stale: number; lastVerifiedAt: Date | null }>>(
      `${counts('contact', 'e."kind"::text', true)} GROUP BY e."kind" UNION ALL ${counts('cert', 'NULL', false)}`,
      ...params,
    );
    const contacts = rows.filter((row) => row.kind !== null);
    const certs = rows.find((row) => row.kind === null)!;
    const latest = (dates: Array<Date | null>) => dates.reduce<Date | null>((last, date) => (date !== null && (last === null || date > last) ? date : last), null);
    return {
      contactsByKind: contacts.map((row) => ({ kind: row.kind!, entries: row.entries })),
      certs: certs.entries,
      staleEntries: rows.reduce((total, row) => total + row.stale, 0),
      lastContactVerification: latest(contacts.map((row) => row.lastVerifiedAt)),
      lastCertVerification: certs.lastVerifiedAt,
    };
  }

  update(code: string, data: { participating?: boolean; mfaRequired?: boolean }): Promise<State> {
    return this.database.prisma.state.update({ where: { code }, data });
  }
  /**
   * One statement for the whole list: inserts missing States and corrects changed names or groups,
   * and leaves `participating` (an administrator's decision) alone. Unchanged rows are not written,
   * so a restart writes nothing.
   */
  async upsertReferenceStates(records: readonly UnStateRecord[]): Promise<ReferenceSeedResult> {
    const rows = await this.database.prisma.$queryRaw<Array<{ inserted: boolean }>>(Prisma.sql`
      INSERT INTO "state" ("code", "name", "region", "membership", "updatedAt")
      SELECT code, name, region::"UnRegionalGroup", membership::"UnMembership", now()
      FROM unnest(${records.map((r) => r.code)}::text[], ${records.map((r) => r.name)}::text[],
                  ${records.map((r) => r.region)}::text[], ${records.map((r) => r.membership)}::text[])
           AS input(code, name, region, membership)
      ON CONFLICT ("code") DO UPDATE
        SET "name" = EXCLUDED."name", "region" = EXCLUDED."region",
            "membership" = EXCLUDED."membership", "updatedAt" = now()
        WHERE ("state"."name", "state"."region", "state"."membership")
              IS DISTINCT FROM (EXCLUDED."name", EXCLUDED."region", EXCLUDED."membership")
      RETURNING (xmax = 0) AS inserted`);
    const inserted = rows.filter((row) => row.inserted).length;
    return { inserted, updated: rows.length - inserted };
  }
}
