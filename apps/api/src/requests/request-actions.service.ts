import { HttpStatus, Injectable } from '@nestjs/common';
import { Actor, Permission } from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';
import { RecipientStatus, RequestRecipient, UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { OutboxRepository } from '../outbox';
import { RequestActionDto } from './dto/request.dto';
import { toRequestMetadataResponse, toRequestResponse } from './dto/request.mappers';
import { RequestMetadataResponse, RequestResponse } from './dto/request.response';
import { partyStateOf, stateReader } from './request-reader';
import { isOpen } from './request-rules';
import { RequestAction, WORKFLOW } from './request-workflow';
import { RecipientStatusChange, RequestsRepository, RequestWithRecipients } from './requests.repository';

/** The workflow actions of a request's parties: the recipients' answers and the requester's close and withdrawal. */
@Injectable()
export class RequestActionsService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * An action by the caller's side; one not allowed from the current status → 409, nothing changed.
   * Answers the request as the caller may read it: in full with request:read, else its statuses only.
   */
  async applyAction(actor: Actor, id: string, input: RequestActionDto): Promise<RequestResponse | RequestMetadataResponse> {
    const stateCode = partyStateOf(actor);
    const rule = WORKFLOW[input.action];
    if (rule.noteRequired && !input.note?.trim()) {
      throw DomainError.validation([{ field: 'note', message: `is required for ${input.action}` }]);
    }
    const needed = rule.side === 'recipient' ? Permission.RequestRespond : Permission.RequestWrite;
    if (!actor.permissions.has(needed)) {
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, `This requires the permission ${needed}.`);
    }
    const reader = stateReader(stateCode);
    return this.unitOfWork.run(
      async () => {
        const request = await this.requests.findVisible(reader, id);
        if (!request) throw DomainError.notFound('Request');
        const targets = targetsOf(request, stateCode, input);
        for (const target of targets) {
          if (!rule.from.includes(target.status)) {
            throw notAllowed(`${input.action} is not allowed while ${target.stateCode} is ${target.status}.`);
          }
          const moved = await this.requests.updateRecipientStatus(target.id, target.status, statusChange(target, rule.to, rule.noteRequired ? input.note!.trim() : undefined));
          if (!moved) throw notAllowed('The request changed meanwhile: read it again.');
          await this.requests.recordTransition({
            requestId: id,
            recipientState: target.stateCode,
            action: input.action,
            fromStatus: target.status,
            toStatus: rule.to,
            note: input.note?.trim(),
            actorState: stateCode,
            actorUserId: actor.userId,
            actorApiKeyId: actor.apiKeyId,
          });
          await this.outbox.emit([
            {
              type: 'request.action',
              stateCode: rule.side === 'recipient' ? request.requesterState : target.stateCode,
              payload: { requestId: id, reference: request.reference, action: input.action, by: stateCode, status: rule.to },
            },
          ]);
        }
        await this.requests.touch(id);
        await this.audit.record({
          action: `request.${input.action.toLowerCase()}`,
          actor,
          entityType: 'request',
          entityId: id,
          summary: { reference: request.reference, recipients: targets.map((target) => target.stateCode), to: rule.to },
        });
        const after = (await this.requests.findVisible(reader, id))!;
        if (!actor.permissions.has(Permission.RequestRead)) return toRequestMetadataResponse(after);
        return toRequestResponse(after, stateCode, await this.requests.transitions(id));
      },
      { isolation: 'ReadCommitted' },
    );
  }
}

/** The recipients an action applies to: the caller's own for a recipient's action, those the requester's names. */
function targetsOf(request: RequestWithRecipients, stateCode: string, input: RequestActionDto): RequestRecipient[] {
  const action: RequestAction = input.action;
  if (WORKFLOW[action].side === 'recipient') {
    const own = request.recipients.find((recipient) => recipient.stateCode === stateCode);
    if (!own) throw notAllowed(`${action} is for a recipient of the request.`);
    return [own];
  }
  if (request.requesterState !== stateCode) throw notAllowed(`${action} is for the requester.`);
  if (action === 'CLOSE') {
    const target = request.recipients.find((recipient) => recipient.stateCode === input.recipient);
    if (!input.recipient || !target) throw DomainError.validation([{ field: 'recipient', message: 'must name a recipient of the request' }]);
    return [target];
  }
  const open = request.recipients.filter((recipient) => isOpen(recipient.status));
  const answered: RecipientStatus[] = [RecipientStatus.ANSWERED, RecipientStatus.CLOSED];
  if (open.length === 0 || request.recipients.some((recipient) => answered.includes(recipient.status))) {
    throw notAllowed('A request can be withdrawn only before any recipient has answered or closed it.');
  }
  return open;
}

/** The move of `target` to `to`, with the dates it sets (starting work acknowledges too) and the note as its answer. */
function statusChange(target: RequestRecipient, to: RecipientStatus, answer: string | undefined): RecipientStatusChange {
  const now = new Date();
  const acknowledges = to === RecipientStatus.ACKNOWLEDGED || (to === RecipientStatus.IN_PROGRESS && !target.acknowledgedAt);
  return {
    status: to,
    ...(acknowledges ? { acknowledgedAt: now } : {}),
    ...(answer !== undefined ? { answer } : {}),
    ...(to === RecipientStatus.ANSWERED ? { answeredAt: now } : {}),
    ...(to === RecipientStatus.CLOSED ? { closedAt: now } : {}),
  };
}

function notAllowed(detail: string): DomainError {
  return new DomainError(HttpStatus.CONFLICT, ErrorCode.TransitionNotAllowed, detail);
}
