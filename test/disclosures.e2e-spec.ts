import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Role } from '@cbm/database';
import { createDisclosure, disclosureBody } from './fixtures/disclosure.fixture';
import { participate, signedInUser, SignedIn } from './support/factories';
import { createTestApp } from './support/test-app';

type Caller = 'owner' | 'selected' | 'other' | 'secretariat' | 'anonymous';
type Status = 'DRAFT' | 'PUBLISHED' | 'WITHDRAWN';
interface Made {
  id: string;
  tlp: string;
  audience: string;
  status: Status;
}

const COMBINATIONS: Array<[tlp: string, audience: string]> = [
  ['CLEAR', 'PUBLIC'],
  ['GREEN', 'ALL_STATES'],
  ['GREEN', 'SELECTED_STATES'],
  ['AMBER', 'ALL_STATES'],
  ['AMBER', 'SELECTED_STATES'],
  ['AMBER+STRICT', 'SELECTED_STATES'],
  ['RED', 'SELECTED_STATES'],
];

/** The rules of the issue, written out independently of the code under test. */
function mayRead(caller: Caller, disclosure: Made): boolean {
  if (caller === 'owner') return true;
  if (disclosure.status !== 'PUBLISHED') return false;
  if (caller === 'anonymous') return disclosure.audience === 'PUBLIC';
  if (caller === 'selected') return true;
  return disclosure.audience !== 'SELECTED_STATES';
}

