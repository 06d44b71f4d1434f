import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError } from '@cbm/common';
import { UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { OutboxRepository } from '../outbox';
import { CreateMessageDto } from './dto/request.dto';
import { toMessageResponse } from './dto/request.mappers';
import { MessageListResponse, MessageResponse } from './dto/request.response';
import { partyStateOf, stateReader } from './request-reader';
import { RequestsRepository } from './requests.repository';

/** A request's message threads, between its parties only. */
@Injectable()
export class RequestMessagesService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
  ) {}

  async messages(actor: Actor, id: string): Promise<MessageListResponse> {
    const stateCode = partyStateOf(actor);
    const request = await this.requests.findVisible(stateReader(stateCode), id);
    if (!request) throw DomainError.notFound('Request');
    const messages = await this.requests.messagesFor(id, stateCode, request.requesterState === stateCode);
    return { items: messages.map(toMessageResponse) };
  }

  async postMessage(actor: Actor, id: string, input: CreateMessageDto): Promise<MessageResponse> {
    const stateCode = partyStateOf(actor);
    return this.unitOfWork.run(async () => {
      const request = await this.requests.findVisible(stateReader(stateCode), id);
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
      const message = await this.requests.createMessage({
        requestId: id,
        authorState: stateCode,
        authorUserId: actor.userId,
        authorApiKeyId: actor.apiKeyId,
        toState,
        body: input.body,
      });
      const audience = toState ? [request.requesterState, toState] : parties;
      await this.outbox.emit(
        audience
          .filter((party) => party !== stateCode)
          .map((party) => ({ type: 'request.message', stateCode: party, payload: { requestId: id, reference: request.reference, from: stateCode } })),
      );
      await this.audit.record({ action: 'request.message', actor, entityType: 'request', entityId: id, summary: { messageId: message.id, toState } });
      return toMessageResponse(message);
    });
  }
}
