import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsArrayOfObjects, IsInstant, IsStateCode, PageQuery, toQueryBoolean } from '@cbm/common';
import { RecipientStatus, RequestType, Sector, Urgency } from '@cbm/database';
import { IsIso6391 } from '../../directory/validation/directory.validators';
import { TLP_LABELS, TlpLabel } from '../../sharing/tlp';
import { INDICATOR_TYPES, IndicatorType } from '../indicators';
import { EXPORT_FORMATS, ExportFormat } from '../interop/request-exports.service';
import { REQUEST_ACTIONS, RequestAction } from '../request-workflow';

export const MAX_INDICATORS = 500;

export class IndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES })
  @IsIn(INDICATOR_TYPES)
  type: IndicatorType;

  @IsString()
  @Length(1, 2048)
  value: string;
}

export class CreateRequestDto {
  @ApiProperty({ enum: RequestType, enumName: 'RequestType' })
  @IsEnum(RequestType)
  type: RequestType;

  /** ISO 3166-1 alpha-3 codes; never the requester's own State. */
  @Transform(({ value }) => (Array.isArray(value) ? value.map((code) => (typeof code === 'string' ? code.toUpperCase() : code)) : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[A-Z]{3}$/, { each: true, message: 'each value in recipients must be an ISO 3166-1 alpha-3 code' })
  recipients: string[];

  @ApiProperty({ enum: Urgency, enumName: 'Urgency' })
  @IsEnum(Urgency)
  urgency: Urgency;

  @IsString()
  @Length(1, 300)
  title: string;

  @IsString()
  @Length(1, 20_000)
  description: string;

  /** UTC. */
  @IsOptional()
  @IsInstant()
  incidentStart?: Date;

  @IsOptional()
  @IsInstant()
  incidentEnd?: Date;

  @ApiPropertyOptional({ enum: Sector, enumName: 'Sector', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(Sector, { each: true })
  sectors?: Sector[];

  @ApiPropertyOptional({ type: [IndicatorDto] })
  @IsOptional()
  @IsArrayOfObjects(() => IndicatorDto)
  @ArrayMaxSize(MAX_INDICATORS)
  indicators?: IndicatorDto[];

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  requestedActions?: string;

  @ApiPropertyOptional({ enum: TLP_LABELS, default: 'AMBER' })
  @IsOptional()
  @IsIn(TLP_LABELS)
  tlp?: TlpLabel;

  /** When an answer is needed (UTC). */
  @IsOptional()
  @IsInstant()
  respondBy?: Date;

  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIso6391()
  language: string;
}

export class RequestActionDto {
  @ApiProperty({ enum: REQUEST_ACTIONS })
  @IsIn(REQUEST_ACTIONS)
  action: RequestAction;

  /** The answer (ANSWER), the reason (DECLINE) or the assistance needed (UNABLE_CAPACITY). */
  @IsOptional()
  @IsString()
  @Length(1, 20_000)
  note?: string;

  /** For the requester's CLOSE: which recipient's answer is closed. */
  @IsOptional()
  @IsStateCode()
  recipient?: string;
}

export class CreateMessageDto {
  @IsString()
  @Length(1, 20_000)
  body: string;

  /** A multilateral request: address one recipient only (the requester and it see the message). */
  @IsOptional()
  @IsStateCode()
  toState?: string;
}

export class ListRequestsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['incoming', 'outgoing'] })
  @IsOptional()
  @IsIn(['incoming', 'outgoing'])
  direction?: 'incoming' | 'outgoing';

  @ApiPropertyOptional({ enum: RequestType, enumName: 'RequestType' })
  @IsOptional()
  @IsEnum(RequestType)
  type?: RequestType;

  /** Requests with at least one recipient in this status. */
  @ApiPropertyOptional({ enum: RecipientStatus, enumName: 'RecipientStatus' })
  @IsOptional()
  @IsEnum(RecipientStatus)
  status?: RecipientStatus;

  @ApiPropertyOptional({ enum: Urgency, enumName: 'Urgency' })
  @IsOptional()
  @IsEnum(Urgency)
  urgency?: Urgency;

  /** Requests with a recipient past its acknowledgement or answer deadline. */
  @IsOptional()
  @Transform(toQueryBoolean)
  @IsBoolean()
  overdue?: boolean;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}

export class IndicatorExportQuery {
  /** `stix`: a STIX 2.1 bundle (application/stix+json;version=2.1); `misp`: a MISP event (application/json). */
  @ApiProperty({ enum: EXPORT_FORMATS })
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}
