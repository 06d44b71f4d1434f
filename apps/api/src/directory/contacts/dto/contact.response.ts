import { ApiProperty } from '@nestjs/swagger';
import { Contact, ContactKind, EntryStatus, isoTimestampSql } from '@cbm/database';
import { pgpKeyResponseSql, PgpKeyResponse, toPgpKeyResponse } from '../../dto/directory-entry.response';
import { isStale, staleEntrySql } from '../../staleness';
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

/**
 * toContactResponse in SQL, on the contact table aliased `e`, for the list's uncached path: the page
 * is written by PostgreSQL and sent as it is (no rows parsed into objects, no objects serialised).
 * `threshold` and `now` are bound parameters (staleBefore and the time of the answer). The two
 * forms change together: test/directory-list-json.e2e-spec.ts compares them field for field.
 */
export function contactResponseSql(threshold: string, now: string): string {
  return `json_build_object(
    'id', e."id", 'stateCode', e."stateCode", 'kind', e."kind", 'name', e."name", 'title', e."title", 'organisation', e."organisation",
    'emails', e."emails", 'phones', e."phones", 'available24x7', e."available24x7", 'hours', e."hours", 'timeZone', e."timeZone",
    'languages', e."languages", 'pgpKey', ${pgpKeyResponseSql(now)}, 'notes', e."notes", 'certId', e."certId", 'status', e."status",
    'lastVerifiedAt', ${isoTimestampSql('e."lastVerifiedAt"')}, 'stale', ${staleEntrySql(true, threshold, { withBounces: true })},
    'deliveryFailedAt', ${isoTimestampSql('e."deliveryFailedAt"')}, 'version', e."version",
    'createdAt', ${isoTimestampSql('e."createdAt"')}, 'updatedAt', ${isoTimestampSql('e."updatedAt"')})`;
}
