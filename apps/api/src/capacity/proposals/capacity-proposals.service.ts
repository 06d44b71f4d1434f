import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, KeysetCursor, pageLimit, toPage } from '@cbm/common';
import { CapacityEngagement, CapacityNeedStatus, CapacityProposalStatus, UnitOfWork } from '@cbm/database';
import { AuditService } from '../../audit';
import { OutboxRepository } from '../../outbox';
import { CapacityTitlesRepository } from '../shared/capacity-titles.repository';
import { notYourTurn, partyStateOf, text } from '../shared/parties';
import { conflict } from '../shared/shared-record';
import { CapacityProposalsRepository, ProposalRow } from './capacity-proposals.repository';
import { CreateProposalDto, DeclineProposalDto, ListProposalsQuery } from './dto/capacity-proposal.dto';
import { NeedProposalsResponse, ProposalListResponse, ProposalResponse, toProposalResponse } from './dto/capacity-proposal.response';

/** Why a provider's proposal was declined, as its notice says. */
export type DeclineCause = 'DECLINED' | 'NEED_WITHDRAWN' | 'NEED_FULFILLED' | 'NEED_CLOSED';

/**
 * Providers answer a need with a proposal; the needing State alone decides on it (paragraph 36:
 * demand-driven). Accepting one starts an engagement and puts the need IN_PROGRESS, in one unit of
 * work; the other side is told of every decision through the outbox.
 */
@Injectable()
export class CapacityProposalsService {
  constructor(
    private readonly proposals: CapacityProposalsRepository,
    private readonly titles: CapacityTitlesRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
  ) {}

  async propose(actor: Actor, needId: string, input: CreateProposalDto): Promise<ProposalResponse> {
    const providerState = partyStateOf(actor);
    return this.unitOfWork.run(async () => {
      const need = await this.proposals.lockVisibleNeed(providerState, needId);
      if (!need) throw DomainError.notFound('Need');
      if (need.stateCode === providerState) throw conflict('A State does not propose on its own need.');
      if (need.status !== CapacityNeedStatus.OPEN) throw conflict(`Proposals are made on OPEN needs; this one is ${need.status}.`);
      if (need.expired) throw conflict('The need is past its time frame (neededBy): it takes no more proposals.');
      if (input.offerId && !(await this.proposals.isOpenOfferOf(providerState, input.offerId))) {
        throw DomainError.validation([{ field: 'offerId', message: 'must be one of your State\'s OPEN offers' }]);
      }
      if (await this.proposals.existsFor(needId, providerState)) throw conflict('Your State has already made a proposal on this need.');
      const proposal = await this.proposals.create({
        needId,
        needState: need.stateCode,
        providerState,
        offerId: input.offerId ?? null,
        message: text(input.message),
        createdByUserId: actor.userId,
        createdByApiKeyId: actor.apiKeyId,
      });
      await this.outbox.emit([
        {
          type: 'capacity.proposal_received',
          stateCode: need.stateCode,
          payload: {
            ...(await this.notice(proposal, need.stateCode, providerState)),
            offerId: proposal.offerId,
            offerTitle: await this.titles.offerTitleFor(need.stateCode, proposal.offerId),
          },
        },
      ]);
      await this.record(actor, 'created', proposal, { needId, needState: need.stateCode, offerId: proposal.offerId });
      return toProposalResponse(proposal);
    });
  }

  /** The need's owner sees every proposal on it; another State that may see the need, its own. */
  async listForNeed(actor: Actor, needId: string): Promise<NeedProposalsResponse> {
    const stateCode = partyStateOf(actor);
    const need = await this.proposals.findVisibleNeed(stateCode, needId);
    if (!need) throw DomainError.notFound('Need');
    const rows = await this.proposals.listForNeed(needId, need.stateCode === stateCode ? undefined : stateCode);
    return { items: rows.map(toProposalResponse) };
  }

  async list(actor: Actor, query: ListProposalsQuery): Promise<ProposalListResponse> {
    const stateCode = partyStateOf(actor);
    const before = query.cursor ? decodeProposalCursor(query.cursor) : undefined;
    const rows = await this.proposals.listForParty(stateCode, { side: query.side, status: query.status, before }, pageLimit(query.limit));
    return toPage(rows, query.limit, toProposalResponse, (last) => PROPOSAL_CURSOR.encode(last.createdAt, last.id));
  }

  async get(actor: Actor, id: string): Promise<ProposalResponse> {
    const proposal = await this.proposals.findForParty(partyStateOf(actor), id);
    if (!proposal) throw DomainError.notFound('Proposal');
    return toProposalResponse(proposal);
  }

  /**
   * The needing State accepts: the proposal becomes an engagement, and the need IN_PROGRESS (other
   * pending proposals stay pending: a need may take several providers).
   */
  async accept(actor: Actor, id: string): Promise<ProposalResponse> {
    return this.decide(actor, id, 'accepted', async (proposal) => {
      if (!(await this.proposals.markNeedInProgress(proposal.needId, proposal.needState))) {
        const status = await this.proposals.needStatus(proposal.needId);
        throw conflict(`A proposal is accepted while its need is OPEN or IN_PROGRESS; the need is ${status}.`);
      }
      if (!(await this.proposals.decide(proposal.id, CapacityProposalStatus.ACCEPTED))) throw changedMeanwhile();
      const engagement: CapacityEngagement = await this.proposals.createEngagement(proposal);
      await this.outbox.emit([
        {
          type: 'capacity.proposal_accepted',
          stateCode: proposal.providerState,
          payload: { ...(await this.notice(proposal, proposal.providerState, proposal.needState)), engagementId: engagement.id },
        },
      ]);
      return { engagementId: engagement.id };
    });
  }

