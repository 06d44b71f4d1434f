import { ApiProperty } from '@nestjs/swagger';
import { Cert, CertType, Contact, EntryStatus, Sector, TrustedIntroducerStatus } from '@cbm/database';
import { HoursDto } from '../../dto/directory-entry.dto';
import { PgpKeyResponse, toPgpKeyResponse } from '../../dto/directory-entry.response';
import { isStale } from '../../staleness';

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
