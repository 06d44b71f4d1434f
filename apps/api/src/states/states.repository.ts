import { Injectable } from '@nestjs/common';
import { EntryStatus, Prisma, PrismaService, State, UnRegionalGroup, UnStateRecord } from '@cbm/database';
import { staleCondition } from '../directory/directory-entry';

export interface StateFilter {
  region?: UnRegionalGroup;
  participating?: boolean;
}

export interface ReferenceSeedResult {
  inserted: number;
  updated: number;
}

@Injectable()
export class StatesRepository {
  constructor(private readonly prisma: PrismaService) {}

  findMany(filter: StateFilter): Promise<State[]> {
    return this.prisma.state.findMany({
      where: { region: filter.region, participating: filter.participating },
      orderBy: { code: 'asc' },
    });
  }

  findByCode(code: string, tx: Prisma.TransactionClient = this.prisma): Promise<State | null> {
    return tx.state.findUnique({ where: { code } });
  }

  /** Directory counts for one State, computed in SQL (active entries only). */
  async directorySummary(code: string, staleBefore: Date) {
    const active = { stateCode: code, status: EntryStatus.ACTIVE };
    const staleContact = { ...active, ...staleCondition(true, staleBefore, true) };
    const stale = { ...active, ...staleCondition(true, staleBefore) };
    const [byKind, certs, staleContacts, staleCerts, lastContact, lastCert] = await Promise.all([
      this.prisma.contact.groupBy({ by: ['kind'], where: active, _count: { _all: true } }),
      this.prisma.cert.count({ where: active }),
      this.prisma.contact.count({ where: staleContact }),
      this.prisma.cert.count({ where: stale }),
      this.prisma.contact.aggregate({ where: active, _max: { lastVerifiedAt: true } }),
      this.prisma.cert.aggregate({ where: active, _max: { lastVerifiedAt: true } }),
    ]);
    return { byKind, certs, staleEntries: staleContacts + staleCerts, lastContactVerification: lastContact._max.lastVerifiedAt, lastCertVerification: lastCert._max.lastVerifiedAt };
  }

  update(tx: Prisma.TransactionClient, code: string, data: { participating?: boolean; mfaRequired?: boolean }): Promise<State> {
    return tx.state.update({ where: { code }, data });
  }

  /**
   * One statement for the whole list: inserts missing States and corrects changed names or groups,
   * and leaves `participating` (an administrator's decision) alone. Unchanged rows are not written,
   * so a restart writes nothing.
   */
  async upsertReferenceStates(records: readonly UnStateRecord[]): Promise<ReferenceSeedResult> {
    const rows = await this.prisma.$queryRaw<Array<{ inserted: boolean }>>(Prisma.sql`
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
