import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client, QueryConfig } from 'pg';
import request from 'supertest';
import { Role } from '@cbm/database';
import { createNeed, createOffer, propose } from './fixtures/capacity.fixture';
import { minimalRequestBody, postRequest } from './fixtures/request.fixture';
import { createContact, participate, signedInUser, SignedIn } from './support/factories';
import { createTestApp } from './support/test-app';
import { workerDatabaseUrl } from './support/test-database';

/** Tables that grow with use: a hot query must reach them through an index, never a full scan. */
const LARGE_TABLES = [
  'contact', 'cert', 'request', 'request_recipient', 'disclosure', 'audit_event', 'notification', 'outbox_event', 'user', 'api_key',
  'capacity_need', 'capacity_offer', 'capacity_proposal', 'capacity_engagement', 'capacity_engagement_update',
];

interface CapturedQuery {
  text: string;
  values: unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode, found: string[] = []): string[] {
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] && LARGE_TABLES.includes(node['Relation Name'])) found.push(node['Relation Name']);
  for (const child of node.Plans ?? []) seqScans(child, found);
  return found;
}

/**
 * Query plans of the hot paths, asserted without timing anything: the SQL the app really sends for a
 * request is captured at the driver and EXPLAINed with sequential scans priced out
 * (`enable_seqscan = off`). The planner then uses an index whenever one can serve the query, so a
 * "Seq Scan" that remains means no index can: a missing or unusable index fails CI.
 */
