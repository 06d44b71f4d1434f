import { Injectable } from '@nestjs/common';
import { Contact, ContactKind, ContactRevision, EntryStatus, Prisma, PrismaService, UnRegionalGroup } from '@cbm/database';
import { afterCondition, likeLiteral, staleCondition } from '../directory-entry';

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
  findPage(filter: ContactFilter, limit: number): Promise<Contact[]> {
    const where: Prisma.ContactWhereInput[] = [{ status: filter.status }];
    if (filter.stateCode) where.push({ stateCode: filter.stateCode });
    if (filter.region) where.push({ state: { region: filter.region } });
    if (filter.kind) where.push({ kind: filter.kind });
    if (filter.certId) where.push({ certId: filter.certId });
    if (filter.language) where.push({ languages: { has: filter.language } });
    if (filter.available24x7 !== undefined) where.push({ available24x7: filter.available24x7 });
    const stale = staleCondition(filter.stale, filter.staleBefore, true);
    if (stale) where.push(stale);
    if (filter.q) {
      const pattern = likeLiteral(filter.q);
      where.push({ OR: [{ name: { contains: pattern, mode: 'insensitive' } }, { organisation: { contains: pattern, mode: 'insensitive' } }] });
    }
    const after = afterCondition(filter.after);
    if (after) where.push(after);
    return this.prisma.contact.findMany({ where: { AND: where }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: limit });
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
