import { Injectable } from '@nestjs/common';
import { Cert, CertRevision, CertType, Contact, ContactKind, EntryStatus, Prisma, PrismaService, Sector, UnRegionalGroup, sqlParameters } from '@cbm/database';
import { EntryListFilter, entryListConditions } from '../directory-entry';

type Tx = Prisma.TransactionClient;

export interface CertFilter extends EntryListFilter {
  status: EntryStatus;
  region?: UnRegionalGroup;
  type?: CertType;
  sector?: Sector;
}

/**
 * Every column; the enum array as text[] (pg would hand it over as one string), and an absent list
 * as empty, as Prisma reads it (its list columns are nullable in SQL).
 */
const CERT_COLUMNS = `e."id", e."stateCode", e."name", e."shortName", e."type", e."constituency", e."website", e."emails",
  e."emergencyPhone", e."available24x7", e."hours", e."timeZone", e."languages", e."pgpKey", e."pgpFingerprint", e."pgpAlgorithm",
  e."pgpExpiresAt", e."rfc2350Url", e."firstMember", e."trustedIntroducer", COALESCE(e."sectors"::text[], '{}') AS "sectors", e."notes", e."status",
  e."lastVerifiedAt", e."version", e."createdAt", e."updatedAt"`;

@Injectable()
export class CertsRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  /** Shared by every participating State; sorted by (name, id); ILIKE on trigram-indexed names. */
  async findPage(filter: CertFilter, limit: number): Promise<Cert[]> {
    const { params, bind } = sqlParameters();
    const where = entryListConditions(filter, bind, { withBounces: false, searchColumns: ['name', 'shortName'] });
    if (filter.type) where.push(`e."type" = ${bind(filter.type)}::"CertType"`);
    if (filter.sector) where.push(`e."sectors" @> ARRAY[${bind(filter.sector)}]::"Sector"[]`);
    const { rows } = await this.prisma.pool.query<Cert>(
      `SELECT ${CERT_COLUMNS} FROM "cert" e WHERE ${where.join(' AND ')} ORDER BY e."name", e."id" LIMIT ${bind(limit)}`,
      params,
    );
    return rows;
  }

  findById(id: string): Promise<Cert | null> {
    return this.prisma.cert.findUnique({ where: { id } });
  }

  technicalContacts(certId: string): Promise<Contact[]> {
    return this.prisma.contact.findMany({
      where: { certId, kind: ContactKind.TECHNICAL, status: EntryStatus.ACTIVE },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: 100,
    });
  }

  findOwn(tx: Tx, stateCode: string, id: string): Promise<Cert | null> {
    return tx.cert.findFirst({ where: { id, stateCode } });
  }

  create(tx: Tx, data: Prisma.CertUncheckedCreateInput): Promise<Cert> {
    return tx.cert.create({ data });
  }

  async updateAtVersion(tx: Tx, stateCode: string, id: string, version: number, data: Prisma.CertUncheckedUpdateInput): Promise<Cert | undefined> {
    const { count } = await tx.cert.updateMany({ where: { id, stateCode, version }, data: { ...data, version: { increment: 1 } } });
    return count === 1 ? ((await tx.cert.findUnique({ where: { id } })) ?? undefined) : undefined;
  }

  addRevision(tx: Tx, data: Prisma.CertRevisionUncheckedCreateInput): Promise<CertRevision> {
    return tx.certRevision.create({ data });
  }

  revisions(certId: string): Promise<CertRevision[]> {
    return this.prisma.certRevision.findMany({ where: { certId }, orderBy: { version: 'asc' } });
  }
}
