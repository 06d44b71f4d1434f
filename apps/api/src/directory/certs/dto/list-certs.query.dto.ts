import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '@cbm/common';
import { CertType, EntryStatus, Sector, UnRegionalGroup } from '@cbm/database';
import { IsIso6391 } from '../../validation/directory.validators';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListCertsQuery extends PageQuery {
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{3}$/, { message: 'state must be an ISO 3166-1 alpha-3 code' })
  state?: string;

  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  region?: UnRegionalGroup;

  @ApiPropertyOptional({ enum: CertType, enumName: 'CertType' })
  @IsOptional()
  @IsEnum(CertType)
  type?: CertType;

  /** CERTs serving this sector. */
  @ApiPropertyOptional({ enum: Sector, enumName: 'Sector' })
  @IsOptional()
  @IsEnum(Sector)
  sector?: Sector;

  @IsOptional()
  @IsIso6391()
  language?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  available24x7?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  stale?: boolean;

  @ApiPropertyOptional({ enum: EntryStatus, enumName: 'EntryStatus' })
  @IsOptional()
  @IsEnum(EntryStatus)
  status?: EntryStatus;

  /** Case-insensitive substring of the name or short name. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}
