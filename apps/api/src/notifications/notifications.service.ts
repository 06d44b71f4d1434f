import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, pageLimit, toPage } from '@cbm/common';
import { ListNotificationsQuery } from './dto/notification.dto';
import { NotificationDetailResponse, NotificationListResponse, toAttemptResponse, toNotificationResponse } from './dto/notification.response';
import { NotificationsRepository } from './notifications.repository';

/** What was sent to whom, and what failed: a State's administrators see their State's, the secretariat all. */
@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationsRepository) {}

  async list(actor: Actor, query: ListNotificationsQuery): Promise<NotificationListResponse> {
    const scope = actor.stateCode;
    const before = query.cursor ? await this.notifications.findCursor(scope, query.cursor) : undefined;
    if (query.cursor && !before) throw DomainError.validation([{ field: 'cursor', message: 'is not a cursor of this list' }]);
    const filter = { status: query.status, channel: query.channel, stateCode: query.stateCode, before: before ?? undefined };
    const rows = await this.notifications.findPage(scope, filter, pageLimit(query.limit));
    // The cursor is the last notification's id, as it always was.
    return toPage(rows, query.limit, toNotificationResponse, (last) => last.id);
  }

  async get(actor: Actor, id: string): Promise<NotificationDetailResponse> {
    const notification = await this.notifications.findVisible(actor.stateCode, id);
    if (!notification) throw DomainError.notFound('Notification');
    return { ...toNotificationResponse(notification), deliveryLog: notification.deliveryLog.map(toAttemptResponse) };
  }
}
