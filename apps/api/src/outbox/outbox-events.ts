/**
 * Every event the outbox carries, by who may receive it. The notification worker fans each out to
 * the addressed State's contacts, CERTs, opted-in users and webhooks (capacity.* events: its opted-in
 * users and webhooks only), or to the one person a personal event names.
 */
/** Events that machines may receive; acknowledgement links and invitations are for people only. */
export const WEBHOOK_EVENT_TYPES = [
  'request.created',
  'request.action',
  'request.message',
  'request.ack_reminder',
  'request.ack_overdue',
  'request.response_reminder',
  'request.response_overdue',
  /**
   * To an offering State: a need was opened that one of its open offers matches.
   * { needId, needTitle, needState, offerIds: string[], offerTitles: string[] }
   */
  'capacity.need_matched',
  /**
   * To the requester: a recipient that answered "unable: capacity limits" opened a need from it.
   * { needId, needTitle, needState, requestId, requestReference }
   */
  'capacity.need_from_request',
  /*
   * Proposals and engagements, to the other party. Every one of them carries
   * { needId, needTitle, needState, providerState, by } (`by`: the State that acted; `needTitle`:
   * null unless the recipient may see the need at the time, by the audience rule) and the ids below.
   * None carries a message, update, reason for cancelling or feedback: those stay in the Registry,
   * for the two States to read there.
   */
  /** To the needing State: a provider proposed help. + { proposalId, offerId, offerTitle } (the title if the need's State may see the offer). */
  'capacity.proposal_received',
  /** To the provider: its proposal was accepted and an engagement started. + { proposalId, engagementId } */
  'capacity.proposal_accepted',
  /**
   * To the provider: its proposal was declined, by the needing State (cause DECLINED, with the
   * reason it wrote to the provider, or null) or because the need was withdrawn or fulfilled
   * (cause NEED_WITHDRAWN or NEED_FULFILLED, NEED_CLOSED if neither; reason null). + { proposalId, cause, reason }
   */
  'capacity.proposal_declined',
  /** To the other side of an engagement: an update was written. + { engagementId, proposalId, updateId } */
  'capacity.engagement_update',
  /** To the other side: the engagement was completed or cancelled. + { engagementId, proposalId, status: COMPLETED | CANCELLED } */
  'capacity.engagement_ended',
  /** To the other side: an evaluation was given. + { engagementId, proposalId, side: needing | providing, outcome: MET | PARTLY_MET | NOT_MET } */
  'capacity.engagement_evaluated',
] as const;

/**
 * To one person or webhook. `user.invited` and `user.password_reset` carry { userId, userTokenId,
 * expiresAt }: the link's token is derived from userTokenId when the mail is written, never stored.
 */
export const PERSONAL_EVENT_TYPES = ['user.invited', 'user.password_reset', 'communication_check.requested', 'communication_check.reminder', 'webhook.ping'] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type OutboxEventType = WebhookEventType | (typeof PERSONAL_EVENT_TYPES)[number];

/** One event for the outbox: for `stateCode` (null: for nobody's State, e.g. a platform invitation). */
export interface OutboxMessage {
  type: OutboxEventType;
  stateCode: string | null;
  payload: Record<string, unknown>;
}
