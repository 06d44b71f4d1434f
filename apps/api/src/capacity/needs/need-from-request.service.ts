import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, Versioned } from '@cbm/common';
import { CapacityArea, CapacityModality, DisclosureAudience, RecipientStatus, RequestType, UnitOfWork } from '@cbm/database';
import { OutboxRepository } from '../../outbox';
import { todayUtc } from '../shared/calendar-date';
import { actingState, conflict } from '../shared/shared-record';
import { CreateNeedDto, NeedFromRequestDto } from './dto/need.dto';
import { NeedResponse } from './dto/need.response';
import { NeedsService } from './needs.service';
import { RequestAnswersRepository } from './request-answers.repository';

/** The areas a request of each type asks capacity in, as the pre-filled start of a need. */
export const AREAS_OF_REQUEST_TYPE: Readonly<Record<RequestType, CapacityArea[]>> = {
  INFORMATION: [CapacityArea.INFORMATION_SHARING],
  ASSISTANCE: [CapacityArea.INCIDENT_RESPONSE],
  INVESTIGATION: [CapacityArea.INCIDENT_RESPONSE, CapacityArea.CYBERCRIME],
  MITIGATION: [CapacityArea.INCIDENT_RESPONSE],
  CONSULTATION: [CapacityArea.NORMS_AND_CYBER_DIPLOMACY],
};

/** How long a need opened from an answer is open by default: a quarter, time to find and plan help. */
const DEFAULT_TIME_FRAME_DAYS = 90;

/**
 * Paragraph 32's answer made the start of help: a recipient that answered "unable: capacity limits"
 * opens a need from that answer in one step, and the requester hears of it and may offer first.
 */
@Injectable()
export class NeedFromRequestService {
  constructor(
    private readonly needs: NeedsService,
    private readonly answers: RequestAnswersRepository,
    private readonly outbox: OutboxRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async open(actor: Actor, requestId: string, input: NeedFromRequestDto): Promise<Versioned<NeedResponse>> {
    const stateCode = actingState(actor);
    const answer = await this.answers.answerOf(requestId, stateCode);
    // Not a recipient (the requester included): the request's answers are not the caller's to open needs from.
    if (!answer) throw DomainError.notFound('Request');
    if (answer.status !== RecipientStatus.UNABLE_CAPACITY) {
      throw conflict(`Your State's answer to this request is ${answer.status}: only an answer "unable: capacity limits" (UNABLE_CAPACITY) opens a need.`);
    }
    if (answer.existingNeedId) throw conflict(`Your State already opened need ${answer.existingNeedId} from this request.`);
    return this.unitOfWork.run(async () => {
      const draft = await this.needs.create(actor, prefilled(answer, input), requestId);
      const opened = await this.needs.open(actor, draft.body.id, undefined);
      await this.outbox.emit([
        {
          type: 'capacity.need_from_request',
          stateCode: answer.requesterState,
          payload: { needId: opened.body.id, needTitle: opened.body.title, needState: stateCode, requestId, requestReference: answer.reference },
        },
      ]);
      return opened;
    });
  }
}

/** The request's type, sectors and language and the answer's words, under whatever the body says. */
function prefilled(answer: Awaited<ReturnType<RequestAnswersRepository['answerOf']>> & object, input: NeedFromRequestDto): CreateNeedDto {
  const areas = input.areas ?? AREAS_OF_REQUEST_TYPE[answer.type];
  const audience = input.audience ?? DisclosureAudience.SELECTED_STATES;
  const selected = input.selectedStates ?? [];
  const neededBy = new Date(Date.parse(`${todayUtc()}T00:00:00Z`) + DEFAULT_TIME_FRAME_DAYS * 86_400_000).toISOString().slice(0, 10);
  return {
    ...input,
    // Not the request's title nor its reference: a wider audience must not learn that the request exists.
    title: input.title ?? `Capacity needed: ${areas.map((area) => area.toLowerCase().replace(/_/g, ' ')).join(', ')}`,
    description: input.description ?? answer.answer ?? '',
    areas,
    sectors: input.sectors ?? answer.sectors,
    modalities: input.modalities ?? [CapacityModality.ADVISORY_MISSION],
    languages: input.languages ?? [answer.language],
    neededBy: input.neededBy ?? neededBy,
    tlp: input.tlp ?? (audience === DisclosureAudience.PUBLIC ? 'CLEAR' : 'AMBER'),
    audience,
    // The requester may always offer first: among the selected States whenever the audience names them.
    selectedStates: audience === DisclosureAudience.SELECTED_STATES && !selected.includes(answer.requesterState) ? [...selected, answer.requesterState] : selected,
  };
}
