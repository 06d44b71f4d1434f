import { ApiProperty } from '@nestjs/swagger';
import { CapacityArea, CapacityModality, UnRegionalGroup } from '@cbm/database';
import type { PublicNeedRow, PublicOfferRow } from '../brokerage-rows';

/** An open need its State shared with everyone (TLP:CLEAR): what it is about and when, not its description. */
export class PublicNeedResponse {
  id: string;
  stateCode: string;
  title: string;
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  @ApiProperty({ enum: CapacityModality, enumName: 'CapacityModality', isArray: true })
  modalities: CapacityModality[];
  languages: string[];
  /** Its time frame's end has passed. */
  expired: boolean;
  neededFrom: string | null;
  neededBy: string;
  openedAt: Date | null;
}

/** An open offer its State shared with everyone (TLP:CLEAR). */
export class PublicOfferResponse {
  id: string;
  stateCode: string;
  title: string;
  @ApiProperty({ enum: CapacityArea, enumName: 'CapacityArea', isArray: true })
  areas: CapacityArea[];
  @ApiProperty({ enum: CapacityModality, enumName: 'CapacityModality', isArray: true })
  modalities: CapacityModality[];
  languages: string[];
  /** UN regional groups served; empty: any. */
  @ApiProperty({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup', isArray: true })
  regionsServed: UnRegionalGroup[];
  availableFrom: string | null;
  availableUntil: string | null;
  openedAt: Date | null;
}

export class PublicNeedListResponse {
  items: PublicNeedResponse[];
  nextCursor: string | null;
}

export class PublicOfferListResponse {
  items: PublicOfferResponse[];
  nextCursor: string | null;
}

export function toPublicNeed(row: PublicNeedRow): PublicNeedResponse {
  return {
    id: row.id,
    stateCode: row.stateCode,
    title: row.title,
    areas: row.areas,
    modalities: row.modalities,
    languages: row.languages,
    expired: row.expired,
    neededFrom: row.neededFrom,
    neededBy: row.neededBy,
    openedAt: row.openedAt,
  };
}

export function toPublicOffer(row: PublicOfferRow): PublicOfferResponse {
  return {
    id: row.id,
    stateCode: row.stateCode,
    title: row.title,
    areas: row.areas,
    modalities: row.modalities,
    languages: row.languages,
    regionsServed: row.regions,
    availableFrom: row.availableFrom,
    availableUntil: row.availableUntil,
    openedAt: row.openedAt,
  };
}
