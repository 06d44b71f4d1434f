import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { toQueryBoolean } from '@cbm/common';

export class ImportQuery {
  /** true: check every row and answer what each would do, writing nothing. */
  @IsOptional()
  @Transform(toQueryBoolean)
  @IsBoolean()
  dryRun?: boolean;
}
