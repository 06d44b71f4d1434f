import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ContactKind } from '@cbm/database';
import { DirectoryListQuery } from '../../dto/directory-entry.dto';

export class ListContactsQuery extends DirectoryListQuery {
  @ApiPropertyOptional({ enum: ContactKind, enumName: 'ContactKind' })
  @IsOptional()
  @IsEnum(ContactKind)
  kind?: ContactKind;

  /** Contacts working for this CERT. */
  @IsOptional()
  @IsUUID()
  certId?: string;
}
