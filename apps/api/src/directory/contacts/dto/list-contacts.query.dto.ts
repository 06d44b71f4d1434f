import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '@cbm/common';
import { ContactKind, EntryStatus, UnRegionalGroup } from '@cbm/database';
import { IsIso6391 } from '../../validation/directory.validators';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListContactsQuery extends PageQuery {
  /** ISO 3166-1 alpha-3 code of the State. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{3}$/, { message: 'state must be an ISO 3166-1 alpha-3 code' })
  state?: string;

  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  region?: UnRegionalGroup;

  @ApiPropertyOptional({ enum: ContactKind, enumName: 'ContactKind' })
  @IsOptional()
  @IsEnum(ContactKind)
  kind?: ContactKind;

  /** Contacts who work in this language (ISO 639-1). */
  @IsOptional()
  @IsIso6391()
  language?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  available24x7?: boolean;

  /** true: only entries not verified within DIRECTORY_STALE_AFTER_DAYS; false: only fresh ones. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  stale?: boolean;

  /** ACTIVE by default. */
  @ApiPropertyOptional({ enum: EntryStatus, enumName: 'EntryStatus' })
  @IsOptional()
  @IsEnum(EntryStatus)
  status?: EntryStatus;

  /** Case-insensitive substring of the name or organisation (index-backed from 3 characters). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  /** Contacts working for this CERT. */
  @IsOptional()
  @IsUUID()
  certId?: string;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}
