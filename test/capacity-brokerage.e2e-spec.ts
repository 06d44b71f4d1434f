import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { participate, signedInUser, SignedIn } from './support/factories';
import { createTestApp } from './support/test-app';

/*
 * The secretariat's metadata-only view, the statistics (a State's over what it may see, the
 * secretariat's over everything) and the public aggregate and lists. The records are written with
 * SQL (through Prisma), with exact instants, in 2001: the statistics are asked for that year, so the
 * records other spec files make in the same database (now) count in none of the figures below.
 *
 * States: PRY, HND, GTM (Latin America: three, so their region's public cells are shown), NGA
 * (Africa, alone) and BGD, LKA (Asia-Pacific, two): those regions' public cells are suppressed.
 */

/** Written into every free-text field: none of it may reach the secretariat or the public aggregate. */
const SECRET = 'SECRETTEXT';
/** Written into titles: shown on the public lists of PUBLIC records only, never in metadata. */
const TITLE = 'TITLETEXT';
const T0 = Date.UTC(2001, 2, 1);
const at = (days: number) => new Date(T0 + days * 86_400_000);
const FAR = new Date('2099-12-31T00:00:00Z');

type NeedKey = 'N1' | 'N2' | 'N3' | 'N4' | 'N5' | 'N6' | 'N7' | 'N8' | 'N9' | 'N10';
type OfferKey = 'O1' | 'O2' | 'O3' | 'O4' | 'O5' | 'O6' | 'O7';
type ProposalKey = 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6';
type EngagementKey = 'E1' | 'E2' | 'E3';

interface NeedSpec {
  state: string;
  status: 'DRAFT' | 'OPEN' | 'IN_PROGRESS' | 'FULFILLED' | 'WITHDRAWN';
  sharing: 'PUBLIC' | 'ALL_STATES' | 'SELECTED_STATES';
  areas: string[];
  openedAt: Date | null;
  neededBy?: Date;
  created: number;
}

/** The needs; opened at T0 unless said otherwise, needed by 2099 unless said otherwise. */
const NEEDS: Record<NeedKey, NeedSpec> = {
  N1: { state: 'PRY', status: 'IN_PROGRESS', sharing: 'ALL_STATES', areas: ['INCIDENT_RESPONSE', 'TECHNICAL_TRAINING'], openedAt: at(0), created: 1 },
  // Shared with HND alone: GTM must not count it, PRY and the secretariat must.
  N2: { state: 'PRY', status: 'OPEN', sharing: 'SELECTED_STATES', areas: ['CYBERCRIME'], openedAt: at(1), neededBy: new Date('2001-06-30T00:00:00Z'), created: 2 },
  N3: { state: 'PRY', status: 'IN_PROGRESS', sharing: 'PUBLIC', areas: ['INCIDENT_RESPONSE'], openedAt: at(0), created: 3 },
  N4: { state: 'PRY', status: 'FULFILLED', sharing: 'ALL_STATES', areas: ['EXERCISES'], openedAt: at(0), created: 4 },
  N5: { state: 'PRY', status: 'DRAFT', sharing: 'ALL_STATES', areas: ['EXERCISES'], openedAt: null, created: 5 },
  N6: { state: 'PRY', status: 'WITHDRAWN', sharing: 'PUBLIC', areas: ['EXERCISES'], openedAt: at(0), created: 6 },
  N7: { state: 'HND', status: 'OPEN', sharing: 'PUBLIC', areas: ['INCIDENT_RESPONSE'], openedAt: at(0), created: 7 },
  N8: { state: 'GTM', status: 'OPEN', sharing: 'ALL_STATES', areas: ['LEGISLATION_AND_POLICY'], openedAt: at(0), created: 8 },
  N9: { state: 'NGA', status: 'OPEN', sharing: 'PUBLIC', areas: ['INCIDENT_RESPONSE'], openedAt: at(0), created: 9 },
  N10: { state: 'BGD', status: 'OPEN', sharing: 'ALL_STATES', areas: ['EXERCISES'], openedAt: at(0), created: 10 },
};

interface OfferSpec {
  state: string;
  status: 'DRAFT' | 'OPEN' | 'WITHDRAWN';
  sharing: 'PUBLIC' | 'ALL_STATES' | 'SELECTED_STATES';
  areas: string[];
  created: number;
}

