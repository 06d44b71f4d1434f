import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@cbm/auth';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { ListStatesQuery } from './dto/list-states.query.dto';
import { StateCodeParam } from './dto/state-code.param.dto';
import { StateListResponse, StateResponse } from './dto/state.response';
import { StatesService } from './states.service';

/** UN member and observer States: public reference data. */
@Public()
@ApiTags('States')
@Controller('states')
export class StatesController {
  constructor(private readonly states: StatesService) {}

  /** Lists the 195 States (193 members, 2 observers), filtered by regional group or participation. */
  @Get()
  @ApiProblemResponses(400)
  list(@Query() query: ListStatesQuery): Promise<StateListResponse> {
    return this.states.list(query);
  }

  /** One State by its ISO 3166-1 alpha-3 code. */
  @Get(':code')
  @ApiProblemResponses(400, 404)
  get(@Param() params: StateCodeParam): Promise<StateResponse> {
    return this.states.get(params.code);
  }
}
