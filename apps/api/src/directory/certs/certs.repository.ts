import { Injectable } from '@nestjs/common';
import { Bind, Cert, CertType, Contact, ContactKind, Database, EntryStatus, Prisma, Sector, sqlParameters } from '@cbm/database';
import { EntryListFilter, entryPageSql, findEntryPageJson, jsonColumn, ListItemJson } from '../directory-entry.repository';
import { DirectoryEntryStore, EntryChanges, NewEntryRevision } from '../directory-entry.service';
import { EntryRevision } from '../dto/directory-entry.response';
import { certResponseSql } from './dto/cert.response';
import { Verification, VerifiedTable, verifyEntry } from '../entry-verification.repository';


export interface CertFilter extends EntryListFilter {
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

const VERIFIED_CERTS: VerifiedTable = { table: 'cert', revisionTable: 'cert_revision', revisionKey: 'certId', clearsBounce: false, columns: CERT_COLUMNS };

/** The columns as Prisma writes them: a null JSON column as SQL NULL. */
function toColumns(changes: EntryChanges<Cert>): Prisma.CertUncheckedUpdateInput {
  return { ...changes, hours: jsonColumn(changes.hours) };
}

@Injectable()
export class CertsRepository implements DirectoryEntryStore<Cert> {
  constructor(private readonly database: Database) {}

  /** Shared by every participating State; sorted by (name, id); ILIKE on trigram-indexed names. */
  async findPage(filter: CertFilter, limit: number): Promise<Cert[]> {
    const { params, bind } = sqlParameters();
    const { rows } = await this.database.pool.query<Cert>(`SELECT ${CERT_COLUMNS} FROM "cert" e WHERE ${this.pageSql(filter, bind, limit)}`, params);
    return rows;
  }

  /** The same page with each item written as JSON by PostgreSQL (see certResponseSql). */
  findPageJson(filter: CertFilter, limit: number, now: Date): Promise<ListItemJson[]> {
    return findEntryPageJson(this.database, 'cert', certResponseSql, (bind) => this.pageSql(filter, bind, limit), filter.staleBefore, now);
  }

  private pageSql(filter: CertFilter, bind: Bind, limit: number): string {
    const own = [filter.type ? `e."type" = ${bind(filter.type)}::"CertType"` : undefined, filter.sector ? `e."sectors" @> ARRAY[${bind(filter.sector)}]::"Sector"[]` : undefined];
    return entryPageSql(filter, bind, { withBounces: false, searchColumns: ['name', 'shortName'] }, own.filter((condition): condition is string => condition !== undefined), limit);
  }

  findById(id: string): Promise<Cert | null> {
    return this.database.prisma.cert.findUnique({ where: { id } });
  }

  technicalContacts(certId: string): Promise<Contact[]> {
    return this.database.prisma.contact.findMany({
      where: { certId, kind: ContactKind.TECHNICAL, status: EntryStatus.ACTIVE },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: 100,
    });
  }

  findAllOwn(stateCode: string): Promise<Cert[]> {
    return this.database.prisma.cert.findMany({ where: { stateCode }, orderBy: { id: 'asc' } });
  }

  findOwn(stateCode: string, id: string): Promise<Cert | null> {
    return this.database.prisma.cert.findFirst({ where: { id, stateCode } });
  }

  create(stateCode: string, changes: EntryChanges<Cert>): Promise<Cert> {
    return this.database.prisma.cert.create({ data: { ...toColumns(changes), stateCode } as Prisma.CertUncheckedCreateInput });
  }

  async updateAtVersion(stateCode: string, id: string, version: number, changes: EntryChanges<Cert>): Promise<Cert | undefined> {
    const { count } = await this.database.prisma.cert.updateMany({ where: { id, stateCode, version }, data: { ...toColumns(changes), version: { increment: 1 } } });
    return count === 1 ? ((await this.database.prisma.cert.findUnique({ where: { id } })) ?? undefined) : undefined;
  }

  async addRevision(cert: Cert, revision: NewEntryRevision): Promise<void> {
    await this.database.prisma.certRevision.create({ data: { ...revision, changes: revision.changes as Prisma.InputJsonValue, certId: cert.id, version: cert.version } });
  }

  verify(verification: Verification): Promise<{ found: boolean; entry?: Cert }> {
    return verifyEntry<Cert>(this.database, VERIFIED_CERTS, verification);
  }

  revisions(certId: string): Promise<EntryRevision[]> {
    return this.database.prisma.certRevision.findMany({ where: { certId }, orderBy: { version: 'asc' } });
  }
}
