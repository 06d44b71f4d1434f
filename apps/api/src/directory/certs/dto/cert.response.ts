import { ApiProperty } from '@nestjs/swagger';
import { Cert, CertType, Contact, EntryStatus, isoTimestampSql, Sector, TrustedIntroducerStatus } from '@cbm/database';
import { HoursDto } from '../../dto/directory-entry.dto';
import { pgpKeyResponseSql, PgpKeyResponse, toPgpKeyResponse } from '../../dto/directory-entry.response';
import { isStale, staleEntrySql } from '../../staleness';

export class CertContactSummary {
  id: string;
  name: string;
  title: string | null;
  emails: string[];
}

export class CertResponse {
  id: string;
  stateCode: string;
  name: string;
  shortName: string | null;
  @ApiProperty({ enum: CertType, enumName: 'CertType' })
  type: CertType;
  constituency: string | null;
  website: string | null;
  emails: string[];
  emergencyPhone: string | null;
  available24x7: boolean;
  hours: HoursDto[] | null;
  timeZone: string;
  languages: string[];
  pgpKey: PgpKeyResponse | null;
  rfc2350Url: string | null;
  firstMember: boolean;
  @ApiProperty({ enum: TrustedIntroducerStatus, enumName: 'TrustedIntroducerStatus' })
  trustedIntroducer: TrustedIntroducerStatus;
  @ApiProperty({ enum: Sector, enumName: 'Sector', isArray: true })
  sectors: Sector[];
  notes: string | null;
  @ApiProperty({ enum: EntryStatus, enumName: 'EntryStatus' })
  status: EntryStatus;
  lastVerifiedAt: Date | null;
  stale: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** The team's active technical contacts (on a single CERT; omitted from lists). */
  technicalContacts?: CertContactSummary[];
}

export class CertListResponse {
  items: CertResponse[];
  nextCursor: string | null;
}

export function toCertResponse(cert: Cert, staleBefore: Date, technicalContacts?: Contact[], now = new Date()): CertResponse {
  return {
    id: cert.id,
    stateCode: cert.stateCode,
    name: cert.name,
    shortName: cert.shortName,
    type: cert.type,
    constituency: cert.constituency,
    website: cert.website,
    emails: cert.emails,
    emergencyPhone: cert.emergencyPhone,
    available24x7: cert.available24x7,
    hours: (cert.hours as unknown as HoursDto[] | null) ?? null,
    timeZone: cert.timeZone,
    languages: cert.languages,
    pgpKey: toPgpKeyResponse(cert, now),
    rfc2350Url: cert.rfc2350Url,
    firstMember: cert.firstMember,
    trustedIntroducer: cert.trustedIntroducer,
    sectors: cert.sectors,
    notes: cert.notes,
    status: cert.status,
    lastVerifiedAt: cert.lastVerifiedAt,
    stale: isStale(cert.lastVerifiedAt, staleBefore),
    version: cert.version,
    createdAt: cert.createdAt,
    updatedAt: cert.updatedAt,
    ...(technicalContacts
      ? { technicalContacts: technicalContacts.map((contact) => ({ id: contact.id, name: contact.name, title: contact.title, emails: contact.emails })) }
      : {}),
  };
}

/**
 * toCertResponse in SQL (as a list shows it: without technical contacts), on the cert table aliased
 * `e`, for the list's uncached path (see contactResponseSql). The two forms change together:
 * test/directory-list-json.e2e-spec.ts compares them field for field.
 */
export function certResponseSql(threshold: string, now: string): string {
  return `json_build_object(
    'id', e."id", 'stateCode', e."stateCode", 'name', e."name", 'shortName', e."shortName", 'type', e."type",
    'constituency', e."constituency", 'website', e."website", 'emails', e."emails", 'emergencyPhone', e."emergencyPhone",
    'available24x7', e."available24x7", 'hours', e."hours", 'timeZone', e."timeZone", 'languages', e."languages",
    'pgpKey', ${pgpKeyResponseSql(now)}, 'rfc2350Url', e."rfc2350Url", 'firstMember', e."firstMember",
    'trustedIntroducer', e."trustedIntroducer", 'sectors', COALESCE(e."sectors"::text[], '{}'), 'notes', e."notes", 'status', e."status",
    'lastVerifiedAt', ${isoTimestampSql('e."lastVerifiedAt"')}, 'stale', ${staleEntrySql(true, threshold, { withBounces: false })},
    'version', e."version", 'createdAt', ${isoTimestampSql('e."createdAt"')}, 'updatedAt', ${isoTimestampSql('e."updatedAt"')})`;
}
