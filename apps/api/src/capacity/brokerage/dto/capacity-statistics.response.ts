import { ApiProperty } from '@nestjs/swagger';

/** Counts keyed by an enum's values, every value present (0 when none). */
const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;
/** Counts keyed by UN regional group; null where the cell is suppressed (see `suppressed`). */
const SUPPRESSIBLE_COUNTS = { type: 'object', additionalProperties: { type: 'integer', nullable: true } } as const;

export type Counts = Record<string, number>;
export type SuppressibleCounts = Record<string, number | null>;

export class OutcomeCounts {
  /** The needing State's evaluations: MET, PARTLY_MET, NOT_MET. */
  @ApiProperty(COUNTS)
  needingSide: Counts;
  /** The providing State's evaluations. */
  @ApiProperty(COUNTS)
  providingSide: Counts;
}

export class NeedStatistics {
  /** OPEN, IN_PROGRESS, FULFILLED, WITHDRAWN (drafts are never counted). */
  @ApiProperty(COUNTS)
  byStatus: Counts;
  /** OPEN needs (expired ones included) by the needing State's UN regional group. */
  @ApiProperty(COUNTS)
  openByRegion: Counts;
  /** OPEN needs by area (a need with two areas counts in both). */
  @ApiProperty(COUNTS)
  openByArea: Counts;
  /** OPEN needs whose time frame has ended. */
  expiredOpen: number;
  /** Needs that were opened (whatever their status now). */
  opened: number;
  /** Opened needs that received at least one proposal (that the caller may know of). */
  matched: number;
  /** matched / opened, 0–1 (three decimals); null when nothing was opened. */
  matchedShare: number | null;
  /** Median days from opening to the first proposal, over the needs that received one. */
  medianDaysToFirstProposal: number | null;
  /** Median days from opening to the first accepted proposal, over the needs that accepted one. */
  medianDaysToFirstAcceptance: number | null;
  fulfilled: number;
  /** Opened from an "unable: capacity limits" answer to a request. */
  fromRequests: number;
  /** …of which fulfilled. */
  fromRequestsFulfilled: number;
}

export class OfferStatistics {
  /** OPEN, WITHDRAWN. */
  @ApiProperty(COUNTS)
  byStatus: Counts;
  @ApiProperty(COUNTS)
  openByArea: Counts;
}

export class EngagementStatistics {
  /** ACTIVE, COMPLETED, CANCELLED. */
  @ApiProperty(COUNTS)
  byStatus: Counts;
  outcomes: OutcomeCounts;
}

export class CapacityStatisticsResponse {
  /** Whose view: the State's (over what it may see), or null for the secretariat's (every State). */
  stateCode: string | null;
  /** The calendar year the records were opened in; null: every year. */
  year: number | null;
  needs: NeedStatistics;
  offers: OfferStatistics;
  engagements: EngagementStatistics;
}

export class PublicNeedStatistics {
  /** Needs opened in the year and not withdrawn, by area. */
  @ApiProperty(COUNTS)
  openedByArea: Counts;
  /** The same by the needing State's UN regional group; null where suppressed. */
  @ApiProperty(SUPPRESSIBLE_COUNTS)
  openedByRegion: SuppressibleCounts;
  /** …of which fulfilled. */
  fulfilled: number;
}

export class PublicOfferStatistics {
  /** Offers opened in the year and open now, by area. */
  @ApiProperty(COUNTS)
  openByArea: Counts;
  /** The same by the offering State's UN regional group; null where suppressed. */
  @ApiProperty(SUPPRESSIBLE_COUNTS)
  openByRegion: SuppressibleCounts;
}

/**
 * Paragraph 43's public view: counts, never a State nor a record. A region's cell to which fewer
 * than `minimumStatesPerCell` States contribute is null and named in `suppressed`, so that a region's
 * only active State cannot be read off it.
 */
export class PublicCapacityStatisticsResponse {
  year: number;
  minimumStatesPerCell: number;
  needs: PublicNeedStatistics;
  offers: PublicOfferStatistics;
  /** Evaluations of engagements on those needs. */
  outcomes: OutcomeCounts;
  /** The suppressed cells, as paths: e.g. `needs.openedByRegion.AFRICAN`. */
  suppressed: string[];
}
