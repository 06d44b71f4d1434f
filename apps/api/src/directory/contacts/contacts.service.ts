import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Actor } from '@cbm/auth';
import { DomainError, Environment, ErrorCode } from '@cbm/common';
import { Contact, EntryStatus, Prisma } from '@cbm/database';
import { AuditService } from '../../audit/audit.service';
import { readPublicKey } from '../validation/pgp-key';
import { toE164 } from '../validation/directory.validators';
import { ContactsRepository } from './contacts.repository';
import { CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import {
  ContactHistoryResponse,
  ContactListResponse,
  ContactResponse,
  toContactResponse,
  toRevisionResponse,
} from './dto/contact.response';
import { ListContactsQuery } from './dto/list-contacts.query.dto';

/** The fields a revision reports, in the order a reader expects them. */
const TRACKED_FIELDS = [
  'kind', 'name', 'title', 'organisation', 'emails', 'phones', 'available24x7', 'hours', 'timeZone', 'languages',
  'pgpFingerprint', 'notes', 'status', 'lastVerifiedAt',
] as const;
/** Required on creation: an update may change them but not clear them. */
const NOT_NULLABLE = ['kind', 'name', 'emails', 'phones', 'timeZone', 'languages', 'available24x7'] as const;

type ContactData = Omit<Prisma.ContactUncheckedCreateInput, 'stateCode'>;

export interface Versioned<T> {
  body: T;
  etag: string;
}

export function etagOf(contact: Pick<Contact, 'version'>): string {
  return `"${contact.version}"`;
}

@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly audit: AuditService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async list(query: ListContactsQuery): Promise<ContactListResponse> {
    const staleBefore = this.staleBefore();
    const rows = await this.contacts.findPage(
      {
        stateCode: query.state,
        region: query.region,
        kind: query.kind,
        language: query.language,
        available24x7: query.available24x7,
        stale: query.stale,
        staleBefore,
        status: query.status ?? EntryStatus.ACTIVE,
        q: query.q,
        after: query.cursor ? decodeCursor(query.cursor) : undefined,
      },
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((contact) => toContactResponse(contact, staleBefore)),
      nextCursor: rows.length > query.limit ? encodeCursor(last.name, last.id) : null,
    };
  }

  async get(id: string): Promise<Versioned<ContactResponse>> {
    const contact = await this.contacts.findById(id);
    if (!contact) throw DomainError.notFound('Contact');
    return { body: toContactResponse(contact, this.staleBefore()), etag: etagOf(contact) };
  }

  async history(id: string): Promise<ContactHistoryResponse> {
    if (!(await this.contacts.findById(id))) throw DomainError.notFound('Contact');
    return { items: (await this.contacts.revisions(id)).map(toRevisionResponse) };
  }

  async create(actor: Actor, input: CreateContactDto): Promise<Versioned<ContactResponse>> {
    const stateCode = this.actingState(actor);
    const data = await this.toData({ ...input, phones: input.phones ?? [] });
    return this.contacts.client.$transaction(async (tx) => {
      const contact = await this.contacts.create(tx, { ...(data as ContactData), stateCode });
      await this.record(tx, actor, contact, 'created', diff(null, contact));
      return { body: toContactResponse(contact, this.staleBefore()), etag: etagOf(contact) };
    });
  }

  async update(actor: Actor, id: string, ifMatch: string | undefined, input: UpdateContactDto): Promise<Versioned<ContactResponse>> {
    const cleared = NOT_NULLABLE.filter((field) => (input as Record<string, unknown>)[field] === null);
    if (cleared.length > 0) throw DomainError.validation(cleared.map((field) => ({ field, message: 'cannot be cleared' })));
    const data = await this.toData(input);
    return this.changeOwn(actor, id, ifMatch, true, 'updated', () => data);
  }

  /** Deactivation keeps the entry and its history; it leaves the default (ACTIVE) listing. */
  deactivate(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<ContactResponse>> {
    return this.changeOwn(actor, id, ifMatch, false, 'deactivated', () => ({ status: EntryStatus.INACTIVE }));
  }

  /** The State confirms the entry is right; editing alone never counts as verifying. */
  verify(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<ContactResponse>> {
    return this.changeOwn(actor, id, ifMatch, false, 'verified', () => ({ lastVerifiedAt: new Date() }));
  }

  private async changeOwn(
    actor: Actor,
    id: string,
    ifMatch: string | undefined,
    ifMatchRequired: boolean,
    action: string,
    changes: () => Prisma.ContactUncheckedUpdateInput,
  ): Promise<Versioned<ContactResponse>> {
    const stateCode = this.actingState(actor);
    if (ifMatch === undefined && ifMatchRequired) {
      throw new DomainError(HttpStatus.PRECONDITION_REQUIRED, ErrorCode.PreconditionRequired, 'Send If-Match with the ETag of the entry you are changing.');
    }
    return this.contacts.client.$transaction(async (tx) => {
      const before = await this.contacts.findOwn(tx, stateCode, id);
      if (!before) throw DomainError.notFound('Contact');
      if (ifMatch !== undefined && ifMatch !== etagOf(before) && ifMatch !== `W/${etagOf(before)}`) throw stale();
      const after = await this.contacts.updateAtVersion(tx, stateCode, id, before.version, changes());
      if (!after) throw stale();
      await this.record(tx, actor, after, action, diff(before, after));
      return { body: toContactResponse(after, this.staleBefore()), etag: etagOf(after) };
    });
  }

  private async record(tx: Prisma.TransactionClient, actor: Actor, contact: Contact, action: string, changes: Record<string, unknown>) {
    await this.contacts.addRevision(tx, {
      contactId: contact.id,
      version: contact.version,
      action,
      actorUserId: actor.userId,
      actorApiKeyId: actor.apiKeyId,
      changes: changes as Prisma.InputJsonValue,
    });
    await this.audit.record(tx, { action: `contact.${action}`, actor, entityType: 'contact', entityId: contact.id, summary: changes as Prisma.InputJsonValue });
  }

  /** Normalises what was sent: phones to E.164, the PGP key read and checked. Undefined fields stay unset. */
  private async toData(input: UpdateContactDto): Promise<Prisma.ContactUncheckedUpdateInput> {
    const data: Prisma.ContactUncheckedUpdateInput = {
      kind: input.kind,
      name: input.name?.trim(),
      title: input.title === null ? null : input.title?.trim(),
      organisation: input.organisation === null ? null : input.organisation?.trim(),
      emails: input.emails?.map((email) => email.trim()),
      phones: input.phones?.map((phone) => ({ number: toE164(phone.number)!, label: phone.label })) as Prisma.InputJsonValue | undefined,
      available24x7: input.available24x7,
      hours: input.hours === null ? Prisma.DbNull : (input.hours as Prisma.InputJsonValue | undefined),
      timeZone: input.timeZone,
      languages: input.languages,
      notes: input.notes === null ? null : input.notes,
    };
    if (input.pgpKey === null) {
      Object.assign(data, { pgpKey: null, pgpFingerprint: null, pgpAlgorithm: null, pgpExpiresAt: null });
    } else if (input.pgpKey !== undefined) {
      const facts = await readPublicKey(input.pgpKey);
      Object.assign(data, { pgpKey: input.pgpKey.trim(), pgpFingerprint: facts.fingerprint, pgpAlgorithm: facts.algorithm, pgpExpiresAt: facts.expiresAt });
    }
    return data;
  }

  private actingState(actor: Actor): string {
    if (!actor.stateCode) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, "Only a State's users maintain its entries.");
    return actor.stateCode;
  }

  private staleBefore(): Date {
    return new Date(Date.now() - this.config.get('DIRECTORY_STALE_AFTER_DAYS', { infer: true }) * 86_400_000);
  }
}

function stale(): DomainError {
  return new DomainError(
    HttpStatus.PRECONDITION_FAILED,
    ErrorCode.PreconditionFailed,
    'The entry changed since you read it: read it again, then retry with its new ETag.',
  );
}

function diff(before: Contact | null, after: Contact): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of TRACKED_FIELDS) {
    const previous = before ? before[field] : null;
    if (JSON.stringify(previous) !== JSON.stringify(after[field])) changes[field] = { before: previous ?? null, after: after[field] ?? null };
  }
  return changes;
}

function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString('base64url');
}

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { name, id };
  } catch {
    // fall through
  }
  throw DomainError.validation([{ field: 'cursor', message: 'must be a cursor returned by a previous page' }]);
}
