import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Actor } from '@cbm/auth';
import { DomainError, Environment, SerializedJson, Versioned } from '@cbm/common';
import { Contact, UnitOfWork } from '@cbm/database';
import { AuditService } from '../../audit';
import { DirectoryEntryService, EntryChanges, ImportAction } from '../directory-entry.service';
import { toE164 } from '../validation/directory.validators';
import { ContactsRepository } from './contacts.repository';
import { CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import { ContactResponse, toContactResponse } from './dto/contact.response';
import { ListContactsQuery } from './dto/list-contacts.query.dto';
import { contactVCardEntry, toVCard } from '../vcard';

/** National points of contact: the shared directory rules, plus their CERT and their mail bounces. */
@Injectable()
export class ContactsService extends DirectoryEntryService<Contact, ContactResponse> {
  constructor(
    private readonly contacts: ContactsRepository,
    unitOfWork: UnitOfWork,
    audit: AuditService,
    config: ConfigService<Environment, true>,
  ) {
    super(
      contacts,
      {
        notFoundName: 'Contact',
        auditEntity: 'contact',
        trackedFields: [
          'kind', 'name', 'title', 'organisation', 'emails', 'phones', 'available24x7', 'hours', 'timeZone', 'languages',
          'pgpFingerprint', 'notes', 'certId', 'status', 'lastVerifiedAt', 'deliveryFailedAt',
        ],
        notNullable: ['kind', 'name', 'emails', 'phones', 'timeZone', 'languages', 'available24x7'],
      },
      unitOfWork,
      audit,
      config,
    );
  }

  /** A page as JSON written by PostgreSQL: the shape of ContactListResponse, from contactResponseSql. */
  list(query: ListContactsQuery): Promise<SerializedJson> {
    const now = new Date();
    return this.listPageJson(query, (filter, limit) => this.contacts.findPageJson({ ...filter, kind: query.kind, certId: query.certId }, limit, now));
  }

  /** The contact as a vCard 4.0: read like GET /contacts/:id (every participating State). */
  async vcard(id: string): Promise<string> {
    const contact = await this.contacts.findById(id);
    if (!contact) throw DomainError.notFound('Contact');
    return toVCard(contactVCardEntry(contact, await this.contacts.stateName(contact.stateCode)));
  }

  create(actor: Actor, input: CreateContactDto): Promise<Versioned<ContactResponse>> {
    return this.createEntry(actor, () => this.toChanges({ ...input, phones: input.phones ?? [] }));
  }

  update(actor: Actor, id: string, ifMatch: string | undefined, input: UpdateContactDto): Promise<Versioned<ContactResponse>> {
    // New addresses: the bounce concerned the old ones.
    return this.updateEntry(actor, id, ifMatch, input, async () => ({ ...(await this.toChanges(input)), ...(input.emails ? { deliveryFailedAt: null } : {}) }));
  }

  /** Every contact of the State (any status), in the import's unit of work: what its rows are matched against. */
  ownEntries(stateCode: string): Promise<Contact[]> {
    return this.contacts.findAllOwn(stateCode);
  }

  /** One contact row of a bulk import (see DirectoryEntryService.importEntry). */
  async importRow(actor: Actor, existing: Contact | null, input: UpdateContactDto, apply: boolean): Promise<{ action: ImportAction; entry?: Contact }> {
    const changes = await this.toChanges(existing ? input : { ...input, phones: input.phones ?? [] });
    // As PATCH: new addresses clear the bounce of the old ones; the same addresses imported again keep it.
    if (existing && changes.emails && changes.emails.join('\n') !== existing.emails.join('\n')) changes.deliveryFailedAt = null;
    return this.importEntry(actor, existing, input, changes, apply);
  }

  protected override toResponse(contact: Contact, staleBefore: Date): ContactResponse {
    return toContactResponse(contact, staleBefore);
  }

  /** A contact can only work for a CERT of its own State. */
  protected override async checkChanges(stateCode: string, changes: EntryChanges<Contact>): Promise<void> {
    if (typeof changes.certId === 'string' && !(await this.contacts.certBelongsTo(stateCode, changes.certId))) {
      throw DomainError.validation([{ field: 'certId', message: 'is not a CERT of your State' }]);
    }
  }

  /** Normalises what was sent: phones to E.164, the PGP key read and checked. Undefined fields stay unset. */
  private async toChanges(input: UpdateContactDto): Promise<EntryChanges<Contact>> {
    return {
      kind: input.kind,
      name: input.name?.trim(),
      title: input.title === null ? null : input.title?.trim(),
      organisation: input.organisation === null ? null : input.organisation?.trim(),
      emails: input.emails?.map((email) => email.trim()),
      phones: input.phones?.map((phone) => ({ number: toE164(phone.number)!, label: phone.label })),
      available24x7: input.available24x7,
      hours: input.hours as Contact['hours'] | undefined,
      timeZone: input.timeZone,
      languages: input.languages,
      notes: input.notes === null ? null : input.notes,
      certId: input.certId === null ? null : input.certId,
      ...(await this.pgpKeyChanges(input.pgpKey)),
    };
  }
}
