import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsStateCode, PageQuery } from '@cbm/common';
import { CapacityArea, CapacityEngagementStatus, CapacityNeedStatus, CapacityOfferStatus, CapacityProposalStatus, UnRegionalGroup } from '@cbm/database';

/** The filters every metadata list and public list shares. */
class CapacityListQuery extends PageQuery {
  /** Records of this State (for proposals and engagements: the needing State). */
  @IsOptional()
  @IsStateCode()
  state?: string;

  /** Records with this area (for proposals and engagements: their need's). */
  @ApiPropertyOptional({ enum: CapacityArea, enumName: 'CapacityArea' })
  @IsOptional()
  @IsEnum(CapacityArea)
  area?: CapacityArea;

  /** Records of a State of this UN regional group (for proposals and engagements: the needing State's). */
  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  region?: UnRegionalGroup;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}

export class NeedMetadataQuery extends CapacityListQuery {
  /** DRAFT is never listed: a draft is its State's alone. */
  @ApiPropertyOptional({ enum: CapacityNeedStatus, enumName: 'CapacityNeedStatus' })
  @IsOptional()
  @IsEnum(CapacityNeedStatus)
  status?: CapacityNeedStatus;
}

export class OfferMetadataQuery extends CapacityListQuery {
  /** DRAFT is never listed: a draft is its State's alone. */
  @ApiPropertyOptional({ enum: CapacityOfferStatus, enumName: 'CapacityOfferStatus' })
  @IsOptional()
  @IsEnum(CapacityOfferStatus)
  status?: CapacityOfferStatus;
}

export class ProposalMetadataQuery extends CapacityListQuery {
  @ApiPropertyOptional({ enum: CapacityProposalStatus, enumName: 'CapacityProposalStatus' })
  @IsOptional()
  @IsEnum(CapacityProposalStatus)
  status?: CapacityProposalStatus;
}

export class EngagementMetadataQuery extends CapacityListQuery {
  @ApiPropertyOptional({ enum: CapacityEngagementStatus, enumName: 'CapacityEngagementStatus' })
  @IsOptional()
  @IsEnum(CapacityEngagementStatus)
  status?: CapacityEngagementStatus;
}

/** Public lists: open needs and offers shared with everyone. */
export class PublicCapacityListQuery extends CapacityListQuery {}

/** Years a report may cover: the next one must still be a storable instant. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 9998;

export class CapacityStatisticsQuery {
  /** Only records opened in this calendar year (UTC); every year when absent. */
  @ApiPropertyOptional({ type: 'integer', minimum: FIRST_YEAR, maximum: LAST_YEAR })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(FIRST_YEAR)
  @Max(LAST_YEAR)
  year?: number;
}

export class PublicCapacityStatisticsQuery {
  /**
   * The calendar year (UTC) of the records counted, by when they were opened; the current year when
   * absent. Always one year, never every year: disjoint years cannot be subtracted from a total to
   * reveal a suppressed cell.
   */
  @ApiPropertyOptional({ type: 'integer', minimum: FIRST_YEAR, maximum: LAST_YEAR })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(FIRST_YEAR)
  @Max(LAST_YEAR)
  year?: number;
}
