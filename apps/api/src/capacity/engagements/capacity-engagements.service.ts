import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, KeysetCursor, pageLimit, toPage } from '@cbm/common';
import { CapacityEngagement, CapacityEngagementStatus, UnitOfWork } from '@cbm/database';
import { AuditService } from '../../audit';
import { OutboxMessage, OutboxRepository, WebhookEventType } from '../../outbox';
import { CapacityTitlesRepository } from '../shared/capacity-titles.repository';
import { notYourTurn, otherParty, partyStateOf, sideOf, text } from '../shared/parties';
import { conflict } from '../shared/shared-record';
import { CapacityEngagementsRepository } from './capacity-engagements.repository';
import {
  CancelEngagementDto,
  CreateEngagementUpdateDto,
  EvaluateEngagementDto,
  ListEngagementsQuery,
  ListEngagementUpdatesQuery,
} from './dto/capacity-engagement.dto';
import {
  EngagementListResponse,
  EngagementResponse,
  EngagementUpdateListResponse,
  EngagementUpdateResponse,
  toEngagementResponse,
  toEngagementUpdateResponse,
} from './dto/capacity-engagement.response';

/**
 * An accepted proposal is an engagement between two States: updates from both while it is ACTIVE,
 * its completion (the needing State's call) or cancellation (either side's), and at the end each
 * side's evaluation, once (the Clearing House's tailored evaluation). The other side is told of each.
 */
@Injectable()
export class CapacityEngagementsService {
  constructor(
    private readonly engagements: CapacityEngagementsRepository,
    private readonly titles: CapacityTitlesRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
  ) {}

  async list(actor: Actor, query: ListEngagementsQuery): Promise<EngagementListResponse> {
    const before = query.cursor ? decodeEngagementCursor(query.cursor) : undefined;
    const rows = await this.engagements.listForParty(partyStateOf(actor), { status: query.status, before }, pageLimit(query.limit));
    return toPage(rows, query.limit, toEngagementResponse, (last) => ENGAGEMENT_CURSOR.encode(last.startedAt, last.id));
  }

  async get(actor: Actor, id: string): Promise<EngagementResponse> {
    return toEngagementResponse(await this.findForParty(partyStateOf(actor), id));
  }

  async updates(actor: Actor, id: string, query: ListEngagementUpdatesQuery): Promise<EngagementUpdateListResponse> {
    await this.findForParty(partyStateOf(actor), id);
    const after = query.cursor ? decodeUpdateCursor(query.cursor) : undefined;
    const rows = await this.engagements.listUpdates(id, after, pageLimit(query.limit));
    return toPage(rows, query.limit, toEngagementUpdateResponse, (last) => UPDATE_CURSOR.encode(last.createdAt, last.id));
  }

  async addUpdate(actor: Actor, id: string, input: CreateEngagementUpdateDto): Promise<EngagementUpdateResponse> {
    const stateCode = partyStateOf(actor);
    return this.unitOfWork.run(async () => {
      const engagement = await this.findForParty(stateCode, id, true);
      if (engagement.status !== CapacityEngagementStatus.ACTIVE) throw conflict(`Updates are written while the engagement is ACTIVE; it is ${engagement.status}.`);
      const update = await this.engagements.addUpdate({
        engagementId: id,
        authorState: stateCode,
        authorUserId: actor.userId,
        authorApiKeyId: actor.apiKeyId,
        body: text(input.body),
      });
      await this.tellOtherSide(engagement, stateCode, 'capacity.engagement_update', { updateId: update.id });
      await this.record(actor, 'updated', engagement, { updateId: update.id });
      return toEngagementUpdateResponse(update);
    });
  }

  /** The needing State says the help was given: ACTIVE → COMPLETED. */
  complete(actor: Actor, id: string): Promise<EngagementResponse> {
    return this.end(actor, id, CapacityEngagementStatus.COMPLETED, (engagement, stateCode) => {
      if (sideOf(engagement, stateCode) !== 'needing') throw notYourTurn('Only the needing State completes an engagement; either side may cancel it.');
    });
  }

  /** Either side ends it early; the reason becomes the engagement's last update, seen by both. */
  cancel(actor: Actor, id: string, input: CancelEngagementDto): Promise<EngagementResponse> {
    return this.end(actor, id, CapacityEngagementStatus.CANCELLED, undefined, async (engagement, stateCode) => {
      await this.engagements.addUpdate({
        engagementId: engagement.id,
        authorState: stateCode,
        authorUserId: actor.userId,
        authorApiKeyId: actor.apiKeyId,
        body: text(input.reason),
      });
    });
  }

