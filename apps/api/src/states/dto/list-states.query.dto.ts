import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional } from 'class-validator';
import { UnRegionalGroup } from '@cbm/database';
import { toQueryBoolean } from '@cbm/common';

export class ListStatesQuery {
  /** Only States of this UN regional group. */
  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  region?: UnRegionalGroup;

  /** Only States that take part (true) or do not yet take part (false) in the registry. */
  @IsOptional()
  @Transform(toQueryBoolean)
  @IsBoolean()
  participating?: boolean;
}
