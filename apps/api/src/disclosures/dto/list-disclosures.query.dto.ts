import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsInstant, IsStateCode, PageQuery } from '@cbm/common';
import { CapacityArea, DisclosureKind, Sector, UnRegionalGroup } from '@cbm/database';
import { TLP_LABELS, TlpLabel } from '../../sharing/tlp';

export class ListDisclosuresQuery extends PageQuery {
  @IsOptional()
  @IsStateCode()
  state?: string;

  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  region?: UnRegionalGroup;

  @ApiPropertyOptional({ enum: DisclosureKind, enumName: 'DisclosureKind' })
  @IsOptional()
  @IsEnum(DisclosureKind)
  kind?: DisclosureKind;

  @ApiPropertyOptional({ enum: Sector, enumName: 'Sector' })
  @IsOptional()
  @IsEnum(Sector)
  sector?: Sector;

  /** Best practices for this capacity-building area. */
  @ApiPropertyOptional({ enum: CapacityArea, enumName: 'CapacityArea' })
  @IsOptional()
  @IsEnum(CapacityArea)
  area?: CapacityArea;

  @ApiPropertyOptional({ enum: TLP_LABELS })
  @IsOptional()
  @IsIn(TLP_LABELS)
  tlp?: TlpLabel;

  /** Changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;

  /** Full-text search in title, summary and body. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}
