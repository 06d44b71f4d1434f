import { Injectable } from '@nestjs/common';
import { CapacityArea, Database, Prisma } from '@cbm/database';
import { visibleToSql } from '../../sharing/audience-visibility.repository';
import { Reader } from '../../sharing/reader';
import { expiredSql } from '../needs/need-expiry.repository';
import { NEED_COLUMNS, NeedRow } from '../needs/needs.repository';
import { OFFER_COLUMNS, OfferRow } from '../offers/offers.repository';

/**
 * Candidates for matching, filtered in SQL by what the reader may see: open records of other States
 * sharing at least one area (an offer about nothing the need asks for is no match). The ranking of
 * the candidates is match-score.ts's.
 */
@Injectable()
export class MatchingRepository {
  constructor(private readonly database: Database) {}

  async openOffersFor(reader: Reader, need: { stateCode: string; areas: CapacityArea[] }, limit: number): Promise<OfferRow[]> {
    const query = Prisma.sql`
      SELECT ${OFFER_COLUMNS} FROM "capacity_offer" o JOIN "state" s ON s."code" = o."stateCode"
       WHERE o."status" = 'OPEN' AND o."stateCode" <> ${need.stateCode} AND o."areas" && ${need.areas}::"CapacityArea"[]
         AND ${visibleToSql(reader, 'o', 'capacityOffer')}
       ORDER BY o."updatedAt" DESC, o."id" DESC
       LIMIT ${limit}`;
    return (await this.database.pool.query<OfferRow>(query.text, query.values)).rows;
  }

  async openNeedsFor(reader: Reader, offer: { stateCode: string; areas: CapacityArea[] }, limit: number): Promise<NeedRow[]> {
    const query = Prisma.sql`
      SELECT ${NEED_COLUMNS} FROM "capacity_need" n JOIN "state" s ON s."code" = n."stateCode"
       WHERE n."status" = 'OPEN' AND NOT ${expiredSql('n')} AND n."stateCode" <> ${offer.stateCode} AND n."areas" && ${offer.areas}::"CapacityArea"[]
         AND ${visibleToSql(reader, 'n', 'capacityNeed')}
       ORDER BY n."updatedAt" DESC, n."id" DESC
       LIMIT ${limit}`;
    return (await this.database.pool.query<NeedRow>(query.text, query.values)).rows;
  }
}
