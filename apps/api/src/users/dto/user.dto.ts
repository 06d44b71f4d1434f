import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { IsEmail, IsEnum, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { IsOmittable, IsStateCode, PageQuery } from '@cbm/common';
import { Role } from '@cbm/database';
import { LANGUAGES } from '../../localization';

export class CreateUserDto {
  /** @example officer@mofa.example */
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @Length(1, 200)
  displayName: string;

  @ApiProperty({ enum: Role, enumName: 'Role' })
  @IsEnum(Role)
  role: Role;

  /**
   * The user's State. A State administrator may omit it (their own State is used) and may not name
   * another; a platform administrator names it for every role but PLATFORM_ADMIN.
   */
  @IsOmittable()
  @IsStateCode()
  stateCode?: string;

  /** Optional: without it the user gets a single-use invitation to set one. */
  @IsOmittable()
  @IsString()
  @MaxLength(1024)
  password?: string;

  /** The language of the user's mail (the invitation first) and pages, one of the six UN languages; the user may change it. */
  @ApiPropertyOptional({ enum: LANGUAGES, example: 'es' })
  @IsOmittable()
  @IsIn(LANGUAGES)
  preferredLanguage?: string;
}

export class UpdateUserDto {
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  /** A State role; PLATFORM_ADMIN cannot be granted by an update. */
  @ApiPropertyOptional({ enum: Role, enumName: 'Role' })
  @IsOmittable()
  @IsEnum(Role)
  role?: Role;
}

export class ListUsersQuery extends PageQuery {
  /** Platform administrators: only users of this State. */
  @IsOptional()
  @IsStateCode()
  stateCode?: string;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
