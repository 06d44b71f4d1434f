import { ApiProperty } from '@nestjs/swagger';
import { Contact, ContactKind, EntryStatus } from '@cbm/database';
import { PgpKeyResponse, toPgpKeyResponse } from '../../dto/directory-entry.response';
import { isStale } from '../../staleness';
import { HoursDto, PhoneDto } from './contact.dto';

export class ContactResponse {
  id: string;
  stateCode: string;
  @ApiProperty({ enum: ContactKind, enumName: 'ContactKind' })
  kind: ContactKind;
  name: string;
  title: string | null;
  organisation: string | null;
  emails: string[];
  phones: PhoneDto[];
  available24x7: boolean;
  hours: HoursDto[] | null;
  timeZone: string;
  languages: string[];
  pgpKey: PgpKeyResponse | null;
  notes: string | null;
  certId: string | null;
  @ApiProperty({ enum: EntryStatus, enumName: 'EntryStatus' })
  status: EntryStatus;
  lastVerifiedAt: Date | null;
  /** Not verified within DIRECTORY_STALE_AFTER_DAYS (or never), or mail to it failed since. */
  stale: boolean;
  /** Mail to the contact failed for good (bounced) at this time; cleared when it is verified again. */
  deliveryFailedAt: Date | null;
  /** Send as If-Match (or use the ETag header) to change the entry. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export class ContactListResponse {
  items: ContactResponse[];
  nextCursor: string | null;
}

export function toContactResponse(contact: Contact, staleBefore: Date, now = new Date()): ContactResponse {
  return {
    id: contact.id,
    stateCode: contact.stateCode,
    kind: contact.kind,
    name: contact.name,
    title: contact.title,
    organisation: contact.organisation,
    emails: contact.emails,
    phones: contact.phones as unknown as PhoneDto[],
    available24x7: contact.available24x7,
    hours: (contact.hours as unknown as HoursDto[] | null) ?? null,
    timeZone: contact.timeZone,
    languages: contact.languages,
    pgpKey: toPgpKeyResponse(contact, now),
    notes: contact.notes,
    certId: contact.certId,
    status: contact.status,
    lastVerifiedAt: contact.lastVerifiedAt,
    stale: isStale(contact.lastVerifiedAt, staleBefore, contact.deliveryFailedAt),
    deliveryFailedAt: contact.deliveryFailedAt,
    version: contact.version,
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
}
