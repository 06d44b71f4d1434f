import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CapacityArea, CapacityModality, CapacityNeedStatus, DisclosureAudience, Sector } from '@cbm/database';
import { TLP_LABELS, TlpLabel } from '../../../sharing/tlp';

export class SelfAssessmentResponse {
  model: string;
  level: string;
  notes: string | null;
}

export class NeedResponse {
  id: string;
  stateCode: string;
  @ApiProperty({ enum: CapacityNeedStatus, enumName: 'CapacityNeedStatus' })
  status: CapacityNeedStatus;
  /** OPEN with its time frame over (computed, never stored). */
  expired: boolean;
  title: string;
  description: string;
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  @ApiProperty({ enum: Sector, enumName: 'Sector', isArray: true })
  sectors: Sector[];
  @ApiProperty({ enum: CapacityModality, enumName: 'CapacityModality', isArray: true })
  modalities: CapacityModality[];
  languages: string[];
  neededFrom: string | null;
  neededBy: string;
  selfAssessment: SelfAssessmentResponse | null;
  @ApiProperty({ enum: TLP_LABELS })
  tlp: TlpLabel;
  @ApiProperty({ enum: DisclosureAudience, enumName: 'DisclosureAudience' })
  audience: DisclosureAudience;
  /** Shown to the owner only: readers are not told who else may read it. */
  @ApiPropertyOptional({ type: [String] })
  selectedStates?: string[];
  /** Owner only: the request answered "unable: capacity limits" this need follows. */
  @ApiPropertyOptional({ type: String, nullable: true })
  sourceRequestId?: string | null;
  version: number;
  openedAt: Date | null;
  fulfilledAt: Date | null;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export class NeedListResponse {
  items: NeedResponse[];
  nextCursor: string | null;
}
