import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { UnRegionalGroup } from '@cbm/database';
import { CapacityFields, IsCalendarDate } from '../../shared/capacity-fields.dto';

export class CreateOfferDto extends CapacityFields {
  /** UN regional groups the offer serves; empty or absent: every region. */
  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsEnum(UnRegionalGroup, { each: true })
  regions?: UnRegionalGroup[];

  /** Places for trainees, if the offer counts them. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  places?: number;

  /** Experts the provider can send or assign. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  experts?: number;

  /** First day the offer is available (YYYY-MM-DD). */
  @IsOptional()
  @IsCalendarDate()
  availableFrom?: string;

  /** Last day the offer is available (YYYY-MM-DD). */
  @IsOptional()
  @IsCalendarDate()
  availableUntil?: string;

  /** Who would do the work, e.g. the national CERT's academy or a partner organisation. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  implementingOrganisation?: string;
}

export class UpdateOfferDto extends PartialType(CreateOfferDto) {}
