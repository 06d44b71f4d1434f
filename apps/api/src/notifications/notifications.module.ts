import { Module } from '@nestjs/common';
import { RequestExportsModule } from '../requests';
import { DeadlineScheduler } from './deadline-scheduler';
import { DeadlinesRepository } from './deadlines.repository';
import { Mailer } from './mailer';
import { NotificationRecipients } from './notification-recipients';
import { NotificationTemplates } from './notification-templates';
import { NotificationWorker } from './notification-worker';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { NotificationQueueRepository } from './notification-queue.repository';
import { WebhookClient } from './webhooks/webhook-client';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

@Module({
  // The STIX bundle attached to request.created deliveries for webhooks that ask for it.
  imports: [RequestExportsModule],
  controllers: [NotificationsController, WebhooksController],
  providers: [
    NotificationQueueRepository,
    DeadlineScheduler,
    DeadlinesRepository,
    Mailer,
    WebhookClient,
    // Read from disk once, when the module is built.
    { provide: NotificationTemplates, useFactory: () => new NotificationTemplates() },
    NotificationRecipients,
    NotificationWorker,
    NotificationsRepository,
    NotificationsService,
    WebhooksRepository,
    WebhooksService,
  ],
  exports: [DeadlineScheduler, NotificationWorker],
})
export class NotificationsModule {}
