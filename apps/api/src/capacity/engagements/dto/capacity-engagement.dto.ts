import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '@cbm/common';
import { CapacityEngagementStatus, CapacityOutcome } from '@cbm/database';

const NOT_BLANK = { message: '$property must not be blank' };

export class ListEngagementsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CapacityEngagementStatus, enumName: 'CapacityEngagementStatus' })
  @IsOptional()
  @IsEnum(CapacityEngagementStatus)
  status?: CapacityEngagementStatus;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}

export class ListEngagementUpdatesQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}

export class CreateEngagementUpdateDto {
  /** A status update, seen by both States of the engagement. */
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  body: string;
}

export class CancelEngagementDto {
  /** Why the engagement ends before completion: kept as the engagement's last update, seen by both States. */
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  reason: string;
}

export class EvaluateEngagementDto {
  /** Was the need met? */
  @ApiProperty({ enum: CapacityOutcome, enumName: 'CapacityOutcome' })
  @IsEnum(CapacityOutcome)
  outcome: CapacityOutcome;

  /** The side's feedback, seen by both States. */
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  feedback: string;
}
