import { Injectable, Logger } from '@nestjs/common';
import { NotificationChannel } from '@cbm/database';
import { NotificationTemplates } from './notification-templates';
import { ClaimedEvent, NotificationQueueRepository, PlannedNotification } from './notification-queue.repository';

/**
 * Who hears about an outbox event: a request's State (its technical contacts, CERTs, opted-in users
 * and webhooks, each address once), a capacity-building party (its opted-in users and webhooks), or
 * the one person or webhook a personal event names, each in the first of their languages that has a
 * template (a contact's or CERT's languages, a user's preferred language), else English. Read inside the dispatch transaction.
 */
@Injectable()
export class NotificationRecipients {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly queue: NotificationQueueRepository,
    private readonly templates: NotificationTemplates,
  ) {}

  async plan(event: ClaimedEvent): Promise<PlannedNotification[]> {
    const payload = event.payload;
    const isRequestEvent = event.type.startsWith('request.');
    if (isRequestEvent || event.type.startsWith('capacity.')) {
      if (!event.stateCode) return [];
      const planned: PlannedNotification[] = [];
      const addressed = new Set<string>();
      const addEmail = (emails: readonly string[], plan: Omit<PlannedNotification, 'channel' | 'recipient'>) => {
        const fresh = emails.map((email) => email.toLowerCase()).filter((email) => !addressed.has(email));
        if (fresh.length === 0) return;
        fresh.forEach((email) => addressed.add(email));
        planned.push({ channel: NotificationChannel.EMAIL, recipient: fresh.join(', '), ...plan });
      };
      // Capacity-building is for the officers who follow it, not for the duty contacts and CERTs that
      // incidents and requests must reach: its events go to opted-in users and webhooks only.
      if (isRequestEvent) {
        for (const contact of await this.queue.technicalContacts(event.stateCode)) {
          addEmail(contact.emails, { contactId: contact.id, language: this.templates.languageFor(event.type, contact.languages) });
        }
        for (const cert of await this.queue.certs(event.stateCode)) {
          addEmail(cert.emails, { certId: cert.id, language: this.templates.languageFor(event.type, cert.languages) });
        }
      }
      for (const user of await this.queue.optedInUsers(event.stateCode)) {
        addEmail([user.email], { userId: user.id, language: this.templates.languageFor(event.type, [user.preferredLanguage]) });
      }
      for (const webhook of await this.queue.webhooks(event.stateCode, event.type)) {
        planned.push({ channel: NotificationChannel.WEBHOOK, recipient: webhook.url, webhookId: webhook.id, language: 'en' });
      }
      return planned;
    }
    if (event.type === 'user.invited' || event.type === 'user.password_reset') {
      const user = await this.queue.user(String(payload.userId));
      if (!user || user.disabledAt) return [];
      return [{ channel: NotificationChannel.EMAIL, recipient: user.email, userId: user.id, language: this.templates.languageFor(event.type, [user.preferredLanguage]) }];
    }
    if (event.type === 'communication_check.requested' || event.type === 'communication_check.reminder') {
      const target = await this.queue.checkTarget(String(payload.targetId));
      if (!target || target.contact.emails.length === 0) return [];
      if (event.type === 'communication_check.reminder' && target.status !== 'PENDING') return [];
      return [
        {
          channel: NotificationChannel.EMAIL,
          recipient: target.contact.emails.join(', '),
          contactId: target.contact.id,
          checkTargetId: target.id,
          language: this.templates.languageFor(event.type, target.contact.languages),
        },
      ];
    }
    if (event.type === 'webhook.ping') {
      const webhook = await this.queue.webhook(String(payload.webhookId));
      return webhook ? [{ channel: NotificationChannel.WEBHOOK, recipient: webhook.url, webhookId: webhook.id, language: 'en' }] : [];
    }
    this.logger.warn(`Outbox event ${event.id} has an unknown type ${event.type}: nobody to notify`);
    return [];
  }
}
