import { Injectable } from '@nestjs/common';
import { Cert, CertRevision, CertType, Contact, ContactKind, EntryStatus, Prisma, PrismaService, Sector, UnRegionalGroup } from '@cbm/database';
import { afterCondition, likeLiteral, staleCondition } from '../directory-entry';

type Tx = Prisma.TransactionClient;

export interface CertFilter {
  stateCode?: string;
  region?: UnRegionalGroup;
  type?: CertType;
  sector?: Sector;
  language?: string;
  available24x7?: boolean;
  stale?: boolean;
  staleBefore: Date;
  status: EntryStatus;
  q?: string;
  after?: { name: string; id: string };
}

@Injectable()
export class CertsRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  /** Shared by every participating State; sorted by (name, id); ILIKE on trigram-indexed names. */
  findPage(filter: CertFilter, limit: number): Promise<Cert[]> {
    const where: Prisma.CertWhereInput[] = [{ status: filter.status }];
    if (filter.stateCode) where.push({ stateCode: filter.stateCode });
    if (filter.region) where.push({ state: { region: filter.region } });
    if (filter.type) where.push({ type: filter.type });
    if (filter.sector) where.push({ sectors: { has: filter.sector } });
    if (filter.language) where.push({ languages: { has: filter.language } });
    if (filter.available24x7 !== undefined) where.push({ available24x7: filter.available24x7 });
    const stale = staleCondition(filter.stale, filter.staleBefore);
    if (stale) where.push(stale);
    if (filter.q) {
      const pattern = likeLiteral(filter.q);
      where.push({ OR: [{ name: { contains: pattern, mode: 'insensitive' } }, { shortName: { contains: pattern, mode: 'insensitive' } }] });
    }
    const after = afterCondition(filter.after);
    if (after) where.push(after);
    return this.prisma.cert.findMany({ where: { AND: where }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: limit });
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
