import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam } from '@cbm/common';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { readerOf } from '../../sharing/reader';
import { NeedMatchListResponse, OfferMatchListResponse } from './dto/match.response';
import { ListMatchesQuery } from './dto/list-matches.query.dto';
import { MatchingService } from './matching.service';

/**
 * Demand-driven matching: ranked, with the reason for every point (areas, modality, language, region,
 * time frame), over what the caller may see and nothing else.
 */
@ApiTags('Capacity-building')
@Controller('capacity')
export class MatchingController {
  constructor(private readonly matching: MatchingService) {}

  /** Open offers of other States for a need the caller may see, best first. */
  @Get('needs/:id/matches')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400, 404)
  offersForNeed(@CurrentActor() actor: Actor, @Param() params: IdParam, @Query() query: ListMatchesQuery): Promise<OfferMatchListResponse> {
    return this.matching.offersForNeed(readerOf(actor), params.id, query.limit);
  }

  /** For the offering State: open needs its offer could meet, best first. */
  @Get('offers/:id/matches')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400, 404)
  needsForOffer(@CurrentActor() actor: Actor, @Param() params: IdParam, @Query() query: ListMatchesQuery): Promise<NeedMatchListResponse> {
    return this.matching.needsForOffer(readerOf(actor), params.id, query.limit);
  }
}