describe('Disclosures: visibility by audience, TLP, status and caller', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const callers = {} as Record<Exclude<Caller, 'anonymous'>, SignedIn>;
  const made: Made[] = [];

  beforeAll(async () => {
    ({ app } = await createTestApp());
    await participate(app, 'AUT', 'BEL', 'DNK');
    callers.owner = await signedInUser(app, Role.STATE_OFFICER, 'AUT');
    callers.selected = await signedInUser(app, Role.STATE_VIEWER, 'BEL');
    callers.other = await signedInUser(app, Role.STATE_VIEWER, 'DNK');
    callers.secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);

    for (const [tlp, audience] of COMBINATIONS) {
      for (const status of ['DRAFT', 'PUBLISHED', 'WITHDRAWN'] as Status[]) {
        const created = await createDisclosure(
          app,
          callers.owner.auth,
          {
            title: `Matrix ${tlp} ${audience} ${status}`,
            body: `matrixmarker ${tlp} ${audience} ${status}`,
            tlp,
            audience,
            selectedStates: audience === 'SELECTED_STATES' ? ['BEL'] : undefined,
          },
          status,
        );
        made.push({ id: created.id, tlp, audience, status });
      }
    }
  });
  afterAll(() => app.close());

  const read = (caller: Caller, path: string) =>
    caller === 'anonymous' ? http().get(`/api/v1/public${path}`) : http().get(`/api/v1${path}`).set(callers[caller].auth);

  async function listAll(caller: Caller, query: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await read(caller, `/disclosures?state=AUT&limit=5&${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      ids.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    return ids.sort();
  }

  describe.each(['owner', 'selected', 'other', 'secretariat', 'anonymous'] as Caller[])('as %s', (caller) => {
    it('reads exactly the allowed ones directly; the others are 404', async () => {
      const wrong: string[] = [];
      for (const disclosure of made) {
        const response = await read(caller, `/disclosures/${disclosure.id}`);
        const expected = mayRead(caller, disclosure) ? 200 : 404;
        if (response.status !== expected) wrong.push(`${disclosure.tlp}/${disclosure.audience}/${disclosure.status}: ${response.status}`);
      }
      expect(wrong).toEqual([]);
    });

    it('lists, counts and finds by search exactly the allowed ones', async () => {
      const expected = made.filter((disclosure) => mayRead(caller, disclosure)).map((disclosure) => disclosure.id).sort();
      // Other tests of this file publish AUT disclosures too, in any order: the unfiltered list is
      // judged on this matrix's records; the searches below match only them.
      const matrix = new Set(made.map((disclosure) => disclosure.id));
      expect((await listAll(caller, '')).filter((id) => matrix.has(id))).toEqual(expected);
      expect(await listAll(caller, 'q=matrixmarker')).toEqual(expected);
      expect(await listAll(caller, 'q=matrixmarker%20RED')).toEqual(
        made.filter((disclosure) => disclosure.tlp === 'RED' && mayRead(caller, disclosure)).map((disclosure) => disclosure.id).sort(),
      );
    });
  });

  it('filters by TLP, kind, sector, region and change date within what the caller may see', async () => {
    const amber = await listAll('other', 'tlp=AMBER');
    expect(amber).toEqual(made.filter((d) => d.tlp === 'AMBER' && mayRead('other', d)).map((d) => d.id).sort());
    expect(await listAll('other', 'tlp=AMBER%2BSTRICT')).toEqual([]);
    expect(await listAll('selected', 'tlp=AMBER%2BSTRICT')).toEqual(made.filter((d) => d.tlp === 'AMBER+STRICT' && mayRead('selected', d)).map((d) => d.id).sort());
    expect(await listAll('other', 'kind=LAW_OR_POLICY')).toEqual([]);
    expect(await listAll('other', 'sector=WATER')).toEqual([]);
    const visible = made.filter((d) => mayRead('other', d)).map((d) => d.id).sort();
    expect(await listAll('other', 'sector=ENERGY&region=WESTERN_EUROPEAN_AND_OTHERS')).toEqual(visible);
    expect(await listAll('other', 'region=AFRICAN')).toEqual([]);
    expect(await listAll('other', `updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
  });

  it('tells only the owner whom a disclosure is shared with', async () => {
    const shared = made.find((disclosure) => disclosure.audience === 'SELECTED_STATES' && disclosure.status === 'PUBLISHED')!;
    expect((await read('owner', `/disclosures/${shared.id}`).expect(200)).body.selectedStates).toEqual(['BEL']);
    expect((await read('selected', `/disclosures/${shared.id}`).expect(200)).body).not.toHaveProperty('selectedStates');
  });

  it.each([
    ['audience', { tlp: 'AMBER', audience: 'PUBLIC' }],
    ['tlp', { tlp: 'CLEAR', audience: 'ALL_STATES' }],
    ['audience', { tlp: 'RED', audience: 'ALL_STATES' }],
    ['audience', { tlp: 'AMBER+STRICT', audience: 'ALL_STATES' }],
    ['selectedStates', { tlp: 'RED', audience: 'SELECTED_STATES' }],
    ['selectedStates', { tlp: 'RED', audience: 'SELECTED_STATES', selectedStates: ['XYZ'] }],
    ['selectedStates', { tlp: 'GREEN', audience: 'ALL_STATES', selectedStates: ['BEL'] }],
    ['sectors', { sectors: ['UNDERWATER_BASKETS'] }],
    ['sectors', { sectors: [] }],
    ['tlp', { tlp: 'PURPLE' }],
    ['references', { references: ['http://not-https.example'] }],
    ['dateAdopted', { dateAdopted: '2024-02-30', kind: 'LAW_OR_POLICY' }],
    ['dateAdopted', { dateAdopted: '2024-02-01' }],
  ])('refuses an inconsistent or invalid %s with 400 naming it', async (field, overrides) => {
    const response = await http().post('/api/v1/disclosures').set(callers.owner.auth).send(disclosureBody(overrides)).expect(400);
    expect(response.body.errors.map((error: { field: string }) => error.field.split('.')[0])).toContain(field);
  });

  it('a partial edit keeps the references and the selected States', async () => {
    const created = await createDisclosure(app, callers.owner.auth, { tlp: 'RED', audience: 'SELECTED_STATES', selectedStates: ['BEL'], references: ['https://gov.example/law.pdf'] });
    const edited = await http().patch(`/api/v1/disclosures/${created.id}`).set(callers.owner.auth).set('If-Match', '"1"').send({ title: 'Renamed' }).expect(200);
    expect(edited.body).toMatchObject({ title: 'Renamed', references: ['https://gov.example/law.pdf'], selectedStates: ['BEL'], tlp: 'RED' });
  });

  it('keeps classification out of the audit log the secretariat reads', async () => {
    const shared = made.find((disclosure) => disclosure.audience === 'SELECTED_STATES' && disclosure.tlp === 'RED')!;
    const events = await http().get(`/api/v1/audit-events?entityType=disclosure&entityId=${shared.id}`).set(callers.secretariat.auth).expect(200);
    expect(JSON.stringify(events.body)).not.toMatch(/RED|SELECTED_STATES|matrixmarker/);
  });

  it('a viewer can neither create, edit, publish nor withdraw', async () => {
    const viewer = await signedInUser(app, Role.STATE_VIEWER, 'AUT');
    const own = made.find((disclosure) => disclosure.status === 'PUBLISHED')!;
    await http().post('/api/v1/disclosures').set(viewer.auth).send(disclosureBody()).expect(403);
    await http().patch(`/api/v1/disclosures/${own.id}`).set(viewer.auth).set('If-Match', '"1"').send({ title: 'x' }).expect(403);
    await http().post(`/api/v1/disclosures/${own.id}/publish`).set(viewer.auth).expect(403);
    await http().post(`/api/v1/disclosures/${own.id}/withdraw`).set(viewer.auth).expect(403);
  });

  it('an edit of a published disclosure is a new version that readers see; the owner sees every version', async () => {
    const { id } = await createDisclosure(app, callers.owner.auth, { title: 'Energy sector programme' });
    const published = await http().post(`/api/v1/disclosures/${id}/publish`).set(callers.owner.auth).expect(200);
    await http().patch(`/api/v1/disclosures/${id}`).set(callers.owner.auth).set('If-Match', published.headers.etag).send({ title: 'Energy sector programme 2027' }).expect(200);
    await http().patch(`/api/v1/disclosures/${id}`).set(callers.owner.auth).set('If-Match', published.headers.etag).send({ title: 'Stale' }).expect(412);
    // Changing the audience keeps the rules: AMBER for all States, not the public.
    await http().patch(`/api/v1/disclosures/${id}`).set(callers.owner.auth).set('If-Match', '"3"').send({ audience: 'PUBLIC' }).expect(400);

    const seen = await read('other', `/disclosures/${id}`).expect(200);
    expect(seen.body).toMatchObject({ title: 'Energy sector programme 2027', version: 3, status: 'PUBLISHED' });
    const versions = await read('owner', `/disclosures/${id}/versions`).expect(200);
    expect(versions.body.items.map((version: { version: number; content: { title: string; status: string } }) => [version.version, version.content.status, version.content.title])).toEqual([
      [1, 'DRAFT', 'Energy sector programme'],
      [2, 'PUBLISHED', 'Energy sector programme'],
      [3, 'PUBLISHED', 'Energy sector programme 2027'],
    ]);
    await read('other', `/disclosures/${id}/versions`).expect(404);
    await read('secretariat', `/disclosures/${id}/versions`).expect(404);

    await http().post(`/api/v1/disclosures/${id}/withdraw`).set(callers.owner.auth).expect(200);
    await http().patch(`/api/v1/disclosures/${id}`).set(callers.owner.auth).set('If-Match', '"4"').send({ title: 'Again' }).expect(409);
    await http().post(`/api/v1/disclosures/${id}/publish`).set(callers.owner.auth).expect(409);
  });
});
