import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, AuthorizeAny, CurrentActor, Permission } from '@cbm/auth';
import { IdParam } from '@cbm/common';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { CommunicationChecksService } from './communication-checks.service';
import { CheckResultsQuery, CheckTrendsQuery, ListCommunicationChecksQuery, StartCommunicationCheckDto } from './dto/communication-check.dto';
import { CheckResultsResponse, CheckTrendsResponse, CommunicationCheckListResponse, CommunicationCheckResponse } from './dto/communication-check.response';

@ApiTags('Communication checks')
@Controller('communication-checks')
export class CommunicationChecksController {
  constructor(private readonly checks: CommunicationChecksService) {}

  /** Starts a check: every targeted contact gets a mail with a single-use confirmation link. */
  @Post()
  @Authorize(Permission.CommunicationCheckManage)
  @ApiProblemResponses(400, 422)
  start(@CurrentActor() actor: Actor, @Body() body: StartCommunicationCheckDto): Promise<CommunicationCheckResponse> {
    return this.checks.start(actor, body);
  }

  /** Checks, newest first (a State: those that concerned it, with its own totals). */
  @Get()
  @AuthorizeAny(Permission.CommunicationCheckManage, Permission.CommunicationCheckRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListCommunicationChecksQuery): Promise<CommunicationCheckListResponse> {
    return this.checks.list(actor, query);
  }

  /** Response rate and median time to confirm over successive checks. */
  @Get('trends')
  @AuthorizeAny(Permission.CommunicationCheckManage, Permission.CommunicationCheckRead)
  @ApiProblemResponses(400)
  trends(@CurrentActor() actor: Actor, @Query() query: CheckTrendsQuery): Promise<CheckTrendsResponse> {
    return this.checks.trends(actor, query);
  }

  /** One check with its totals. */
  @Get(':id')
  @AuthorizeAny(Permission.CommunicationCheckManage, Permission.CommunicationCheckRead)
  @ApiProblemResponses(400, 404)
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<CommunicationCheckResponse> {
    return this.checks.get(actor, params.id);
  }

  /** Results per contact, per State or per region (a State: its own contacts only). */
  @Get(':id/results')
  @AuthorizeAny(Permission.CommunicationCheckManage, Permission.CommunicationCheckRead)
  @ApiProblemResponses(400, 404)
  results(@CurrentActor() actor: Actor, @Param() params: IdParam, @Query() query: CheckResultsQuery): Promise<CheckResultsResponse> {
    return this.checks.results(actor, params.id, query);
  }

  /** Closes the window now: contacts that have not confirmed are UNRESPONSIVE. */
  @Post(':id/close')
  @Authorize(Permission.CommunicationCheckManage)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 404, 409)
  close(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<CommunicationCheckResponse> {
    return this.checks.close(actor, params.id);
  }
}
