import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { createNeed, createOffer, dateInDays, needBody, offerBody, propose } from './fixtures/capacity.fixture';
import { fileRequest } from './fixtures/request.fixture';
import { participate, signedInUser, SignedIn } from './support/factories';
import { createTestApp } from './support/test-app';

/** The needing State (Asia-Pacific), two providers, a State that is told nothing, and a requester. */
const NEEDING = 'KHM';
const PROVIDER = 'NZL';
const OTHER_PROVIDER = 'NAM';
const THIRD = 'ECU';
const REQUESTER = 'MNG';

describe('Capacity-building: needs, offers and demand-driven matching', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  let needing: SignedIn;
  let needingViewer: SignedIn;
  let provider: SignedIn;
  let otherProvider: SignedIn;
  let third: SignedIn;
  let requester: SignedIn;
  let secretariat: SignedIn;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, NEEDING, PROVIDER, OTHER_PROVIDER, THIRD, REQUESTER);
    needing = await signedInUser(app, Role.STATE_OFFICER, NEEDING);
    needingViewer = await signedInUser(app, Role.STATE_VIEWER, NEEDING);
    provider = await signedInUser(app, Role.STATE_OFFICER, PROVIDER);
    otherProvider = await signedInUser(app, Role.STATE_OFFICER, OTHER_PROVIDER);
    third = await signedInUser(app, Role.STATE_OFFICER, THIRD);
    requester = await signedInUser(app, Role.STATE_OFFICER, REQUESTER);
    secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
  });

  afterAll(async () => {
    await app?.close();
  });

  const countNeeds = () => prisma.capacityNeed.count({ where: { stateCode: NEEDING } });

  describe('needs', () => {
    it('creates a draft seen by its State alone, opens it to its audience, and withdraws it', async () => {
      const created = await http().post('/api/v1/capacity/needs').set(needing.auth).send(needBody({ selfAssessment: { model: 'Oxford CMM (2021)', level: 'Formative' } })).expect(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({
        stateCode: NEEDING,
        status: 'DRAFT',
        expired: false,
        areas: ['INCIDENT_RESPONSE', 'TECHNICAL_TRAINING'],
        modalities: ['TRAINING', 'MENTORING'],
        languages: ['en', 'fr'],
        neededBy: dateInDays(180),
        selfAssessment: { model: 'Oxford CMM (2021)', level: 'Formative', notes: null },
        tlp: 'GREEN',
        audience: 'ALL_STATES',
        selectedStates: [],
        sourceRequestId: null,
        version: 1,
        openedAt: null,
      });
      const id = created.body.id as string;
      for (const caller of [provider, third]) await http().get(`/api/v1/capacity/needs/${id}`).set(caller.auth).expect(404);
      await http().get(`/api/v1/capacity/needs/${id}`).set(needingViewer.auth).expect(200);

      const opened = await http().post(`/api/v1/capacity/needs/${id}/open`).set(needing.auth).expect(200);
      expect(opened.body).toMatchObject({ status: 'OPEN', version: 2 });
      expect(opened.body.openedAt).toEqual(expect.any(String));
      const seen = await http().get(`/api/v1/capacity/needs/${id}`).set(third.auth).expect(200);
      // Readers are not told who else may read it, nor where it came from.
      expect(seen.body).not.toHaveProperty('selectedStates');
      expect(seen.body).not.toHaveProperty('sourceRequestId');
      // Capacity is no business of the secretariat's beyond metadata: it holds no capacity:read.
      await http().get(`/api/v1/capacity/needs/${id}`).set(secretariat.auth).expect(403);
      await http().get('/api/v1/capacity/needs').set(secretariat.auth).expect(403);

      await http().post(`/api/v1/capacity/needs/${id}/open`).set(needing.auth).expect(409);
      await http().post(`/api/v1/capacity/needs/${id}/fulfil`).set(needing.auth).expect(409);
      await http().post(`/api/v1/capacity/needs/${id}/withdraw`).set(provider.auth).expect(404);
      await http().post(`/api/v1/capacity/needs/${id}/withdraw`).set(needingViewer.auth).expect(403);
      const withdrawn = await http().post(`/api/v1/capacity/needs/${id}/withdraw`).set(needing.auth).expect(200);
      expect(withdrawn.body).toMatchObject({ status: 'WITHDRAWN', version: 3 });
      await http().get(`/api/v1/capacity/needs/${id}`).set(third.auth).expect(404);
      await http().post(`/api/v1/capacity/needs/${id}/withdraw`).set(needing.auth).expect(409);

      const audited = await prisma.auditEvent.findMany({ where: { entityId: id }, orderBy: { seq: 'asc' } });
      expect(audited.map((event) => event.action)).toEqual(['capacity_need.created', 'capacity_need.opened', 'capacity_need.withdrawn']);
      expect(JSON.stringify(audited.map((event) => event.summary))).not.toContain('Incident response training');
    });

    it('refuses bad input with the fields at fault, and stores nothing', async () => {
      const before = await countNeeds();
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ areas: [] }, ['areas']],
        [{ areas: ['QUANTUM'] }, ['areas']],
        [{ modalities: ['TELEPATHY'] }, ['modalities']],
        [{ languages: ['xx'] }, ['languages']],
        [{ neededBy: '2026-02-30' }, ['neededBy']],
        [{ neededBy: dateInDays(-1) }, ['neededBy']],
        [{ neededFrom: dateInDays(30), neededBy: dateInDays(10) }, ['neededFrom']],
        [{ tlp: 'GREEN', audience: 'PUBLIC' }, ['audience']],
        [{ tlp: 'RED', audience: 'ALL_STATES' }, ['audience']],
        [{ audience: 'SELECTED_STATES', selectedStates: [] }, ['selectedStates']],
        [{ audience: 'SELECTED_STATES', selectedStates: ['ZZZ'] }, ['selectedStates']],
        [{ selfAssessment: { model: 'Oxford CMM' } }, ['selfAssessment.level']],
        [{ selfAssessment: 'high' }, ['selfAssessment']],
        [{ title: '' }, ['title']],
        [{ stateCode: PROVIDER }, ['stateCode']],
      ];
      for (const [overrides, fields] of cases) {
        const response = await http().post('/api/v1/capacity/needs').set(needing.auth).send(needBody(overrides));
        expect({ overrides, status: response.status }).toEqual({ overrides, status: 400 });
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        const named = (response.body.errors as Array<{ field: string }>).map((error) => error.field);
        for (const field of fields) expect({ overrides, named }).toEqual({ overrides, named: expect.arrayContaining([field]) });
      }
      expect(await countNeeds()).toBe(before);
    });

    it('edits with If-Match only, and not once in progress or closed', async () => {
      const need = await createNeed(app, needing.auth, {}, 'DRAFT');
      const path = `/api/v1/capacity/needs/${need.id}`;
      await http().patch(path).set(needing.auth).send({ title: 'No precondition' }).expect(428);
      await http().patch(path).set(needing.auth).set('If-Match', '"7"').send({ title: 'Stale' }).expect(412);
      await http().patch(path).set(needing.auth).set('If-Match', '"1"').send({ title: null }).expect(400);
      const edited = await http().patch(path).set(needing.auth).set('If-Match', '"1"').send({ title: 'Malware analysis training', selfAssessment: null }).expect(200);
      expect(edited.body).toMatchObject({ title: 'Malware analysis training', version: 2, areas: ['INCIDENT_RESPONSE', 'TECHNICAL_TRAINING'], selfAssessment: null });
      expect(edited.headers.etag).toBe('"2"');
      await http().patch(path).set(provider.auth).set('If-Match', '"2"').send({ title: 'Hijacked' }).expect(404);
      await prisma.capacityNeed.update({ where: { id: need.id }, data: { status: 'FULFILLED' } });
      await http().patch(path).set(needing.auth).set('If-Match', '"2"').send({ title: 'Too late' }).expect(409);
      expect((await http().get(path).set(needing.auth).expect(200)).body.title).toBe('Malware analysis training');
    });

    it('reads an open need past its time frame as expired, in the answer and in the list filter alike', async () => {
      const expiring = await createNeed(app, needing.auth, { title: 'Expiring need', areas: ['EXERCISES'] });
      const current = await createNeed(app, needing.auth, { title: 'Current need', areas: ['EXERCISES'] });
      const draft = await createNeed(app, needing.auth, { title: 'Draft past its frame', areas: ['EXERCISES'] }, 'DRAFT');
      // The time frame ends in the past without waiting for it: the rule compares days.
      await prisma.capacityNeed.updateMany({ where: { id: { in: [expiring.id, draft.id] } }, data: { neededFrom: null, neededBy: new Date(`${dateInDays(-1)}T00:00:00Z`) } });

      const read = async (id: string) => (await http().get(`/api/v1/capacity/needs/${id}`).set(needing.auth).expect(200)).body.expired;
      expect([await read(expiring.id), await read(current.id), await read(draft.id)]).toEqual([true, false, false]);
      const listed = async (expired: boolean) =>
        (await http().get(`/api/v1/capacity/needs?state=${NEEDING}&area=EXERCISES&expired=${expired}`).set(needing.auth).expect(200)).body.items.map((need: { id: string }) => need.id);
      expect(await listed(true)).toEqual([expiring.id]);
      expect((await listed(false)).sort()).toEqual([current.id, draft.id].sort());
      // An expired need cannot be opened again without a new time frame.
      await http().post(`/api/v1/capacity/needs/${draft.id}/open`).set(needing.auth).expect(409);
      await http().get('/api/v1/capacity/needs?expired=maybe').set(needing.auth).expect(400);
    });

    it('shows a SELECTED_STATES need to the named States only, in reads and lists', async () => {
      const named = await createNeed(app, needing.auth, { title: 'Named need', tlp: 'AMBER', audience: 'SELECTED_STATES', selectedStates: [PROVIDER], areas: ['CYBERCRIME'] });
      await http().get(`/api/v1/capacity/needs/${named.id}`).set(provider.auth).expect(200);
      await http().get(`/api/v1/capacity/needs/${named.id}`).set(third.auth).expect(404);
      const idsFor = async (caller: SignedIn) =>
        (await http().get(`/api/v1/capacity/needs?state=${NEEDING}&area=CYBERCRIME`).set(caller.auth).expect(200)).body.items.map((need: { id: string }) => need.id);
      expect(await idsFor(provider)).toEqual([named.id]);
      expect(await idsFor(third)).toEqual([]);
      expect((await http().get(`/api/v1/capacity/needs/${named.id}`).set(needing.auth).expect(200)).body.selectedStates).toEqual([PROVIDER]);
    });
  });

  describe('closing a need', () => {
    it('withdrawing declines the pending proposals and tells each provider', async () => {
      const need = await createNeed(app, needing.auth, { title: 'Need to withdraw', areas: ['INFORMATION_SHARING'] });
      const proposal = await propose(app, provider.auth, need.id);
      await http().post(`/api/v1/capacity/needs/${need.id}/withdraw`).set(needing.auth).expect(200);
      expect((await http().get(`/api/v1/capacity/proposals/${proposal.id}`).set(provider.auth).expect(200)).body.status).toBe('DECLINED');
      const told = await prisma.outboxEvent.findMany({ where: { type: 'capacity.proposal_declined', payload: { path: ['proposalId'], equals: proposal.id } } });
      expect(told.map((event) => event.stateCode)).toEqual([PROVIDER]);
    });

    it('is fulfilled only once its engagements have ended; the proposals still pending are declined', async () => {
      const need = await createNeed(app, needing.auth, { title: 'Need to fulfil', areas: ['INFORMATION_SHARING'] });
      const chosen = await propose(app, provider.auth, need.id);
      const other = await propose(app, otherProvider.auth, need.id);
      const accepted = await http().post(`/api/v1/capacity/proposals/${chosen.id}/accept`).set(needing.auth).expect(200);
      expect((await http().get(`/api/v1/capacity/needs/${need.id}`).set(needing.auth).expect(200)).body.status).toBe('IN_PROGRESS');
      await http().post(`/api/v1/capacity/needs/${need.id}/fulfil`).set(needing.auth).expect(409);
      await http().post(`/api/v1/capacity/needs/${need.id}/withdraw`).set(needing.auth).expect(409);
      expect((await http().get(`/api/v1/capacity/proposals/${other.id}`).set(otherProvider.auth).expect(200)).body.status).toBe('PENDING');
      await http().post(`/api/v1/capacity/engagements/${accepted.body.engagementId}/complete`).set(needing.auth).expect(200);
      const fulfilled = await http().post(`/api/v1/capacity/needs/${need.id}/fulfil`).set(needing.auth).expect(200);
      expect(fulfilled.body).toMatchObject({ status: 'FULFILLED', fulfilledAt: expect.any(String) });
      expect((await http().get(`/api/v1/capacity/proposals/${other.id}`).set(otherProvider.auth).expect(200)).body.status).toBe('DECLINED');
      expect((await http().get(`/api/v1/capacity/proposals/${chosen.id}`).set(provider.auth).expect(200)).body.status).toBe('ACCEPTED');
    });
  });

  describe('offers', () => {
    it('creates, opens and withdraws an offer, with the period checked and the regions served filterable', async () => {
      await http().post('/api/v1/capacity/offers').set(provider.auth).send(offerBody({ availableFrom: dateInDays(10), availableUntil: dateInDays(5) })).expect(400);
      await http().post('/api/v1/capacity/offers').set(provider.auth).send(offerBody({ places: 0 })).expect(400);
      await http().post('/api/v1/capacity/offers').set(provider.auth).send(offerBody({ regions: ['ATLANTIS'] })).expect(400);
      const offer = await createOffer(app, provider.auth, { title: 'Regional offer', areas: ['ACCESS_TO_TECHNOLOGY'], regions: ['AFRICAN'] }, 'DRAFT');
      expect(offer).toMatchObject({ status: 'DRAFT', regions: ['AFRICAN'], places: 12, experts: 2, implementingOrganisation: 'National CERT academy' });
      await http().get(`/api/v1/capacity/offers/${offer.id}`).set(third.auth).expect(404);
      await http().post(`/api/v1/capacity/offers/${offer.id}/open`).set(provider.auth).expect(200);
      const serving = async (region: string) =>
        (await http().get(`/api/v1/capacity/offers?state=${PROVIDER}&area=ACCESS_TO_TECHNOLOGY&serves=${region}`).set(third.auth).expect(200)).body.items.map((item: { id: string }) => item.id);
      expect(await serving('AFRICAN')).toEqual([offer.id]);
      expect(await serving('ASIA_PACIFIC')).toEqual([]);
      await http().post(`/api/v1/capacity/offers/${offer.id}/withdraw`).set(third.auth).expect(404);
      await http().post(`/api/v1/capacity/offers/${offer.id}/withdraw`).set(provider.auth).expect(200);
      await http().get(`/api/v1/capacity/offers/${offer.id}`).set(third.auth).expect(404);
      await http().patch(`/api/v1/capacity/offers/${offer.id}`).set(provider.auth).set('If-Match', '"3"').send({ title: 'Again' }).expect(409);
    });
  });

  describe('matching', () => {
    let needId: string;
    const offers: Record<string, string> = {};

    beforeAll(async () => {
      // Areas no other test here uses, so that only these offers are candidates.
      const areas = ['LEGISLATION_AND_POLICY', 'NORMS_AND_CYBER_DIPLOMACY'];
      offers.full = (await createOffer(app, provider.auth, { title: 'Full match', areas, modalities: ['ADVISORY_MISSION'], languages: ['fr'], regions: [] })).id;
      offers.partial = (
        await createOffer(app, otherProvider.auth, {
          title: 'Partial match',
          areas: ['LEGISLATION_AND_POLICY', 'CYBERCRIME'],
          modalities: ['FUNDING'],
          languages: ['en'],
          regions: ['AFRICAN'],
          availableFrom: dateInDays(400),
          availableUntil: dateInDays(500),
        })
      ).id;
      offers.hiddenFromNeeding = (
        await createOffer(app, otherProvider.auth, { title: 'Not for the needing State', areas, tlp: 'AMBER', audience: 'SELECTED_STATES', selectedStates: [THIRD] })
      ).id;
      offers.otherArea = (await createOffer(app, provider.auth, { title: 'Other area', areas: ['EXERCISES'] })).id;
      offers.withdrawn = (await createOffer(app, provider.auth, { title: 'Withdrawn', areas }, 'WITHDRAWN')).id;
      offers.draft = (await createOffer(app, provider.auth, { title: 'Draft', areas }, 'DRAFT')).id;
      offers.own = (await createOffer(app, needing.auth, { title: 'Own offer', areas })).id;
      needId = (
        await createNeed(app, needing.auth, {
          title: 'Cyber legislation advice',
          areas,
          modalities: ['ADVISORY_MISSION', 'TRAINING'],
          languages: ['fr'],
          neededFrom: dateInDays(0),
          neededBy: dateInDays(90),
        })
      ).id;
    });

    it('ranks the visible open offers of other States, with the reason for every point', async () => {
      const { body } = await http().get(`/api/v1/capacity/needs/${needId}/matches`).set(needing.auth).expect(200);
      expect(body.items.map((item: { offer: { id: string } }) => item.offer.id)).toEqual([offers.full, offers.partial]);
      const [full, partial] = body.items;
      expect(full.score).toBe(100);
      expect(partial).toMatchObject({
        score: 20,
        reasons: [
          { criterion: 'areas', points: 20, maxPoints: 40, detail: '1 of 2 areas needed: LEGISLATION_AND_POLICY' },
          { criterion: 'modality', points: 0, maxPoints: 20, detail: 'offers none of ADVISORY_MISSION, TRAINING' },
          { criterion: 'language', points: 0, maxPoints: 15, detail: 'in none of fr' },
          { criterion: 'region', points: 0, maxPoints: 15, detail: 'serves AFRICAN, not ASIA_PACIFIC' },
          { criterion: 'timeFrame', points: 0, maxPoints: 10, detail: `not available between ${dateInDays(0)} and ${dateInDays(90)}` },
        ],
      });
      // A reader who sees the need ranks over what it sees: the offer shared with THIRD appears for THIRD.
      const forThird = await http().get(`/api/v1/capacity/needs/${needId}/matches`).set(third.auth).expect(200);
      expect(forThird.body.items.map((item: { offer: { id: string } }) => item.offer.id)).toEqual([offers.full, offers.hiddenFromNeeding, offers.partial]);
      await http().get(`/api/v1/capacity/needs/${needId}/matches?limit=0`).set(needing.auth).expect(400);
    });

    it('ranks needs for an offer, for the offering State only', async () => {
      const { body } = await http().get(`/api/v1/capacity/offers/${offers.full}/matches`).set(provider.auth).expect(200);
      const mine = body.items.filter((item: { need: { stateCode: string } }) => item.need.stateCode === NEEDING);
      expect(mine.map((item: { need: { id: string }; score: number }) => [item.need.id, item.score])).toEqual([[needId, 100]]);
      await http().get(`/api/v1/capacity/offers/${offers.full}/matches`).set(third.auth).expect(404);
      await http().get(`/api/v1/capacity/offers/${offers.draft}/matches`).set(third.auth).expect(404);
    });

    it('told the States whose visible offers the need matched, and no one else', async () => {
      const events = await prisma.outboxEvent.findMany({ where: { type: 'capacity.need_matched', payload: { path: ['needId'], equals: needId } } });
      expect(events.map((event) => event.stateCode).sort()).toEqual([OTHER_PROVIDER, PROVIDER].sort());
      const toProvider = events.find((event) => event.stateCode === PROVIDER)!.payload as { offerIds: string[]; needState: string };
      expect(toProvider).toMatchObject({ needState: NEEDING, offerIds: [offers.full] });
      const toOther = events.find((event) => event.stateCode === OTHER_PROVIDER)!.payload as { offerIds: string[] };
      // The offer shared with THIRD alone is not the needing State's to see: it is not announced through.
      expect(toOther.offerIds).toEqual([offers.partial]);
    });

    it('does not tell an offering State about a need it may not see', async () => {
      const hidden = await createNeed(app, needing.auth, {
        title: 'Named to the other provider only',
        areas: ['LEGISLATION_AND_POLICY'],
        tlp: 'AMBER',
        audience: 'SELECTED_STATES',
        selectedStates: [OTHER_PROVIDER],
      });
      const events = await prisma.outboxEvent.findMany({ where: { type: 'capacity.need_matched', payload: { path: ['needId'], equals: hidden.id } } });
      expect(events.map((event) => event.stateCode)).toEqual([OTHER_PROVIDER]);
    });
  });

  describe('from a request answered "unable: capacity limits"', () => {
    it('opens a need pre-filled from the answer, shared with the requester, who is told', async () => {
      const filed = await fileRequest(app, requester.auth, {
        type: 'INVESTIGATION',
        recipients: [NEEDING, THIRD],
        sectors: ['HEALTH'],
        title: 'Ransomware on hospital systems',
        description: 'Confidential details of the incident.',
      });
      const path = `/api/v1/requests/${filed.id}/capacity-need`;
      // Only an answer of "unable: capacity limits" opens a need; the requester has no answer to open from.
      await http().post(path).set(needing.auth).send({}).expect(409);
      await http().post(path).set(requester.auth).send({}).expect(404);
      await http().post(path).set(provider.auth).send({}).expect(404);
      await http()
        .post(`/api/v1/requests/${filed.id}/actions`)
        .set(needing.auth)
        .send({ action: 'UNABLE_CAPACITY', note: 'We need memory forensics training and tooling.' })
        .expect(200);
      await http().post(path).set(needing.auth).send({ neededBy: dateInDays(-3) }).expect(400);

      const opened = await http().post(path).set(needing.auth).send({ languages: ['km', 'en'] }).expect(201);
      expect(opened.body).toMatchObject({
        status: 'OPEN',
        stateCode: NEEDING,
        title: 'Capacity needed: incident response, cybercrime',
        description: 'We need memory forensics training and tooling.',
        areas: ['INCIDENT_RESPONSE', 'CYBERCRIME'],
        sectors: ['HEALTH'],
        languages: ['km', 'en'],
        tlp: 'AMBER',
        audience: 'SELECTED_STATES',
        selectedStates: [REQUESTER],
        sourceRequestId: filed.id,
      });
      // None of the request's contents unless the recipient writes them in.
      expect(JSON.stringify(opened.body)).not.toMatch(/Ransomware|Confidential|REQ-/);
      await http().get(`/api/v1/capacity/needs/${opened.body.id}`).set(requester.auth).expect(200);
      await http().get(`/api/v1/capacity/needs/${opened.body.id}`).set(provider.auth).expect(404);
      await http().post(path).set(needing.auth).send({}).expect(409);

      const told = await prisma.outboxEvent.findMany({ where: { type: 'capacity.need_from_request', payload: { path: ['needId'], equals: opened.body.id } } });
      expect(told.map((event) => [event.stateCode, (event.payload as { requestReference: string }).requestReference])).toEqual([[REQUESTER, filed.reference]]);

      // The request shows the link to those who may see the need: the requester, not the other recipient.
      const linkOf = async (caller: SignedIn) =>
        Object.fromEntries(
          (await http().get(`/api/v1/requests/${filed.id}`).set(caller.auth).expect(200)).body.recipients.map((recipient: { stateCode: string; capacityNeedId: string | null }) => [
            recipient.stateCode,
            recipient.capacityNeedId,
          ]),
        );
      expect(await linkOf(requester)).toEqual({ [NEEDING]: opened.body.id, [THIRD]: null });
      expect(await linkOf(third)).toEqual({ [NEEDING]: null, [THIRD]: null });

      // The statistics count what came of the answers, over the needs each reader may see.
      const capacityStats = async (caller: SignedIn) => (await http().get('/api/v1/requests/stats').set(caller.auth).expect(200)).body.unableCapacityNeeds;
      expect(await capacityStats(requester)).toEqual({ opened: 1, fulfilled: 0 });
      expect(await capacityStats(third)).toEqual({ opened: 0, fulfilled: 0 });
      await prisma.capacityNeed.update({ where: { id: opened.body.id }, data: { status: 'FULFILLED', fulfilledAt: new Date() } });
      expect(await capacityStats(requester)).toEqual({ opened: 1, fulfilled: 1 });
    });
  });
});
