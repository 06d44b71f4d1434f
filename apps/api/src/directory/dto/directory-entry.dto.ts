import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsArrayOfObjects, IsOmittable, IsStateCode, PageQuery, toQueryBoolean } from '@cbm/common';
import { EntryStatus, UnRegionalGroup } from '@cbm/database';
import { IsIanaTimeZone, IsIso6391 } from '../validation/directory.validators';

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class HoursDto {
  @ApiProperty({ enum: WEEKDAYS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(WEEKDAYS, { each: true })
  days: Array<(typeof WEEKDAYS)[number]>;

  /** Local time in the contact's time zone, HH:MM. */
  @Matches(HH_MM, { message: 'from must be a time HH:MM' })
  from: string;

  @Matches(HH_MM, { message: 'to must be a time HH:MM' })
  to: string;
}

/** What contacts and CERTs share: how to write to them, when, in which languages, with which key. */
export class DirectoryEntryDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique((email: string) => (typeof email === 'string' ? email.toLowerCase() : email))
  @IsEmail({}, { each: true })
  emails: string[];

  @IsOmittable()
  @IsBoolean()
  available24x7?: boolean;

  @ApiPropertyOptional({ type: [HoursDto] })
  @IsOptional()
  @IsArrayOfObjects(() => HoursDto)
  @ArrayMaxSize(14)
  hours?: HoursDto[];

  /** IANA time zone, e.g. Asia/Karachi. */
  @IsIanaTimeZone()
  timeZone: string;

  /** ISO 639-1 codes, at least one. */
  @Transform(({ value }) => (Array.isArray(value) ? value.map((code) => (typeof code === 'string' ? code.toLowerCase() : code)) : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsIso6391({ each: true })
  languages: string[];

  /** Armored OpenPGP public key (never a private key). */
  @IsOptional()
  @IsString()
  @MaxLength(65536)
  pgpKey?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** Filters every directory list has. */
export class DirectoryListQuery extends PageQuery {
  /** ISO 3166-1 alpha-3 code of the State. */
  @IsOptional()
  @IsStateCode()
  state?: string;

  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  region?: UnRegionalGroup;

  /** Entries that work in this language (ISO 639-1). */
  @IsOptional()
  @IsIso6391()
  language?: string;

  @IsOptional()
  @Transform(toQueryBoolean)
  @IsBoolean()
  available24x7?: boolean;

  /** true: only entries not verified within DIRECTORY_STALE_AFTER_DAYS; false: only fresh ones. */
  @IsOptional()
  @Transform(toQueryBoolean)
  @IsBoolean()
  stale?: boolean;

  /** ACTIVE by default. */
  @ApiPropertyOptional({ enum: EntryStatus, enumName: 'EntryStatus' })
  @IsOptional()
  @IsEnum(EntryStatus)
  status?: EntryStatus;

  /** Case-insensitive substring of the name (index-backed from 3 characters). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}
