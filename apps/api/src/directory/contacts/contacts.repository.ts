import { Injectable } from '@nestjs/common';
import { Contact, ContactKind, ContactRevision, EntryStatus, Prisma, PrismaService, UnRegionalGroup, sqlParameters } from '@cbm/database';
import { EntryListFilter, entryListConditions } from '../directory-entry';

type Tx = Prisma.TransactionClient;

export interface ContactFilter extends EntryListFilter {
  status: EntryStatus;
  region?: UnRegionalGroup;
  kind?: ContactKind;
  certId?: string;
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
    const { params, bind } = sqlParameters();
    const where = entryListConditions(filter, bind, { withBounces: true, searchColumns: ['name', 'organisation'] });
    if (filter.kind) where.push(`e."kind" = ${bind(filter.kind)}::"ContactKind"`);
    if (filter.certId) where.push(`e."certId" = ${bind(filter.certId)}::uuid`);
    const { rows } = await this.prisma.pool.query<Contact>(
      `SELECT e.* FROM "contact" e WHERE ${where.join(' AND ')} ORDER BY e."name", e."id" LIMIT ${bind(limit)}`,
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
