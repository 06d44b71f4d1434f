import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import canonicalize from 'canonicalize';
import { createHash, randomUUID } from 'node:crypto';
import { Actor, actingStateOf, Permission } from '@cbm/auth';
import { DomainError, Environment, ErrorCode, FieldError, KeysetCursor, pageLimit, toPage } from '@cbm/common';
import { Prisma, RecipientStatus, RequestMessage, RequestRecipient, RequestTransition, Tlp, Urgency } from '@cbm/database';
import { AuditService } from '../audit';
import { tlpFromLabel, tlpLabel } from '../sharing/tlp';
import { CreateMessageDto, CreateRequestDto, IndicatorDto, ListRequestsQuery, RequestActionDto } from './dto/request.dto';
import {
  MessageListResponse,
  MessageResponse,
  RecipientResponse,
  RequestListResponse,
  RequestMetadataResponse,
  RequestResponse,
  RequestStatsResponse,
  TransitionResponse,
} from './dto/request.response';
import { isValidIndicator } from './indicators';
import { WORKFLOW } from './request-workflow';
import { Filing, RequestsRepository, RequestWithRecipients } from './requests.repository';

/** A recipient as the database defaults a new one. */
function newRecipient(requestId: string, stateCode: string, now: Date): RequestRecipient {
  return {
    id: randomUUID(),
    requestId,
    stateCode,
    status: RecipientStatus.SUBMITTED,
    acknowledgedAt: null,
    answeredAt: null,
    closedAt: null,
    answer: null,
    ackReminderSentAt: null,
    ackOverdueSentAt: null,
    responseReminderSentAt: null,
    responseOverdueSentAt: null,
    updatedAt: now,
  };
}

const OPEN: RecipientStatus[] = [RecipientStatus.SUBMITTED, RecipientStatus.ACKNOWLEDGED, RecipientStatus.IN_PROGRESS];
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;

export interface CreatedRequest {
  status: number;
  body: unknown;
}

/**
 * Consultation and assistance requests. Contents (description, indicators, answers, messages) are
 * for the requester's and the recipients' users; the secretariat sees metadata; anyone else gets 404.
 */
@Injectable()
export class RequestsService {
  private readonly ackHours: Record<Urgency, number>;

  constructor(
    private readonly requests: RequestsRepository,
    private readonly audit: AuditService,
    config: ConfigService<Environment, true>,
  ) {
    this.ackHours = { ROUTINE: 72, PRIORITY: 24, URGENT: 12, CRITICAL: 2 };
    for (const pair of config.get('REQUEST_ACK_HOURS', { infer: true }).split(',')) {
      const [urgency, hours] = pair.trim().split('=');
      this.ackHours[urgency as Urgency] = Number(hours);
    }
  }

  /**
   * Idempotent: the same Idempotency-Key with the same body returns the first answer; with another
   * body, 422. Concurrent duplicates wait on the key's row, so exactly one request is created.
   */
  async create(actor: Actor, idempotencyKey: string | undefined, input: CreateRequestDto): Promise<CreatedRequest> {
    const requesterState = this.actingState(actor);
    if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new DomainError(
        HttpStatus.BAD_REQUEST,
        ErrorCode.IdempotencyKeyRequired,
        'Send an Idempotency-Key header (8 to 200 letters, digits or ._:-), unique per request you file.',
      );
    }
    const requestHash = createHash('sha256').update(canonicalize(JSON.parse(JSON.stringify(input))) ?? '').digest('hex');
    // A retry is answered from the record before anything is checked again: its deadline may have
    // passed or a recipient may have left since, and the client must still get the first answer.
    // So a filing its own contents refuse first looks for an earlier answer to its key.
    if (this.problemsOf(requesterState, input).length > 0) {
      const { earlier, participating } = await this.requests.filingContext(requesterState, idempotencyKey, input.recipients);
      if (earlier) return this.replay(earlier, requestHash);
      this.assertValid(requesterState, input, participating);
    }

