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

/* The rows the brokerage repository reads, as the services and response mappers use them. */

export interface NeedMetadataRow {
  id: string;
  stateCode: string;
  region: UnRegionalGroup;
  status: CapacityNeedStatus;
  expired: boolean;
  areas: CapacityArea[];
  sectors: Sector[];
  modalities: CapacityModality[];
  languages: string[];
  audience: DisclosureAudience;
  fromRequest: boolean;
  neededFrom: string | null;
  neededBy: string;
  createdAt: Date;
  updatedAt: Date;
  openedAt: Date | null;
  fulfilledAt: Date | null;
  withdrawnAt: Date | null;
}

export interface OfferMetadataRow {
  id: string;
  stateCode: string;
  region: UnRegionalGroup;
  status: CapacityOfferStatus;
  areas: CapacityArea[];
  sectors: Sector[];
  modalities: CapacityModality[];
  languages: string[];
  regions: UnRegionalGroup[];
  places: number | null;
  experts: number | null;
  availableFrom: string | null;
  availableUntil: string | null;
  audience: DisclosureAudience;
  createdAt: Date;
  updatedAt: Date;
  openedAt: Date | null;
  withdrawnAt: Date | null;
}

/** What a proposal and an engagement both say about their two parties and the need they serve. */
interface PartiesMetadata {
  id: string;
  needId: string;
  offerId: string | null;
  needState: string;
  needRegion: UnRegionalGroup;
  providerState: string;
  providerRegion: UnRegionalGroup;
  areas: CapacityArea[];
}

export interface ProposalMetadataRow extends PartiesMetadata {
  status: CapacityProposalStatus;
  createdAt: Date;
  decidedAt: Date | null;
}

export interface EngagementMetadataRow extends PartiesMetadata {
  proposalId: string;
  status: CapacityEngagementStatus;
  startedAt: Date;
  endedAt: Date | null;
  needOutcome: CapacityOutcome | null;
  needEvaluatedAt: Date | null;
  providerOutcome: CapacityOutcome | null;
  providerEvaluatedAt: Date | null;
}

export interface PublicNeedRow {
  id: string;
  stateCode: string;
  title: string;
  areas: CapacityArea[];
  modalities: CapacityModality[];
  languages: string[];
  expired: boolean;
  neededFrom: string | null;
  neededBy: string;
  updatedAt: Date;
  openedAt: Date | null;
}

export interface PublicOfferRow {
  id: string;
  stateCode: string;
  title: string;
  areas: CapacityArea[];
  modalities: CapacityModality[];
  languages: string[];
  regions: UnRegionalGroup[];
  availableFrom: string | null;
  availableUntil: string | null;
  updatedAt: Date;
  openedAt: Date | null;
}

/** One cell of an aggregate: `dimension` names the breakdown, `key` its value (an enum value or a measure). */
export interface AggregateRow {
  dimension: string;
  key: string;
  value: number | null;
  /** How many distinct States the cell counts records of (public aggregate only). */
  states: number;
}

export interface CapacityListFilter<Status extends string> {
  status?: Status;
  stateCode?: string;
  area?: CapacityArea;
  region?: UnRegionalGroup;
  /** Keyset position, newest first: rows before (at, id). */
  before?: { at: Date; id: string };
}

/** Who the statistics are for: a State (over what it may see or is party to), or the secretariat (everything). */
export type StatisticsReader = { kind: 'state'; stateCode: string } | { kind: 'secretariat' };

/** Records opened at or after `from` and before `to`. */
export interface OpenedWithin {
  from: Date;
  to: Date;
}
