import { CapacityArea, CapacityModality, UnRegionalGroup } from '@cbm/database';

/** What of a need matching compares; the region is the needing State's. */
export interface NeedTerms {
  areas: readonly CapacityArea[];
  modalities: readonly CapacityModality[];
  languages: readonly string[];
  region: UnRegionalGroup;
  neededFrom: string | null;
  neededBy: string;
}

/** What of an offer matching compares; no regions means every region. */
export interface OfferTerms {
  areas: readonly CapacityArea[];
  modalities: readonly CapacityModality[];
  languages: readonly string[];
  regions: readonly UnRegionalGroup[];
  availableFrom: string | null;
  availableUntil: string | null;
}

export type MatchCriterion = 'areas' | 'modality' | 'language' | 'region' | 'timeFrame';

/**
 * Points per criterion, 100 in all. Areas weigh most: they say what the help is about; then how it is
 * given, whether the people can understand each other, whether the provider serves the needing
 * State's region, and whether the dates can meet. Written out so that a reader of a score can redo it.
 */
export const MATCH_POINTS: Readonly<Record<MatchCriterion, number>> = { areas: 40, modality: 20, language: 15, region: 15, timeFrame: 10 };

export interface MatchReason {
  criterion: MatchCriterion;
  points: number;
  maxPoints: number;
  /** What matched (or did not), in words a person reads next to the score. */
  detail: string;
}

export interface MatchScore {
  score: number;
  reasons: MatchReason[];
}

const EARLIEST = '0000-01-01';
const LATEST = '9999-12-31';

/**
 * How well an offer meets a need, with the reason for every point: the share of the need's areas the
 * offer covers, then a shared modality, a shared language, the region served and overlapping dates.
 * Demand-driven: the need's terms are the yardstick (an offer covering more areas than asked earns
 * nothing extra). Dates are YYYY-MM-DD; `today` starts a need without a start date.
 */
export function scoreMatch(need: NeedTerms, offer: OfferTerms, today: string): MatchScore {
  const sharedAreas = need.areas.filter((area) => offer.areas.includes(area));
  const sharedModalities = need.modalities.filter((modality) => offer.modalities.includes(modality));
  const sharedLanguages = need.languages.filter((language) => offer.languages.includes(language));
  const servesRegion = offer.regions.length === 0 || offer.regions.includes(need.region);
  const needStart = need.neededFrom ?? today;
  const offerStart = offer.availableFrom ?? EARLIEST;
  const offerEnd = offer.availableUntil ?? LATEST;
  const datesMeet = needStart <= offerEnd && offerStart <= need.neededBy;

  const reasons: MatchReason[] = [
    {
      criterion: 'areas',
      points: need.areas.length === 0 ? 0 : Math.round((MATCH_POINTS.areas * sharedAreas.length) / need.areas.length),
      maxPoints: MATCH_POINTS.areas,
      detail: `${sharedAreas.length} of ${need.areas.length} areas needed${sharedAreas.length > 0 ? `: ${sharedAreas.join(', ')}` : ''}`,
    },
    {
      criterion: 'modality',
      points: sharedModalities.length > 0 ? MATCH_POINTS.modality : 0,
      maxPoints: MATCH_POINTS.modality,
      detail: sharedModalities.length > 0 ? `offers ${sharedModalities.join(', ')}` : `offers none of ${need.modalities.join(', ')}`,
    },
    {
      criterion: 'language',
      points: sharedLanguages.length > 0 ? MATCH_POINTS.language : 0,
      maxPoints: MATCH_POINTS.language,
      detail: sharedLanguages.length > 0 ? `in ${sharedLanguages.join(', ')}` : `in none of ${need.languages.join(', ')}`,
    },
    {
      criterion: 'region',
      points: servesRegion ? MATCH_POINTS.region : 0,
      maxPoints: MATCH_POINTS.region,
      detail: offer.regions.length === 0 ? 'serves every region' : servesRegion ? `serves ${need.region}` : `serves ${offer.regions.join(', ')}, not ${need.region}`,
    },
    {
      criterion: 'timeFrame',
      points: datesMeet ? MATCH_POINTS.timeFrame : 0,
      maxPoints: MATCH_POINTS.timeFrame,
      detail: `${datesMeet ? 'available' : 'not available'} between ${needStart} and ${need.neededBy}`,
    },
  ];
  return { score: reasons.reduce((sum, reason) => sum + reason.points, 0), reasons };
}