    const now = new Date();
    const requestId = randomUUID();
    // Drawn by the filing statement from its sequence, once the key is known to be new and the
    // recipients to take part.
    const reference = '';
    const request: RequestWithRecipients = {
      id: requestId,
      reference,
      requesterState,
      type: input.type,
      urgency: input.urgency,
      title: input.title.trim(),
      description: input.description,
      incidentStart: input.incidentStart ?? null,
      incidentEnd: input.incidentEnd ?? null,
      sectors: input.sectors ?? [],
      indicators: (input.indicators ?? []).map((indicator) => ({ type: indicator.type, value: indicator.value.trim() })),
      requestedActions: input.requestedActions ?? null,
      tlp: input.tlp ? tlpFromLabel(input.tlp) : Tlp.AMBER,
      respondBy: input.respondBy ?? null,
      acknowledgeBy: new Date(now.getTime() + this.ackHours[input.urgency] * 3_600_000),
      language: input.language,
      createdByUserId: actor.userId,
      createdByApiKeyId: actor.apiKeyId,
      createdAt: now,
      updatedAt: now,
      recipients: [...input.recipients].sort().map((stateCode) => newRecipient(requestId, stateCode, now)),
    };
    const response = JSON.parse(JSON.stringify(this.fullView(request, requesterState, []))) as Record<string, unknown>;
    const filing: Filing = {
      request,
      outbox: input.recipients.map((stateCode) => ({
        stateCode,
        payload: {
          requestId,
          reference,
          type: request.type,
          urgency: request.urgency,
          from: requesterState,
          acknowledgeBy: request.acknowledgeBy.toISOString(),
          respondBy: request.respondBy?.toISOString() ?? null,
        },
      })),
      response: response as Prisma.InputJsonValue,
    };
    const outcome = await this.requests.file(
      filing,
      idempotencyKey,
      requestHash,
      this.audit.journaled({
        action: 'request.created',
        actor,
        entityType: 'request',
        entityId: requestId,
        summary: { reference, type: input.type, urgency: input.urgency, recipients: input.recipients },
      }),
    );
    if (outcome.filed) {
      await this.audit.chainJournaled();
      return { status: HttpStatus.CREATED, body: { ...response, reference: outcome.reference } };
    }
    if (outcome.earlier) return this.replay(outcome.earlier, requestHash);
    this.assertValid(requesterState, input, outcome.participating);
    // The key was claimed by a concurrent filing, committed by now: its answer.
    const record = await this.requests.findIdempotencyRecord(requesterState, idempotencyKey);
    return this.replay(record, requestHash);
  }

  private replay(record: { requestHash: string; responseStatus: number | null; responseBody: unknown } | null, requestHash: string): CreatedRequest {
    if (!record || record.requestHash !== requestHash) {
      throw new DomainError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        ErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was used for a different request: use a new key for a new request.',
      );
    }
    return { status: record.responseStatus ?? HttpStatus.CREATED, body: record.responseBody };
  }

  async list(actor: Actor, query: ListRequestsQuery): Promise<RequestListResponse> {
    const scope = this.scope(actor);
    const now = new Date();
    const rows = await this.requests.findPage(
      scope,
      {
        direction: query.direction,
        type: query.type,
        status: query.status,
        urgency: query.urgency,
        overdue: query.overdue,
        now,
        before: query.cursor ? decodeRequestCursor(query.cursor) : undefined,
      },
      pageLimit(query.limit),
    );
    return toPage(
      rows,
      query.limit,
      (request) => (scope ? this.fullView(request, scope, undefined, now) : this.metadataView(request, now)),
      (last) => REQUEST_CURSOR.encode(last.createdAt, last.id),
    );
  }

  async get(actor: Actor, id: string): Promise<RequestResponse | RequestMetadataResponse> {
    const scope = this.scope(actor);
    const request = await this.requests.findVisible(scope, id);
    if (!request) throw DomainError.notFound('Request');
    return scope ? this.fullView(request, scope, await this.requests.transitions(id)) : this.metadataView(request);
  }

  /** An action by the caller's side; not allowed from the current status → 409, nothing changed. */
  /** Answers the request as the caller may read it: in full with request:read, else its statuses only. */
  async act(actor: Actor, id: string, input: RequestActionDto): Promise<RequestResponse | RequestMetadataResponse> {
    const stateCode = this.partyState(actor);
    const rule = WORKFLOW[input.action];
    if (rule.noteRequired && !input.note?.trim()) {
      throw DomainError.validation([{ field: 'note', message: `is required for ${input.action}` }]);
    }
    const needed = rule.side === 'recipient' ? Permission.RequestRespond : Permission.RequestWrite;
    if (!actor.permissions.has(needed)) {
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, `This requires the permission ${needed}.`);
    }
    return this.requests.client.$transaction(
      async (tx) => {
        const request = await this.requests.findVisible(stateCode, id, tx);
        if (!request) throw DomainError.notFound('Request');
        const isRequester = request.requesterState === stateCode;
        let targets: RequestRecipient[];
        if (rule.side === 'recipient') {
          const own = request.recipients.find((recipient) => recipient.stateCode === stateCode);
          if (!own) throw notAllowed(`${input.action} is for a recipient of the request.`);
          targets = [own];
        } else {
          if (!isRequester) throw notAllowed(`${input.action} is for the requester.`);
          if (input.action === 'CLOSE') {
            const target = request.recipients.find((recipient) => recipient.stateCode === input.recipient);
            if (!input.recipient || !target) throw DomainError.validation([{ field: 'recipient', message: 'must name a recipient of the request' }]);
            targets = [target];
          } else {
            targets = request.recipients.filter((recipient) => OPEN.includes(recipient.status));
            const answered: RecipientStatus[] = [RecipientStatus.ANSWERED, RecipientStatus.CLOSED];
            if (targets.length === 0 || request.recipients.some((recipient) => answered.includes(recipient.status))) {
              throw notAllowed('A request can be withdrawn only before any recipient has answered or closed it.');
            }
          }
        }
        for (const target of targets) {
          if (!rule.from.includes(target.status)) {
            throw notAllowed(`${input.action} is not allowed while ${target.stateCode} is ${target.status}.`);
          }
          const now = new Date();
          const { count } = await tx.requestRecipient.updateMany({
            where: { id: target.id, status: target.status },
            data: {
              status: rule.to,
              ...(rule.to === RecipientStatus.ACKNOWLEDGED ? { acknowledgedAt: now } : {}),
              ...(rule.to === RecipientStatus.IN_PROGRESS && !target.acknowledgedAt ? { acknowledgedAt: now } : {}),
              ...(rule.noteRequired ? { answer: input.note!.trim() } : {}),
              ...(rule.to === RecipientStatus.ANSWERED ? { answeredAt: now } : {}),
              ...(rule.to === RecipientStatus.CLOSED ? { closedAt: now } : {}),
            },
          });
          if (count !== 1) throw notAllowed('The request changed meanwhile: read it again.');
          await tx.requestTransition.create({
            data: {
              requestId: id,
              recipientState: target.stateCode,
              action: input.action,
              fromStatus: target.status,
              toStatus: rule.to,
              note: input.note?.trim(),
              actorState: stateCode,
              actorUserId: actor.userId,
              actorApiKeyId: actor.apiKeyId,
            },
          });
          await tx.outboxEvent.create({
            data: {
              type: 'request.action',
              stateCode: rule.side === 'recipient' ? request.requesterState : target.stateCode,
              payload: { requestId: id, reference: request.reference, action: input.action, by: stateCode, status: rule.to },
            },
          });
        }
        await tx.cbmRequest.update({ where: { id }, data: { updatedAt: new Date() } });
        await this.audit.record({
          action: `request.${input.action.toLowerCase()}`,
          actor,
          entityType: 'request',
          entityId: id,
          summary: { reference: request.reference, recipients: targets.map((target) => target.stateCode), to: rule.to },
        });
        const after = (await this.requests.findVisible(stateCode, id, tx))!;
        if (!actor.permissions.has(Permission.RequestRead)) return this.metadataView(after);
        return this.fullView(after, stateCode, await tx.requestTransition.findMany({ where: { requestId: id }, orderBy: { at: 'asc' } }));
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
    );
  }

  async messages(actor: Actor, id: string): Promise<MessageListResponse> {
    const stateCode = this.partyState(actor);
    const request = await this.requests.findVisible(stateCode, id);
    if (!request) throw DomainError.notFound('Request');
    const messages = await this.requests.messagesFor(id, stateCode, request.requesterState === stateCode);
    return { items: messages.map(toMessageResponse) };
  }

  async postMessage(actor: Actor, id: string, input: CreateMessageDto): Promise<MessageResponse> {
    const stateCode = this.partyState(actor);
    return this.requests.client.$transaction(async (tx) => {
      const request = await this.requests.findVisible(stateCode, id, tx);
      if (!request) throw DomainError.notFound('Request');
      const isRequester = request.requesterState === stateCode;
      const parties = [request.requesterState, ...request.recipients.map((recipient) => recipient.stateCode)];
      // A thread is identified by its recipient: null is every party; a recipient's code is the
      // private thread between the requester and that recipient.
      let toState: string | null = null;
      if (input.toState !== undefined) {
        const allowed = isRequester ? request.recipients.some((recipient) => recipient.stateCode === input.toState) : input.toState === request.requesterState;
        if (!allowed) throw DomainError.validation([{ field: 'toState', message: 'must be a party this message may be addressed to' }]);
        toState = isRequester ? input.toState : stateCode;
      }
      const message = await tx.requestMessage.create({
        data: { requestId: id, authorState: stateCode, authorUserId: actor.userId, authorApiKeyId: actor.apiKeyId, toState, body: input.body },
      });
      const audience = toState ? [request.requesterState, toState] : parties;
      await tx.outboxEvent.createMany({
        data: audience
          .filter((party) => party !== stateCode)
          .map((party) => ({ type: 'request.message', stateCode: party, payload: { requestId: id, reference: request.reference, from: stateCode } })),
      });
      await this.audit.record({ action: 'request.message', actor, entityType: 'request', entityId: id, summary: { messageId: message.id, toState } });
      return toMessageResponse(message);
    });
  }

  async stats(actor: Actor): Promise<RequestStatsResponse> {
    const scope = this.scope(actor);
    const { durations, byStatus, byType } = await this.requests.stats(scope);
    const round = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value));
    return {
      stateCode: scope,
      byType: Object.fromEntries(byType.map((row) => [row.type, row.count])),
      byStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.count])),
      timeToAcknowledge: { median: round(durations?.ackMedian), p90: round(durations?.ackP90) },
      timeToAnswer: { median: round(durations?.answerMedian), p90: round(durations?.answerP90) },
      unableCapacity: byStatus.find((row) => row.status === RecipientStatus.UNABLE_CAPACITY)?.count ?? 0,
    };
  }

  private assertValid(requesterState: string, input: CreateRequestDto, participating: string[]): void {
    const problems = this.problemsOf(requesterState, input, participating);
    if (problems.length > 0) throw DomainError.validation(problems);
  }

  /** What is wrong with a filing; without `participating`, only what its contents alone tell. */
  private problemsOf(requesterState: string, input: CreateRequestDto, participating?: string[]): FieldError[] {
    const problems: FieldError[] = [];
    if (input.recipients.includes(requesterState)) problems.push({ field: 'recipients', message: 'cannot include your own State' });
    const absent = participating ? input.recipients.filter((code) => code !== requesterState && !participating.includes(code)) : [];
    if (absent.length > 0) problems.push({ field: 'recipients', message: `are not participating States: ${absent.join(', ')}` });
    (input.indicators ?? []).forEach((indicator: IndicatorDto, index) => {
      if (!isValidIndicator(indicator.type, indicator.value.trim())) {
        problems.push({ field: `indicators.${index}.value`, message: `is not a valid ${indicator.type}` });
      }
    });
    if (input.incidentStart && input.incidentEnd && input.incidentEnd < input.incidentStart) {
      problems.push({ field: 'incidentEnd', message: 'must not be before incidentStart' });
    }
    if (input.respondBy && input.respondBy.getTime() <= Date.now()) problems.push({ field: 'respondBy', message: 'must be in the future' });
    return problems;
  }

  private fullView(request: RequestWithRecipients, viewerState: string, transitions?: RequestTransition[], now = new Date()): RequestResponse {
    const isRequester = request.requesterState === viewerState;
    // A transition's note is an answer, a reason or a capacity need: for the requester and that
    // recipient only, like the answer itself.
    const visibleTransitions = transitions?.filter((transition) => isRequester || transition.recipientState === viewerState);
    return {
      ...this.metadataView(request, now),
      recipients: request.recipients.map((recipient) => ({
        ...recipientView(request, recipient, now),
        answer: isRequester || recipient.stateCode === viewerState ? recipient.answer : undefined,
      })),
      title: request.title,
      description: request.description,
      incidentStart: request.incidentStart,
      incidentEnd: request.incidentEnd,
      sectors: request.sectors,
      indicators: request.indicators as unknown as IndicatorDto[],
      requestedActions: request.requestedActions,
      tlp: tlpLabel(request.tlp),
      language: request.language,
      ...(visibleTransitions ? { transitions: visibleTransitions.map(toTransitionResponse) } : {}),
    };
  }

  private metadataView(request: RequestWithRecipients, now = new Date()): RequestMetadataResponse {
    const recipients = request.recipients.map((recipient) => recipientView(request, recipient, now));
    return {
      id: request.id,
      reference: request.reference,
      requesterState: request.requesterState,
      type: request.type,
      urgency: request.urgency,
      acknowledgeBy: request.acknowledgeBy,
      respondBy: request.respondBy,
      createdAt: request.createdAt,
      updatedAt: request.updatedAt,
      recipients,
      overdue: recipients.some((recipient) => recipient.overdue),
    };
  }

  /** The secretariat (no State) reads metadata of all requests; a State's users their State's. */
  private scope(actor: Actor): string | null {
    if (actor.stateCode) {
      if (!actor.permissions.has(Permission.RequestRead)) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'This requires the permission request:read.');
      return actor.stateCode;
    }
    if (!actor.permissions.has(Permission.RequestMetadataRead)) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'This requires the permission request:metadata.');
    return null;
  }

  /** Contents, actions and messages belong to the parties: to the secretariat they do not exist. */
  private partyState(actor: Actor): string {
    if (!actor.stateCode) throw DomainError.notFound('Request');
    return actor.stateCode;
  }

  private actingState(actor: Actor): string {
    return actingStateOf(actor, 'Requests are filed by States.');
  }
}

