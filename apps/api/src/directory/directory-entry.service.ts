import { ConfigService } from '@nestjs/config';
import canonicalize from 'canonicalize';
import { Actor } from '@cbm/auth';
import { checkIfMatch, DomainError, Environment, etagOf, ifMatchVersion, pageLimit, SerializedJson, serializedPage, staleWrite, Versioned } from '@cbm/common';
import { EntryStatus, UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { actingState, decodeEntryCursor, diffFields, encodeEntryCursor, FieldChanges } from './directory-entry';
import { EntryListFilter, ListItemJson } from './directory-entry.repository';
import type { Verification } from './entry-verification.repository';
import { DirectoryListQuery } from './dto/directory-entry.dto';
import { EntryHistoryResponse, EntryRevision, toEntryRevisionResponse } from './dto/directory-entry.response';
import { staleBefore } from './staleness';
import { readPublicKey } from './validation/pgp-key';

/** The columns every directory entry has that the shared rules read. */
export interface DirectoryEntryRow {
  id: string;
  stateCode: string;
  name: string;
  version: number;
}

/** What a write sets: any column but the entry's identity and bookkeeping; an undefined one is left alone. */
export type EntryChanges<Entry> = { [Column in Exclude<keyof Entry, 'id' | 'stateCode' | 'version' | 'createdAt' | 'updatedAt'>]?: Entry[Column] };

/** A revision as the service records it; the repository adds the entry's key. */
export interface NewEntryRevision {
  action: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  changes: FieldChanges;
}

/** What the contact and CERT repositories both answer. Writes join the unit of work under way. */
export interface DirectoryEntryStore<Entry extends DirectoryEntryRow> {
  findById(id: string): Promise<Entry | null>;
  /** Writes are scoped: another State's entry is simply not found. */
  findOwn(stateCode: string, id: string): Promise<Entry | null>;
  create(stateCode: string, changes: EntryChanges<Entry>): Promise<Entry>;
  /** Applies only if the entry is still at `version`; undefined when someone else wrote first. */
  updateAtVersion(stateCode: string, id: string, version: number, changes: EntryChanges<Entry>): Promise<Entry | undefined>;
  addRevision(entry: Entry, revision: NewEntryRevision): Promise<void>;
  /** Marks the State's entry verified, in one statement with its revision and audit event (see entry-verification.repository.ts). */
  verify(verification: Verification): Promise<{ found: boolean; entry?: Entry }>;
  revisions(id: string): Promise<EntryRevision[]>;
}

/** What differs between contacts and CERTs, beside their store and their response. */
export interface DirectoryEntryKind<Entry> {
  /** How a missing entry is named in a 404 ("Contact", "CERT"). */
  notFoundName: string;
  /** The audit entity type, also the prefix of the audit actions ("contact" → contact.updated). */
  auditEntity: string;
  /** The fields a revision reports, in the order a reader expects them. */
  trackedFields: ReadonlyArray<keyof Entry & string>;
  /** Required on creation: an update may change them but not clear them. */
  notNullable: readonly string[];
}

/** What an imported row did (or, in a dry run, would do) to its entry. */
export type ImportAction = 'created' | 'updated' | 'unchanged';

/** Whether two column values hold the same thing (JSON key order and Date objects aside). */
function sameValue(before: unknown, after: unknown): boolean {
  return canonicalize(JSON.parse(JSON.stringify(before ?? null))) === canonicalize(JSON.parse(JSON.stringify(after ?? null)));
}

/** Why a single entry is answered: a CERT shows its technical contacts, none yet when it is new. */
export type ResponseOccasion = 'read' | 'created' | 'changed';

/**
 * The rules contacts and CERTs share: the directory is read by every participating State, an entry
 * is written only by its own State's users, an edit needs If-Match (412 when stale, 428 when
 * missing), and every write leaves a revision and an audit event in the same transaction.
 */
export abstract class DirectoryEntryService<Entry extends DirectoryEntryRow, Response> {
  protected constructor(
    private readonly store: DirectoryEntryStore<Entry>,
    private readonly kind: DirectoryEntryKind<Entry>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  /** The entry as the API answers it alone (a read or a write), with its ETag beside it. */
  protected abstract toResponse(entry: Entry, staleBefore: Date, occasion: ResponseOccasion): Response | Promise<Response>;

  /** A check of what a write sets, run inside its transaction (a contact's CERT must be its State's). */
  protected async checkChanges(_stateCode: string, _changes: EntryChanges<Entry>): Promise<void> {}

  /**
   * A page of a list sorted by (name, id), with the filters every directory list has (`find` adds its
   * own), its items written as JSON by the statement that reads them (see SerializedJson).
   */
  protected async listPageJson(query: DirectoryListQuery, find: (filter: EntryListFilter, limit: number) => Promise<ListItemJson[]>): Promise<SerializedJson> {
    return serializedPage(await find(this.listFilter(query), pageLimit(query.limit)), query.limit, encodeEntryCursor);
  }

  private listFilter(query: DirectoryListQuery): EntryListFilter {
    return {
      stateCode: query.state,
      region: query.region,
      language: query.language,
      available24x7: query.available24x7,
      stale: query.stale,
      staleBefore: this.staleBefore(),
      status: query.status ?? EntryStatus.ACTIVE,
      q: query.q,
      after: query.cursor ? decodeEntryCursor(query.cursor) : undefined,
    };
  }

  async get(id: string): Promise<Versioned<Response>> {
    return this.versioned(await this.existing(id), 'read');
  }

  async history(id: string): Promise<EntryHistoryResponse> {
    await this.existing(id);
    return { items: (await this.store.revisions(id)).map(toEntryRevisionResponse) };
  }

  /** Adds an entry of the actor's State; `changes` is called once the actor may write. */
  protected async createEntry(actor: Actor, changes: () => Promise<EntryChanges<Entry>>): Promise<Versioned<Response>> {
    const stateCode = actingState(actor);
    const data = await changes();
    const entry = await this.unitOfWork.run(async () => {
      await this.checkChanges(stateCode, data);
      return this.insert(actor, stateCode, data);
    });
    return this.versioned(entry, 'created');
  }

  /** An edit: If-Match required, and no required field cleared. */
  protected async updateEntry(actor: Actor, id: string, ifMatch: string | undefined, input: object, changes: () => Promise<EntryChanges<Entry>>): Promise<Versioned<Response>> {
    this.refuseCleared(input);
    return this.changeOwn(actor, id, ifMatch, true, 'updated', changes);
  }

  /**
   * One row of a bulk import, inside the import's unit of work: a new entry when `existing` is null,
   * else an update of it, each with its revision and audit event exactly as POST and PATCH write them.
   * A row that says what the entry already holds changes nothing (no revision): importing the same
   * file twice is a no-op. `apply` false (a dry run): the same checks, nothing written.
   */
  protected async importEntry(actor: Actor, existing: Entry | null, input: object, changes: EntryChanges<Entry>, apply: boolean): Promise<{ action: ImportAction; entry?: Entry }> {
    const stateCode = actingState(actor);
    if (!existing) {
      await this.checkChanges(stateCode, changes);
      return { action: 'created', entry: apply ? await this.insert(actor, stateCode, changes) : undefined };
    }
    this.refuseCleared(input);
    const differing = Object.entries(changes).filter(([column, value]) => value !== undefined && !sameValue(existing[column as keyof Entry], value));
    if (differing.length === 0) return { action: 'unchanged', entry: existing };
    await this.checkChanges(stateCode, changes);
    return { action: 'updated', entry: apply ? await this.write(actor, stateCode, existing, changes, 'updated') : existing };
  }

  /** Deactivation keeps the entry and its history; it leaves the default (ACTIVE) listing. */
  deactivate(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<Response>> {
    return this.changeOwn(actor, id, ifMatch, false, 'deactivated', async () => this.commonChanges({ status: EntryStatus.INACTIVE }));
  }

  /** The State confirms the entry is right; editing alone never counts as verifying. If-Match is optional. */
  async verify(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<Response>> {
    const event = this.audit.journaled({ action: `${this.kind.auditEntity}.verified`, actor, entityType: this.kind.auditEntity, entityId: id });
    const { found, entry } = await this.store.verify({
      stateCode: actingState(actor),
      id,
      expectedVersion: ifMatchVersion(ifMatch),
      now: new Date(),
      actorUserId: actor.userId,
      actorApiKeyId: actor.apiKeyId,
      event,
    });
    if (!found) throw DomainError.notFound(this.kind.notFoundName);
    if (!entry) throw staleWrite();
    await this.audit.chainJournaled();
    return this.versioned(entry, 'changed');
  }

  /** A change of columns every entry has (TypeScript cannot see that through the generic `Entry`). */
  protected commonChanges(changes: { status?: EntryStatus; lastVerifiedAt?: Date | null }): EntryChanges<Entry> {
    return changes as unknown as EntryChanges<Entry>;
  }

  /** The PGP columns from a sent key: read and checked, cleared by null, left alone when absent. */
  protected async pgpKeyChanges(pgpKey: string | null | undefined): Promise<object> {
    if (pgpKey === null) return { pgpKey: null, pgpFingerprint: null, pgpAlgorithm: null, pgpExpiresAt: null };
    if (pgpKey === undefined) return {};
    const facts = await readPublicKey(pgpKey);
    return { pgpKey: pgpKey.trim(), pgpFingerprint: facts.fingerprint, pgpAlgorithm: facts.algorithm, pgpExpiresAt: facts.expiresAt };
  }

  private async changeOwn(
    actor: Actor,
    id: string,
    ifMatch: string | undefined,
    ifMatchRequired: boolean,
    action: string,
    changes: () => Promise<EntryChanges<Entry>>,
  ): Promise<Versioned<Response>> {
    const stateCode = actingState(actor);
    if (ifMatch === undefined && ifMatchRequired) checkIfMatch(ifMatch, { version: 0 }, true);
    const data = await changes();
    const entry = await this.unitOfWork.run(async () => {
      const before = await this.store.findOwn(stateCode, id);
      if (!before) throw DomainError.notFound(this.kind.notFoundName);
      checkIfMatch(ifMatch, before, ifMatchRequired);
      await this.checkChanges(stateCode, data);
      return this.write(actor, stateCode, before, data, action);
    });
    return this.versioned(entry, 'changed');
  }

  private refuseCleared(input: object): void {
    const cleared = this.kind.notNullable.filter((field) => (input as Record<string, unknown>)[field] === null);
    if (cleared.length > 0) throw DomainError.validation(cleared.map((field) => ({ field, message: 'cannot be cleared' })));
  }

  /** Creates the entry with its first revision and audit event; joins the unit of work under way. */
  private async insert(actor: Actor, stateCode: string, data: EntryChanges<Entry>): Promise<Entry> {
    const created = await this.store.create(stateCode, data);
    await this.record(actor, created, 'created', diffFields(null, created, this.kind.trackedFields));
    return created;
  }

  /** Changes `before` if it is still at its version (412 otherwise), with a revision and an audit event. */
  private async write(actor: Actor, stateCode: string, before: Entry, data: EntryChanges<Entry>, action: string): Promise<Entry> {
    const after = await this.store.updateAtVersion(stateCode, before.id, before.version, data);
    if (!after) throw staleWrite();
    await this.record(actor, after, action, diffFields(before, after, this.kind.trackedFields));
    return after;
  }

  private async record(actor: Actor, entry: Entry, action: string, changes: FieldChanges): Promise<void> {
    await this.store.addRevision(entry, { action, actorUserId: actor.userId, actorApiKeyId: actor.apiKeyId, changes });
    await this.audit.record({ action: `${this.kind.auditEntity}.${action}`, actor, entityType: this.kind.auditEntity, entityId: entry.id, summary: changes });
  }

  private async existing(id: string): Promise<Entry> {
    const entry = await this.store.findById(id);
    if (!entry) throw DomainError.notFound(this.kind.notFoundName);
    return entry;
  }

  private async versioned(entry: Entry, occasion: ResponseOccasion): Promise<Versioned<Response>> {
    return { body: await this.toResponse(entry, this.staleBefore(), occasion), etag: etagOf(entry) };
  }

  private staleBefore(): Date {
    return staleBefore(this.config.get('DIRECTORY_STALE_AFTER_DAYS', { infer: true }));
  }
}
