import { Injectable } from '@nestjs/common';
import { Database, Prisma } from '@cbm/database';
import { visibleToSql } from '../../sharing/audience-visibility.repository';

/**
 * Titles for notices to a State about proposals and engagements: a need's or an offer's title goes
 * into a mail or webhook only if the State it is sent to may see that record now (a withdrawn need
 * is its owner's alone again, whoever proposed on it), asked of the one visibility rule.
 */
@Injectable()
export class CapacityTitlesRepository {
  constructor(private readonly database: Database) {}

  async needTitleFor(stateCode: string, needId: string): Promise<string | null> {
    const reader = { kind: 'state', stateCode } as const;
    const [row] = await this.database.prisma.$queryRaw<Array<{ title: string }>>(Prisma.sql`
      SELECT n."title" FROM "capacity_need" n WHERE n."id" = ${needId}::uuid AND ${visibleToSql(reader, 'n', 'capacityNeed')}`);
    return row?.title ?? null;
  }

  async offerTitleFor(stateCode: string, offerId: string | null): Promise<string | null> {
    if (!offerId) return null;
    const reader = { kind: 'state', stateCode } as const;
    const [row] = await this.database.prisma.$queryRaw<Array<{ title: string }>>(Prisma.sql`
      SELECT o."title" FROM "capacity_offer" o WHERE o."id" = ${offerId}::uuid AND ${visibleToSql(reader, 'o', 'capacityOffer')}`);
    return row?.title ?? null;
  }
}