function recipientView(request: RequestWithRecipients, recipient: RequestRecipient, now: Date): RecipientResponse {
  const open = OPEN.includes(recipient.status);
  const overdue =
    (recipient.status === RecipientStatus.SUBMITTED && request.acknowledgeBy < now) || (open && request.respondBy !== null && request.respondBy < now);
  return {
    stateCode: recipient.stateCode,
    status: recipient.status,
    acknowledgedAt: recipient.acknowledgedAt,
    answeredAt: recipient.answeredAt,
    closedAt: recipient.closedAt,
    overdue,
  };
}

function toTransitionResponse(transition: RequestTransition): TransitionResponse {
  return {
    recipientState: transition.recipientState,
    action: transition.action,
    fromStatus: transition.fromStatus,
    toStatus: transition.toStatus,
    note: transition.note,
    actorState: transition.actorState,
    actorUserId: transition.actorUserId,
    actorApiKeyId: transition.actorApiKeyId,
    at: transition.at,
  };
}

function toMessageResponse(message: RequestMessage): MessageResponse {
  return {
    id: message.id,
    authorState: message.authorState,
    authorUserId: message.authorUserId,
    authorApiKeyId: message.authorApiKeyId,
    toState: message.toState,
    body: message.body,
    createdAt: message.createdAt,
  };
}

function notAllowed(detail: string): DomainError {
  return new DomainError(HttpStatus.CONFLICT, ErrorCode.TransitionNotAllowed, detail);
}

/** Request lists are sorted by (createdAt, id), newest first. */
const REQUEST_CURSOR = new KeysetCursor(['instant', 'uuid'] as const);

function decodeRequestCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = REQUEST_CURSOR.decode(cursor);
  return { createdAt, id };
}
