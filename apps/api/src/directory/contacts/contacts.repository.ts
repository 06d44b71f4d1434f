import { Injectable } from '@nestjs/common';
import { Contact, ContactKind, ContactRevision, EntryStatus, Prisma, PrismaService, UnRegionalGroup } from '@cbm/database';
import { likeLiteral } from '../directory-entry';

type Tx = Prisma.TransactionClient;

export interface ContactFilter {
  stateCode?: string;
  region?: UnRegionalGroup;
  kind?: ContactKind;
  language?: string;
  available24x7?: boolean;
  /** true: not verified since `staleBefore`; false: verified since. */
  stale?: boolean;
  staleBefore: Date;
  status: EntryStatus;
  q?: string;
  certId?: string;
  /** Keyset position: entries after (name, id). */
  after?: { name: string; id: string };
}


@Injectable()
export class ContactsRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  /**
   * The directory is shared by every participating State: reads are not scoped by State. Sorted by
   * (name, id) for a stable keyset; the substring search runs as ILIKE on trigram-indexed columns.
   */
  async findPage(filter: ContactFilter, limit: number): Promise<Contact[]> {
    // The hottest read of the service (CERT tooling syncs the directory): one statement on the pool,
    // without Prisma's per-call query planning. Every condition is a bound parameter.
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where = [`c."status" = ${bind(filter.status)}::"EntryStatus"`];
    if (filter.stateCode) where.push(`c."stateCode" = ${bind(filter.stateCode)}`);
    if (filter.region) where.push(`c."stateCode" IN (SELECT "code" FROM "state" WHERE "region" = ${bind(filter.region)}::"UnRegionalGroup")`);
    if (filter.kind) where.push(`c."kind" = ${bind(filter.kind)}::"ContactKind"`);
    if (filter.certId) where.push(`c."certId" = ${bind(filter.certId)}::uuid`);
    if (filter.language) where.push(`c."languages" @> ARRAY[${bind(filter.language)}]::text[]`);
    if (filter.available24x7 !== undefined) where.push(`c."available24x7" = ${bind(filter.available24x7)}`);
    if (filter.stale === true) {
      where.push(`(c."lastVerifiedAt" IS NULL OR c."lastVerifiedAt" < ${bind(filter.staleBefore)} OR c."deliveryFailedAt" IS NOT NULL)`);
    } else if (filter.stale === false) {
      where.push(`c."lastVerifiedAt" >= ${bind(filter.staleBefore)} AND c."deliveryFailedAt" IS NULL`);
    }
    if (filter.q) {
      const pattern = bind(`%${likeLiteral(filter.q)}%`);
      where.push(`(c."name" ILIKE ${pattern} OR c."organisation" ILIKE ${pattern})`);
    }
    if (filter.after) where.push(`(c."name", c."id") > (${bind(filter.after.name)}, ${bind(filter.after.id)}::uuid)`);
    const { rows } = await this.prisma.pool.query<Contact>(
      `SELECT c.* FROM "contact" c WHERE ${where.join(' AND ')} ORDER BY c."name" ASC, c."id" ASC LIMIT ${bind(limit)}`,
      params,
    );
    return rows;
  }

  findById(id: string): Promise<Contact | null> {
    return this.prisma.contact.findUnique({ where: { id } });
  }

  /** Writes are scoped: another State's entry is simply not found. */
  findOwn(tx: Tx, stateCode: string, id: string): Promise<Contact | null> {
    return tx.contact.findFirst({ where: { id, stateCode } });
  }

  create(tx: Tx, data: Prisma.ContactUncheckedCreateInput): Promise<Contact> {
    return tx.contact.create({ data });
  }

  /** Applies only if the entry is still at `version`; undefined when someone else wrote first. */
  async updateAtVersion(tx: Tx, stateCode: string, id: string, version: number, data: Prisma.ContactUncheckedUpdateInput): Promise<Contact | undefined> {
    const { count } = await tx.contact.updateMany({ where: { id, stateCode, version }, data: { ...data, version: { increment: 1 } } });
    return count === 1 ? ((await tx.contact.findUnique({ where: { id } })) ?? undefined) : undefined;
  }

  async certBelongsTo(tx: Tx, stateCode: string, certId: string): Promise<boolean> {
    return (await tx.cert.count({ where: { id: certId, stateCode } })) === 1;
  }

  addRevision(tx: Tx, data: Prisma.ContactRevisionUncheckedCreateInput): Promise<ContactRevision> {
    return tx.contactRevision.create({ data });
  }

  revisions(contactId: string): Promise<ContactRevision[]> {
    return this.prisma.contactRevision.findMany({ where: { contactId }, orderBy: { version: 'asc' } });
  }
}
