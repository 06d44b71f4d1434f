import { Body, Controller, Get, Param, Patch, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission, Public } from '@cbm/auth';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { ListStatesQuery } from './dto/list-states.query.dto';
import { StateCodeParam } from './dto/state-code.param.dto';
import { StateDirectorySummaryResponse, StateListResponse, StateResponse } from './dto/state.response';
import { SecurityPolicyDto, SecurityPolicyResponse, UpdateStateDto } from './dto/update-state.dto';
import { StatesService } from './states.service';

/** UN member and observer States: public reference data. */
@ApiTags('States')
@Controller('states')
export class StatesController {
  constructor(private readonly states: StatesService) {}

  /** Lists the 195 States (193 members, 2 observers), filtered by regional group or participation. */
  @Get()
  @Public()
  @ApiProblemResponses(400)
  list(@Query() query: ListStatesQuery): Promise<StateListResponse> {
    return this.states.list(query);
  }

  /** The caller's State's security policy. */
  @Get('mine/security-policy')
  @Authorize(Permission.StateSecurityManage)
  securityPolicy(@CurrentActor() actor: Actor): Promise<SecurityPolicyResponse> {
    return this.states.securityPolicy(actor);
  }

  /** Requires a second factor of every user of the caller's State (or stops requiring it). */
  @Put('mine/security-policy')
  @Authorize(Permission.StateSecurityManage)
  @ApiProblemResponses(400)
  setSecurityPolicy(@CurrentActor() actor: Actor, @Body() body: SecurityPolicyDto): Promise<SecurityPolicyResponse> {
    return this.states.setSecurityPolicy(actor, body.mfaRequired);
  }

  /** Admits a State to the registry or suspends it (the secretariat). */
  @Patch(':code')
  @Authorize(Permission.StateManage)
  @ApiProblemResponses(400, 404)
  update(@CurrentActor() actor: Actor, @Param() params: StateCodeParam, @Body() body: UpdateStateDto): Promise<StateResponse> {
    return this.states.setParticipation(actor, params.code, body.participating);
  }

  /**
   * What the directory holds for a State: contacts by kind, CERTs, stale entries, last verification.
   * Participants only (the State record itself is public).
   */
  @Get(':code/summary')
  @Authorize(Permission.DirectoryRead)
  @ApiProblemResponses(400, 404)
  summary(@Param() params: StateCodeParam): Promise<StateDirectorySummaryResponse> {
    return this.states.directorySummary(params.code);
  }

  /** One State by its ISO 3166-1 alpha-3 code. */
  @Get(':code')
  @Public()
  @ApiProblemResponses(400, 404)
  get(@Param() params: StateCodeParam): Promise<StateResponse> {
    return this.states.get(params.code);
  }
}
