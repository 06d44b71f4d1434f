import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { CertType, Sector } from '@cbm/database';
import { DirectoryListQuery } from '../../dto/directory-entry.dto';

export class ListCertsQuery extends DirectoryListQuery {
  @ApiPropertyOptional({ enum: CertType, enumName: 'CertType' })
  @IsOptional()
  @IsEnum(CertType)
  type?: CertType;

  /** CERTs serving this sector. */
  @ApiPropertyOptional({ enum: Sector, enumName: 'Sector' })
  @IsOptional()
  @IsEnum(Sector)
  sector?: Sector;
}
