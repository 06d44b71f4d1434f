import { MATCH_POINTS, NeedTerms, OfferTerms, scoreMatch } from './match-score';

const TODAY = '2026-12-07';

const need: NeedTerms = {
  areas: ['INCIDENT_RESPONSE', 'TECHNICAL_TRAINING', 'EXERCISES', 'CYBERCRIME'],
  modalities: ['TRAINING', 'MENTORING'],
  languages: ['fr', 'ar'],
  region: 'AFRICAN',
  neededFrom: '2027-01-01',
  neededBy: '2027-03-31',
};

const offer: OfferTerms = {
  areas: ['INCIDENT_RESPONSE', 'TECHNICAL_TRAINING', 'EXERCISES', 'CYBERCRIME'],
  modalities: ['TRAINING'],
  languages: ['ar'],
  regions: [],
  availableFrom: null,
  availableUntil: null,
};

const pointsOf = (score: ReturnType<typeof scoreMatch>) => Object.fromEntries(score.reasons.map((reason) => [reason.criterion, reason.points]));

describe('scoreMatch: how well an offer meets a need, and why', () => {
  it('gives 100 when every criterion is met, the points adding up to the score', () => {
    const score = scoreMatch(need, offer, TODAY);
    expect(score.score).toBe(100);
    expect(pointsOf(score)).toEqual({ areas: 40, modality: 20, language: 15, region: 15, timeFrame: 10 });
    expect(Object.values(MATCH_POINTS).reduce((sum, points) => sum + points, 0)).toBe(100);
  });

  it.each([
    ['one of four areas', { areas: ['CYBERCRIME'] }, { areas: 10 }, '1 of 4 areas needed: CYBERCRIME'],
    ['three of four areas', { areas: ['CYBERCRIME', 'EXERCISES', 'INCIDENT_RESPONSE', 'ACCESS_TO_TECHNOLOGY'] }, { areas: 30 }, '3 of 4 areas needed: INCIDENT_RESPONSE, EXERCISES, CYBERCRIME'],
    ['no shared modality', { modalities: ['FUNDING'] }, { modality: 0 }, 'offers none of TRAINING, MENTORING'],
    ['no shared language', { languages: ['en', 'ru'] }, { language: 0 }, 'in none of fr, ar'],
    ['another region only', { regions: ['ASIA_PACIFIC', 'EASTERN_EUROPEAN'] }, { region: 0 }, 'serves ASIA_PACIFIC, EASTERN_EUROPEAN, not AFRICAN'],
    ['the needing region among others', { regions: ['ASIA_PACIFIC', 'AFRICAN'] }, { region: 15 }, 'serves AFRICAN'],
    ['available only after the need ends', { availableFrom: '2027-04-01' }, { timeFrame: 0 }, 'not available between 2027-01-01 and 2027-03-31'],
    ['available only before the need starts', { availableUntil: '2026-12-31' }, { timeFrame: 0 }, 'not available between 2027-01-01 and 2027-03-31'],
    ['available on the need\'s last day', { availableFrom: '2027-03-31' }, { timeFrame: 10 }, 'available between 2027-01-01 and 2027-03-31'],
  ] as Array<[string, Partial<OfferTerms>, Record<string, number>, string]>)('%s', (_name, change, expectedPoints, detail) => {
    const score = scoreMatch(need, { ...offer, ...change }, TODAY);
    expect(pointsOf(score)).toMatchObject(expectedPoints);
    const criterion = Object.keys(expectedPoints)[0];
    expect(score.reasons.find((reason) => reason.criterion === criterion)!.detail).toBe(detail);
    const lost = Object.entries(expectedPoints).reduce((sum, [name, points]) => sum + MATCH_POINTS[name as keyof typeof MATCH_POINTS] - points, 0);
    expect(score.score).toBe(100 - lost);
  });

  it('starts a need without a start date today', () => {
    const open = { ...need, neededFrom: null };
    expect(scoreMatch(open, { ...offer, availableUntil: '2026-12-06' }, TODAY).reasons[4]).toEqual({
      criterion: 'timeFrame',
      points: 0,
      maxPoints: 10,
      detail: 'not available between 2026-12-07 and 2027-03-31',
    });
    expect(pointsOf(scoreMatch(open, { ...offer, availableUntil: '2026-12-07' }, TODAY)).timeFrame).toBe(10);
  });

  it('earns nothing extra for areas the need did not ask for', () => {
    const narrow = { ...need, areas: ['CYBERCRIME' as const] };
    expect(pointsOf(scoreMatch(narrow, offer, TODAY)).areas).toBe(40);
  });
});