  async decline(actor: Actor, id: string, input: DeclineProposalDto): Promise<ProposalResponse> {
    return this.decide(actor, id, 'declined', async (proposal) => {
      if (!(await this.proposals.decide(proposal.id, CapacityProposalStatus.DECLINED))) throw changedMeanwhile();
      // The reason is written to the provider and goes to it alone: the Registry keeps no copy.
      await this.emitDeclined(proposal, 'DECLINED', input.reason ? text(input.reason) : null);
      return {};
    });
  }

  async withdraw(actor: Actor, id: string): Promise<ProposalResponse> {
    const stateCode = partyStateOf(actor);
    return this.unitOfWork.run(async () => {
      const proposal = await this.proposals.findForParty(stateCode, id, { lock: true });
      if (!proposal) throw DomainError.notFound('Proposal');
      if (proposal.providerState !== stateCode) throw notYourTurn('Only the State that made a proposal withdraws it; the needing State declines it.');
      if (proposal.status !== CapacityProposalStatus.PENDING) throw conflict(`Only a PENDING proposal can be withdrawn; this one is ${proposal.status}.`);
      if (!(await this.proposals.decide(proposal.id, CapacityProposalStatus.WITHDRAWN))) throw changedMeanwhile();
      await this.record(actor, 'withdrawn', proposal, { status: CapacityProposalStatus.WITHDRAWN });
      return this.reread(stateCode, id);
    });
  }

  /**
   * For the needs service, inside its unit of work, when a need is withdrawn or fulfilled: its
   * PENDING proposals become DECLINED and each provider is told. Returns how many changed.
   */
  async declinePendingProposals(needId: string, actor?: Actor): Promise<number> {
    return this.unitOfWork.run(async () => {
      const declined = await this.proposals.declinePendingForNeed(needId);
      if (declined.length === 0) return 0;
      const status = await this.proposals.needStatus(needId);
      const cause: DeclineCause = status === CapacityNeedStatus.WITHDRAWN ? 'NEED_WITHDRAWN' : status === CapacityNeedStatus.FULFILLED ? 'NEED_FULFILLED' : 'NEED_CLOSED';
      for (const proposal of declined) {
        await this.emitDeclined(proposal, cause, null);
        await this.audit.record({
          action: 'capacity_proposal.declined',
          actor: actor ?? null,
          stateCode: proposal.needState,
          entityType: 'capacity_proposal',
          entityId: proposal.id,
          summary: { needId, providerState: proposal.providerState, status: CapacityProposalStatus.DECLINED, cause },
        });
      }
      return declined.length;
    });
  }

  /** A decision of the needing State on a PENDING proposal: the provider gets 403, anyone else 404. */
  private async decide(
    actor: Actor,
    id: string,
    action: 'accepted' | 'declined',
    apply: (proposal: ProposalRow) => Promise<{ engagementId?: string }>,
  ): Promise<ProposalResponse> {
    const stateCode = partyStateOf(actor);
    return this.unitOfWork.run(async () => {
      const proposal = await this.proposals.findForParty(stateCode, id);
      if (!proposal) throw DomainError.notFound('Proposal');
      if (proposal.needState !== stateCode) {
        throw notYourTurn(`Only the needing State ${action === 'accepted' ? 'accepts' : 'declines'} a proposal; the provider may withdraw its own.`);
      }
      if (proposal.status !== CapacityProposalStatus.PENDING) throw conflict(`Only a PENDING proposal can be ${action}; this one is ${proposal.status}.`);
      const { engagementId } = await apply(proposal);
      await this.record(actor, action, proposal, {
        status: action === 'accepted' ? CapacityProposalStatus.ACCEPTED : CapacityProposalStatus.DECLINED,
        ...(engagementId ? { engagementId, needStatus: CapacityNeedStatus.IN_PROGRESS } : {}),
      });
      return this.reread(stateCode, id);
    });
  }

  private async reread(stateCode: string, id: string): Promise<ProposalResponse> {
    return toProposalResponse((await this.proposals.findForParty(stateCode, id))!);
  }

  private async emitDeclined(proposal: { id: string; needId: string; needState: string; providerState: string }, cause: DeclineCause, reason: string | null) {
    await this.outbox.emit([
      {
        type: 'capacity.proposal_declined',
        stateCode: proposal.providerState,
        payload: { ...(await this.notice(proposal, proposal.providerState, proposal.needState)), cause, reason },
      },
    ]);
  }

  /** What every proposal notice carries: ids, the two States, who acted, and the need's title if the recipient may see it. */
  private async notice(proposal: { id: string; needId: string; needState: string; providerState: string }, recipient: string, by: string) {
    return {
      proposalId: proposal.id,
      needId: proposal.needId,
      needTitle: await this.titles.needTitleFor(recipient, proposal.needId),
      needState: proposal.needState,
      providerState: proposal.providerState,
      by,
    };
  }

  /** Audited without the message or the reason: the secretariat reads the audit log. */
  private async record(actor: Actor, action: string, proposal: ProposalRow, summary: Record<string, unknown>): Promise<void> {
    await this.audit.record({
      action: `capacity_proposal.${action}`,
      actor,
      entityType: 'capacity_proposal',
      entityId: proposal.id,
      summary: { needId: proposal.needId, needState: proposal.needState, providerState: proposal.providerState, ...summary },
    });
  }
}

function changedMeanwhile(): DomainError {
  return conflict('The proposal changed meanwhile: read it again.');
}

/** Proposal lists are sorted by (createdAt, id), newest first. */
const PROPOSAL_CURSOR = new KeysetCursor(['instant', 'uuid'] as const);

function decodeProposalCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = PROPOSAL_CURSOR.decode(cursor);
  return { createdAt, id };
}
