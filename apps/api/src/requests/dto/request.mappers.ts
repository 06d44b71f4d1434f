import { RequestMessage, RequestRecipient, RequestTransition } from '@cbm/database';
import { tlpLabel } from '../../sharing/tlp';
import { isOverdue } from '../request-rules';
import { readsRecipientContents } from '../request-visibility.repository';
import type { RequestWithRecipients } from '../requests.repository';
import { IndicatorDto } from './request.dto';
import { MessageResponse, RecipientResponse, RequestExportLinks, RequestMetadataResponse, RequestResponse, TransitionResponse } from './request.response';

/**
 * A request as one of its parties reads it: contents, and each recipient's answer for the requester
 * and that recipient only. `transitions` are included when given.
 */
export function toRequestResponse(
  request: RequestWithRecipients,
  viewerState: string,
  transitions?: RequestTransition[],
  now = new Date(),
  capacityNeeds?: ReadonlyArray<{ id: string; stateCode: string }>,
): RequestResponse {
  // A transition's note is an answer, a reason or a capacity need: read like the answer itself.
  const visibleTransitions = transitions?.filter((transition) => readsRecipientContents(request, viewerState, transition.recipientState));
  return {
    ...toRequestMetadataResponse(request, now),
    recipients: request.recipients.map((recipient) => ({
      ...toRecipientResponse(request, recipient, now),
      answer: readsRecipientContents(request, viewerState, recipient.stateCode) ? recipient.answer : undefined,
      ...(capacityNeeds ? { capacityNeedId: capacityNeeds.find((need) => need.stateCode === recipient.stateCode)?.id ?? null } : {}),
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
    links: exportLinksOf(request.id),
    ...(visibleTransitions ? { transitions: visibleTransitions.map(toTransitionResponse) } : {}),
  };
}

/** The exports of a request's indicators, for its parties only (the secretariat's view has none). */
export function exportLinksOf(requestId: string): RequestExportLinks {
  const base = `/api/v1/requests/${requestId}/indicators`;
  return { stix: `${base}?format=stix`, misp: `${base}?format=misp` };
}

/** A request as the secretariat reads it: who, type, urgency, statuses and dates, never contents. */
export function toRequestMetadataResponse(request: RequestWithRecipients, now = new Date()): RequestMetadataResponse {
  const recipients = request.recipients.map((recipient) => toRecipientResponse(request, recipient, now));
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

export function toRecipientResponse(request: RequestWithRecipients, recipient: RequestRecipient, now: Date): RecipientResponse {
  return {
    stateCode: recipient.stateCode,
    status: recipient.status,
    acknowledgedAt: recipient.acknowledgedAt,
    answeredAt: recipient.answeredAt,
    closedAt: recipient.closedAt,
    overdue: isOverdue(recipient, request, now),
  };
}

export function toTransitionResponse(transition: RequestTransition): TransitionResponse {
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

export function toMessageResponse(message: RequestMessage): MessageResponse {
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
