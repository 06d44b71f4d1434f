import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
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
}
