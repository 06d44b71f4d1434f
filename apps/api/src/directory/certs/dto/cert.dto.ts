import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
} from 'class-validator';
import { CertType, Sector, TrustedIntroducerStatus } from '@cbm/database';
import { IsOmittable } from '@cbm/common';
import { DirectoryEntryDto } from '../../dto/directory-entry.dto';
import { IsInternationalPhone } from '../../validation/directory.validators';

const HTTPS_URL = { protocols: ['https'], require_protocol: true };

export class CreateCertDto extends DirectoryEntryDto {
  /** @example National Computer Emergency Response Team */
  @IsString()
  @Length(1, 200)
  name: string;

  /** @example PKCERT */
  @IsOptional()
  @IsString()
  @Length(1, 40)
  shortName?: string;

  @ApiProperty({ enum: CertType, enumName: 'CertType' })
  @IsEnum(CertType)
  type: CertType;

  /** Whom the team serves (RFC 2350 §3.2). */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  constituency?: string;

  @IsOptional()
  @IsUrl(HTTPS_URL, { message: 'website must be an https:// URL' })
  @MaxLength(500)
  website?: string;

  /** International format; stored in E.164. */
  @IsOptional()
  @IsInternationalPhone()
  emergencyPhone?: string;

  /** The team's RFC 2350 document. */
  @IsOptional()
  @IsUrl(HTTPS_URL, { message: 'rfc2350Url must be an https:// URL' })
  @MaxLength(500)
  rfc2350Url?: string;

  @IsOmittable()
  @IsBoolean()
  firstMember?: boolean;

  @ApiPropertyOptional({ enum: TrustedIntroducerStatus, enumName: 'TrustedIntroducerStatus' })
  @IsOmittable()
  @IsEnum(TrustedIntroducerStatus)
  trustedIntroducer?: TrustedIntroducerStatus;

  @ApiPropertyOptional({ enum: Sector, enumName: 'Sector', isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsEnum(Sector, { each: true })
  sectors?: Sector[];

}

/** Every field optional; `null` clears an optional one. */
export class UpdateCertDto extends PartialType(CreateCertDto) {}
