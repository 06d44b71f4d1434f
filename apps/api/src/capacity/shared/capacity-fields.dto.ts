import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEnum, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CapacityArea, CapacityModality, Sector } from '@cbm/database';
import { IsIso6391 } from '../../directory/validation/directory.validators';
import { AudienceFields } from '../../sharing/audience.dto';

/** A calendar date, YYYY-MM-DD (a time frame is counted in days, not instants). */
export function IsCalendarDate(): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }, { message: '$property must be a date YYYY-MM-DD' }),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' }),
  );
}

const lowerCaseAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.toLowerCase() : item)) : value;

/**
 * What needs and offers describe alike, in the vocabulary matching compares: areas from the fixed
 * list (paragraphs 33–39), sectors (the list CERTs and disclosures share), modalities and languages;
 * shared with an audience under the same TLP and visibility rules as disclosures.
 */
export class CapacityFields extends AudienceFields {
  @IsString()
  @Length(1, 300)
  title: string;

  /** Plain text or markdown, up to 10,000 characters. */
  @IsString()
  @Length(1, 10_000)
  description: string;

  /** At least one area from the fixed list. */
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(CapacityArea, { each: true })
  areas: CapacityArea[];

  @ApiPropertyOptional({ enum: Sector, enumName: 'Sector', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(14)
  @ArrayUnique()
  @IsEnum(Sector, { each: true })
  sectors?: Sector[];

  /** How the help is given; at least one. */
  @ApiProperty({ enum: CapacityModality, enumName: 'CapacityModality', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsEnum(CapacityModality, { each: true })
  modalities: CapacityModality[];

  /** ISO 639-1 codes of the languages the help can be given in, at least one. */
  @Transform(lowerCaseAll)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsIso6391({ each: true })
  languages: string[];
}