  /** Each side's outcome and feedback, once, after the end; both sides see both. */
  async evaluate(actor: Actor, id: string, input: EvaluateEngagementDto): Promise<EngagementResponse> {
    const stateCode = partyStateOf(actor);
    return this.unitOfWork.run(async () => {
      const before = await this.findForParty(stateCode, id);
      if (before.status === CapacityEngagementStatus.ACTIVE) throw conflict('An engagement is evaluated once it is COMPLETED or CANCELLED; it is ACTIVE.');
      const side = sideOf(before, stateCode);
      if ((side === 'needing' ? before.needEvaluatedAt : before.providerEvaluatedAt) !== null) {
        throw conflict('Your State has evaluated this engagement already.');
      }
      const after = await this.engagements.evaluate(id, side, input.outcome, text(input.feedback));
      if (!after) throw changedMeanwhile();
      await this.tellOtherSide(after, stateCode, 'capacity.engagement_evaluated', { side, outcome: input.outcome });
      await this.record(actor, 'evaluated', after, { side, outcome: input.outcome });
      return toEngagementResponse(after);
    });
  }

  private async end(
    actor: Actor,
    id: string,
    status: CapacityEngagementStatus,
    mayAct?: (engagement: CapacityEngagement, stateCode: string) => void,
    alongside?: (engagement: CapacityEngagement, stateCode: string) => Promise<void>,
  ): Promise<EngagementResponse> {
    const stateCode = partyStateOf(actor);
    return this.unitOfWork.run(async () => {
      const before = await this.findForParty(stateCode, id);
      mayAct?.(before, stateCode);
      if (before.status !== CapacityEngagementStatus.ACTIVE) throw conflict(`Only an ACTIVE engagement can be ${status.toLowerCase()}; this one is ${before.status}.`);
      const after = await this.engagements.end(id, before.version, status);
      if (!after) throw changedMeanwhile();
      await alongside?.(after, stateCode);
      await this.tellOtherSide(after, stateCode, 'capacity.engagement_ended', { status });
      await this.record(actor, status === CapacityEngagementStatus.COMPLETED ? 'completed' : 'cancelled', after, { status });
      return toEngagementResponse(after);
    });
  }

  /** Another State's engagement (or none) is a 404 alike. */
  private async findForParty(stateCode: string, id: string, lock = false): Promise<CapacityEngagement> {
    const engagement = await this.engagements.findForParty(stateCode, id, { lock });
    if (!engagement) throw DomainError.notFound('Engagement');
    return engagement;
  }

  /** The notice to the other party: ids, both States, who acted, the need's title if that State may see it, and `extra`. */
  private async tellOtherSide(engagement: CapacityEngagement, by: string, type: WebhookEventType, extra: Record<string, unknown>): Promise<void> {
    const recipient = otherParty(engagement, by);
    const message: OutboxMessage = {
      type,
      stateCode: recipient,
      payload: {
        engagementId: engagement.id,
        proposalId: engagement.proposalId,
        needId: engagement.needId,
        needTitle: await this.titles.needTitleFor(recipient, engagement.needId),
        needState: engagement.needState,
        providerState: engagement.providerState,
        by,
        ...extra,
      },
    };
    await this.outbox.emit([message]);
  }

  /** Audited without the update's text, the reason or the feedback: the secretariat reads the audit log. */
  private async record(actor: Actor, action: string, engagement: CapacityEngagement, summary: Record<string, unknown>): Promise<void> {
    await this.audit.record({
      action: `capacity_engagement.${action}`,
      actor,
      entityType: 'capacity_engagement',
      entityId: engagement.id,
      summary: { needId: engagement.needId, needState: engagement.needState, providerState: engagement.providerState, ...summary },
    });
  }
}

function changedMeanwhile(): DomainError {
  return conflict('The engagement changed meanwhile: read it again.');
}

/** Engagement lists are sorted by (startedAt, id), newest first; updates by (createdAt, id), oldest first. */
const ENGAGEMENT_CURSOR = new KeysetCursor(['instant', 'uuid'] as const);
const UPDATE_CURSOR = new KeysetCursor(['instant', 'uuid'] as const);

function decodeEngagementCursor(cursor: string): { startedAt: Date; id: string } {
  const [startedAt, id] = ENGAGEMENT_CURSOR.decode(cursor);
  return { startedAt, id };
}

function decodeUpdateCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = UPDATE_CURSOR.decode(cursor);
  return { createdAt, id };
}
