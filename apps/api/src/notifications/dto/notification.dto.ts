import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { IsStateCode, PageQuery } from '@cbm/common';
import { NotificationChannel, NotificationStatus } from '@cbm/database';

export class ListNotificationsQuery extends PageQuery {
  @IsOptional()
  @IsEnum(NotificationStatus)
  status?: NotificationStatus;

  @IsOptional()
  @IsEnum(NotificationChannel)
  channel?: NotificationChannel;

  /** The secretariat only: one State's notifications. */
  @IsOptional()
  @IsStateCode()
  stateCode?: string;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
