/**
 * Every event the outbox carries, by who may receive it. The notification worker fans each out to
 * the addressed State's contacts, CERTs, opted-in users and webhooks (or to the one person a
 * personal event names).
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
  /** To an offering State: a need was opened that one of its open offers matches. */
  'capacity.need_matched',
  /** To the requester: a recipient that answered "unable: capacity limits" opened a need from it. */
  'capacity.need_from_request',
  /** To the needing State: a provider proposed help. */
  'capacity.proposal_received',
  /** To the provider: its proposal was accepted (an engagement starts) or declined. */
  'capacity.proposal_accepted',
  'capacity.proposal_declined',
  /** To the other side of an engagement: an update, its completion or cancellation, an evaluation. */
  'capacity.engagement_update',
  'capacity.engagement_ended',
  'capacity.engagement_evaluated',
] as const;

export const PERSONAL_EVENT_TYPES = ['user.invited', 'communication_check.requested', 'communication_check.reminder', 'webhook.ping'] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type OutboxEventType = WebhookEventType | (typeof PERSONAL_EVENT_TYPES)[number];

/** One event for the outbox: for `stateCode` (null: for nobody's State, e.g. a platform invitation). */
export interface OutboxMessage {
  type: OutboxEventType;
  stateCode: string | null;
  payload: Record<string, unknown>;
}
