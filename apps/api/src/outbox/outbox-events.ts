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
