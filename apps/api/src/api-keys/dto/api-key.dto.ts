import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEnum, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { Permission } from '@cbm/auth';

export class CreateApiKeyDto {
  /** What the key is for, e.g. "CERT directory sync". */
  @IsString()
  @Length(1, 100)
  name: string;

  /** A subset of what a State officer may do; never user, key or audit management. */
  @ApiProperty({ enum: Permission, enumName: 'Permission', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsEnum(Permission, { each: true })
  permissions: Permission[];

  /** Days until the key expires (at most API_KEY_MAX_TTL_DAYS, 365 by default). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays: number;
}