const OFFERS: Record<OfferKey, OfferSpec> = {
  O1: { state: 'HND', status: 'OPEN', sharing: 'PUBLIC', areas: ['INCIDENT_RESPONSE', 'TECHNICAL_TRAINING'], created: 1 },
  O2: { state: 'GTM', status: 'OPEN', sharing: 'ALL_STATES', areas: ['CYBERCRIME'], created: 2 },
  O3: { state: 'PRY', status: 'OPEN', sharing: 'SELECTED_STATES', areas: ['EXERCISES'], created: 3 },
  O4: { state: 'LKA', status: 'OPEN', sharing: 'ALL_STATES', areas: ['EXERCISES'], created: 4 },
  O5: { state: 'BGD', status: 'WITHDRAWN', sharing: 'PUBLIC', areas: ['EXERCISES'], created: 5 },
  O6: { state: 'HND', status: 'DRAFT', sharing: 'PUBLIC', areas: ['EXERCISES'], created: 6 },
  O7: { state: 'NGA', status: 'OPEN', sharing: 'PUBLIC', areas: ['CYBERCRIME'], created: 7 },
};

interface ProposalSpec {
  need: NeedKey;
  provider: string;
  offer?: OfferKey;
  status: 'PENDING' | 'ACCEPTED' | 'DECLINED';
  /** Days after T0. */
  created: number;
  decided?: number;
}

/** Days from its need's opening to each first proposal and first acceptance are in the comments. */
const PROPOSALS: Record<ProposalKey, ProposalSpec> = {
  P1: { need: 'N1', provider: 'HND', offer: 'O1', status: 'ACCEPTED', created: 2, decided: 5 }, // N1: first 2, accepted 5
  P2: { need: 'N1', provider: 'GTM', status: 'PENDING', created: 4 }, // GTM's first on N1: 4
  P3: { need: 'N2', provider: 'HND', status: 'PENDING', created: 7 }, // N2 (opened day 1): 6
  P4: { need: 'N3', provider: 'GTM', status: 'ACCEPTED', created: 3, decided: 10 }, // N3: 3, accepted 10
  P5: { need: 'N4', provider: 'HND', status: 'ACCEPTED', created: 1, decided: 2 }, // N4: 1, accepted 2
  P6: { need: 'N8', provider: 'PRY', status: 'DECLINED', created: 8, decided: 9 }, // N8: 8
};

interface EngagementSpec {
  proposal: ProposalKey;
  status: 'ACTIVE' | 'COMPLETED';
  needOutcome?: 'MET' | 'PARTLY_MET';
  providerOutcome?: 'MET' | 'PARTLY_MET';
}

const ENGAGEMENTS: Record<EngagementKey, EngagementSpec> = {
  E1: { proposal: 'P1', status: 'ACTIVE' },
  E2: { proposal: 'P4', status: 'COMPLETED', needOutcome: 'MET', providerOutcome: 'PARTLY_MET' },
  E3: { proposal: 'P5', status: 'COMPLETED', needOutcome: 'PARTLY_MET', providerOutcome: 'MET' },
};

const TLP_OF = { PUBLIC: 'CLEAR', ALL_STATES: 'GREEN', SELECTED_STATES: 'AMBER' } as const;
const STATES = ['PRY', 'HND', 'GTM', 'NGA', 'BGD', 'LKA'];
const ZERO_AREAS = {
  CERT_ESTABLISHMENT_AND_MATURITY: 0,
  INCIDENT_RESPONSE: 0,
  CRITICAL_INFRASTRUCTURE_PROTECTION: 0,
  LEGISLATION_AND_POLICY: 0,
  NORMS_AND_CYBER_DIPLOMACY: 0,
  TECHNICAL_TRAINING: 0,
  EXERCISES: 0,
  INFORMATION_SHARING: 0,
  ACCESS_TO_TECHNOLOGY: 0,
  CYBERCRIME: 0,
};
const ZERO_REGIONS = { AFRICAN: 0, ASIA_PACIFIC: 0, EASTERN_EUROPEAN: 0, LATIN_AMERICAN_AND_CARIBBEAN: 0, WESTERN_EUROPEAN_AND_OTHERS: 0 };
const NO_OUTCOMES = { MET: 0, PARTLY_MET: 0, NOT_MET: 0 };

