import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEnum, IsIn, IsOptional, Matches } from 'class-validator';
import { DisclosureAudience } from '@cbm/database';
import { TLP_LABELS, TlpLabel } from './tlp';

const upperCaseAll = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.toUpperCase() : item)) : value;

/**
 * How a State shares a record (a disclosure, a capacity-building need or offer): its TLP 2.0 label
 * and the audience it reaches, under one visibility rule (audience-visibility.repository.ts) and
 * one consistency rule (audience-consistency.ts).
 */
export class AudienceFields {
  @ApiProperty({ enum: TLP_LABELS })
  @IsIn(TLP_LABELS)
  tlp: TlpLabel;

  @ApiProperty({ enum: DisclosureAudience, enumName: 'DisclosureAudience' })
  @IsEnum(DisclosureAudience)
  audience: DisclosureAudience;

  /** SELECTED_STATES only: ISO 3166-1 alpha-3 codes of the States that may read it. */
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @Transform(upperCaseAll)
  @IsArray()
  @ArrayMaxSize(195)
  @ArrayUnique()
  @Matches(/^[A-Z]{3}$/, { each: true, message: 'each value in selectedStates must be an ISO 3166-1 alpha-3 code' })
  selectedStates?: string[];
}
