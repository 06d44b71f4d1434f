import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam } from '@cbm/common';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { CapacityEngagementsService } from './capacity-engagements.service';
import {
  CancelEngagementDto,
  CreateEngagementUpdateDto,
  EvaluateEngagementDto,
  ListEngagementsQuery,
  ListEngagementUpdatesQuery,
} from './dto/capacity-engagement.dto';
import { EngagementListResponse, EngagementResponse, EngagementUpdateListResponse, EngagementUpdateResponse } from './dto/capacity-engagement.response';

/**
 * Engagements: accepted proposals, between the needing and the providing State only (404 to anyone
 * else). Updates from both sides while ACTIVE; completion by the needing State, cancellation by
 * either; then each side's evaluation.
 */
@ApiTags('Capacity-building')
@Controller('capacity/engagements')
export class CapacityEngagementsController {
  constructor(private readonly engagements: CapacityEngagementsService) {}

  /** The caller's State's engagements, on either side, newest first. */
  @Get()
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListEngagementsQuery): Promise<EngagementListResponse> {
    return this.engagements.list(actor, query);
  }

  /** One engagement with both sides' evaluations, for its two States only. */
  @Get(':id')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400, 404)
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<EngagementResponse> {
    return this.engagements.get(actor, params.id);
  }

  /** The updates of both sides, oldest first. */
  @Get(':id/updates')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400, 404)
  updates(@CurrentActor() actor: Actor, @Param() params: IdParam, @Query() query: ListEngagementUpdatesQuery): Promise<EngagementUpdateListResponse> {
    return this.engagements.updates(actor, params.id, query);
  }

  /** A status update by either side, while the engagement is ACTIVE. */
  @Post(':id/updates')
  @Authorize(Permission.CapacityWrite)
  @ApiProblemResponses(400, 404, 409)
  addUpdate(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: CreateEngagementUpdateDto): Promise<EngagementUpdateResponse> {
    return this.engagements.addUpdate(actor, params.id, body);
  }

  /** The needing State marks the help given: ACTIVE → COMPLETED. */
  @Post(':id/complete')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 403, 404, 409)
  complete(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<EngagementResponse> {
    return this.engagements.complete(actor, params.id);
  }

  /** Either side ends it early: ACTIVE → CANCELLED, the reason kept as its last update. */
  @Post(':id/cancel')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 404, 409)
  cancel(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: CancelEngagementDto): Promise<EngagementResponse> {
    return this.engagements.cancel(actor, params.id, body);
  }

  /** The caller's side's outcome and feedback, once, after the engagement ended. */
  @Post(':id/evaluation')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 404, 409)
  evaluate(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: EvaluateEngagementDto): Promise<EngagementResponse> {
    return this.engagements.evaluate(actor, params.id, body);
  }
}
