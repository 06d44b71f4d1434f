import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CertType, Sector, TrustedIntroducerStatus } from '@cbm/database';
import { HoursDto } from '../../contacts/dto/contact.dto';
import { IsIanaTimeZone, IsInternationalPhone, IsIso6391 } from '../../validation/directory.validators';

const HTTPS_URL = { protocols: ['https'], require_protocol: true };

export class CreateCertDto {
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

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique((email: string) => (typeof email === 'string' ? email.toLowerCase() : email))
  @IsEmail({}, { each: true })
  emails: string[];

  /** International format; stored in E.164. */
  @IsOptional()
  @IsInternationalPhone()
  emergencyPhone?: string;

  @IsOptional()
  @IsBoolean()
  available24x7?: boolean;

  @ApiPropertyOptional({ type: [HoursDto] })
  @IsOptional()
  @Type(() => HoursDto)
  @IsArray()
  @ArrayMaxSize(14)
  @ValidateNested({ each: true })
  hours?: HoursDto[];

  @IsIanaTimeZone()
  timeZone: string;

  @Transform(({ value }) => (Array.isArray(value) ? value.map((code) => (typeof code === 'string' ? code.toLowerCase() : code)) : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsIso6391({ each: true })
  languages: string[];

  @IsOptional()
  @IsString()
  @MaxLength(65536)
  pgpKey?: string;

  /** The team's RFC 2350 document. */
  @IsOptional()
  @IsUrl(HTTPS_URL, { message: 'rfc2350Url must be an https:// URL' })
  @MaxLength(500)
  rfc2350Url?: string;

  @IsOptional()
  @IsBoolean()
  firstMember?: boolean;

  @ApiPropertyOptional({ enum: TrustedIntroducerStatus, enumName: 'TrustedIntroducerStatus' })
  @IsOptional()
  @IsEnum(TrustedIntroducerStatus)
  trustedIntroducer?: TrustedIntroducerStatus;

  @ApiPropertyOptional({ enum: Sector, enumName: 'Sector', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(Sector, { each: true })
  sectors?: Sector[];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** Every field optional; `null` clears an optional one. */
export class UpdateCertDto extends PartialType(CreateCertDto) {}
