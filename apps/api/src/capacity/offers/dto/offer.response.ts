import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CapacityArea, CapacityModality, CapacityOfferStatus, DisclosureAudience, Sector, UnRegionalGroup } from '@cbm/database';
import { TLP_LABELS, TlpLabel } from '../../../sharing/tlp';

export class OfferResponse {
  id: string;
  stateCode: string;
  @ApiProperty({ enum: CapacityOfferStatus, enumName: 'CapacityOfferStatus' })
  status: CapacityOfferStatus;
  title: string;
  description: string;
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  @ApiProperty({ enum: Sector, enumName: 'Sector', isArray: true })
  sectors: Sector[];
  @ApiProperty({ enum: CapacityModality, enumName: 'CapacityModality', isArray: true })
  modalities: CapacityModality[];
  languages: string[];
  /** Empty: every region. */
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup', isArray: true })
  regions: UnRegionalGroup[];
  places: number | null;
  experts: number | null;
  availableFrom: string | null;
  availableUntil: string | null;
  implementingOrganisation: string | null;
  @ApiProperty({ enum: TLP_LABELS })
  tlp: TlpLabel;
  @ApiProperty({ enum: DisclosureAudience, enumName: 'DisclosureAudience' })
  audience: DisclosureAudience;
  /** Shown to the owner only. */
  @ApiPropertyOptional({ type: [String] })
  selectedStates?: string[];
  version: number;
  openedAt: Date | null;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export class OfferListResponse {
  items: OfferResponse[];
  nextCursor: string | null;
}
