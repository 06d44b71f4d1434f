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
