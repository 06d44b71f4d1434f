import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, FieldError, KeysetCursor, pageLimit, toPage, Versioned } from '@cbm/common';
import { CapacityNeedStatus, UnitOfWork } from '@cbm/database';
import { AuditService } from '../../audit';
import { OutboxMessage, OutboxRepository } from '../../outbox';
import { audienceProblems } from '../../sharing/audience-consistency';
import { SelectedStatesRepository } from '../../sharing/selected-states.repository';
import { isVisibleTo } from '../../sharing/audience-visibility.repository';
import { isOwnerOf, Reader } from '../../sharing/reader';
import { calendarDate, todayUtc } from '../shared/calendar-date';
import { changeOwned } from '../shared/owned-change';
import { actingState, conflict, sharedWith } from '../shared/shared-record';
import { definedOnly, refuseCleared } from '../../sharing/partial-edit';
import { MatchingRepository } from '../matching/matching.repository';
import { CapacityProposalsService } from '../proposals/capacity-proposals.service';
import { CreateNeedDto, UpdateNeedDto } from './dto/need.dto';
import { versionedNeed, toNeedResponse } from './dto/need.mapper';
import { NeedListResponse, NeedResponse } from './dto/need.response';
import { ListNeedsQuery } from './dto/list-needs.query.dto';
import { NeedChanges, NeedRow, NeedsRepository } from './needs.repository';

/** What an owner writes; everything else of a need is its lifecycle. */
type NeedContent = Pick<
  NeedRow,
  | 'title' | 'description' | 'areas' | 'sectors' | 'modalities' | 'languages' | 'neededFrom' | 'neededBy'
  | 'selfAssessmentModel' | 'selfAssessmentLevel' | 'selfAssessmentNotes' | 'tlp' | 'audience' | 'selectedStates'
>;

const NOT_NULLABLE = ['title', 'description', 'areas', 'modalities', 'languages', 'neededBy', 'tlp', 'audience'] as const;

/** How many matching offers a newly opened need is announced through, at most. */
const ANNOUNCED_OFFERS = 500;

/** Needs are listed newest change first, by (updatedAt, id). */
const NEED_CURSOR = new KeysetCursor(['instant', 'uuid'] as const);

/**
 * A State's capacity-building needs: DRAFT → OPEN → IN_PROGRESS (an accepted proposal moves it, in
 * the proposals' unit of work) → FULFILLED, or WITHDRAWN. Visible to the audience its State chose,
 * under the disclosures' rule, once opened.
 */
@Injectable()
export class NeedsService {
  constructor(
    private readonly needs: NeedsRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly selectedStates: SelectedStatesRepository,
    private readonly proposals: CapacityProposalsService,
    private readonly matching: MatchingRepository,
  ) {}

  async list(reader: Reader, query: ListNeedsQuery): Promise<NeedListResponse> {
    const before = query.cursor ? NEED_CURSOR.decode(query.cursor) : undefined;
    const rows = await this.needs.findVisiblePage(
      reader,
      {
        stateCode: query.state,
        region: query.region,
        area: query.area,
        sector: query.sector,
        modality: query.modality,
        language: query.language,
        status: query.status,
        expired: query.expired,
        before: before ? { updatedAt: before[0], id: before[1] } : undefined,
      },
      pageLimit(query.limit),
    );
    return toPage(
      rows,
      query.limit,
      (need) => toNeedResponse(need, isOwnerOf(reader, need)),
      (last) => NEED_CURSOR.encode(last.updatedAt, last.id),
    );
  }

  /** Another State's need the reader may not see is a 404, like one that does not exist. */
  async get(reader: Reader, id: string): Promise<Versioned<NeedResponse>> {
    const need = await this.needs.findVisible(reader, id);
    if (!need) throw DomainError.notFound('Need');
    return versionedNeed(need, isOwnerOf(reader, need));
  }

  /** A new draft, visible to its State alone until opened. */
  async create(actor: Actor, input: CreateNeedDto, sourceRequestId: string | null = null): Promise<Versioned<NeedResponse>> {
    const stateCode = actingState(actor);
    const content = contentOf(input) as NeedContent;
    await this.assertConsistent(content, stateCode, input);
    return this.unitOfWork.run(async () => {
      const id = await this.needs.create({
        ...toColumns(content),
        stateCode,
        sourceRequestId,
        createdByUserId: actor.userId ?? null,
        createdByApiKeyId: actor.apiKeyId ?? null,
      });
      const need = await this.ownNeed(stateCode, id);
      await this.record(actor, need, 'created');
      return versionedNeed(need, true);
    });
  }

