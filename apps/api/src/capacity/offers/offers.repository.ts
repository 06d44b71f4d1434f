import { Injectable } from '@nestjs/common';
import { CapacityArea, CapacityModality, CapacityOfferStatus, Database, DisclosureAudience, Prisma, Sector, Tlp, UnRegionalGroup } from '@cbm/database';
import { visibleToSql } from '../../sharing/audience-visibility.repository';
import { Reader } from '../../sharing/reader';

/** An offer as read: calendar dates as YYYY-MM-DD text. */
export interface OfferRow {
  id: string;
  stateCode: string;
  region: UnRegionalGroup;
  status: CapacityOfferStatus;
  title: string;
  description: string;
  areas: CapacityArea[];
  sectors: Sector[];
  modalities: CapacityModality[];
  languages: string[];
  regions: UnRegionalGroup[];
  places: number | null;
  experts: number | null;
  availableFrom: string | null;
  availableUntil: string | null;
  implementingOrganisation: string | null;
  tlp: Tlp;
  audience: DisclosureAudience;
  selectedStates: string[];
  version: number;
  openedAt: Date | null;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OfferFilter {
  stateCode?: string;
  region?: UnRegionalGroup;
  serves?: UnRegionalGroup;
  area?: CapacityArea;
  sector?: Sector;
  modality?: CapacityModality;
  language?: string;
  status?: CapacityOfferStatus;
  before?: { updatedAt: Date; id: string };
}

export type OfferChanges = Prisma.CapacityOfferUncheckedUpdateManyInput;

export const OFFER_COLUMNS = Prisma.raw(
  `o."id", o."stateCode", s."region", o."status", o."title", o."description",
   COALESCE(o."areas"::text[], '{}') AS "areas", COALESCE(o."sectors"::text[], '{}') AS "sectors",
   COALESCE(o."modalities"::text[], '{}') AS "modalities", COALESCE(o."languages", '{}') AS "languages",
   COALESCE(o."regions"::text[], '{}') AS "regions", o."places", o."experts",
   o."availableFrom"::text AS "availableFrom", o."availableUntil"::text AS "availableUntil", o."implementingOrganisation",
   o."tlp", o."audience", COALESCE(o."selectedStates", '{}') AS "selectedStates",
   o."version", o."openedAt", o."withdrawnAt", o."createdAt", o."updatedAt"`,
);

@Injectable()
export class OffersRepository {
  constructor(private readonly database: Database) {}

  findVisiblePage(reader: Reader, filter: OfferFilter, limit: number): Promise<OfferRow[]> {
    const conditions: Prisma.Sql[] = [visibleToSql(reader, 'o', 'capacityOffer')];
    if (filter.stateCode) conditions.push(Prisma.sql`o."stateCode" = ${filter.stateCode}`);
    if (filter.region) conditions.push(Prisma.sql`s."region" = ${filter.region}::"UnRegionalGroup"`);
    if (filter.serves) conditions.push(Prisma.sql`(cardinality(o."regions") = 0 OR ${filter.serves}::"UnRegionalGroup" = ANY (o."regions"))`);
    if (filter.area) conditions.push(Prisma.sql`${filter.area}::"CapacityArea" = ANY (o."areas")`);
    if (filter.sector) conditions.push(Prisma.sql`${filter.sector}::"Sector" = ANY (o."sectors")`);
    if (filter.modality) conditions.push(Prisma.sql`${filter.modality}::"CapacityModality" = ANY (o."modalities")`);
    if (filter.language) conditions.push(Prisma.sql`${filter.language} = ANY (o."languages")`);
    if (filter.status) conditions.push(Prisma.sql`o."status" = ${filter.status}::"CapacityOfferStatus"`);
    if (filter.before) conditions.push(Prisma.sql`(o."updatedAt", o."id") < (${filter.before.updatedAt}, ${filter.before.id}::uuid)`);
    return this.select(Prisma.sql`
      SELECT ${OFFER_COLUMNS} FROM "capacity_offer" o JOIN "state" s ON s."code" = o."stateCode"
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY o."updatedAt" DESC, o."id" DESC
       LIMIT ${limit}`);
  }

  async findVisible(reader: Reader, id: string): Promise<OfferRow | undefined> {
    const [row] = await this.select(Prisma.sql`
      SELECT ${OFFER_COLUMNS} FROM "capacity_offer" o JOIN "state" s ON s."code" = o."stateCode"
       WHERE o."id" = ${id}::uuid AND ${visibleToSql(reader, 'o', 'capacityOffer')}`);
    return row;
  }

  async findOwnForUpdate(stateCode: string, id: string): Promise<OfferRow | undefined> {
    const [row] = await this.database.prisma.$queryRaw<OfferRow[]>(Prisma.sql`
      SELECT ${OFFER_COLUMNS} FROM "capacity_offer" o JOIN "state" s ON s."code" = o."stateCode"
       WHERE o."id" = ${id}::uuid AND o."stateCode" = ${stateCode}
       FOR UPDATE OF o`);
    return row;
  }

  async create(data: Prisma.CapacityOfferUncheckedCreateInput): Promise<string> {
    return (await this.database.prisma.capacityOffer.create({ data, select: { id: true } })).id;
  }

  async updateAtVersion(stateCode: string, id: string, version: number, changes: OfferChanges): Promise<boolean> {
    const { count } = await this.database.prisma.capacityOffer.updateMany({ where: { id, stateCode, version }, data: { ...changes, version: { increment: 1 } } });
    return count === 1;
  }


  private async select(query: Prisma.Sql): Promise<OfferRow[]> {
    return (await this.database.pool.query<OfferRow>(query.text, query.values)).rows;
  }
}
