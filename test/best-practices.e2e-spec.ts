import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Role } from '@cbm/database';
import { createDisclosure, disclosureBody } from './fixtures/disclosure.fixture';
import { participate, signedInUser, SignedIn } from './support/factories';
import { createTestApp } from './support/test-app';

/**
 * Best practices (paragraphs 35–36) are the fourth disclosure kind: the disclosure's audience rule,
 * versions and publication, plus the capacity-building areas they help with.
 */
const BEST_PRACTICE = {
  kind: 'BEST_PRACTICE',
  title: 'Guide to setting up a national CERT',
  summary: 'Steps, staffing and tooling for a first national CERT, from a State that did it in 2019.',
  body: '# Setting up a CERT\n\n1. Mandate\n2. Constituency\n3. Services',
  sectors: undefined,
  references: ['https://cert.example/guide.pdf'],
  areas: ['CERT_ESTABLISHMENT_AND_MATURITY', 'INCIDENT_RESPONSE'],
  tlp: 'CLEAR',
  audience: 'PUBLIC',
};

describe('Best practices: a disclosure kind with capacity-building areas', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  let owner: SignedIn;
  let selected: SignedIn;
  let third: SignedIn;
  let secretariat: SignedIn;
  let guide: string;
  let exercise: string;
  let selectedOnly: string;
  let designation: string;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    await participate(app, 'HUN', 'CZE', 'ALB');
    owner = await signedInUser(app, Role.STATE_OFFICER, 'HUN');
    selected = await signedInUser(app, Role.STATE_VIEWER, 'CZE');
    third = await signedInUser(app, Role.STATE_VIEWER, 'ALB');
    secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    guide = (await createDisclosure(app, owner.auth, BEST_PRACTICE, 'PUBLISHED')).id;
    exercise = (
      await createDisclosure(
        app,
        owner.auth,
        { ...BEST_PRACTICE, title: 'Tabletop exercise kit', areas: ['EXERCISES'], tlp: 'GREEN', audience: 'ALL_STATES' },
        'PUBLISHED',
      )
    ).id;
    selectedOnly = (
      await createDisclosure(
        app,
        owner.auth,
        { ...BEST_PRACTICE, title: 'Lessons from our 2025 ransomware response', areas: ['INCIDENT_RESPONSE'], tlp: 'AMBER', audience: 'SELECTED_STATES', selectedStates: ['CZE'] },
        'PUBLISHED',
      )
    ).id;
    designation = (await createDisclosure(app, owner.auth, {}, 'PUBLISHED')).id;
  });
  afterAll(() => app.close());

  async function idsOf(auth: SignedIn | undefined, query: string): Promise<string[]> {
    const path = `${auth ? '/api/v1' : '/api/v1/public'}/disclosures?state=HUN&limit=100&${query}`;
    const response = await (auth ? http().get(path).set(auth.auth) : http().get(path)).expect(200);
    return response.body.items.map((item: { id: string }) => item.id).sort();
  }

  it('is created as a draft with its areas, without sectors, and published like any disclosure', async () => {
    const created = await http().post('/api/v1/disclosures').set(owner.auth).send(disclosureBody(BEST_PRACTICE)).expect(201);
    expect(created.body).toMatchObject({ kind: 'BEST_PRACTICE', status: 'DRAFT', areas: BEST_PRACTICE.areas, sectors: [], references: BEST_PRACTICE.references, version: 1 });
    const published = await http().post(`/api/v1/disclosures/${created.body.id}/publish`).set(owner.auth).set('If-Match', created.headers.etag).expect(200);
    expect(published.body).toMatchObject({ status: 'PUBLISHED', areas: BEST_PRACTICE.areas, version: 2 });
    const read = await http().get(`/api/v1/public/disclosures/${created.body.id}`).expect(200);
    expect(read.body).toMatchObject({ kind: 'BEST_PRACTICE', areas: BEST_PRACTICE.areas });
    await http().post(`/api/v1/disclosures/${created.body.id}/withdraw`).set(owner.auth).expect(200);
  });

  it('keeps the areas in every version, and an edit of them is a new version', async () => {
    const { id } = await createDisclosure(app, owner.auth, { ...BEST_PRACTICE, title: 'Versioned guide' });
    await http().patch(`/api/v1/disclosures/${id}`).set(owner.auth).set('If-Match', '"1"').send({ areas: ['CYBERCRIME'] }).expect(200);
    const versions = await http().get(`/api/v1/disclosures/${id}/versions`).set(owner.auth).expect(200);
    expect(versions.body.items.map((version: { content: { areas: string[] } }) => version.content.areas)).toEqual([BEST_PRACTICE.areas, ['CYBERCRIME']]);
  });

  it('filters by area on the States’ and the public list, exactly', async () => {
    expect(await idsOf(third, 'area=EXERCISES')).toEqual([exercise]);
    expect(await idsOf(third, 'area=INCIDENT_RESPONSE')).toEqual([guide]);
    expect(await idsOf(selected, 'area=INCIDENT_RESPONSE')).toEqual([guide, selectedOnly].sort());
    expect(await idsOf(owner, 'area=INCIDENT_RESPONSE&kind=BEST_PRACTICE')).toEqual(expect.arrayContaining([guide, selectedOnly]));
    expect(await idsOf(third, 'area=CYBERCRIME')).toEqual([]);
    expect(await idsOf(undefined, 'area=CERT_ESTABLISHMENT_AND_MATURITY')).toEqual([guide]);
    expect(await idsOf(undefined, 'area=EXERCISES')).toEqual([]);
    expect(await idsOf(third, 'kind=BEST_PRACTICE')).toEqual([guide, exercise].sort());
    // The other kinds have no areas, and an area filter never matches them.
    expect(await idsOf(third, 'kind=CI_DESIGNATION')).toEqual([designation]);
    const read = await http().get(`/api/v1/disclosures/${designation}`).set(third.auth).expect(200);
    expect(read.body.areas).toEqual([]);
  });

  it('refuses an unknown area filter with 400 naming it', async () => {
    const response = await http().get('/api/v1/public/disclosures?area=KNITTING').expect(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['area']);
  });

  it('a SELECTED_STATES best practice is a 404 for a third State and the secretariat, and absent from their lists', async () => {
    await http().get(`/api/v1/disclosures/${selectedOnly}`).set(selected.auth).expect(200);
    await http().get(`/api/v1/disclosures/${selectedOnly}`).set(third.auth).expect(404);
    await http().get(`/api/v1/disclosures/${selectedOnly}`).set(secretariat.auth).expect(404);
    await http().get(`/api/v1/public/disclosures/${selectedOnly}`).expect(404);
    expect(await idsOf(third, 'kind=BEST_PRACTICE')).not.toContain(selectedOnly);
    expect(await idsOf(secretariat, 'kind=BEST_PRACTICE')).toEqual([guide, exercise].sort());
  });

  it.each([
    ['no areas', { ...BEST_PRACTICE, areas: undefined }],
    ['empty areas', { ...BEST_PRACTICE, areas: [] }],
    ['areas on another kind', { areas: ['EXERCISES'] }],
    ['an unknown area', { ...BEST_PRACTICE, areas: ['KNITTING'] }],
    ['a repeated area', { ...BEST_PRACTICE, areas: ['EXERCISES', 'EXERCISES'] }],
    ['areas not a list', { ...BEST_PRACTICE, areas: 'EXERCISES' }],
  ])('refuses %s with 400 naming areas, and creates nothing', async (_case, overrides) => {
    const before = await idsOf(owner, '');
    const response = await http().post('/api/v1/disclosures').set(owner.auth).send(disclosureBody(overrides)).expect(400);
    expect([...new Set(response.body.errors.map((error: { field: string }) => error.field.split('.')[0]))]).toEqual(['areas']);
    expect(await idsOf(owner, '')).toEqual(before);
  });

  it('keeps sectors required for the other kinds', async () => {
    const response = await http().post('/api/v1/disclosures').set(owner.auth).send(disclosureBody({ kind: 'PROTECTION_EFFORT', sectors: undefined })).expect(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('sectors');
  });

  it('an edit that makes a best practice another kind must drop its areas; one that drops them all is refused', async () => {
    const { id } = await createDisclosure(app, owner.auth, { ...BEST_PRACTICE, title: 'Kind change' });
    const kindOnly = await http().patch(`/api/v1/disclosures/${id}`).set(owner.auth).set('If-Match', '"1"').send({ kind: 'PROTECTION_EFFORT', sectors: ['ENERGY'] }).expect(400);
    expect(kindOnly.body.errors.map((error: { field: string }) => error.field)).toEqual(['areas']);
    const emptied = await http().patch(`/api/v1/disclosures/${id}`).set(owner.auth).set('If-Match', '"1"').send({ areas: [] }).expect(400);
    expect(emptied.body.errors.map((error: { field: string }) => error.field)).toEqual(['areas']);
    const unchanged = await http().get(`/api/v1/disclosures/${id}`).set(owner.auth).expect(200);
    expect(unchanged.body).toMatchObject({ kind: 'BEST_PRACTICE', areas: BEST_PRACTICE.areas, version: 1 });
    const changed = await http().patch(`/api/v1/disclosures/${id}`).set(owner.auth).set('If-Match', '"1"').send({ kind: 'PROTECTION_EFFORT', sectors: ['ENERGY'], areas: [] }).expect(200);
    expect(changed.body).toMatchObject({ kind: 'PROTECTION_EFFORT', areas: [], version: 2 });
  });
});
