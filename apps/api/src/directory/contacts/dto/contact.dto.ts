import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import { IsArrayOfObjects } from '@cbm/common';
import { ContactKind } from '@cbm/database';
import { IsInternationalPhone } from '../../validation/directory.validators';
import { DirectoryEntryDto } from '../../dto/directory-entry.dto';

export { HoursDto, WEEKDAYS } from '../../dto/directory-entry.dto';

export const PHONE_LABELS = ['office', 'mobile', '24x7', 'fax', 'other'] as const;

export class PhoneDto {
  /** International format, e.g. +92 51 9201234; stored in E.164. */
  @IsInternationalPhone()
  number: string;

  @ApiProperty({ enum: PHONE_LABELS })
  @IsIn(PHONE_LABELS)
  label: (typeof PHONE_LABELS)[number];
}

export class CreateContactDto extends DirectoryEntryDto {
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

  /** Defaults to none. (No initializer: PartialType would copy it into updates and wipe the phones.) */
  @ApiPropertyOptional({ type: [PhoneDto] })
  @IsOptional()
  @IsArrayOfObjects(() => PhoneDto)
  @ArrayMaxSize(10)
  phones?: PhoneDto[];

  /** The CERT of your State this contact works for. */
  @IsOptional()
  @IsUUID()
  certId?: string;
}

/** Every field optional; `null` clears an optional one. */
export class UpdateContactDto extends PartialType(CreateContactDto) {}
