import { HttpStatus, Injectable } from '@nestjs/common';
import { Actor, Permission } from '@cbm/auth';
import { DomainError, ErrorCode, KeysetCursor, pageLimit, toPage } from '@cbm/common';
import {
  CapacityArea,
  CapacityEngagementStatus,
  CapacityNeedStatus,
  CapacityOfferStatus,
  CapacityOutcome,
  UnRegionalGroup,
} from '@cbm/database';
import { AggregateRow, CapacityListFilter, OpenedWithin, StatisticsReader } from './brokerage-rows';
import { BrokerageRepository } from './brokerage.repository';
import {
  EngagementMetadataQuery,
  NeedMetadataQuery,
  OfferMetadataQuery,
  ProposalMetadataQuery,
  PublicCapacityListQuery,
  PublicCapacityStatisticsQuery,
  CapacityStatisticsQuery,
} from './dto/brokerage-query.dto';
import {
  EngagementMetadataListResponse,
  NeedMetadataListResponse,
  OfferMetadataListResponse,
  ProposalMetadataListResponse,
  toEngagementMetadata,
  toNeedMetadata,
  toOfferMetadata,
  toProposalMetadata,
} from './dto/capacity-metadata.response';
import { CapacityStatisticsResponse, Counts, OutcomeCounts, PublicCapacityStatisticsResponse, SuppressibleCounts } from './dto/capacity-statistics.response';
import { PublicNeedListResponse, PublicOfferListResponse, toPublicNeed, toPublicOffer } from './dto/public-capacity.response';

/**
 * A region's cell of the public aggregate shows a count only when at least this many States
 * contribute to it: with one or two, a reader who knows the region could tell whose it is.
 */
export const MINIMUM_STATES_PER_CELL = 3;

/** Lists are sorted by (an instant, id), newest first: needs and offers by their latest change, proposals by creation, engagements by start. */
const CURSOR = new KeysetCursor(['instant', 'uuid'] as const);

const NEED_STATUSES_COUNTED = Object.values(CapacityNeedStatus).filter((status) => status !== CapacityNeedStatus.DRAFT);
const OFFER_STATUSES_COUNTED = Object.values(CapacityOfferStatus).filter((status) => status !== CapacityOfferStatus.DRAFT);

@Injectable()
export class BrokerageService {
  constructor(private readonly brokerage: BrokerageRepository) {}

  async needMetadata(query: NeedMetadataQuery): Promise<NeedMetadataListResponse> {
    const rows = await this.brokerage.needMetadataPage(listFilter(query), pageLimit(query.limit));
    return toPage(rows, query.limit, toNeedMetadata, (last) => CURSOR.encode(last.updatedAt, last.id));
  }

  async offerMetadata(query: OfferMetadataQuery): Promise<OfferMetadataListResponse> {
    const rows = await this.brokerage.offerMetadataPage(listFilter(query), pageLimit(query.limit));
    return toPage(rows, query.limit, toOfferMetadata, (last) => CURSOR.encode(last.updatedAt, last.id));
  }

  async proposalMetadata(query: ProposalMetadataQuery): Promise<ProposalMetadataListResponse> {
    const rows = await this.brokerage.proposalMetadataPage(listFilter(query), pageLimit(query.limit));
    return toPage(rows, query.limit, toProposalMetadata, (last) => CURSOR.encode(last.createdAt, last.id));
  }

  async engagementMetadata(query: EngagementMetadataQuery): Promise<EngagementMetadataListResponse> {
    const rows = await this.brokerage.engagementMetadataPage(listFilter(query), pageLimit(query.limit));
    return toPage(rows, query.limit, toEngagementMetadata, (last) => CURSOR.encode(last.startedAt, last.id));
  }

  async publicNeeds(query: PublicCapacityListQuery): Promise<PublicNeedListResponse> {
    const rows = await this.brokerage.publicOpenNeedPage(listFilter<never>(query), pageLimit(query.limit));
    return toPage(rows, query.limit, toPublicNeed, (last) => CURSOR.encode(last.updatedAt, last.id));
  }

  async publicOffers(query: PublicCapacityListQuery): Promise<PublicOfferListResponse> {
    const rows = await this.brokerage.publicOpenOfferPage(listFilter<never>(query), pageLimit(query.limit));
    return toPage(rows, query.limit, toPublicOffer, (last) => CURSOR.encode(last.updatedAt, last.id));
  }

