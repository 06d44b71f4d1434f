import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { WEBHOOK_EVENT_TYPES } from '../../outbox';

export class CreateWebhookDto {
  /** Where events are POSTed: an https URL of your State's systems (private addresses are refused). */
  @IsString()
  @MaxLength(2000)
  url: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  description?: string;

  /** Which events to deliver; empty or absent: all of them. */
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, required: false })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes?: string[];

  /**
   * Attach the request's STIX 2.1 bundle (`stix` beside `data`) to `request.created` deliveries, so
   * that a threat-intelligence platform takes the indicators in without a second call. The bundle is
   * the request as your State, a recipient, reads it. Default false: deliveries carry no contents.
   */
  @IsOptional()
  @IsBoolean()
  attachStix?: boolean;
}
