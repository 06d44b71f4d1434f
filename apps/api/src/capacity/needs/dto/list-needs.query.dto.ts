import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional } from 'class-validator';
import { Transform } from 'class-transformer';
import { toQueryBoolean } from '@cbm/common';
import { CapacityNeedStatus } from '@cbm/database';
import { ListCapacityQuery } from '../../shared/list-capacity.query.dto';

export class ListNeedsQuery extends ListCapacityQuery {
  @ApiPropertyOptional({ enum: CapacityNeedStatus, enumName: 'CapacityNeedStatus' })
  @IsOptional()
  @IsEnum(CapacityNeedStatus)
  status?: CapacityNeedStatus;

  /** true: only OPEN needs whose time frame is over; false: every other. */
  @IsOptional()
  @Transform(toQueryBoolean)
  @IsBoolean()
  expired?: boolean;
}
