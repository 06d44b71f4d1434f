import { Notification, NotificationAttempt, NotificationChannel, NotificationStatus } from '@cbm/database';

export class NotificationAttemptResponse {
  attempt: number;
  attemptedAt: Date;
  durationMs: number;
  succeeded: boolean;
  /** The SMTP reply or HTTP status, or the error. */
  outcome: string;
  /** host:pid of the process that made the attempt. */
  worker: string;
}

export class NotificationResponse {
  id: string;
  eventId: string;
  eventType: string;
  stateCode: string | null;
  channel: NotificationChannel;
  /** The addresses or the webhook URL. */
  recipient: string;
  contactId: string | null;
  certId: string | null;
  userId: string | null;
  webhookId: string | null;
  language: string;
  subject: string | null;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  createdAt: Date;
}

export class NotificationDetailResponse extends NotificationResponse {
  deliveryLog: NotificationAttemptResponse[];
}

export class NotificationListResponse {
  items: NotificationResponse[];
  nextCursor: string | null;
}

export function toNotificationResponse(notification: Notification): NotificationResponse {
  return {
    id: notification.id,
    eventId: notification.eventId,
    eventType: notification.eventType,
    stateCode: notification.stateCode,
    channel: notification.channel,
    recipient: notification.recipient,
    contactId: notification.contactId,
    certId: notification.certId,
    userId: notification.userId,
    webhookId: notification.webhookId,
    language: notification.language,
    subject: notification.subject,
    status: notification.status,
    attempts: notification.attempts,
    nextAttemptAt: notification.status === NotificationStatus.PENDING ? notification.nextAttemptAt : null,
    lastError: notification.lastError,
    deliveredAt: notification.deliveredAt,
    failedAt: notification.failedAt,
    createdAt: notification.createdAt,
  };
}

export function toAttemptResponse(attempt: NotificationAttempt): NotificationAttemptResponse {
  return { attempt: attempt.attempt, attemptedAt: attempt.attemptedAt, durationMs: attempt.durationMs, succeeded: attempt.succeeded, outcome: attempt.outcome, worker: attempt.worker };
}
