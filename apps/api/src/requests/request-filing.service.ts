import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import canonicalize from 'canonicalize';
import { createHash, randomUUID } from 'node:crypto';
import { Actor } from '@cbm/auth';
import { DomainError, Environment, ErrorCode, FieldError, requestAckHours, RequestUrgency } from '@cbm/common';
import { RecipientStatus, RequestRecipient, Tlp } from '@cbm/database';
import { AuditService } from '../audit';
import { tlpFromLabel } from '../sharing/tlp';
import { CreateRequestDto, IndicatorDto } from './dto/request.dto';
import { toRequestResponse } from './dto/request.mappers';
import { isValidIndicator } from './indicators';
import { requesterStateOf } from './request-reader';
import { Filing, IdempotencyAnswer, RequestFilingRepository } from './request-filing.repository';
import type { RequestWithRecipients } from './requests.repository';

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

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;

/** The answer to a filing: 201 and the request, or the first answer to the same Idempotency-Key. */
export interface CreatedRequest {
  status: number;
  body: unknown;
}

/**
 * Files requests. Idempotent: the same Idempotency-Key with the same body returns the first answer;
 * with another body, 422. Concurrent duplicates wait on the key's row, so exactly one request is created.
 */
@Injectable()
export class RequestFilingService {
  private readonly ackHours: Record<RequestUrgency, number>;

  constructor(
    private readonly requests: RequestFilingRepository,
    private readonly audit: AuditService,
    config: ConfigService<Environment, true>,
  ) {
    this.ackHours = requestAckHours(config.get('REQUEST_ACK_HOURS', { infer: true }));
  }

  async fileRequest(actor: Actor, idempotencyKey: string | undefined, input: CreateRequestDto): Promise<CreatedRequest> {
    const requesterState = requesterStateOf(actor);
    if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new DomainError(
        HttpStatus.BAD_REQUEST,
        ErrorCode.IdempotencyKeyRequired,
        'Send an Idempotency-Key header (8 to 200 letters, digits or ._:-), unique per request you file.',
      );
    }
    const requestHash = requestHashOf(input);
    // A retry is answered from the record before anything is checked again: its deadline may have
    // passed or a recipient may have left since, and the client must still get the first answer.
    // So a filing its own contents refuse first looks for an earlier answer to its key.
    if (problemsOf(requesterState, input).length > 0) {
      const { earlier, participating } = await this.requests.filingContext(requesterState, idempotencyKey, input.recipients);
      if (earlier) return replay(earlier, requestHash);
      assertValid(requesterState, input, participating);
    }

    const request = this.newRequest(actor, requesterState, input);
    // Serialised once, by the repository (the kept answer) and by the reply: dates as ISO text both times.
    const response = toRequestResponse(request, requesterState, []);
    const filing: Filing = {
      request,
      outbox: input.recipients.map((stateCode) => ({
        stateCode,
        payload: {
          requestId: request.id,
          reference: request.reference,
          type: request.type,
          urgency: request.urgency,
          from: requesterState,
          acknowledgeBy: request.acknowledgeBy.toISOString(),
          respondBy: request.respondBy?.toISOString() ?? null,
        },
      })),
      response,
    };
    const outcome = await this.requests.fileRequest(
      filing,
      idempotencyKey,
      requestHash,
      this.audit.journaled({
        action: 'request.created',
        actor,
        entityType: 'request',
        entityId: request.id,
        summary: { reference: request.reference, type: input.type, urgency: input.urgency, recipients: input.recipients },
      }),
    );
    if (outcome.filed) {
      await this.audit.chainJournaled();
      return { status: HttpStatus.CREATED, body: { ...response, reference: outcome.reference } };
    }
    if (outcome.earlier) return replay(outcome.earlier, requestHash);
    assertValid(requesterState, input, outcome.participating);
    // The key was claimed by a concurrent filing, committed by now: its answer.
    const record = await this.requests.findIdempotencyRecord(requesterState, idempotencyKey);
    return replay(record, requestHash);
  }

  /** The request as filed now, its reference left empty: the filing statement draws it from its sequence. */
  private newRequest(actor: Actor, requesterState: string, input: CreateRequestDto): RequestWithRecipients {
    const now = new Date();
    const requestId = randomUUID();
    return {
      id: requestId,
      reference: '',
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
  }
}

/**
 * What an Idempotency-Key's record compares a retry by: the SHA-256 of the filing's canonical JSON.
 * canonicalize serialises dates through toJSON and skips undefined fields as JSON.stringify does, so
 * the DTO hashes as its JSON copy did (the records kept before must still match), without the copy.
 */
export function requestHashOf(input: CreateRequestDto): string {
  return createHash('sha256').update(canonicalize(input) ?? '').digest('hex');
}

/** The first answer to a key, if `requestHash` is the same body's; 422 for another body. */
function replay(record: IdempotencyAnswer | null, requestHash: string): CreatedRequest {
  if (!record || record.requestHash !== requestHash) {
    throw new DomainError(
      HttpStatus.UNPROCESSABLE_ENTITY,
      ErrorCode.IdempotencyKeyReused,
      'This Idempotency-Key was used for a different request: use a new key for a new request.',
    );
  }
  return { status: record.responseStatus ?? HttpStatus.CREATED, body: record.responseBody };
}

function assertValid(requesterState: string, input: CreateRequestDto, participating: string[]): void {
  const problems = problemsOf(requesterState, input, participating);
  if (problems.length > 0) throw DomainError.validation(problems);
}

/** What is wrong with a filing; without `participating`, only what its contents alone tell. */
function problemsOf(requesterState: string, input: CreateRequestDto, participating?: string[]): FieldError[] {
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
