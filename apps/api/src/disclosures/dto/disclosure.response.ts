import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CapacityArea, Disclosure, DisclosureAudience, DisclosureKind, DisclosureStatus, DisclosureVersion, Sector } from '@cbm/database';
import { TLP_LABELS, TlpLabel, tlpLabel } from '../../sharing/tlp';

export class DisclosureResponse {
  id: string;
  stateCode: string;
  @ApiProperty({ enum: DisclosureStatus, enumName: 'DisclosureStatus' })
  status: DisclosureStatus;
  @ApiProperty({ enum: DisclosureKind, enumName: 'DisclosureKind' })
  kind: DisclosureKind;
  title: string;
  summary: string;
  body: string;
  @ApiProperty({ enum: Sector, enumName: 'Sector', isArray: true })
  sectors: Sector[];
  /** The capacity-building areas of a BEST_PRACTICE; empty for the other kinds. */
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  references: string[];
  language: string;
  dateAdopted: string | null;
  officialReference: string | null;
  @ApiProperty({ enum: TLP_LABELS })
  tlp: TlpLabel;
  @ApiProperty({ enum: DisclosureAudience, enumName: 'DisclosureAudience' })
  audience: DisclosureAudience;
  /** Shown to the owner only: recipients are not told who else received it. */
  @ApiPropertyOptional({ type: [String] })
  selectedStates?: string[];
  version: number;
  publishedAt: Date | null;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export class DisclosureListResponse {
  items: DisclosureResponse[];
  nextCursor: string | null;
}

export class DisclosureVersionResponse {
  version: number;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  createdAt: Date;
  /** What readers saw in this version. */
  content: Record<string, unknown>;
}

export class DisclosureVersionListResponse {
  items: DisclosureVersionResponse[];
}

export function toDisclosureResponse(disclosure: Disclosure, ownerView: boolean): DisclosureResponse {
  return {
    id: disclosure.id,
    stateCode: disclosure.stateCode,
    status: disclosure.status,
    kind: disclosure.kind,
    title: disclosure.title,
    summary: disclosure.summary,
    body: disclosure.body,
    sectors: disclosure.sectors,
    areas: disclosure.areas,
    references: disclosure.references,
    language: disclosure.language,
    dateAdopted: disclosure.dateAdopted ? disclosure.dateAdopted.toISOString().slice(0, 10) : null,
    officialReference: disclosure.officialReference,
    tlp: tlpLabel(disclosure.tlp),
    audience: disclosure.audience,
    ...(ownerView ? { selectedStates: disclosure.selectedStates } : {}),
    version: disclosure.version,
    publishedAt: disclosure.publishedAt,
    withdrawnAt: disclosure.withdrawnAt,
    createdAt: disclosure.createdAt,
    updatedAt: disclosure.updatedAt,
  };
}

export function toDisclosureVersionResponse(version: DisclosureVersion): DisclosureVersionResponse {
  return {
    version: version.version,
    actorUserId: version.actorUserId,
    actorApiKeyId: version.actorApiKeyId,
    createdAt: version.createdAt,
    content: version.content as Record<string, unknown>,
  };
}