describe('Query plans of the hot paths use their indexes', () => {
  let app: NestExpressApplication;
  let viewer: SignedIn;
  let officer: SignedIn;
  let admin: SignedIn;
  let explainer: Client;
  let captured: CapturedQuery[] | undefined;
  const originalQuery = Client.prototype.query;

  beforeAll(async () => {
    // Observes the driver only: the queries still run unchanged.
    Client.prototype.query = function capture(this: Client, ...args: unknown[]) {
      const [config, values] = args as [string | QueryConfig, unknown[] | undefined];
      if (captured) {
        const text = typeof config === 'string' ? config : config.text;
        captured.push({ text, values: (typeof config === 'string' ? values : config.values) ?? [] });
      }
      return (originalQuery as (...rest: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    ({ app } = await createTestApp());
    await participate(app, 'ARG', 'URY');
    viewer = await signedInUser(app, Role.STATE_VIEWER, 'ARG');
    officer = await signedInUser(app, Role.STATE_OFFICER, 'ARG');
    admin = await signedInUser(app, Role.STATE_ADMIN, 'ARG');
    for (let index = 0; index < 5; index++) await createContact(app, 'ARG', { name: `Duty desk ${index}` });
    explainer = new Client({ connectionString: workerDatabaseUrl() });
    await explainer.connect();
  });
  afterAll(async () => {
    Client.prototype.query = originalQuery;
    await explainer.end();
    await app.close();
  });

  /** The statements a request runs against large tables, each with the plan's full scans of them. */
  async function plansOf(send: () => Promise<unknown>): Promise<Array<{ sql: string; seqScans: string[] }>> {
    captured = [];
    await send();
    const queries = captured;
    captured = undefined;
    const relevant = queries.filter(
      (query) => /^\s*(SELECT|WITH|UPDATE|DELETE)\b/i.test(query.text) && LARGE_TABLES.some((table) => query.text.includes(`"${table}"`) || new RegExp(`\\b${table}\\b`).test(query.text)),
    );
    expect(relevant.length).toBeGreaterThan(0);
    const results: Array<{ sql: string; seqScans: string[] }> = [];
    for (const query of relevant) {
      await explainer.query('BEGIN');
      try {
        await explainer.query('SET LOCAL enable_seqscan = off');
        const explained = await explainer.query(`EXPLAIN (FORMAT JSON) ${query.text}`, query.values);
        const plan = (explained.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan;
        results.push({ sql: query.text.replace(/\s+/g, ' ').slice(0, 300), seqScans: seqScans(plan) });
      } finally {
        await explainer.query('ROLLBACK');
      }
    }
    return results;
  }

  const fullScans = (plans: Array<{ sql: string; seqScans: string[] }>) => plans.filter((plan) => plan.seqScans.length > 0);
  const get = (path: string, auth: SignedIn) => () => request(app.getHttpServer()).get(path).set(auth.auth).expect(200);

  it.each([
    ['a State\'s contacts, first page', '/api/v1/contacts?state=ARG&limit=50'],
    ['contacts by kind', '/api/v1/contacts?kind=TECHNICAL&limit=50'],
    ['a name prefix search', '/api/v1/contacts?q=Duty&limit=50'],
    ['CERTs of a State', '/api/v1/certs?state=ARG&limit=50'],
    ['a CERT name search', '/api/v1/certs?q=CERT&limit=50'],
    ['disclosures with the visibility rule', '/api/v1/disclosures?limit=50'],
    ['a State\'s disclosures', '/api/v1/disclosures?state=URY&limit=50'],
    ['requests involving the State', '/api/v1/requests?limit=50'],
    ['a State summary', '/api/v1/states/ARG/summary'],
  ])('%s (%s)', async (_name, path) => {
    expect(fullScans(await plansOf(get(path, viewer)))).toEqual([]);
  });

  it('filing a request, and reading it back', async () => {
    const filed = await plansOf(() =>
      postRequest(app, officer.auth, minimalRequestBody({ type: 'INFORMATION', recipients: ['URY'], urgency: 'ROUTINE', title: 'Plan check', description: 'Plan check' })).expect(201),
    );
    expect(fullScans(filed)).toEqual([]);
    const [latest] = (await request(app.getHttpServer()).get('/api/v1/requests?limit=1').set(officer.auth).expect(200)).body.items;
    expect(fullScans(await plansOf(get(`/api/v1/requests/${latest.id}`, officer)))).toEqual([]);
  });

  it('the secretariat\'s lists: every request (metadata), every notification', async () => {
    const secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    expect(fullScans(await plansOf(get('/api/v1/requests?limit=50', secretariat)))).toEqual([]);
    expect(fullScans(await plansOf(get('/api/v1/notifications?limit=50', secretariat)))).toEqual([]);
  });

  it('the audit log and the notifications of a State, newest first', async () => {
    expect(fullScans(await plansOf(get('/api/v1/audit-events?limit=50', admin)))).toEqual([]);
    expect(fullScans(await plansOf(get('/api/v1/notifications?limit=50', admin)))).toEqual([]);
  });

  it('capacity-building: needs and offers with the visibility rule, filtered, and their matches', async () => {
    const uruguay = await signedInUser(app, Role.STATE_OFFICER, 'URY');
    const need = await createNeed(app, officer.auth);
    const offer = await createOffer(app, uruguay.auth);
    for (const path of [
      '/api/v1/capacity/needs?limit=50',
      '/api/v1/capacity/needs?area=INCIDENT_RESPONSE&limit=50',
      '/api/v1/capacity/needs?state=ARG&expired=false&limit=50',
      '/api/v1/capacity/offers?limit=50',
      '/api/v1/capacity/offers?serves=AFRICAN&limit=50',
      `/api/v1/capacity/needs/${need.id}`,
      `/api/v1/capacity/needs/${need.id}/matches`,
    ]) {
      expect({ path, fullScans: fullScans(await plansOf(get(path, viewer))) }).toEqual({ path, fullScans: [] });
    }
    expect(fullScans(await plansOf(get(`/api/v1/capacity/offers/${offer.id}/matches`, uruguay)))).toEqual([]);
    const proposal = await propose(app, uruguay.auth, need.id);
    for (const path of ['/api/v1/capacity/proposals?limit=50', '/api/v1/capacity/proposals?side=providing&limit=50', `/api/v1/capacity/needs/${need.id}/proposals`]) {
      expect({ path, fullScans: fullScans(await plansOf(get(path, uruguay))) }).toEqual({ path, fullScans: [] });
    }
    const accepted = await request(app.getHttpServer()).post(`/api/v1/capacity/proposals/${proposal.id}/accept`).set(officer.auth).expect(200);
    for (const path of ['/api/v1/capacity/engagements?limit=50', `/api/v1/capacity/engagements/${accepted.body.engagementId}`, `/api/v1/capacity/engagements/${accepted.body.engagementId}/updates`]) {
      expect({ path, fullScans: fullScans(await plansOf(get(path, viewer))) }).toEqual({ path, fullScans: [] });
    }
  });

  it("capacity-building: the secretariat's metadata lists and the public lists, newest first", async () => {
    const secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    for (const path of ['needs', 'offers', 'proposals', 'engagements']) {
      expect({ path, fullScans: fullScans(await plansOf(get(`/api/v1/capacity/metadata/${path}?limit=50`, secretariat))) }).toEqual({ path, fullScans: [] });
    }
    for (const path of ['needs', 'offers']) {
      const plans = await plansOf(() => request(app.getHttpServer()).get(`/api/v1/public/capacity/${path}?limit=50`).expect(200));
      expect({ path, fullScans: fullScans(plans) }).toEqual({ path, fullScans: [] });
    }
  });

  it('the harness notices a full scan when no index can serve the query', async () => {
    // Sanity check of the method: filtering on an unindexed column must show up as a Seq Scan.
    await explainer.query('BEGIN');
    try {
      await explainer.query('SET LOCAL enable_seqscan = off');
      const explained = await explainer.query(`EXPLAIN (FORMAT JSON) SELECT id FROM contact WHERE notes = $1`, ['x']);
      expect(seqScans((explained.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan)).toEqual(['contact']);
    } finally {
      await explainer.query('ROLLBACK');
    }
  });
});
