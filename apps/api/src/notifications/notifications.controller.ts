import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam } from '@cbm/common';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { ListNotificationsQuery } from './dto/notification.dto';
import { NotificationDetailResponse, NotificationListResponse } from './dto/notification.response';
import { NotificationsService } from './notifications.service';

@ApiTags('Notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** Mails and webhook calls, newest first; `status=FAILED` lists what could not be delivered (stale contacts). */
  @Get()
  @Authorize(Permission.NotificationRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListNotificationsQuery): Promise<NotificationListResponse> {
    return this.notifications.list(actor, query);
  }

  /** One notification with every delivery attempt. */
  @Get(':id')
  @Authorize(Permission.NotificationRead)
  @ApiProblemResponses(400, 404)
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<NotificationDetailResponse> {
    return this.notifications.get(actor, params.id);
  }
}
