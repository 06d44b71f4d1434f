import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

/** Keyset pages: `limit` here, the cursor in each list's own query (its type depends on the sort key). */
export class PageQuery {
  // Written out: the Swagger plugin reads only *.dto.ts files, so this library class has no metadata of its own.
  @ApiPropertyOptional({ description: 'Items per page (1–200).', type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;
}
