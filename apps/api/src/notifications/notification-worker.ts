import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { performance } from 'node:perf_hooks';
import { Environment } from '@cbm/common';
import { NotificationChannel, UN_STATES } from '@cbm/database';
import { RequestExportsService, StixBundle } from '../requests';
import { AppSecrets } from '../secrets';
import { capacityNoticeView } from './capacity-notice-view';
import { DeadlineScheduler } from './deadline-scheduler';
import { Mailer, PermanentDeliveryError, RecipientsRejectedError } from './mailer';
import { formatInstant, NotificationTemplates } from './notification-templates';
import { AddressedNotification, ClaimedEvent, ClaimedNotification, NotificationQueueRepository, PlannedNotification } from './notification-queue.repository';
import { NotificationRecipients } from './notification-recipients';
import { WebhookClient } from './webhooks/webhook-client';

const STATE_NAMES = new Map(UN_STATES.map((state) => [state.code, state.name]));
const MAX_RETRY_DELAY_MS = 6 * 3_600_000;

export interface WorkerRound {
  scheduled: number;
  dispatched: number;
  delivered: number;
  failed: number;
}

class NothingToDeliver extends PermanentDeliveryError {}

/**
 * Delivers the outbox: (1) time-driven events (deadline reminders, check windows), (2) fan-out of each
 * event into notifications, once, (3) delivery of due notifications with retries and backoff, each
 * attempt recorded. Runs in every API process unless NOTIFICATION_WORKER_ENABLED=false, or alone
 * (`node dist/apps/api/src/notifications/worker.js`); any number of them share the work safely.
 */
