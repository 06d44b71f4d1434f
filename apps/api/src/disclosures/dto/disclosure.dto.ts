import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { AudienceFields } from '../../sharing/audience.dto';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { CapacityArea, DisclosureKind, Sector } from '@cbm/database';
import { IsIso6391 } from '../../directory/validation/directory.validators';

export const MAX_BODY_LENGTH = 100_000;

export class CreateDisclosureDto extends AudienceFields {
  @ApiProperty({ enum: DisclosureKind, enumName: 'DisclosureKind' })
  @IsEnum(DisclosureKind)
  kind: DisclosureKind;

  @IsString()
  @Length(1, 300)
  title: string;

  @IsString()
  @Length(1, 2000)
  summary: string;

  /** Markdown, up to 100,000 characters. */
  @IsString()
  @MaxLength(MAX_BODY_LENGTH)
  body: string;

  /** At least one for CI_DESIGNATION; a BEST_PRACTICE may leave them out (a guide is seldom for one sector). */
  @ApiProperty({ enum: Sector, enumName: 'Sector', isArray: true, required: false })
  @ValidateIf((dto: CreateDisclosureDto) => dto.kind !== DisclosureKind.BEST_PRACTICE || dto.sectors !== undefined)
  @IsArray()
  @ArrayMaxSize(14)
  @ArrayUnique()
  @IsEnum(Sector, { each: true })
  sectors?: Sector[];

  /** BEST_PRACTICE only, and at least one there: the capacity-building areas it helps with. */
  @ApiPropertyOptional({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(CapacityArea, { each: true })
  areas?: CapacityArea[];

  /** https:// links to official sources (for a best practice: the guide, course or tool itself). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { each: true, message: 'each value in references must be an https:// URL' })
  references?: string[];

  /** ISO 639-1 language of the text. */
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIso6391()
  language: string;

  /** LAW_OR_POLICY only: date adopted (YYYY-MM-DD). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateAdopted must be a date YYYY-MM-DD' })
  dateAdopted?: string;

  /** LAW_OR_POLICY only: official reference or citation. */
  @IsOptional()
  @IsString()
  @Length(1, 500)
  officialReference?: string;
}

export class UpdateDisclosureDto extends PartialType(CreateDisclosureDto) {}
