import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ContactKind } from '@cbm/database';
import { IsIanaTimeZone, IsInternationalPhone, IsIso6391 } from '../../validation/directory.validators';

export const PHONE_LABELS = ['office', 'mobile', '24x7', 'fax', 'other'] as const;
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class PhoneDto {
  /** International format, e.g. +92 51 9201234; stored in E.164. */
  @IsInternationalPhone()
  number: string;

  @ApiProperty({ enum: PHONE_LABELS })
  @IsIn(PHONE_LABELS)
  label: (typeof PHONE_LABELS)[number];
}

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

export class CreateContactDto {
  @ApiProperty({ enum: ContactKind, enumName: 'ContactKind' })
  @IsEnum(ContactKind)
  kind: ContactKind;

  /** A person, or a function such as "Duty officer". */
  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @IsOptional()
  @IsString()
  @Length(1, 300)
  organisation?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique((email: string) => (typeof email === 'string' ? email.toLowerCase() : email))
  @IsEmail({}, { each: true })
  emails: string[];

  /** Defaults to none. (No initializer: PartialType would copy it into updates and wipe the phones.) */
  @ApiPropertyOptional({ type: [PhoneDto] })
  @IsOptional()
  @Type(() => PhoneDto)
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  phones?: PhoneDto[];

  @IsOptional()
  @IsBoolean()
  available24x7?: boolean;

  @ApiPropertyOptional({ type: [HoursDto] })
  @IsOptional()
  @Type(() => HoursDto)
  @IsArray()
  @ArrayMaxSize(14)
  @ValidateNested({ each: true })
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

  /** The CERT of your State this contact works for. */
  @IsOptional()
  @IsUUID()
  certId?: string;
}

/** Every field optional; `null` clears an optional one. */
export class UpdateContactDto extends PartialType(CreateContactDto) {}
