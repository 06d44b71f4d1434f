import { ApiProperty } from '@nestjs/swagger';
import {
  CapacityArea,
  CapacityEngagementStatus,
  CapacityModality,
  CapacityNeedStatus,
  CapacityOfferStatus,
  CapacityOutcome,
  CapacityProposalStatus,
  DisclosureAudience,
  Sector,
  UnRegionalGroup,
} from '@cbm/database';
import type { EngagementMetadataRow, NeedMetadataRow, OfferMetadataRow, ProposalMetadataRow } from '../brokerage-rows';

/*
 * What the secretariat sees of capacity-building, as a neutral broker: who, what kind, where, when
 * and how it ended, never what was written (titles, descriptions, messages, self-assessments,
 * feedback, organisations) nor with whom a record is shared. Every field is copied by name from a
 * row whose columns are chosen by name: a column added to a table reaches no one from here.
 */

export class NeedMetadataResponse {
  id: string;
  stateCode: string;
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  region: UnRegionalGroup;
  @ApiProperty({ enum: CapacityNeedStatus, enumName: 'CapacityNeedStatus' })
  status: CapacityNeedStatus;
  /** OPEN and its time frame's end has passed. */
  expired: boolean;
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  @ApiProperty({ enum: Sector, enumName: 'Sector', isArray: true })
  sectors: Sector[];
  @ApiProperty({ enum: CapacityModality, enumName: 'CapacityModality', isArray: true })
  modalities: CapacityModality[];
  languages: string[];
  /** The audience's kind only: whom a SELECTED_STATES need names is its State's business. */
  @ApiProperty({ enum: DisclosureAudience, enumName: 'DisclosureAudience' })
  audience: DisclosureAudience;
  /** Opened from an "unable: capacity limits" answer to a request. */
  fromRequest: boolean;
  neededFrom: string | null;
  neededBy: string;
  createdAt: Date;
  updatedAt: Date;
  openedAt: Date | null;
  fulfilledAt: Date | null;
  withdrawnAt: Date | null;
}

export class OfferMetadataResponse {
  id: string;
  stateCode: string;
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  region: UnRegionalGroup;
  @ApiProperty({ enum: CapacityOfferStatus, enumName: 'CapacityOfferStatus' })
  status: CapacityOfferStatus;
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  @ApiProperty({ enum: Sector, enumName: 'Sector', isArray: true })
  sectors: Sector[];
  @ApiProperty({ enum: CapacityModality, enumName: 'CapacityModality', isArray: true })
  modalities: CapacityModality[];
  languages: string[];
  /** UN regional groups served; empty: any. */
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup', isArray: true })
  regionsServed: UnRegionalGroup[];
  places: number | null;
  experts: number | null;
  availableFrom: string | null;
  availableUntil: string | null;
  @ApiProperty({ enum: DisclosureAudience, enumName: 'DisclosureAudience' })
  audience: DisclosureAudience;
  createdAt: Date;
  updatedAt: Date;
  openedAt: Date | null;
  withdrawnAt: Date | null;
}

export class ProposalMetadataResponse {
  id: string;
  needId: string;
  offerId: string | null;
  needState: string;
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  needRegion: UnRegionalGroup;
  providerState: string;
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  providerRegion: UnRegionalGroup;
  @ApiProperty({ enum: CapacityProposalStatus, enumName: 'CapacityProposalStatus' })
  status: CapacityProposalStatus;
  /** The need's areas. */
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  createdAt: Date;
  decidedAt: Date | null;
}

export class EngagementMetadataResponse {
  id: string;
  proposalId: string;
  needId: string;
  offerId: string | null;
  needState: string;
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  needRegion: UnRegionalGroup;
  providerState: string;
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  providerRegion: UnRegionalGroup;
  @ApiProperty({ enum: CapacityEngagementStatus, enumName: 'CapacityEngagementStatus' })
  status: CapacityEngagementStatus;
  /** The need's areas. */
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  startedAt: Date;
  endedAt: Date | null;
  /** The needing State's evaluation (its feedback text is not shown). */
  @ApiProperty({ type: 'string', enum: Object.values(CapacityOutcome), nullable: true })
  needOutcome: CapacityOutcome | null;
  needEvaluatedAt: Date | null;
  /** The providing State's evaluation (its feedback text is not shown). */
  @ApiProperty({ type: 'string', enum: Object.values(CapacityOutcome), nullable: true })
  providerOutcome: CapacityOutcome | null;
  providerEvaluatedAt: Date | null;
}

export class NeedMetadataListResponse {
  items: NeedMetadataResponse[];
  nextCursor: string | null;
}

export class OfferMetadataListResponse {
  items: OfferMetadataResponse[];
  nextCursor: string | null;
}

export class ProposalMetadataListResponse {
  items: ProposalMetadataResponse[];
  nextCursor: string | null;
}

export class EngagementMetadataListResponse {
  items: EngagementMetadataResponse[];
  nextCursor: string | null;
}

export function toNeedMetadata(row: NeedMetadataRow): NeedMetadataResponse {
  return {
    id: row.id,
    stateCode: row.stateCode,
    region: row.region,
    status: row.status,
    expired: row.expired,
    areas: row.areas,
    sectors: row.sectors,
    modalities: row.modalities,
    languages: row.languages,
    audience: row.audience,
    fromRequest: row.fromRequest,
    neededFrom: row.neededFrom,
    neededBy: row.neededBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    openedAt: row.openedAt,
    fulfilledAt: row.fulfilledAt,
    withdrawnAt: row.withdrawnAt,
  };
}

export function toOfferMetadata(row: OfferMetadataRow): OfferMetadataResponse {
  return {
    id: row.id,
    stateCode: row.stateCode,
    region: row.region,
    status: row.status,
    areas: row.areas,
    sectors: row.sectors,
    modalities: row.modalities,
    languages: row.languages,
    regionsServed: row.regions,
    places: row.places,
    experts: row.experts,
    availableFrom: row.availableFrom,
    availableUntil: row.availableUntil,
    audience: row.audience,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    openedAt: row.openedAt,
    withdrawnAt: row.withdrawnAt,
  };
}

export function toProposalMetadata(row: ProposalMetadataRow): ProposalMetadataResponse {
  return {
    id: row.id,
    needId: row.needId,
    offerId: row.offerId,
    needState: row.needState,
    needRegion: row.needRegion,
    providerState: row.providerState,
    providerRegion: row.providerRegion,
    status: row.status,
    areas: row.areas,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
  };
}

export function toEngagementMetadata(row: EngagementMetadataRow): EngagementMetadataResponse {
  return {
    id: row.id,
    proposalId: row.proposalId,
    needId: row.needId,
    offerId: row.offerId,
    needState: row.needState,
    needRegion: row.needRegion,
    providerState: row.providerState,
    providerRegion: row.providerRegion,
    status: row.status,
    areas: row.areas,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    needOutcome: row.needOutcome,
    needEvaluatedAt: row.needEvaluatedAt,
    providerOutcome: row.providerOutcome,
    providerEvaluatedAt: row.providerEvaluatedAt,
  };
}