@Injectable()
export class NotificationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;
  private stopping = false;
  private readonly baseUrl: string;

  constructor(
    private readonly queue: NotificationQueueRepository,
    private readonly recipients: NotificationRecipients,
    private readonly templates: NotificationTemplates,
    private readonly scheduler: DeadlineScheduler,
    private readonly mailer: Mailer,
    private readonly webhooks: WebhookClient,
    private readonly secrets: AppSecrets,
    private readonly config: ConfigService<Environment, true>,
    private readonly requestExports: RequestExportsService,
  ) {
    this.baseUrl = (config.get('PUBLIC_BASE_URL', { infer: true }) ?? `http://localhost:${config.get('PORT', { infer: true })}`).replace(/\/+$/, '');
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('NOTIFICATION_WORKER_ENABLED', { infer: true })) return;
    if (!this.mailer.configured) this.logger.warn('SMTP_URL is not set: mails are written to the log instead of being sent');
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.current = this.runOnce()
        .catch((error: Error) => this.logger.warn(`Notification round failed (retrying): ${error.message}`))
        .finally(() => {
          if (!this.stopping) this.schedule(this.config.get('NOTIFICATION_POLL_INTERVAL_MS', { infer: true }));
        });
    }, delay);
  }

  /** One round: everything due now, in batches, until nothing is left or the process stops. */
  async runOnce(): Promise<WorkerRound> {
    const round: WorkerRound = { scheduled: await this.scheduler.runDue(), dispatched: 0, delivered: 0, failed: 0 };
    for (let batch = await this.dispatchBatch(); batch > 0 && !this.stopping; batch = await this.dispatchBatch()) round.dispatched += batch;
    for (;;) {
      if (this.stopping) break;
      const outcome = await this.deliverBatch();
      if (outcome.claimed === 0) break;
      round.delivered += outcome.delivered;
      round.failed += outcome.failed;
    }
    return round;
  }

  /** Rounds until one finds nothing to do: what the tests use instead of waiting for the timer. */
  async drain(maxRounds = 50): Promise<WorkerRound> {
    const total: WorkerRound = { scheduled: 0, dispatched: 0, delivered: 0, failed: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const result = await this.runOnce();
      total.scheduled += result.scheduled;
      total.dispatched += result.dispatched;
      total.delivered += result.delivered;
      total.failed += result.failed;
      if (result.scheduled + result.dispatched + result.delivered + result.failed === 0) break;
    }
    return total;
  }

  async dispatchBatch(limit = 50): Promise<number> {
    const batch = await this.queue.dispatchEach(limit, (event) => this.fanOut(event));
    for (const { event, error } of batch.setAside) {
      this.logger.error(`Outbox event ${event.id} (${event.type}) set aside, nobody notified: ${error}`);
    }
    return batch.claimed;
  }

  private async fanOut(event: ClaimedEvent): Promise<AddressedNotification[]> {
    return (await this.recipients.plan(event)).map((plan) => ({ ...plan, subject: this.subjectFor(event, plan) }));
  }

  /**
   * The lease must outlast one whole delivery (an SMTP exchange has three timed phases), whatever
   * NOTIFICATION_LEASE_SECONDS says: otherwise a slow send could be taken over and sent twice.
   */
  private get leaseSeconds(): number {
    const timeoutSeconds = Math.ceil((3 * this.config.get('DELIVERY_TIMEOUT_MS', { infer: true })) / 1000) + 1;
    return Math.max(this.config.get('NOTIFICATION_LEASE_SECONDS', { infer: true }), timeoutSeconds);
  }

  async deliverBatch(limit = 10): Promise<{ claimed: number; delivered: number; failed: number }> {
    const maxAttempts = this.config.get('NOTIFICATION_MAX_ATTEMPTS', { infer: true });
    await this.queue.failExhausted(maxAttempts);
    const claimed = await this.queue.claimDueNotifications(limit, this.leaseSeconds, maxAttempts);
    let delivered = 0;
    let failed = 0;
    for (const notification of claimed) {
      if (this.stopping) {
        await this.queue.release(notification);
        continue;
      }
      // One at a time, each under a fresh lease: a crash repeats at most the one mail being sent.
      if (!(await this.queue.renewLease(notification, this.leaseSeconds))) continue;
      if (await this.deliver(notification, maxAttempts)) delivered++;
      else failed++;
    }
    return { claimed: claimed.length, delivered, failed };
  }

  private async deliver(notification: ClaimedNotification, maxAttempts: number): Promise<boolean> {
    const started = performance.now();
    try {
      let outcome: string;
      let bounced = false;
      if (notification.channel === NotificationChannel.EMAIL) {
        const sent = await this.mailer.send(await this.composeMail(notification));
        bounced = sent.rejected.length > 0;
        outcome = bounced ? `${sent.reply}; refused for good: ${sent.rejected.join(', ')}` : sent.reply;
      } else {
        outcome = await this.callWebhook(notification);
      }
      await this.queue.recordDelivered(notification, Math.round(performance.now() - started), outcome, bounced);
      return true;
    } catch (error) {
      const message = (error as Error).message || String(error);
      const final = error instanceof PermanentDeliveryError || notification.attempts >= maxAttempts;
      const retryAt = final ? null : new Date(Date.now() + this.retryDelay(notification.attempts));
      // Only the receiving server refusing the addresses says something about the contact; running
      // out of retries during an outage or a wrong SMTP password does not.
      const bounced = error instanceof RecipientsRejectedError;
      await this.queue.recordFailure(notification, Math.round(performance.now() - started), message, retryAt, bounced);
      if (final) this.logger.warn(`Notification ${notification.id} (${notification.eventType} to ${notification.recipient}) failed for good: ${message}`);
      return false;
    }
  }

  /** Exponential backoff with ±20 % jitter, so that retries after an outage do not arrive all at once. */
  private retryDelay(attempts: number): number {
    const base = this.config.get('NOTIFICATION_RETRY_BASE_SECONDS', { infer: true }) * 1000;
    const delay = Math.min(base * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  // Content ---------------------------------------------------------------------------------------

  private subjectFor(event: ClaimedEvent, plan: PlannedNotification): string {
    if (plan.channel === NotificationChannel.WEBHOOK) return event.type;
    return this.templates.render(plan.language, event.type, this.eventView(event.type, event.stateCode, event.payload, plan.language)).subject;
  }

  /**
   * What every template of the event can use; the recipient's own details are added when sending.
   * Codes (urgency, type, action, status) stay codes in every language.
   */
  private eventView(type: string, stateCode: string | null, payload: Record<string, unknown>, language: string, timeZone?: string | null): Record<string, unknown> {
    return {
      ...payload,
      baseUrl: this.baseUrl,
      stateName: stateCode ? STATE_NAMES.get(stateCode) ?? stateCode : 'the secretariat',
      fromName: STATE_NAMES.get(String(payload.from)) ?? payload.from,
      byName: STATE_NAMES.get(String(payload.by)) ?? payload.by,
      recipientStateName: STATE_NAMES.get(String(payload.recipient)) ?? payload.recipient,
      toRecipient: payload.audience !== 'requester',
      requestUrl: payload.requestId ? `${this.baseUrl}/api/v1/requests/${String(payload.requestId)}` : undefined,
      acknowledgeBy: formatInstant(payload.acknowledgeBy, timeZone, language),
      respondBy: formatInstant(payload.respondBy, timeZone, language),
      windowEndsAt: formatInstant(payload.windowEndsAt, timeZone, language),
      expiresAt: formatInstant(payload.expiresAt, timeZone, language),
      eventType: type,
      ...(type.startsWith('capacity.') ? capacityNoticeView(payload, this.baseUrl) : {}),
    };
  }

  private async composeMail(notification: ClaimedNotification) {
    let recipientName: string | undefined;
    let timeZone: string | null | undefined;
    const extra: Record<string, unknown> = {};
    if (notification.checkTargetId) {
      const target = await this.queue.checkForRendering(notification.checkTargetId);
      if (!target) throw new NothingToDeliver('The communication check no longer exists');
      recipientName = target.contact.name;
      timeZone = target.contact.timeZone;
      extra.contactName = target.contact.name;
      extra.note = target.check.note ?? undefined;
      extra.acknowledgeUrl = `${this.baseUrl}/api/v1/public/acknowledgements/${this.secrets.linkToken('acknowledgement', target.id)}`;
    } else if (notification.contactId) {
      const contact = await this.queue.contactForRendering(notification.contactId);
      recipientName = contact?.name;
      timeZone = contact?.timeZone;
    } else if (notification.certId) {
      const cert = await this.queue.certForRendering(notification.certId);
      recipientName = cert?.name;
      timeZone = cert?.timeZone;
    } else if (notification.userId) {
      const user = await this.queue.userForRendering(notification.userId);
      recipientName = user?.displayName;
      extra.displayName = user?.displayName;
    }
    // The link's token is made here, from the row id: it is never stored, not even in the outbox.
    if (notification.eventType === 'user.invited') {
      extra.invitationUrl = `${this.baseUrl}/api/v1/public/invitations/${this.secrets.invitationToken(String(notification.payload.userTokenId))}`;
    }
    if (notification.eventType === 'user.password_reset') {
      extra.resetUrl = `${this.baseUrl}/api/v1/public/password-resets/${this.secrets.passwordResetToken(String(notification.payload.userTokenId))}`;
    }
    const view = { ...this.eventView(notification.eventType, notification.stateCode, notification.payload, notification.language, timeZone), recipientName, ...extra };
    const mail = this.templates.render(notification.language, notification.eventType, view);
    return {
      to: notification.recipient.split(',').map((address) => address.trim()),
      subject: mail.subject,
      text: mail.text,
      messageId: `<${notification.id}@cbm-registry>`,
      headers: { 'X-CBM-Event': notification.eventType, 'X-CBM-Event-Id': notification.eventId, 'X-CBM-Notification-Id': notification.id },
    };
  }

  /**
   * The STIX bundle a webhook asked for, on `request.created` only: built now, from the request row,
   * as the notified State reads it (a recipient reads the indicators). The visibility rule decides,
   * not the event: a State that is no party gets nothing attached.
   */
  private async attachedBundle(notification: ClaimedNotification): Promise<StixBundle | null> {
    if (notification.eventType !== 'request.created' || !notification.stateCode || typeof notification.payload.requestId !== 'string') return null;
    return this.requestExports.stixBundleFor(notification.stateCode, notification.payload.requestId);
  }

  private async callWebhook(notification: ClaimedNotification): Promise<string> {
    const webhook = notification.webhookId ? await this.queue.webhookSecret(notification.webhookId) : null;
    if (!webhook || webhook.disabledAt) throw new NothingToDeliver('The webhook was removed');
    const stix = webhook.attachStix ? await this.attachedBundle(notification) : null;
    const body = JSON.stringify({
      id: notification.eventId,
      type: notification.eventType,
      occurredAt: notification.eventCreatedAt,
      state: notification.stateCode,
      data: notification.payload,
      ...(stix ? { stix } : {}),
    });
    return this.webhooks.post({
      url: notification.recipient,
      secret: this.secrets.decryptWebhookSecret(webhook.secretCiphertext, webhook.id),
      body,
      headers: { 'x-cbm-event': notification.eventType, 'x-cbm-delivery': notification.id },
    });
  }
}