describe('Capacity building: the secretariat as broker, statistics and the public view', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  let pry: SignedIn;
  let pryViewer: SignedIn;
  let gtm: SignedIn;
  let secretariat: SignedIn;
  const id = {} as Record<NeedKey | OfferKey | ProposalKey | EngagementKey, string>;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, ...STATES);
    pry = await signedInUser(app, Role.STATE_OFFICER, 'PRY');
    pryViewer = await signedInUser(app, Role.STATE_VIEWER, 'PRY');
    gtm = await signedInUser(app, Role.STATE_VIEWER, 'GTM');
    secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);

    for (const [key, need] of Object.entries(NEEDS) as Array<[NeedKey, NeedSpec]>) {
      const created = await prisma.capacityNeed.create({
        data: {
          stateCode: need.state,
          status: need.status,
          title: `${TITLE} ${key}`,
          description: `${SECRET} description of ${key}`,
          areas: need.areas as never,
          sectors: ['ENERGY'],
          modalities: ['TRAINING'],
          languages: ['es', 'en'],
          neededFrom: new Date('2001-04-01T00:00:00Z'),
          neededBy: need.neededBy ?? FAR,
          selfAssessmentModel: `${SECRET} model`,
          selfAssessmentLevel: `${SECRET} level`,
          selfAssessmentNotes: `${SECRET} notes`,
          tlp: TLP_OF[need.sharing],
          audience: need.sharing,
          selectedStates: need.sharing === 'SELECTED_STATES' ? ['HND'] : [],
          openedAt: need.openedAt,
          fulfilledAt: need.status === 'FULFILLED' ? at(20) : null,
          withdrawnAt: need.status === 'WITHDRAWN' ? at(20) : null,
          createdAt: new Date(T0 - 86_400_000 + need.created * 60_000),
          // Lists run latest change first: set, so that their order is known.
          updatedAt: at(40 + need.created),
        },
      });
      id[key] = created.id;
    }
    for (const [key, offer] of Object.entries(OFFERS) as Array<[OfferKey, OfferSpec]>) {
      const created = await prisma.capacityOffer.create({
        data: {
          stateCode: offer.state,
          status: offer.status,
          title: `${TITLE} ${key}`,
          description: `${SECRET} description of ${key}`,
          areas: offer.areas as never,
          sectors: [],
          modalities: ['TRAINING'],
          languages: ['en'],
          regions: ['LATIN_AMERICAN_AND_CARIBBEAN'],
          places: 10,
          experts: 2,
          availableFrom: new Date('2001-01-01T00:00:00Z'),
          availableUntil: new Date('2001-12-31T00:00:00Z'),
          implementingOrganisation: `${SECRET} academy`,
          tlp: TLP_OF[offer.sharing],
          audience: offer.sharing,
          selectedStates: offer.sharing === 'SELECTED_STATES' ? ['HND'] : [],
          openedAt: offer.status === 'DRAFT' ? null : at(0),
          withdrawnAt: offer.status === 'WITHDRAWN' ? at(3) : null,
          createdAt: new Date(T0 - 86_400_000 + offer.created * 60_000),
          updatedAt: at(40 + offer.created),
        },
      });
      id[key] = created.id;
    }
    for (const [key, proposal] of Object.entries(PROPOSALS) as Array<[ProposalKey, ProposalSpec]>) {
      const created = await prisma.capacityProposal.create({
        data: {
          needId: id[proposal.need],
          needState: NEEDS[proposal.need].state,
          providerState: proposal.provider,
          offerId: proposal.offer ? id[proposal.offer] : null,
          message: `${SECRET} message of ${key}`,
          status: proposal.status,
          createdAt: at(proposal.created),
          decidedAt: proposal.decided === undefined ? null : at(proposal.decided),
        },
      });
      id[key] = created.id;
    }
    for (const [key, engagement] of Object.entries(ENGAGEMENTS) as Array<[EngagementKey, EngagementSpec]>) {
      const proposal = PROPOSALS[engagement.proposal];
      const created = await prisma.capacityEngagement.create({
        data: {
          proposalId: id[engagement.proposal],
          needId: id[proposal.need],
          needState: NEEDS[proposal.need].state,
          providerState: proposal.provider,
          offerId: proposal.offer ? id[proposal.offer] : null,
          status: engagement.status,
          startedAt: at(proposal.decided!),
          endedAt: engagement.status === 'COMPLETED' ? at(30) : null,
          needOutcome: engagement.needOutcome ?? null,
          needFeedback: engagement.needOutcome ? `${SECRET} needing side's feedback` : null,
          needEvaluatedAt: engagement.needOutcome ? at(31) : null,
          providerOutcome: engagement.providerOutcome ?? null,
          providerFeedback: engagement.providerOutcome ? `${SECRET} providing side's feedback` : null,
          providerEvaluatedAt: engagement.providerOutcome ? at(32) : null,
          updates: { create: { authorState: proposal.provider, body: `${SECRET} update` } },
        },
      });
      id[key] = created.id;
    }
  });

  afterAll(async () => {
    // Proposals, engagements and their updates go with their needs (ON DELETE CASCADE).
    await prisma.capacityNeed.deleteMany({ where: { id: { in: (Object.keys(NEEDS) as NeedKey[]).map((key) => id[key]) } } });
    await prisma.capacityOffer.deleteMany({ where: { id: { in: (Object.keys(OFFERS) as OfferKey[]).map((key) => id[key]) } } });
    await app.close();
  });

  const ids = (...keys: Array<keyof typeof id>) => keys.map((key) => id[key]).sort();

  /** Every page of `path` as `auth`, following the cursor; `limit` small so that paging is exercised. */
  async function all(path: string, auth?: SignedIn): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    do {
      const url = `${path}${path.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: request.Response = await (auth ? http().get(url).set(auth.auth) : http().get(url)).expect(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }

  /** The fields a 400 names, each once (a field may break several rules). */
  const fieldsOf = (response: request.Response) => [...new Set(response.body.errors.map((error: { field: string }) => error.field))];

  const idsOf = (items: Array<Record<string, unknown>>) => items.map((item) => item.id as string).sort();

  describe('metadata for the secretariat', () => {
    it('lists every non-draft need of every State, SELECTED_STATES ones included, latest change first, with exactly the metadata fields', async () => {
      const pryNeeds = await all('/api/v1/capacity/metadata/needs?state=PRY', secretariat);
      expect(pryNeeds.map((item) => item.id)).toEqual(['N6', 'N4', 'N3', 'N2', 'N1'].map((key) => id[key as NeedKey]));
      const n2 = pryNeeds.find((item) => item.id === id.N2)!;
      expect(n2).toEqual({
        id: id.N2,
        stateCode: 'PRY',
        region: 'LATIN_AMERICAN_AND_CARIBBEAN',
        status: 'OPEN',
        expired: true,
        areas: ['CYBERCRIME'],
        sectors: ['ENERGY'],
        modalities: ['TRAINING'],
        languages: ['es', 'en'],
        audience: 'SELECTED_STATES',
        fromRequest: false,
        neededFrom: '2001-04-01',
        neededBy: '2001-06-30',
        createdAt: new Date(T0 - 86_400_000 + 2 * 60_000).toISOString(),
        updatedAt: at(42).toISOString(),
        openedAt: at(1).toISOString(),
        fulfilledAt: null,
        withdrawnAt: null,
      });
      for (const state of ['HND', 'GTM', 'NGA', 'BGD']) {
        const expected = (Object.keys(NEEDS) as NeedKey[]).filter((key) => NEEDS[key].state === state && NEEDS[key].status !== 'DRAFT');
        expect(idsOf(await all(`/api/v1/capacity/metadata/needs?state=${state}`, secretariat))).toEqual(ids(...expected));
      }
    });

    it('lists every non-draft offer, every proposal and every engagement, with exactly the metadata fields', async () => {
      expect(idsOf(await all('/api/v1/capacity/metadata/offers?state=PRY', secretariat))).toEqual(ids('O3'));
      expect(idsOf(await all('/api/v1/capacity/metadata/offers?state=HND', secretariat))).toEqual(ids('O1'));
      expect(idsOf(await all('/api/v1/capacity/metadata/offers?state=BGD', secretariat))).toEqual(ids('O5'));
      const o3 = (await all('/api/v1/capacity/metadata/offers?state=PRY', secretariat))[0];
      expect(Object.keys(o3).sort()).toEqual(
        ['id', 'stateCode', 'region', 'status', 'areas', 'sectors', 'modalities', 'languages', 'regionsServed', 'places', 'experts', 'availableFrom', 'availableUntil', 'audience', 'createdAt', 'updatedAt', 'openedAt', 'withdrawnAt'].sort(),
      );
      expect(o3).toMatchObject({ audience: 'SELECTED_STATES', availableFrom: '2001-01-01', availableUntil: '2001-12-31', places: 10, experts: 2 });

      const proposals = await all('/api/v1/capacity/metadata/proposals?state=PRY', secretariat);
      expect(idsOf(proposals)).toEqual(ids('P1', 'P2', 'P3', 'P4', 'P5'));
      expect(proposals.find((item) => item.id === id.P1)).toEqual({
        id: id.P1,
        needId: id.N1,
        offerId: id.O1,
        needState: 'PRY',
        needRegion: 'LATIN_AMERICAN_AND_CARIBBEAN',
        providerState: 'HND',
        providerRegion: 'LATIN_AMERICAN_AND_CARIBBEAN',
        status: 'ACCEPTED',
        areas: ['INCIDENT_RESPONSE', 'TECHNICAL_TRAINING'],
        createdAt: at(2).toISOString(),
        decidedAt: at(5).toISOString(),
      });
      expect(idsOf(await all('/api/v1/capacity/metadata/proposals?state=GTM', secretariat))).toEqual(ids('P6'));

      const engagements = await all('/api/v1/capacity/metadata/engagements?state=PRY', secretariat);
      expect(engagements.map((item) => item.id)).toEqual([id.E2, id.E1, id.E3]);
      expect(engagements.find((item) => item.id === id.E2)).toEqual({
        id: id.E2,
        proposalId: id.P4,
        needId: id.N3,
        offerId: null,
        needState: 'PRY',
        needRegion: 'LATIN_AMERICAN_AND_CARIBBEAN',
        providerState: 'GTM',
        providerRegion: 'LATIN_AMERICAN_AND_CARIBBEAN',
        status: 'COMPLETED',
        areas: ['INCIDENT_RESPONSE'],
        startedAt: at(10).toISOString(),
        endedAt: at(30).toISOString(),
        needOutcome: 'MET',
        needEvaluatedAt: at(31).toISOString(),
        providerOutcome: 'PARTLY_MET',
        providerEvaluatedAt: at(32).toISOString(),
      });
    });

    it('carries no free text, no title and no list of selected States anywhere', async () => {
      const answers: unknown[] = [];
      for (const kind of ['needs', 'offers', 'proposals', 'engagements']) {
        for (const state of STATES) answers.push(await all(`/api/v1/capacity/metadata/${kind}?state=${state}`, secretariat));
      }
      const serialized = JSON.stringify(answers);
      expect(serialized).toContain(id.N2);
      expect(serialized).not.toContain(SECRET);
      expect(serialized).not.toContain(TITLE);
      expect(serialized).not.toContain('selectedStates');
      expect(serialized).not.toContain('academy');
    });

    it('filters by status, area and region', async () => {
      expect(idsOf(await all('/api/v1/capacity/metadata/needs?state=PRY&status=OPEN', secretariat))).toEqual(ids('N2'));
      expect(idsOf(await all('/api/v1/capacity/metadata/needs?state=PRY&status=DRAFT', secretariat))).toEqual([]);
      expect(idsOf(await all('/api/v1/capacity/metadata/needs?state=PRY&area=INCIDENT_RESPONSE', secretariat))).toEqual(ids('N1', 'N3'));
      expect(idsOf(await all('/api/v1/capacity/metadata/needs?state=PRY&region=AFRICAN', secretariat))).toEqual([]);
      const african = await all('/api/v1/capacity/metadata/needs?region=AFRICAN&area=INCIDENT_RESPONSE', secretariat);
      expect(idsOf(african)).toContain(id.N9);
      expect(african.every((item) => item.region === 'AFRICAN')).toBe(true);
      expect(idsOf(await all('/api/v1/capacity/metadata/offers?region=ASIA_PACIFIC&status=WITHDRAWN&area=EXERCISES', secretariat))).toContain(id.O5);
      expect(idsOf(await all('/api/v1/capacity/metadata/proposals?state=PRY&status=ACCEPTED', secretariat))).toEqual(ids('P1', 'P4', 'P5'));
      expect(idsOf(await all('/api/v1/capacity/metadata/proposals?state=PRY&area=CYBERCRIME', secretariat))).toEqual(ids('P3'));
      expect(idsOf(await all('/api/v1/capacity/metadata/engagements?state=PRY&status=ACTIVE', secretariat))).toEqual(ids('E1'));
      expect(idsOf(await all('/api/v1/capacity/metadata/engagements?state=PRY&area=EXERCISES', secretariat))).toEqual(ids('E3'));
    });

    it.each([
      ['status', '/api/v1/capacity/metadata/needs?status=PENDING'],
      ['status', '/api/v1/capacity/metadata/offers?status=IN_PROGRESS'],
      ['area', '/api/v1/capacity/metadata/proposals?area=KNITTING'],
      ['region', '/api/v1/capacity/metadata/engagements?region=ATLANTIS'],
      ['state', '/api/v1/capacity/metadata/needs?state=PY'],
      ['cursor', '/api/v1/capacity/metadata/needs?cursor=nonsense'],
      ['limit', '/api/v1/capacity/metadata/offers?limit=0'],
      ['selectedStates', '/api/v1/capacity/metadata/needs?selectedStates=HND'],
    ])('refuses a bad %s with 400 naming it', async (field, path) => {
      const response = await http().get(path).set(secretariat.auth).expect(400);
      expect(fieldsOf(response)).toEqual([field]);
    });

    it.each(['needs', 'offers', 'proposals', 'engagements'])('%s: a State’s officer and viewer get 403, an anonymous caller 401', async (kind) => {
      await http().get(`/api/v1/capacity/metadata/${kind}`).set(pry.auth).expect(403);
      await http().get(`/api/v1/capacity/metadata/${kind}`).set(pryViewer.auth).expect(403);
      await http().get(`/api/v1/capacity/metadata/${kind}`).expect(401);
    });
  });

  describe('statistics', () => {
    const statistics = async (auth: SignedIn) => (await http().get('/api/v1/capacity/statistics?year=2001').set(auth.auth).expect(200)).body;

    it('the secretariat counts every non-draft record of every State', async () => {
      expect(await statistics(secretariat)).toEqual({
        stateCode: null,
        year: 2001,
        needs: {
          byStatus: { OPEN: 5, IN_PROGRESS: 2, FULFILLED: 1, WITHDRAWN: 1 },
          openByRegion: { ...ZERO_REGIONS, LATIN_AMERICAN_AND_CARIBBEAN: 3, AFRICAN: 1, ASIA_PACIFIC: 1 },
          openByArea: { ...ZERO_AREAS, INCIDENT_RESPONSE: 2, CYBERCRIME: 1, LEGISLATION_AND_POLICY: 1, EXERCISES: 1 },
          expiredOpen: 1,
          opened: 9,
          matched: 5,
          matchedShare: 0.556,
          // First proposals after 2, 6, 3, 1 and 8 days; first acceptances after 5, 10 and 2.
          medianDaysToFirstProposal: 3,
          medianDaysToFirstAcceptance: 5,
          fulfilled: 1,
          fromRequests: 0,
          fromRequestsFulfilled: 0,
        },
        offers: {
          byStatus: { OPEN: 5, WITHDRAWN: 1 },
          openByArea: { ...ZERO_AREAS, INCIDENT_RESPONSE: 1, TECHNICAL_TRAINING: 1, CYBERCRIME: 2, EXERCISES: 2 },
        },
        engagements: {
          byStatus: { ACTIVE: 1, COMPLETED: 2, CANCELLED: 0 },
          outcomes: { needingSide: { ...NO_OUTCOMES, MET: 1, PARTLY_MET: 1 }, providingSide: { ...NO_OUTCOMES, MET: 1, PARTLY_MET: 1 } },
        },
      });
    });

    it('PRY counts its own SELECTED_STATES need and withdrawn one, every proposal on its needs, and what it may see of others', async () => {
      const figures = await statistics(pryViewer);
      expect(figures.stateCode).toBe('PRY');
      expect(figures.needs).toEqual((await statistics(secretariat)).needs);
      // BGD's withdrawn offer is not PRY's to see.
      expect(figures.offers.byStatus).toEqual({ OPEN: 5, WITHDRAWN: 0 });
      expect(figures.engagements.byStatus).toEqual({ ACTIVE: 1, COMPLETED: 2, CANCELLED: 0 });
    });

    it('GTM counts neither the need shared with HND alone nor proposals it is no party to', async () => {
      expect(await statistics(gtm)).toEqual({
        stateCode: 'GTM',
        year: 2001,
        needs: {
          byStatus: { OPEN: 4, IN_PROGRESS: 2, FULFILLED: 1, WITHDRAWN: 0 },
          openByRegion: { ...ZERO_REGIONS, LATIN_AMERICAN_AND_CARIBBEAN: 2, AFRICAN: 1, ASIA_PACIFIC: 1 },
          openByArea: { ...ZERO_AREAS, INCIDENT_RESPONSE: 2, LEGISLATION_AND_POLICY: 1, EXERCISES: 1 },
          expiredOpen: 0,
          opened: 7,
          matched: 3,
          matchedShare: 0.429,
          // Its own proposals on N1 (4 days) and N3 (3), and PRY's on its N8 (8); accepted: N3 (10).
          medianDaysToFirstProposal: 4,
          medianDaysToFirstAcceptance: 10,
          fulfilled: 1,
          fromRequests: 0,
          fromRequestsFulfilled: 0,
        },
        offers: {
          byStatus: { OPEN: 4, WITHDRAWN: 0 },
          openByArea: { ...ZERO_AREAS, INCIDENT_RESPONSE: 1, TECHNICAL_TRAINING: 1, CYBERCRIME: 2, EXERCISES: 1 },
        },
        engagements: {
          byStatus: { ACTIVE: 0, COMPLETED: 1, CANCELLED: 0 },
          outcomes: { needingSide: { ...NO_OUTCOMES, MET: 1 }, providingSide: { ...NO_OUTCOMES, PARTLY_MET: 1 } },
        },
      });
    });

    it('counts nothing for a year without records, and refuses a bad year with 400', async () => {
      const empty = (await http().get('/api/v1/capacity/statistics?year=1999').set(gtm.auth).expect(200)).body;
      expect(empty.needs).toMatchObject({ opened: 0, matched: 0, matchedShare: null, medianDaysToFirstProposal: null, medianDaysToFirstAcceptance: null });
      expect(empty.needs.byStatus).toEqual({ OPEN: 0, IN_PROGRESS: 0, FULFILLED: 0, WITHDRAWN: 0 });
      for (const year of ['abc', '1969', '10000', '2001.5']) {
        const response = await http().get(`/api/v1/capacity/statistics?year=${year}`).set(gtm.auth).expect(400);
        expect(fieldsOf(response)).toEqual(['year']);
      }
      await http().get('/api/v1/capacity/statistics').expect(401);
    });
  });

  describe('the public view', () => {
    it('aggregates one year by area and region, suppressing regions with fewer than three States, naming no State and no record', async () => {
      const response = await http().get('/api/v1/public/capacity/statistics?year=2001').expect(200);
      expect(response.body).toEqual({
        year: 2001,
        minimumStatesPerCell: 3,
        needs: {
          // N1–N4, N7–N10: opened in 2001 and not withdrawn, whatever their audience.
          openedByArea: { ...ZERO_AREAS, INCIDENT_RESPONSE: 4, TECHNICAL_TRAINING: 1, CYBERCRIME: 1, EXERCISES: 2, LEGISLATION_AND_POLICY: 1 },
          openedByRegion: { ...ZERO_REGIONS, LATIN_AMERICAN_AND_CARIBBEAN: 6, AFRICAN: null, ASIA_PACIFIC: null },
          fulfilled: 1,
        },
        offers: {
          openByArea: { ...ZERO_AREAS, INCIDENT_RESPONSE: 1, TECHNICAL_TRAINING: 1, CYBERCRIME: 2, EXERCISES: 2 },
          openByRegion: { ...ZERO_REGIONS, LATIN_AMERICAN_AND_CARIBBEAN: 3, AFRICAN: null, ASIA_PACIFIC: null },
        },
        outcomes: { needingSide: { ...NO_OUTCOMES, MET: 1, PARTLY_MET: 1 }, providingSide: { ...NO_OUTCOMES, MET: 1, PARTLY_MET: 1 } },
        suppressed: ['needs.openedByRegion.AFRICAN', 'needs.openedByRegion.ASIA_PACIFIC', 'offers.openByRegion.AFRICAN', 'offers.openByRegion.ASIA_PACIFIC'],
      });
      const serialized = JSON.stringify(response.body);
      for (const state of STATES) expect(serialized).not.toContain(state);
      expect(serialized).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    });

    it('shows a region once a third State contributes to it', async () => {
      const offerOf = (stateCode: string) =>
        prisma.capacityOffer.create({
          data: {
            stateCode, status: 'OPEN', title: `${TITLE} more`, description: SECRET, areas: ['EXERCISES'], sectors: [], modalities: ['TRAINING'],
            languages: ['en'], regions: [], tlp: 'GREEN', audience: 'ALL_STATES', selectedStates: [], openedAt: at(0),
          },
        });
      const added: string[] = [];
      try {
        added.push((await offerOf('BGD')).id);
        // LKA and BGD: two States, still suppressed.
        let body = (await http().get('/api/v1/public/capacity/statistics?year=2001').expect(200)).body;
        expect(body.offers.openByRegion.ASIA_PACIFIC).toBeNull();
        added.push((await offerOf('MDV')).id);
        body = (await http().get('/api/v1/public/capacity/statistics?year=2001').expect(200)).body;
        expect(body.offers.openByRegion.ASIA_PACIFIC).toBe(3);
        expect(body.offers.openByArea.EXERCISES).toBe(4);
        expect(body.suppressed).toEqual(['needs.openedByRegion.AFRICAN', 'needs.openedByRegion.ASIA_PACIFIC', 'offers.openByRegion.AFRICAN']);
      } finally {
        await prisma.capacityOffer.deleteMany({ where: { id: { in: added } } });
      }
    });

    it('counts the current year when none is given, and refuses a bad year', async () => {
      const body = (await http().get('/api/v1/public/capacity/statistics').expect(200)).body;
      expect(body.year).toBe(new Date().getUTCFullYear());
      const response = await http().get('/api/v1/public/capacity/statistics?year=soon').expect(400);
      expect(fieldsOf(response)).toEqual(['year']);
    });

    it('lists only the OPEN needs and offers shared with everyone, with their State and title but not their text', async () => {
      expect(idsOf(await all('/api/v1/public/capacity/needs?state=PRY'))).toEqual([]);
      expect(idsOf(await all('/api/v1/public/capacity/needs?state=GTM'))).toEqual([]);
      const ecu = await all('/api/v1/public/capacity/needs?state=HND');
      expect(ecu).toEqual([
        {
          id: id.N7,
          stateCode: 'HND',
          title: `${TITLE} N7`,
          areas: ['INCIDENT_RESPONSE'],
          modalities: ['TRAINING'],
          languages: ['es', 'en'],
          expired: false,
          neededFrom: '2001-04-01',
          neededBy: '2099-12-31',
          openedAt: at(0).toISOString(),
        },
      ]);
      expect(idsOf(await all('/api/v1/public/capacity/needs?state=NGA&area=INCIDENT_RESPONSE'))).toEqual(ids('N9'));
      expect(idsOf(await all('/api/v1/public/capacity/needs?state=NGA&area=EXERCISES'))).toEqual([]);

      expect(idsOf(await all('/api/v1/public/capacity/offers?state=HND'))).toEqual(ids('O1'));
      expect(idsOf(await all('/api/v1/public/capacity/offers?state=NGA'))).toEqual(ids('O7'));
      for (const state of ['PRY', 'GTM', 'BGD', 'LKA']) expect(idsOf(await all(`/api/v1/public/capacity/offers?state=${state}`))).toEqual([]);
      const offers = await all('/api/v1/public/capacity/offers?region=LATIN_AMERICAN_AND_CARIBBEAN');
      expect(idsOf(offers)).toContain(id.O1);
      expect(idsOf(offers)).not.toContain(id.O2);
      const serialized = JSON.stringify([ecu, offers]);
      expect(serialized).not.toContain(SECRET);
      expect(serialized).not.toContain('selectedStates');
    });
  });
});
