import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Actor } from '@cbm/auth';
import { checkIfMatch, DomainError, Environment, etagOf, staleWrite, Versioned } from '@cbm/common';
import { Contact, EntryStatus, Prisma } from '@cbm/database';
import { AuditService } from '../../audit';
import { diffFields, staleBefore } from '../directory-entry';
import { actingState, decodeEntryCursor, encodeEntryCursor } from '../directory-entry';
import { readPublicKey } from '../validation/pgp-key';
import { toE164 } from '../validation/directory.validators';
import { ContactsRepository } from './contacts.repository';
import { CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import {
  EntryHistoryResponse,
  ContactListResponse,
  ContactResponse,
  toContactResponse,
  toRevisionResponse,
} from './dto/contact.response';
import { ListContactsQuery } from './dto/list-contacts.query.dto';

/** The fields a revision reports, in the order a reader expects them. */
const TRACKED_FIELDS = [
  'kind', 'name', 'title', 'organisation', 'emails', 'phones', 'available24x7', 'hours', 'timeZone', 'languages',
  'pgpFingerprint', 'notes', 'certId', 'status', 'lastVerifiedAt', 'deliveryFailedAt',
] as const;
/** Required on creation: an update may change them but not clear them. */
const NOT_NULLABLE = ['kind', 'name', 'emails', 'phones', 'timeZone', 'languages', 'available24x7'] as const;

type ContactData = Omit<Prisma.ContactUncheckedCreateInput, 'stateCode'>;

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
        certId: query.certId,
        after: query.cursor ? decodeEntryCursor(query.cursor) : undefined,
      },
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((contact) => toContactResponse(contact, staleBefore)),
      nextCursor: rows.length > query.limit ? encodeEntryCursor(last) : null,
    };
  }

  async get(id: string): Promise<Versioned<ContactResponse>> {
    const contact = await this.contacts.findById(id);
    if (!contact) throw DomainError.notFound('Contact');
    return { body: toContactResponse(contact, this.staleBefore()), etag: etagOf(contact) };
  }

  async history(id: string): Promise<EntryHistoryResponse> {
    if (!(await this.contacts.findById(id))) throw DomainError.notFound('Contact');
    return { items: (await this.contacts.revisions(id)).map(toRevisionResponse) };
  }

  async create(actor: Actor, input: CreateContactDto): Promise<Versioned<ContactResponse>> {
    const stateCode = actingState(actor);
    const data = await this.toData({ ...input, phones: input.phones ?? [] });
    return this.contacts.client.$transaction(async (tx) => {
      if (input.certId) await this.assertOwnCert(tx, stateCode, input.certId);
      const contact = await this.contacts.create(tx, { ...(data as ContactData), stateCode });
      await this.record(tx, actor, contact, 'created', diffFields(null, contact, TRACKED_FIELDS));
      return { body: toContactResponse(contact, this.staleBefore()), etag: etagOf(contact) };
    });
  }

  async update(actor: Actor, id: string, ifMatch: string | undefined, input: UpdateContactDto): Promise<Versioned<ContactResponse>> {
    const cleared = NOT_NULLABLE.filter((field) => (input as Record<string, unknown>)[field] === null);
    if (cleared.length > 0) throw DomainError.validation(cleared.map((field) => ({ field, message: 'cannot be cleared' })));
    // New addresses: the bounce concerned the old ones.
    return this.changeOwn(actor, id, ifMatch, true, 'updated', async () => ({ ...(await this.toData(input)), ...(input.emails ? { deliveryFailedAt: null } : {}) }));
  }

  /** Deactivation keeps the entry and its history; it leaves the default (ACTIVE) listing. */
  deactivate(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<ContactResponse>> {
    return this.changeOwn(actor, id, ifMatch, false, 'deactivated', () => ({ status: EntryStatus.INACTIVE }));
  }

  /** The State confirms the entry is right; editing alone never counts as verifying. */
  verify(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<ContactResponse>> {
    return this.changeOwn(actor, id, ifMatch, false, 'verified', () => ({ lastVerifiedAt: new Date(), deliveryFailedAt: null }));
  }

  private async changeOwn(
    actor: Actor,
    id: string,
    ifMatch: string | undefined,
    ifMatchRequired: boolean,
    action: string,
    changes: () => Prisma.ContactUncheckedUpdateInput | Promise<Prisma.ContactUncheckedUpdateInput>,
  ): Promise<Versioned<ContactResponse>> {
    const stateCode = actingState(actor);
    if (ifMatch === undefined && ifMatchRequired) checkIfMatch(ifMatch, { version: 0 }, true);
    const data = await changes();
    return this.contacts.client.$transaction(async (tx) => {
      const before = await this.contacts.findOwn(tx, stateCode, id);
      if (!before) throw DomainError.notFound('Contact');
      checkIfMatch(ifMatch, before, ifMatchRequired);
      if (typeof data.certId === 'string') await this.assertOwnCert(tx, stateCode, data.certId);
      const after = await this.contacts.updateAtVersion(tx, stateCode, id, before.version, data);
      if (!after) throw staleWrite();
      await this.record(tx, actor, after, action, diffFields(before, after, TRACKED_FIELDS));
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
    await this.audit.record({ action: `contact.${action}`, actor, entityType: 'contact', entityId: contact.id, summary: changes });
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
      certId: input.certId === null ? null : input.certId,
    };
    if (input.pgpKey === null) {
      Object.assign(data, { pgpKey: null, pgpFingerprint: null, pgpAlgorithm: null, pgpExpiresAt: null });
    } else if (input.pgpKey !== undefined) {
      const facts = await readPublicKey(input.pgpKey);
      Object.assign(data, { pgpKey: input.pgpKey.trim(), pgpFingerprint: facts.fingerprint, pgpAlgorithm: facts.algorithm, pgpExpiresAt: facts.expiresAt });
    }
    return data;
  }

  /** A contact can only work for a CERT of its own State. */
  private async assertOwnCert(tx: Prisma.TransactionClient, stateCode: string, certId: string): Promise<void> {
    if (!(await this.contacts.certBelongsTo(tx, stateCode, certId))) {
      throw DomainError.validation([{ field: 'certId', message: 'is not a CERT of your State' }]);
    }
  }

  private staleBefore(): Date {
    return staleBefore(this.config.get('DIRECTORY_STALE_AFTER_DAYS', { infer: true }));
  }
}
