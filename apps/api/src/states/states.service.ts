import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { ConfigService } from '@nestjs/config';
import { DomainError, Environment } from '@cbm/common';
import { UN_STATES, UnitOfWork } from '@cbm/database';
import { staleBefore } from '../directory';
import { AuditService } from '../audit';
import { SecurityPolicyResponse } from './dto/update-state.dto';
import { ListStatesQuery } from './dto/list-states.query.dto';
import { StateDirectorySummaryResponse, StateListResponse, StateResponse, toStateResponse } from './dto/state.response';
import { StatesRepository } from './states.repository';

@Injectable()
export class StatesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatesService.name);

  constructor(
    private readonly states: StatesRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  /** Reference data is seeded on every start; the upsert makes a repeated start write nothing. */
  async onApplicationBootstrap(): Promise<void> {
    const { inserted, updated } = await this.states.upsertReferenceStates(UN_STATES);
    this.logger.log(`Reference States: ${UN_STATES.length} known, ${inserted} inserted, ${updated} updated`);
  }

  async list(query: ListStatesQuery): Promise<StateListResponse> {
    const states = await this.states.findMany({ region: query.region, participating: query.participating });
    return { items: states.map(toStateResponse) };
  }

  /** The secretariat admits a State to the registry, or suspends it. */
  async setParticipation(actor: Actor, code: string, participating: boolean): Promise<StateResponse> {
    return this.unitOfWork.run(async () => {
      const before = await this.states.findByCode(code);
      if (!before) throw DomainError.notFound('State');
      const after = await this.states.update(code, { participating });
      await this.audit.record({
        action: 'state.updated',
        actor,
        stateCode: code,
        entityType: 'state',
        entityId: code,
        summary: { before: { participating: before.participating }, after: { participating } },
      });
      return toStateResponse(after);
    });
  }

  async securityPolicy(actor: Actor): Promise<SecurityPolicyResponse> {
    const state = await this.states.findByCode(this.ownState(actor));
    if (!state) throw DomainError.notFound('State');
    return { stateCode: state.code, mfaRequired: state.mfaRequired };
  }

  /** A State's administrators decide whether all its users must use a second factor. */
  async setSecurityPolicy(actor: Actor, mfaRequired: boolean): Promise<SecurityPolicyResponse> {
    const code = this.ownState(actor);
    return this.unitOfWork.run(async () => {
      const before = await this.states.findByCode(code);
      const after = await this.states.update(code, { mfaRequired });
      await this.audit.record({
        action: 'state.security-policy.updated',
        actor,
        entityType: 'state',
        entityId: code,
        summary: { before: { mfaRequired: before?.mfaRequired ?? null }, after: { mfaRequired } },
      });
      return { stateCode: code, mfaRequired: after.mfaRequired };
    });
  }

  private ownState(actor: Actor): string {
    if (!actor.stateCode) throw DomainError.notFound('State');
    return actor.stateCode;
  }

  async directorySummary(code: string): Promise<StateDirectorySummaryResponse> {
    if (!(await this.states.findByCode(code))) throw DomainError.notFound('State');
    const summary = await this.states.directoryCounts(code, staleBefore(this.config.get('DIRECTORY_STALE_AFTER_DAYS', { infer: true })));
    const contacts = { DIPLOMATIC: 0, POLICY: 0, TECHNICAL: 0 };
    for (const row of summary.contactsByKind) contacts[row.kind] = row.entries;
    const dates = [summary.lastContactVerification, summary.lastCertVerification].filter((date): date is Date => date !== null);
    return {
      code,
      contacts,
      certs: summary.certs,
      staleEntries: summary.staleEntries,
      lastVerifiedAt: dates.length > 0 ? new Date(Math.max(...dates.map((date) => date.getTime()))) : null,
    };
  }

  async get(code: string): Promise<StateResponse> {
    const state = await this.states.findByCode(code);
    if (!state) throw DomainError.notFound('State');
    return toStateResponse(state);
  }
}