  /** A State's figures over what it may see and what it is party to; the secretariat's over every State. */
  async statistics(actor: Actor, query: CapacityStatisticsQuery): Promise<CapacityStatisticsResponse> {
    const reader = statisticsReaderOf(actor);
    const cells = new Cells(await this.brokerage.statistics(reader, query.year === undefined ? undefined : yearOf(query.year)));
    const opened = cells.scalar('needs', 'opened');
    const matched = cells.scalar('needs', 'matched');
    return {
      stateCode: reader.kind === 'state' ? reader.stateCode : null,
      year: query.year ?? null,
      needs: {
        byStatus: cells.counts('needs.byStatus', NEED_STATUSES_COUNTED),
        openByRegion: cells.counts('needs.openByRegion', Object.values(UnRegionalGroup)),
        openByArea: cells.counts('needs.openByArea', Object.values(CapacityArea)),
        expiredOpen: cells.scalar('needs', 'expiredOpen'),
        opened,
        matched,
        matchedShare: opened === 0 ? null : Math.round((matched / opened) * 1000) / 1000,
        medianDaysToFirstProposal: roundDays(cells.measure('needs', 'medianDaysToFirstProposal')),
        medianDaysToFirstAcceptance: roundDays(cells.measure('needs', 'medianDaysToFirstAcceptance')),
        fulfilled: cells.scalar('needs', 'fulfilled'),
        fromRequests: cells.scalar('needs', 'fromRequests'),
        fromRequestsFulfilled: cells.scalar('needs', 'fromRequestsFulfilled'),
      },
      offers: {
        byStatus: cells.counts('offers.byStatus', OFFER_STATUSES_COUNTED),
        openByArea: cells.counts('offers.openByArea', Object.values(CapacityArea)),
      },
      engagements: {
        byStatus: cells.counts('engagements.byStatus', Object.values(CapacityEngagementStatus)),
        outcomes: outcomes(cells, 'engagements'),
      },
    };
  }

  /** Paragraph 43's aggregate: no State, no record, small regions suppressed. */
  async publicStatistics(query: PublicCapacityStatisticsQuery): Promise<PublicCapacityStatisticsResponse> {
    const year = query.year ?? new Date().getUTCFullYear();
    const cells = new Cells(await this.brokerage.publicStatistics(yearOf(year)));
    const suppressed: string[] = [];
    return {
      year,
      minimumStatesPerCell: MINIMUM_STATES_PER_CELL,
      needs: {
        openedByArea: cells.counts('needs.openedByArea', Object.values(CapacityArea)),
        openedByRegion: cells.suppressibleCounts('needs.openedByRegion', Object.values(UnRegionalGroup), suppressed),
        fulfilled: cells.scalar('needs', 'fulfilled'),
      },
      offers: {
        openByArea: cells.counts('offers.openByArea', Object.values(CapacityArea)),
        openByRegion: cells.suppressibleCounts('offers.openByRegion', Object.values(UnRegionalGroup), suppressed),
      },
      outcomes: outcomes(cells, 'outcomes'),
      suppressed,
    };
  }
}

/** The aggregate's cells, read by dimension and key; a cell the SQL did not return is 0. */
class Cells {
  private readonly byPath = new Map<string, AggregateRow>();

  constructor(rows: AggregateRow[]) {
    for (const row of rows) this.byPath.set(`${row.dimension}.${row.key}`, row);
  }

  scalar(dimension: string, key: string): number {
    return this.byPath.get(`${dimension}.${key}`)?.value ?? 0;
  }

  measure(dimension: string, key: string): number | null {
    return this.byPath.get(`${dimension}.${key}`)?.value ?? null;
  }

  counts(dimension: string, keys: readonly string[]): Counts {
    return Object.fromEntries(keys.map((key) => [key, this.scalar(dimension, key)]));
  }

  /**
   * Counts in which a cell with records of fewer than MINIMUM_STATES_PER_CELL States is null, and its
   * path added to `suppressed`. An empty cell names no one and is shown as 0.
   */
  suppressibleCounts(dimension: string, keys: readonly string[], suppressed: string[]): SuppressibleCounts {
    return Object.fromEntries(
      keys.map((key) => {
        const cell = this.byPath.get(`${dimension}.${key}`);
        if (cell && cell.states > 0 && cell.states < MINIMUM_STATES_PER_CELL) {
          suppressed.push(`${dimension}.${key}`);
          return [key, null];
        }
        return [key, cell?.value ?? 0];
      }),
    );
  }
}

function outcomes(cells: Cells, prefix: string): OutcomeCounts {
  return {
    needingSide: cells.counts(`${prefix}.needingSide`, Object.values(CapacityOutcome)),
    providingSide: cells.counts(`${prefix}.providingSide`, Object.values(CapacityOutcome)),
  };
}

function roundDays(days: number | null): number | null {
  return days === null ? null : Math.round(days * 10) / 10;
}

function yearOf(year: number): OpenedWithin {
  return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
}

function listFilter<Status extends string>(query: {
  status?: Status;
  state?: string;
  area?: CapacityArea;
  region?: UnRegionalGroup;
  cursor?: string;
}): CapacityListFilter<Status> {
  const before = query.cursor ? CURSOR.decode(query.cursor) : undefined;
  return {
    status: query.status,
    stateCode: query.state,
    area: query.area,
    region: query.region,
    before: before ? { at: before[0], id: before[1] } : undefined,
  };
}

/** A State's user reads as its State (with capacity:read); one without a State is the secretariat (with capacity:metadata). */
function statisticsReaderOf(actor: Actor): StatisticsReader {
  if (actor.stateCode) {
    if (!actor.permissions.has(Permission.CapacityRead)) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'This requires the permission capacity:read.');
    return { kind: 'state', stateCode: actor.stateCode };
  }
  if (!actor.permissions.has(Permission.CapacityMetadataRead)) {
    throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'This requires the permission capacity:metadata.');
  }
  return { kind: 'secretariat' };
}
