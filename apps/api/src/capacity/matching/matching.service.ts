import { Injectable } from '@nestjs/common';
import { DomainError } from '@cbm/common';
import { isOwnerOf, Reader } from '../../sharing/reader';
import { todayUtc } from '../shared/calendar-date';
import { toNeedResponse } from '../needs/dto/need.mapper';
import { NeedsRepository } from '../needs/needs.repository';
import { toOfferResponse } from '../offers/dto/offer.mapper';
import { OffersRepository } from '../offers/offers.repository';
import { NeedMatchListResponse, OfferMatchListResponse } from './dto/match.response';
import { scoreMatch } from './match-score';
import { MatchingRepository } from './matching.repository';

/** Candidates read per ranking: more than anyone reads, few enough to score in a millisecond or two. */
const CANDIDATES = 500;

/** Demand-driven matching: the need's terms are the yardstick either way round. */
@Injectable()
export class MatchingService {
  constructor(
    private readonly matching: MatchingRepository,
    private readonly needs: NeedsRepository,
    private readonly offers: OffersRepository,
  ) {}

  /** The open offers the reader may see, best first, for a need the reader may see. */
  async offersForNeed(reader: Reader, needId: string, limit: number): Promise<OfferMatchListResponse> {
    const need = await this.needs.findVisible(reader, needId);
    if (!need) throw DomainError.notFound('Need');
    const today = todayUtc();
    const ranked = (await this.matching.openOffersFor(reader, need, CANDIDATES))
      .map((offer) => ({ offer, ...scoreMatch(need, offer, today) }))
      .sort((a, b) => b.score - a.score);
    return {
      items: ranked.slice(0, limit).map(({ offer, score, reasons }) => ({ score, reasons, offer: toOfferResponse(offer, isOwnerOf(reader, offer)) })),
    };
  }

  /** For the offering State only: the open needs it may see that its offer could meet, best first. */
  async needsForOffer(reader: Reader, offerId: string, limit: number): Promise<NeedMatchListResponse> {
    const offer = await this.offers.findVisible(reader, offerId);
    // To anyone but the offering State its matches do not exist, as a disclosure's versions do not.
    if (!offer || !isOwnerOf(reader, offer)) throw DomainError.notFound('Offer');
    const today = todayUtc();
    const ranked = (await this.matching.openNeedsFor(reader, offer, CANDIDATES))
      .map((need) => ({ need, ...scoreMatch(need, offer, today) }))
      .sort((a, b) => b.score - a.score);
    return { items: ranked.slice(0, limit).map(({ need, score, reasons }) => ({ score, reasons, need: toNeedResponse(need, false) })) };
  }
}
