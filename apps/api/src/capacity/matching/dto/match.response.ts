import { ApiProperty } from '@nestjs/swagger';
import { NeedResponse } from '../../needs/dto/need.response';
import { OfferResponse } from '../../offers/dto/offer.response';

export class MatchReasonResponse {
  @ApiProperty({ enum: ['areas', 'modality', 'language', 'region', 'timeFrame'] })
  criterion: string;
  points: number;
  maxPoints: number;
  detail: string;
}

export class OfferMatchResponse {
  /** 0–100: the sum of the reasons' points. */
  score: number;
  reasons: MatchReasonResponse[];
  offer: OfferResponse;
}

export class NeedMatchResponse {
  score: number;
  reasons: MatchReasonResponse[];
  need: NeedResponse;
}

export class OfferMatchListResponse {
  items: OfferMatchResponse[];
}

export class NeedMatchListResponse {
  items: NeedMatchResponse[];
}
