import { PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { CapacityFields, IsCalendarDate } from '../../shared/capacity-fields.dto';

/** Where the State stands by its own assessment, e.g. against the Oxford Cybersecurity Capacity Maturity Model. */
export class SelfAssessmentDto {
  /** The model used, e.g. "Oxford CMM (2021 edition)". */
  @IsString()
  @Length(1, 200)
  model: string;

  /** The level found, in the model's own terms, e.g. "Formative" or "2 of 5". */
  @IsString()
  @Length(1, 100)
  level: string;

  @IsOptional()
  @IsString()
  @Length(1, 5000)
  notes?: string;
}

export class CreateNeedDto extends CapacityFields {
  /** From when help is needed (YYYY-MM-DD); absent: as soon as possible. */
  @IsOptional()
  @IsCalendarDate()
  neededFrom?: string;

  /** Until when help is needed (YYYY-MM-DD): an OPEN need reads as expired after this day (UTC). */
  @IsCalendarDate()
  neededBy: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SelfAssessmentDto)
  selfAssessment?: SelfAssessmentDto;
}

export class UpdateNeedDto extends PartialType(CreateNeedDto) {}

/**
 * Opening a need from a request answered "unable: capacity limits": everything is pre-filled from the
 * request and the answer, and any field given here replaces the pre-filled one.
 */
export class NeedFromRequestDto extends PartialType(CreateNeedDto) {}
