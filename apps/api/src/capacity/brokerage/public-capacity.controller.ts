import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@cbm/auth';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { BrokerageService } from './brokerage.service';
import { PublicCapacityListQuery, PublicCapacityStatisticsQuery } from './dto/brokerage-query.dto';
import { PublicCapacityStatisticsResponse } from './dto/capacity-statistics.response';
import { PublicNeedListResponse, PublicOfferListResponse } from './dto/public-capacity.response';

/** Capacity-building for industry, academia and civil society (paragraph 43): aggregates, and what States shared with everyone. */
@ApiTags('Public capacity building')
@Controller('public/capacity')
export class PublicCapacityController {
  constructor(private readonly brokerage: BrokerageService) {}

  /** Counts for one year, by area and region: no State and no record named; small regions suppressed. */
  @Get('statistics')
  @Public()
  @ApiProblemResponses(400)
  statistics(@Query() query: PublicCapacityStatisticsQuery): Promise<PublicCapacityStatisticsResponse> {
    return this.brokerage.publicStatistics(query);
  }

  /** OPEN needs shared with everyone (TLP:CLEAR), newest first. */
  @Get('needs')
  @Public()
  @ApiProblemResponses(400)
  needs(@Query() query: PublicCapacityListQuery): Promise<PublicNeedListResponse> {
    return this.brokerage.publicNeeds(query);
  }

  /** OPEN offers shared with everyone (TLP:CLEAR), newest first. */
  @Get('offers')
  @Public()
  @ApiProblemResponses(400)
  offers(@Query() query: PublicCapacityListQuery): Promise<PublicOfferListResponse> {
    return this.brokerage.publicOffers(query);
  }
}
