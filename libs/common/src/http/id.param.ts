import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** `:id` path parameters: a malformed id is a 400 naming `id`, never a database error. */
export class IdParam {
  // Explicit: the Swagger CLI plugin only reads *.dto.ts files, and this one is shared.
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}