  /** Edits a draft or an open need. Requires If-Match. */
  update(actor: Actor, id: string, ifMatch: string | undefined, input: UpdateNeedDto): Promise<Versioned<NeedResponse>> {
    refuseCleared(input, NOT_NULLABLE);
    return this.change(actor, id, ifMatch, true, 'updated', async (before, stateCode) => {
      if (before.status !== CapacityNeedStatus.DRAFT && before.status !== CapacityNeedStatus.OPEN) {
        throw conflict(`A need that is ${before.status} can no longer be edited.`);
      }
      const merged = { ...pickContent(before), ...definedOnly(contentOf(input, true)) } as NeedContent;
      await this.assertConsistent(merged, stateCode, input);
      return toColumns(merged);
    });
  }

  /**
   * Makes a draft visible to its audience, and tells the States whose open offers it matches (those
   * that may see it, by the same rule that shows it to them).
   */
  open(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<NeedResponse>> {
    return this.change(
      actor,
      id,
      ifMatch,
      false,
      'opened',
      async (before) => {
        if (before.status !== CapacityNeedStatus.DRAFT) throw conflict('Only a draft can be opened.');
        if (before.neededBy < todayUtc()) throw conflict('The time frame of this need is over: set a later neededBy first.');
        return { status: CapacityNeedStatus.OPEN, openedAt: new Date() };
      },
      (after) => this.announceToMatchingOffers(after),
    );
  }

  /** Gone for everyone but its State; pending proposals are declined. Not while an engagement is under way. */
  withdraw(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<NeedResponse>> {
    return this.change(
      actor,
      id,
      ifMatch,
      false,
      'withdrawn',
      async (before) => {
        const closable: CapacityNeedStatus[] = [CapacityNeedStatus.DRAFT, CapacityNeedStatus.OPEN, CapacityNeedStatus.IN_PROGRESS];
        if (!closable.includes(before.status)) throw conflict(`A need that is ${before.status} cannot be withdrawn.`);
        await this.assertNoActiveEngagement(before);
        return { status: CapacityNeedStatus.WITHDRAWN, withdrawnAt: new Date() };
      },
      (after) => this.declinePending(after, actor),
    );
  }

  /** The needing State says it got what it needed; its engagements must have ended first. */
  fulfil(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<NeedResponse>> {
    return this.change(
      actor,
      id,
      ifMatch,
      false,
      'fulfilled',
      async (before) => {
        if (before.status !== CapacityNeedStatus.IN_PROGRESS) throw conflict('Only a need in progress (an accepted proposal) can be fulfilled.');
        await this.assertNoActiveEngagement(before);
        return { status: CapacityNeedStatus.FULFILLED, fulfilledAt: new Date() };
      },
      (after) => this.declinePending(after, actor),
    );
  }

  /** A closed need takes no more offers of help: its pending proposals are declined, each provider told why. */
  private async declinePending(need: NeedRow, actor: Actor): Promise<void> {
    await this.proposals.declinePendingProposals(need.id, actor);
  }

  private async change(
    actor: Actor,
    id: string,
    ifMatch: string | undefined,
    ifMatchRequired: boolean,
    action: string,
    changes: (before: NeedRow, stateCode: string) => Promise<NeedChanges>,
    afterwards?: (after: NeedRow) => Promise<void>,
  ): Promise<Versioned<NeedResponse>> {
    const stateCode = actingState(actor);
    const after = await changeOwned(this.unitOfWork, this.needs, {
      stateCode,
      id,
      entity: 'Need',
      ifMatch,
      ifMatchRequired,
      changes: (before) => changes(before, stateCode),
      afterwards: async (written) => {
        await this.record(actor, written, action);
        await afterwards?.(written);
      },
    });
    return versionedNeed(after, true);
  }

  private async announceToMatchingOffers(need: NeedRow): Promise<void> {
    const byState = new Map<string, { offerIds: string[]; offerTitles: string[] }>();
    // The offers matching would rank for the needing State; each offering State must also see the need.
    for (const offer of await this.matching.openOffersFor({ kind: 'state', stateCode: need.stateCode }, need, ANNOUNCED_OFFERS)) {
      if (!isVisibleTo({ kind: 'state', stateCode: offer.stateCode }, need, 'capacityNeed')) continue;
      const entry = byState.get(offer.stateCode) ?? { offerIds: [], offerTitles: [] };
      entry.offerIds.push(offer.id);
      entry.offerTitles.push(offer.title);
      byState.set(offer.stateCode, entry);
    }
    const messages: OutboxMessage[] = [...byState].map(([stateCode, offers]) => ({
      type: 'capacity.need_matched',
      stateCode,
      payload: { needId: need.id, needTitle: need.title, needState: need.stateCode, ...offers },
    }));
    if (messages.length > 0) await this.outbox.emit(messages);
  }

  private async assertNoActiveEngagement(need: NeedRow): Promise<void> {
    const active = await this.needs.activeEngagements(need.id);
    if (active > 0) throw conflict(`${active} engagement(s) of this need are still active: complete or cancel them first.`);
  }

  private async ownNeed(stateCode: string, id: string): Promise<NeedRow> {
    const need = await this.needs.findOwnForUpdate(stateCode, id);
    if (!need) throw DomainError.notFound('Need');
    return need;
  }

  private async record(actor: Actor, need: NeedRow, action: string): Promise<void> {
    // The audit log, which the secretariat reads, names the need but neither its text nor its audience.
    await this.audit.record({
      action: `capacity_need.${action}`,
      actor,
      entityType: 'capacity_need',
      entityId: need.id,
      summary: { version: need.version, status: need.status },
    });
  }

  /** The audience rule every shared record obeys, then the time frame's own. */
  private async assertConsistent(content: NeedContent, stateCode: string, input: UpdateNeedDto): Promise<void> {
    const known = await this.selectedStates.existing(content.selectedStates);
    const problems: FieldError[] = audienceProblems(content, stateCode, known);
    if (content.neededFrom && content.neededFrom > content.neededBy) problems.push({ field: 'neededFrom', message: 'must not be after neededBy' });
    if (input.neededBy !== undefined && content.neededBy < todayUtc()) problems.push({ field: 'neededBy', message: 'must not be in the past' });
    if (input.selfAssessment === undefined && content.selfAssessmentNotes && !content.selfAssessmentModel) {
      problems.push({ field: 'selfAssessment', message: 'needs a model and a level' });
    }
    if (problems.length > 0) throw DomainError.validation(problems, 'The time frame, TLP or audience do not agree.');
  }
}

/** The body's content as stored; `partial`: only what the body gives (a PATCH). */
function contentOf(input: UpdateNeedDto, partial = false): Partial<NeedContent> {
  const absent = partial ? undefined : null;
  const assessment = input.selfAssessment;
  return {
    title: input.title?.trim(),
    description: input.description,
    areas: input.areas,
    sectors: input.sectors === undefined ? (partial ? undefined : []) : (input.sectors ?? []),
    modalities: input.modalities,
    languages: input.languages,
    neededFrom: input.neededFrom === undefined ? absent : input.neededFrom,
    neededBy: input.neededBy,
    selfAssessmentModel: assessment === undefined ? absent : (assessment?.model ?? null),
    selfAssessmentLevel: assessment === undefined ? absent : (assessment?.level ?? null),
    selfAssessmentNotes: assessment === undefined ? absent : (assessment?.notes ?? null),
    ...(sharedWith(input) as Partial<NeedContent>),
    ...(partial || input.selectedStates !== undefined ? {} : { selectedStates: [] }),
  };
}

function pickContent(need: NeedRow): NeedContent {
  const { title, description, areas, sectors, modalities, languages, neededFrom, neededBy } = need;
  const { selfAssessmentModel, selfAssessmentLevel, selfAssessmentNotes, tlp, audience, selectedStates } = need;
  return {
    title, description, areas, sectors, modalities, languages, neededFrom, neededBy,
    selfAssessmentModel, selfAssessmentLevel, selfAssessmentNotes, tlp, audience, selectedStates,
  };
}

/** Calendar dates as the `date` columns take them. */
function toColumns(content: NeedContent) {
  return {
    ...content,
    selectedStates: [...content.selectedStates],
    neededFrom: content.neededFrom ? calendarDate(content.neededFrom) : null,
    neededBy: calendarDate(content.neededBy),
  };
}
