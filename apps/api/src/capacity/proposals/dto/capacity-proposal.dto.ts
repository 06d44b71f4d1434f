import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsOmittable, PageQuery } from '@cbm/common';
import { CapacityProposalStatus } from '@cbm/database';

const NOT_BLANK = { message: '$property must not be blank' };

export class CreateProposalDto {
  /** What the provider proposes: seen by the needing State and the provider only. */
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, NOT_BLANK)
  message: string;

  /** One of the provider's own OPEN offers. */
  @IsOmittable()
  @IsUUID()
  offerId?: string;
}

export class DeclineProposalDto {
  /** Told to the provider (mail and webhook); not kept in the Registry. */
  @IsOmittable()
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, NOT_BLANK)
  reason?: string;
}

export const PROPOSAL_SIDES = ['needing', 'providing'] as const;

export class ListProposalsQuery extends PageQuery {
  /** needing: proposals received for the caller's needs; providing: those the caller made. Both by default. */
  @ApiPropertyOptional({ enum: PROPOSAL_SIDES })
  @IsOptional()
  @IsIn(PROPOSAL_SIDES)
  side?: (typeof PROPOSAL_SIDES)[number];

  @ApiPropertyOptional({ enum: CapacityProposalStatus, enumName: 'CapacityProposalStatus' })
  @IsOptional()
  @IsEnum(CapacityProposalStatus)
  status?: CapacityProposalStatus;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  cursor?: string;
}
