import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsInstant, IsStateCode, PageQuery } from '@cbm/common';

export class ListAuditEventsQuery extends PageQuery {
  /** e.g. `auth.login.failed`, `user.created`. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  entityType?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  entityId?: string;

  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  /** Only events by or about this State (platform administrators; a State's own administrators always see only their State). */
  @IsOptional()
  @IsStateCode()
  stateCode?: string;

  /** Events at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  from?: Date;

  /** Events before this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  to?: Date;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}
