import { Injectable } from '@nestjs/common';
import { Bind, Contact, ContactKind, Database, Prisma, sqlParameters } from '@cbm/database';
import { EntryListFilter, entryPageSql, findEntryPageJson, jsonColumn, ListItemJson } from '../directory-entry.repository';
import { DirectoryEntryStore, EntryChanges, NewEntryRevision } from '../directory-entry.service';
import { EntryRevision } from '../dto/directory-entry.response';
import { contactResponseSql } from './dto/contact.response';
import { Verification, VerifiedTable, verifyEntry } from '../entry-verification.repository';

const VERIFIED_CONTACTS: VerifiedTable = { table: 'contact', revisionTable: 'contact_revision', revisionKey: 'contactId', clearsBounce: true, columns: 'e.*' };

export interface ContactFilter extends EntryListFilter {
  kind?: ContactKind;
  certId?: string;
}

/** The columns as Prisma writes them: JSON columns as JSON, a null one as SQL NULL. */
function toColumns(changes: EntryChanges<Contact>): Prisma.ContactUncheckedUpdateInput {
  return { ...changes, phones: jsonColumn(changes.phones) as Prisma.InputJsonValue | undefined, hours: jsonColumn(changes.hours) };
}

@Injectable()
export class ContactsRepository implements DirectoryEntryStore<Contact> {
  constructor(private readonly database: Database) {}

  /**
   * The directory is shared by every participating State: reads are not scoped by State. Sorted by
   * (name, id) for a stable keyset; the substring search runs as ILIKE on trigram-indexed columns.
   */
  async findPage(filter: ContactFilter, limit: number): Promise<Contact[]> {
    const { params, bind } = sqlParameters();
    const { rows } = await this.database.pool.query<Contact>(`SELECT e.* FROM "contact" e WHERE ${this.pageSql(filter, bind, limit)}`, params);
    return rows;
  }

  /** The same page with each item written as JSON by PostgreSQL (see contactResponseSql). */
  findPageJson(filter: ContactFilter, limit: number, now: Date): Promise<ListItemJson[]> {
    return findEntryPageJson(this.database, 'contact', contactResponseSql, (bind) => this.pageSql(filter, bind, limit), filter.staleBefore, now);
  }

  private pageSql(filter: ContactFilter, bind: Bind, limit: number): string {
    const own = [filter.kind ? `e."kind" = ${bind(filter.kind)}::"ContactKind"` : undefined, filter.certId ? `e."certId" = ${bind(filter.certId)}::uuid` : undefined];
    return entryPageSql(filter, bind, { withBounces: true, searchColumns: ['name', 'organisation'] }, own.filter((condition): condition is string => condition !== undefined), limit);
  }

  findById(id: string): Promise<Contact | null> {
    return this.database.prisma.contact.findUnique({ where: { id } });
  }

  findAllOwn(stateCode: string): Promise<Contact[]> {
    return this.database.prisma.contact.findMany({ where: { stateCode }, orderBy: { id: 'asc' } });
  }

  findOwn(stateCode: string, id: string): Promise<Contact | null> {
    return this.database.prisma.contact.findFirst({ where: { id, stateCode } });
  }

  create(stateCode: string, changes: EntryChanges<Contact>): Promise<Contact> {
    return this.database.prisma.contact.create({ data: { ...toColumns(changes), stateCode } as Prisma.ContactUncheckedCreateInput });
  }

  async updateAtVersion(stateCode: string, id: string, version: number, changes: EntryChanges<Contact>): Promise<Contact | undefined> {
    const { count } = await this.database.prisma.contact.updateMany({ where: { id, stateCode, version }, data: { ...toColumns(changes), version: { increment: 1 } } });
    return count === 1 ? ((await this.database.prisma.contact.findUnique({ where: { id } })) ?? undefined) : undefined;
  }

  /** The State's name as a card's organisation shows it. */
  async stateName(stateCode: string): Promise<string> {
    return (await this.database.prisma.state.findUniqueOrThrow({ where: { code: stateCode }, select: { name: true } })).name;
  }

  /** Every State's name by code (a few hundred rows), for a whole export of cards. */
  async stateNames(): Promise<Map<string, string>> {
    const states = await this.database.prisma.state.findMany({ select: { code: true, name: true } });
    return new Map(states.map((state) => [state.code, state.name]));
  }

  async certBelongsTo(stateCode: string, certId: string): Promise<boolean> {
    return (await this.database.prisma.cert.count({ where: { id: certId, stateCode } })) === 1;
  }

  async addRevision(contact: Contact, revision: NewEntryRevision): Promise<void> {
    await this.database.prisma.contactRevision.create({ data: { ...revision, changes: revision.changes as Prisma.InputJsonValue, contactId: contact.id, version: contact.version } });
  }

  verify(verification: Verification): Promise<{ found: boolean; entry?: Contact }> {
    return verifyEntry<Contact>(this.database, VERIFIED_CONTACTS, verification);
  }

  revisions(contactId: string): Promise<EntryRevision[]> {
    return this.database.prisma.contactRevision.findMany({ where: { contactId }, orderBy: { version: 'asc' } });
  }
}
