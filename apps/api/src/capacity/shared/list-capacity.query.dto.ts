import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { IsStateCode, PageQuery } from '@cbm/common';
import { CapacityArea, CapacityModality, Sector, UnRegionalGroup } from '@cbm/database';
import { IsIso6391 } from '../../directory/validation/directory.validators';

/** The filters needs and offers share: whose, which region's, and the vocabulary matching uses. */
export class ListCapacityQuery extends PageQuery {
  @IsOptional()
  @IsStateCode()
  state?: string;

  /** The UN regional group of the State that describes it. */
  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  region?: UnRegionalGroup;

  @ApiPropertyOptional({ enum: CapacityArea, enumName: 'CapacityArea' })
  @IsOptional()
  @IsEnum(CapacityArea)
  area?: CapacityArea;

  @ApiPropertyOptional({ enum: Sector, enumName: 'Sector' })
  @IsOptional()
  @IsEnum(Sector)
  sector?: Sector;

  @ApiPropertyOptional({ enum: CapacityModality, enumName: 'CapacityModality' })
  @IsOptional()
  @IsEnum(CapacityModality)
  modality?: CapacityModality;

  /** ISO 639-1. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIso6391()
  language?: string;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}
