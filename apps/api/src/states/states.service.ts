import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DomainError } from '@cbm/common';
import { UN_STATES } from '@cbm/database';
import { ListStatesQuery } from './dto/list-states.query.dto';
import { StateListResponse, StateResponse, toStateResponse } from './dto/state.response';
import { StatesRepository } from './states.repository';

@Injectable()
export class StatesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatesService.name);

  constructor(private readonly states: StatesRepository) {}

  /** Reference data is seeded on every start; the upsert makes a repeated start write nothing. */
  async onApplicationBootstrap(): Promise<void> {
    const { inserted, updated } = await this.states.upsertReferenceStates(UN_STATES);
    this.logger.log(`Reference States: ${UN_STATES.length} known, ${inserted} inserted, ${updated} updated`);
  }

  async list(query: ListStatesQuery): Promise<StateListResponse> {
    const states = await this.states.findMany({ region: query.region, participating: query.participating });
    return { items: states.map(toStateResponse) };
  }

  async get(code: string): Promise<StateResponse> {
    const state = await this.states.findByCode(code);
    if (!state) throw DomainError.notFound('State');
    return toStateResponse(state);
  }
}
