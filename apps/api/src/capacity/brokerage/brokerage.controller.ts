import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, AuthorizeAny, CurrentActor, Permission } from '@cbm/auth';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { BrokerageService } from './brokerage.service';
import {
  CapacityStatisticsQuery,
  EngagementMetadataQuery,
  NeedMetadataQuery,
  OfferMetadataQuery,
  ProposalMetadataQuery,
} from './dto/brokerage-query.dto';
import {
  EngagementMetadataListResponse,
  NeedMetadataListResponse,
  OfferMetadataListResponse,
  ProposalMetadataListResponse,
} from './dto/capacity-metadata.response';
import { CapacityStatisticsResponse } from './dto/capacity-statistics.response';

/**
 * The secretariat as a neutral broker: every State's needs, offers, proposals and engagements as
 * metadata (areas, regions, statuses, dates, outcomes; never what was written, nor whom a record is
 * shared with), and the statistics, which each State also reads over what it may see.
 */
@ApiTags('Capacity building: brokerage')
@Controller('capacity')
export class BrokerageController {
  constructor(private readonly brokerage: BrokerageService) {}

  /** Every State's needs but drafts, newest first. */
  @Get('metadata/needs')
  @Authorize(Permission.CapacityMetadataRead)
  @ApiProblemResponses(400)
  needs(@Query() query: NeedMetadataQuery): Promise<NeedMetadataListResponse> {
    return this.brokerage.needMetadata(query);
  }

  /** Every State's offers but drafts, newest first. */
  @Get('metadata/offers')
  @Authorize(Permission.CapacityMetadataRead)
  @ApiProblemResponses(400)
  offers(@Query() query: OfferMetadataQuery): Promise<OfferMetadataListResponse> {
    return this.brokerage.offerMetadata(query);
  }

  /** Every proposal, newest first (without its message). */
  @Get('metadata/proposals')
  @Authorize(Permission.CapacityMetadataRead)
  @ApiProblemResponses(400)
  proposals(@Query() query: ProposalMetadataQuery): Promise<ProposalMetadataListResponse> {
    return this.brokerage.proposalMetadata(query);
  }

  /** Every engagement, newest start first (outcomes without feedback, no updates). */
  @Get('metadata/engagements')
  @Authorize(Permission.CapacityMetadataRead)
  @ApiProblemResponses(400)
  engagements(@Query() query: EngagementMetadataQuery): Promise<EngagementMetadataListResponse> {
    return this.brokerage.engagementMetadata(query);
  }

  /**
   * Needs by status, open needs by region and area, expired, matched share, median days to the first
   * proposal and to acceptance, fulfilled, outcomes, open offers by area. A State's: over the needs
   * and offers it may see and the proposals and engagements it is party to; the secretariat's: over
   * every State.
   */
  @Get('statistics')
  @AuthorizeAny(Permission.CapacityRead, Permission.CapacityMetadataRead)
  @ApiProblemResponses(400)
  statistics(@CurrentActor() actor: Actor, @Query() query: CapacityStatisticsQuery): Promise<CapacityStatisticsResponse> {
    return this.brokerage.statistics(actor, query);
  }
}
