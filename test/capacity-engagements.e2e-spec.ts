import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { CapacityProposalsService } from '../apps/api/src/capacity/proposals/capacity-proposals.service';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { createNeed, createOffer, propose } from './fixtures/capacity.fixture';
import { createWebhook } from './fixtures/webhook.fixture';
import { createContact, participate, signedInUser, SignedIn } from './support/factories';
import { TestMailbox } from './support/mailbox';
import { createScratchDatabase, dropScratchDatabase } from './support/test-database';
import { createTestApp } from './support/test-app';

/*
 * Proposals and engagements between a needing State (Nepal), a providing one (Kiribati), a second
 * provider (Lao PDR) and a third State that is party to nothing (Palau). States used by no other
 * spec file.
 */
const NEEDING = 'NPL';
const PROVIDER = 'KIR';
const SECOND = 'LAO';
const THIRD = 'PLW';
const OURS = [NEEDING, PROVIDER, SECOND, THIRD];

/** Text that must never reach a mail, a webhook or the audit log. */
const SECRET_MESSAGE = 'PRIVATE-PROPOSAL-TEXT: our team can come in March.';

type User = SignedIn & { id: string; email: string };

interface ReceivedCall {
  headers: IncomingHttpHeaders;
  body: string;
}

async function startReceiver(): Promise<{ server: Server; url: string; calls: ReceivedCall[] }> {
  const calls: ReceivedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      calls.push({ headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') });
      outgoing.statusCode = 204;
      outgoing.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cbm`, calls };
}

describe('Capacity-building: proposals, engagements, evaluations and their notices', () => {
  let app: NestExpressApplication;
  /** A database of this file's own: its worker drains only the outbox this file wrote. */
  let databaseUrl: string;
  let prisma: PrismaService;
  let worker: NotificationWorker;
  let mailbox: TestMailbox;
  const http = () => request(app.getHttpServer());
  const users = {} as Record<'needing' | 'needingOptedIn' | 'needingViewer' | 'needingAdmin' | 'provider' | 'providerOptedIn' | 'second' | 'third' | 'secretariat', User>;

  /** Everything the routes under test may change, for the "nothing changed" checks. */
  async function snapshot(): Promise<string> {
    const [proposals, engagements, updates, needs, events, audits] = await Promise.all([
      prisma.capacityProposal.findMany({ where: { needState: { in: OURS } }, orderBy: { id: 'asc' } }),
      prisma.capacityEngagement.findMany({ where: { needState: { in: OURS } }, orderBy: { id: 'asc' } }),
      prisma.capacityEngagementUpdate.findMany({ where: { engagement: { needState: { in: OURS } } }, orderBy: { id: 'asc' } }),
      prisma.capacityNeed.findMany({ where: { stateCode: { in: OURS } }, select: { id: true, status: true, version: true, updatedAt: true }, orderBy: { id: 'asc' } }),
      prisma.outboxEvent.count({ where: { stateCode: { in: OURS } } }),
      prisma.auditEvent.count({ where: { entityType: { in: ['capacity_proposal', 'capacity_engagement'] } } }),
    ]);
    return JSON.stringify({ proposals, engagements, updates, needs, events, audits });
  }

  /** `call` answers `status` with problem+json naming `fields` (if given), and changes nothing. */
  async function refused(call: () => request.Test, status: number, fields: string[] = []): Promise<request.Response> {
    const before = await snapshot();
    const response = await call();
    expect({ status: response.status, body: response.body }).toEqual({ status, body: expect.anything() });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (fields.length > 0) expect([...new Set(response.body.errors.map((error: { field: string }) => error.field))].sort()).toEqual([...fields].sort());
    expect(await snapshot()).toEqual(before);
    return response;
  }

  const post = (user: User, path: string, body?: object) => {
    const test = http().post(`/api/v1/capacity${path}`).set(user.auth);
    return body === undefined ? test : test.send(body);
  };
  const get = (user: User, path: string) => http().get(`/api/v1/capacity${path}`).set(user.auth);

  /** An OPEN need of the needing State (ALL_STATES unless overridden). */
  const openNeed = (overrides: Record<string, unknown> = {}, status: 'DRAFT' | 'OPEN' | 'WITHDRAWN' = 'OPEN') =>
    createNeed(app, users.needing.auth, { title: `Need ${Math.random().toString(36).slice(2, 8)}`, ...overrides }, status);
  const openOffer = (user: User, overrides: Record<string, unknown> = {}, status: 'DRAFT' | 'OPEN' | 'WITHDRAWN' = 'OPEN') =>
    createOffer(app, user.auth, { title: `Offer ${Math.random().toString(36).slice(2, 8)}`, ...overrides }, status);

  /** A proposal by the provider on a new open need, accepted: its engagement. */
  async function activeEngagement(): Promise<{ needId: string; proposalId: string; engagementId: string }> {
    const need = await openNeed();
    const proposal = await propose(app, users.provider.auth, need.id, { message: SECRET_MESSAGE });
    const accepted = await post(users.needing, `/proposals/${proposal.id}/accept`).expect(200);
    return { needId: need.id, proposalId: proposal.id, engagementId: accepted.body.engagementId };
  }

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    databaseUrl = await createScratchDatabase('capacity_engagements');
    ({ app } = await createTestApp({ DATABASE_URL: databaseUrl, SMTP_URL: mailbox.url, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', PUBLIC_BASE_URL: 'https://cbm.example' }));
    prisma = app.get(PrismaService);
    worker = app.get(NotificationWorker);
    await participate(app, ...OURS);
    users.needing = await signedInUser(app, Role.STATE_OFFICER, NEEDING);
    users.needingOptedIn = await signedInUser(app, Role.STATE_OFFICER, NEEDING);
    users.needingViewer = await signedInUser(app, Role.STATE_VIEWER, NEEDING);
    users.needingAdmin = await signedInUser(app, Role.STATE_ADMIN, NEEDING);
    users.provider = await signedInUser(app, Role.STATE_OFFICER, PROVIDER);
    users.providerOptedIn = await signedInUser(app, Role.STATE_OFFICER, PROVIDER);
    users.second = await signedInUser(app, Role.STATE_OFFICER, SECOND);
    users.third = await signedInUser(app, Role.STATE_OFFICER, THIRD);
    users.secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    for (const user of [users.needingOptedIn, users.providerOptedIn]) {
      await http().put('/api/v1/auth/me/notification-preferences').set(user.auth).send({ notifyByEmail: true }).expect(200);
    }
  });
  afterAll(async () => {
    await app.close();
    await dropScratchDatabase(databaseUrl);
    await mailbox.close();
  });

  it('runs the whole lifecycle: proposal with an offer, acceptance, updates from both sides, completion, one evaluation per side', async () => {
    const need = await openNeed({ title: 'National CERT incident handling' });
    const offer = await openOffer(users.provider, { title: 'Incident handling course, five days' });

    const created = await post(users.provider, `/needs/${need.id}/proposals`, { message: `  ${SECRET_MESSAGE}  `, offerId: offer.id }).expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      needId: need.id,
      needState: NEEDING,
      providerState: PROVIDER,
      offerId: offer.id,
      message: SECRET_MESSAGE,
      status: 'PENDING',
      decidedAt: null,
      engagementId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const proposalId = created.body.id as string;

    // Both parties read it; the needing State's viewer too (capacity:read).
    for (const user of [users.needing, users.needingViewer, users.provider]) {
      expect((await get(user, `/proposals/${proposalId}`).expect(200)).body).toEqual(created.body);
    }
    expect((await get(users.needing, `/needs/${need.id}/proposals`).expect(200)).body.items.map((item: { id: string }) => item.id)).toEqual([proposalId]);

    const accepted = await post(users.needing, `/proposals/${proposalId}/accept`).expect(200);
    expect(accepted.body).toMatchObject({ id: proposalId, status: 'ACCEPTED', engagementId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(accepted.body.decidedAt).not.toBeNull();
    const engagementId = accepted.body.engagementId as string;
    const needAfter = await prisma.capacityNeed.findUniqueOrThrow({ where: { id: need.id } });
    expect(needAfter.status).toBe('IN_PROGRESS');

    const engagement = await get(users.provider, `/engagements/${engagementId}`).expect(200);
    expect(engagement.body).toEqual({
      id: engagementId,
      proposalId,
      needId: need.id,
      needState: NEEDING,
      providerState: PROVIDER,
      offerId: offer.id,
      status: 'ACTIVE',
      startedAt: expect.any(String),
      endedAt: null,
      needEvaluation: null,
      providerEvaluation: null,
      version: 1,
      updatedAt: expect.any(String),
    });
    expect((await get(users.needing, `/engagements/${engagementId}`).expect(200)).body).toEqual(engagement.body);

    const first = await post(users.provider, `/engagements/${engagementId}/updates`, { body: 'Trainers booked for 3 March.' }).expect(201);
    expect(first.body).toEqual({ id: expect.any(String), engagementId, authorState: PROVIDER, body: 'Trainers booked for 3 March.', createdAt: expect.any(String) });
    await post(users.needing, `/engagements/${engagementId}/updates`, { body: 'Ten analysts registered.' }).expect(201);
    const thread = await get(users.needing, `/engagements/${engagementId}/updates`).expect(200);
    expect(thread.body.items.map((update: { authorState: string; body: string }) => [update.authorState, update.body])).toEqual([
      [PROVIDER, 'Trainers booked for 3 March.'],
      [NEEDING, 'Ten analysts registered.'],
    ]);
    expect(thread.body.nextCursor).toBeNull();
    // Paged one at a time, oldest first.
    const page1 = await get(users.provider, `/engagements/${engagementId}/updates?limit=1`).expect(200);
    expect(page1.body.items.map((update: { body: string }) => update.body)).toEqual(['Trainers booked for 3 March.']);
    const page2 = await get(users.provider, `/engagements/${engagementId}/updates?limit=1&cursor=${page1.body.nextCursor}`).expect(200);
    expect(page2.body.items.map((update: { body: string }) => update.body)).toEqual(['Ten analysts registered.']);
    expect(page2.body.nextCursor).toBeNull();

    const completed = await post(users.needing, `/engagements/${engagementId}/complete`).expect(200);
    expect(completed.body).toMatchObject({ status: 'COMPLETED', version: 2 });
    expect(completed.body.endedAt).not.toBeNull();

    await post(users.needing, `/engagements/${engagementId}/evaluation`, { outcome: 'MET', feedback: 'All ten analysts certified.' }).expect(200);
    const both = await post(users.provider, `/engagements/${engagementId}/evaluation`, { outcome: 'PARTLY_MET', feedback: 'Two sessions were shortened.' }).expect(200);
    expect(both.body.needEvaluation).toEqual({ outcome: 'MET', feedback: 'All ten analysts certified.', evaluatedAt: expect.any(String) });
    expect(both.body.providerEvaluation).toEqual({ outcome: 'PARTLY_MET', feedback: 'Two sessions were shortened.', evaluatedAt: expect.any(String) });
    // Both sides see both evaluations.
    expect((await get(users.needing, `/engagements/${engagementId}`).expect(200)).body).toEqual(both.body);

    // Each side once: the second evaluation is a 409, nothing changed.
    await refused(() => post(users.needing, `/engagements/${engagementId}/evaluation`, { outcome: 'NOT_MET', feedback: 'Changed our mind.' }), 409);
    await refused(() => post(users.provider, `/engagements/${engagementId}/evaluation`, { outcome: 'MET', feedback: 'Again.' }), 409);

    // The other side is told of each step, without the texts.
    const events = await prisma.outboxEvent.findMany({ where: { payload: { path: ['engagementId'], equals: engagementId } } });
    expect(events.map((event) => `${event.type} → ${event.stateCode}`).sort()).toEqual(
      [
        `capacity.proposal_accepted → ${PROVIDER}`,
        `capacity.engagement_update → ${NEEDING}`,
        `capacity.engagement_update → ${PROVIDER}`,
        `capacity.engagement_ended → ${PROVIDER}`,
        `capacity.engagement_evaluated → ${PROVIDER}`,
        `capacity.engagement_evaluated → ${NEEDING}`,
      ].sort(),
    );
    expect(events.find((event) => event.type === 'capacity.engagement_ended')?.payload).toEqual({
      engagementId,
      proposalId,
      needId: need.id,
      needTitle: 'National CERT incident handling',
      needState: NEEDING,
      providerState: PROVIDER,
      by: NEEDING,
      status: 'COMPLETED',
    });
    const texts = JSON.stringify(events.map((event) => event.payload));
    for (const text of ['PRIVATE-PROPOSAL-TEXT', 'Trainers booked', 'analysts', 'certified', 'shortened']) expect(texts).not.toContain(text);

    // Every change audited, without the message, the updates or the feedback.
    const audits = await prisma.auditEvent.findMany({ where: { entityId: { in: [proposalId, engagementId] } }, orderBy: { seq: 'asc' } });
    expect(audits.map((audit) => audit.action)).toEqual([
      'capacity_proposal.created',
      'capacity_proposal.accepted',
      'capacity_engagement.updated',
      'capacity_engagement.updated',
      'capacity_engagement.completed',
      'capacity_engagement.evaluated',
      'capacity_engagement.evaluated',
    ]);
    const audited = JSON.stringify(audits.map((audit) => audit.summary));
    for (const text of ['PRIVATE-PROPOSAL-TEXT', 'Trainers booked', 'analysts', 'certified', 'shortened']) expect(audited).not.toContain(text);
    expect(audits[1].summary).toEqual({ needId: need.id, needState: NEEDING, providerState: PROVIDER, status: 'ACCEPTED', engagementId, needStatus: 'IN_PROGRESS' });
  });

  describe('proposing', () => {
    it('refuses bad bodies with 400 naming the fields, nothing changed', async () => {
      const need = await openNeed();
      const path = `/needs/${need.id}/proposals`;
      await refused(() => post(users.provider, path, {}), 400, ['message']);
      await refused(() => post(users.provider, path, { message: '' }), 400, ['message']);
      await refused(() => post(users.provider, path, { message: '   ' }), 400, ['message']);
      await refused(() => post(users.provider, path, { message: 'x'.repeat(5001) }), 400, ['message']);
      await refused(() => post(users.provider, path, { message: 42 }), 400, ['message']);
      await refused(() => post(users.provider, path, { message: 'Hello', offerId: 'not-a-uuid' }), 400, ['offerId']);
      await refused(() => post(users.provider, path, { message: 'Hello', offerId: null }), 400, ['offerId']);
      await refused(() => post(users.provider, path, { message: 'Hello', providerState: THIRD }), 400, ['providerState']);
      await refused(() => post(users.provider, '/needs/not-a-uuid/proposals', { message: 'Hello' }), 400, ['id']);
      expect((await post(users.provider, path, { message: 'x'.repeat(5000) }).expect(201)).body.message).toHaveLength(5000);
    });

    it('takes only one of the provider\'s own OPEN offers (400 on offerId), nothing changed', async () => {
      const need = await openNeed();
      const path = `/needs/${need.id}/proposals`;
      const othersOffer = await openOffer(users.second);
      const draft = await openOffer(users.provider, {}, 'DRAFT');
      const withdrawn = await openOffer(users.provider, {}, 'WITHDRAWN');
      for (const offerId of [othersOffer.id, draft.id, withdrawn.id, '00000000-0000-4000-8000-000000000000']) {
        const response = await refused(() => post(users.provider, path, { message: 'Hello', offerId }), 400, ['offerId']);
        expect(response.body.errors[0].message).toBe("must be one of your State's OPEN offers");
      }
    });

    it('is a 409 on one\'s own need, twice on the same need, or on a need that is not OPEN or is past its time frame', async () => {
      const need = await openNeed();
      await refused(() => post(users.needing, `/needs/${need.id}/proposals`, { message: 'Self-help' }), 409);

      await propose(app, users.provider.auth, need.id);
      const twice = await refused(() => post(users.provider, `/needs/${need.id}/proposals`, { message: 'Again' }), 409);
      expect(twice.body.detail).toBe('Your State has already made a proposal on this need.');
      // Another officer of the same State is the same State.
      await refused(() => post(users.providerOptedIn, `/needs/${need.id}/proposals`, { message: 'Again' }), 409);

      const expired = await openNeed();
      await prisma.$executeRaw`UPDATE capacity_need SET "neededFrom" = NULL, "neededBy" = (now() AT TIME ZONE 'UTC')::date - 1 WHERE id = ${expired.id}::uuid`;
      const late = await refused(() => post(users.provider, `/needs/${expired.id}/proposals`, { message: 'Late' }), 409);
      expect(late.body.detail).toMatch(/past its time frame/);
      // Due today is not past.
      await prisma.$executeRaw`UPDATE capacity_need SET "neededBy" = (now() AT TIME ZONE 'UTC')::date WHERE id = ${expired.id}::uuid`;
      await propose(app, users.provider.auth, expired.id);

      // IN_PROGRESS (a proposal accepted) and FULFILLED needs take no more proposals.
      const { needId } = await activeEngagement();
      await refused(() => post(users.second, `/needs/${needId}/proposals`, { message: 'Me too' }), 409);
      const fulfilled = await openNeed();
      await prisma.capacityNeed.update({ where: { id: fulfilled.id }, data: { status: 'FULFILLED', fulfilledAt: new Date() } });
      await refused(() => post(users.provider, `/needs/${fulfilled.id}/proposals`, { message: 'Late' }), 409);
    });

    it('is a 404 on a need the provider may not see (draft, withdrawn, selected States, none), as on one that does not exist', async () => {
      const draft = await openNeed({}, 'DRAFT');
      const withdrawn = await openNeed({}, 'WITHDRAWN');
      const selected = await openNeed({ tlp: 'AMBER', audience: 'SELECTED_STATES', selectedStates: [SECOND] });
      for (const id of [draft.id, withdrawn.id, selected.id, '00000000-0000-4000-8000-000000000000']) {
        const response = await refused(() => post(users.provider, `/needs/${id}/proposals`, { message: 'Hello' }), 404);
        expect(response.body.detail).toBe('Need not found.');
        await refused(() => get(users.provider, `/needs/${id}/proposals`), 404);
      }
      // The selected State may propose.
      await propose(app, users.second.auth, selected.id);
    });

    it('needs capacity:write: a viewer and the secretariat get 403', async () => {
      const need = await openNeed();
      await refused(() => post(users.needingViewer, `/needs/${need.id}/proposals`, { message: 'Hello' }), 403);
      await refused(() => post(users.secretariat, `/needs/${need.id}/proposals`, { message: 'Hello' }), 403);
      await refused(() => get(users.secretariat, `/needs/${need.id}/proposals`), 403);
      await refused(() => get(users.secretariat, '/proposals'), 403);
    });
  });

  describe('deciding', () => {
    it('accept: only the needing State (403 for the provider, 404 for others), PENDING only, need OPEN or IN_PROGRESS', async () => {
      const need = await openNeed();
      const first = await propose(app, users.provider.auth, need.id);
      const second = await propose(app, users.second.auth, need.id);

      const byProvider = await refused(() => post(users.provider, `/proposals/${first.id}/accept`), 403);
      expect(byProvider.body.detail).toBe('Only the needing State accepts a proposal; the provider may withdraw its own.');
      await refused(() => post(users.third, `/proposals/${first.id}/accept`), 404);
      await refused(() => post(users.second, `/proposals/${first.id}/accept`), 404);
      await refused(() => post(users.needingViewer, `/proposals/${first.id}/accept`), 403);

      // The need closed behind the proposal's back (status set directly): 409, nothing changed.
      await prisma.capacityNeed.update({ where: { id: need.id }, data: { status: 'FULFILLED' } });
      const closed = await refused(() => post(users.needing, `/proposals/${first.id}/accept`), 409);
      expect(closed.body.detail).toBe('A proposal is accepted while its need is OPEN or IN_PROGRESS; the need is FULFILLED.');
      await prisma.capacityNeed.update({ where: { id: need.id }, data: { status: 'OPEN' } });

      const needBefore = await prisma.capacityNeed.findUniqueOrThrow({ where: { id: need.id } });
      await post(users.needing, `/proposals/${first.id}/accept`).expect(200);
      const needAfter = await prisma.capacityNeed.findUniqueOrThrow({ where: { id: need.id } });
      expect([needAfter.status, needAfter.version]).toEqual(['IN_PROGRESS', needBefore.version + 1]);
      await refused(() => post(users.needing, `/proposals/${first.id}/accept`), 409);
      await refused(() => post(users.needing, `/proposals/${first.id}/decline`, {}), 409);

      // A need may take several providers: the second proposal stays PENDING and can be accepted while IN_PROGRESS.
      expect((await get(users.second, `/proposals/${second.id}`).expect(200)).body.status).toBe('PENDING');
      await post(users.needing, `/proposals/${second.id}/accept`).expect(200);
      const needLater = await prisma.capacityNeed.findUniqueOrThrow({ where: { id: need.id } });
      expect([needLater.status, needLater.version]).toEqual(['IN_PROGRESS', needAfter.version]);
      expect(await prisma.capacityEngagement.count({ where: { needId: need.id, status: 'ACTIVE' } })).toBe(2);
    });

    it('two people acting at once: one proposal per State, one acceptance per proposal, the other a 409', async () => {
      const need = await openNeed();
      const proposals = await Promise.all([
        post(users.provider, `/needs/${need.id}/proposals`, { message: 'First' }),
        post(users.providerOptedIn, `/needs/${need.id}/proposals`, { message: 'Second' }),
      ]);
      expect(proposals.map((response) => response.status).sort()).toEqual([201, 409]);
      expect(await prisma.capacityProposal.count({ where: { needId: need.id } })).toBe(1);

      const proposalId = proposals.find((response) => response.status === 201)!.body.id as string;
      const accepts = await Promise.all([post(users.needing, `/proposals/${proposalId}/accept`), post(users.needingAdmin, `/proposals/${proposalId}/accept`)]);
      expect(accepts.map((response) => response.status).sort()).toEqual([200, 409]);
      expect(await prisma.capacityEngagement.count({ where: { proposalId } })).toBe(1);
      expect(await prisma.auditEvent.count({ where: { entityId: proposalId, action: 'capacity_proposal.accepted' } })).toBe(1);
    });

    it('decline: the needing State, PENDING only, with an optional reason told to the provider; withdraw: the provider', async () => {
      const need = await openNeed();
      const declined = await propose(app, users.provider.auth, need.id);
      const withdrawn = await propose(app, users.second.auth, need.id);

      await refused(() => post(users.provider, `/proposals/${declined.id}/decline`, {}), 403);
      await refused(() => post(users.third, `/proposals/${declined.id}/decline`, {}), 404);
      await refused(() => post(users.needing, `/proposals/${declined.id}/decline`, { reason: '  ' }), 400, ['reason']);
      await refused(() => post(users.needing, `/proposals/${declined.id}/decline`, { reason: 'x'.repeat(2001) }), 400, ['reason']);
      const response = await post(users.needing, `/proposals/${declined.id}/decline`, { reason: 'We chose a regional partner.' }).expect(200);
      expect(response.body).toMatchObject({ id: declined.id, status: 'DECLINED', engagementId: null });
      await refused(() => post(users.needing, `/proposals/${declined.id}/decline`, {}), 409);
      await refused(() => post(users.needing, `/proposals/${declined.id}/accept`), 409);
      await refused(() => post(users.provider, `/proposals/${declined.id}/withdraw`), 409);
      const event = await prisma.outboxEvent.findFirstOrThrow({ where: { type: 'capacity.proposal_declined', payload: { path: ['proposalId'], equals: declined.id } } });
      expect(event.stateCode).toBe(PROVIDER);
      expect(event.payload).toEqual({
        proposalId: declined.id,
        needId: need.id,
        needTitle: need.title,
        needState: NEEDING,
        providerState: PROVIDER,
        by: NEEDING,
        cause: 'DECLINED',
        reason: 'We chose a regional partner.',
      });
      // The need is untouched by a decline.
      expect((await prisma.capacityNeed.findUniqueOrThrow({ where: { id: need.id } })).status).toBe('OPEN');

      const byNeeding = await refused(() => post(users.needing, `/proposals/${withdrawn.id}/withdraw`), 403);
      expect(byNeeding.body.detail).toMatch(/Only the State that made a proposal withdraws it/);
      await refused(() => post(users.third, `/proposals/${withdrawn.id}/withdraw`), 404);
      expect((await post(users.second, `/proposals/${withdrawn.id}/withdraw`).expect(200)).body.status).toBe('WITHDRAWN');
      await refused(() => post(users.second, `/proposals/${withdrawn.id}/withdraw`), 409);
      await refused(() => post(users.needing, `/proposals/${withdrawn.id}/accept`), 409);
    });

    it('declinePendingProposals: the pending proposals of a closed need become DECLINED and each provider is told', async () => {
      const need = await openNeed();
      const pending = [await propose(app, users.provider.auth, need.id), await propose(app, users.second.auth, need.id)];
      const third = await propose(app, users.third.auth, need.id);
      await post(users.third, `/proposals/${third.id}/withdraw`).expect(200);
      await prisma.capacityNeed.update({ where: { id: need.id }, data: { status: 'WITHDRAWN', withdrawnAt: new Date() } });

      expect(await app.get(CapacityProposalsService).declinePendingProposals(need.id)).toBe(2);

      const after = await prisma.capacityProposal.findMany({ where: { needId: need.id }, orderBy: { providerState: 'asc' } });
      const expected: Record<string, string> = { [PROVIDER]: 'DECLINED', [SECOND]: 'DECLINED', [THIRD]: 'WITHDRAWN' };
      expect(after.map((proposal) => [proposal.providerState, proposal.status, proposal.decidedAt !== null])).toEqual(
        Object.keys(expected).sort().map((state) => [state, expected[state], true]),
      );
      const events = await prisma.outboxEvent.findMany({ where: { type: 'capacity.proposal_declined', payload: { path: ['needId'], equals: need.id } } });
      expect(events.map((event) => event.stateCode).sort()).toEqual([SECOND, PROVIDER].sort());
      // A withdrawn need is its owner's alone again: its title is not told to the providers.
      expect(events.map((event) => event.payload)).toEqual(
        expect.arrayContaining(pending.map((proposal) => expect.objectContaining({ proposalId: proposal.id, cause: 'NEED_WITHDRAWN', needTitle: null, reason: null }))),
      );
      expect(await app.get(CapacityProposalsService).declinePendingProposals(need.id)).toBe(0);
    });
  });

  describe('engagements', () => {
    it('takes updates while ACTIVE only, completion from the needing State only, cancellation from either side with a reason', async () => {
      const { engagementId } = await activeEngagement();
      const path = `/engagements/${engagementId}`;
      await refused(() => post(users.provider, `${path}/updates`, {}), 400, ['body']);
      await refused(() => post(users.provider, `${path}/updates`, { body: ' ' }), 400, ['body']);
      await refused(() => post(users.provider, `${path}/updates`, { body: 'x'.repeat(5001) }), 400, ['body']);
      await refused(() => post(users.needing, `${path}/evaluation`, { outcome: 'MET', feedback: 'Too early' }), 409);
      const byProvider = await refused(() => post(users.provider, `${path}/complete`), 403);
      expect(byProvider.body.detail).toBe('Only the needing State completes an engagement; either side may cancel it.');
      await refused(() => post(users.provider, `${path}/cancel`, {}), 400, ['reason']);
      await refused(() => post(users.provider, `${path}/cancel`, { reason: 'x'.repeat(2001) }), 400, ['reason']);

      const cancelled = await post(users.provider, `${path}/cancel`, { reason: 'Our trainers are no longer available.' }).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'CANCELLED', version: 2 });
      const thread = await get(users.needing, `${path}/updates`).expect(200);
      expect(thread.body.items.map((update: { authorState: string; body: string }) => [update.authorState, update.body])).toEqual([
        [PROVIDER, 'Our trainers are no longer available.'],
      ]);

      await refused(() => post(users.provider, `${path}/updates`, { body: 'Late news' }), 409);
      await refused(() => post(users.needing, `${path}/complete`), 409);
      await refused(() => post(users.needing, `${path}/cancel`, { reason: 'Twice' }), 409);

      await refused(() => post(users.needing, `${path}/evaluation`, { outcome: 'SUPERB', feedback: 'x' }), 400, ['outcome']);
      await refused(() => post(users.needing, `${path}/evaluation`, { outcome: 'NOT_MET' }), 400, ['feedback']);
      await refused(() => post(users.needing, `${path}/evaluation`, { outcome: 'NOT_MET', feedback: 'x'.repeat(5001) }), 400, ['feedback']);
      const evaluated = await post(users.needing, `${path}/evaluation`, { outcome: 'NOT_MET', feedback: 'Cancelled before it started.' }).expect(200);
      expect(evaluated.body.needEvaluation).toMatchObject({ outcome: 'NOT_MET' });
      expect(evaluated.body.providerEvaluation).toBeNull();
      await refused(() => post(users.needing, `${path}/evaluation`, { outcome: 'NOT_MET', feedback: 'Again' }), 409);
    });

    it('lists the caller\'s engagements and proposals by side and status, in keyset pages', async () => {
      const providerView = async (query: string) => {
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const page: request.Response = await get(users.second, `/proposals?limit=1&${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
          expect(page.body.items.length).toBeLessThanOrEqual(1);
          ids.push(...page.body.items.map((item: { id: string }) => item.id));
          cursor = page.body.nextCursor;
        } while (cursor);
        return ids;
      };
      // What this test lists, it makes: three proposals of the second provider's (one withdrawn) and a completed engagement.
      for (const withdraw of [true, false, false]) {
        const proposal = await propose(app, users.second.auth, (await openNeed()).id);
        if (withdraw) await post(users.second, `/proposals/${proposal.id}/withdraw`).expect(200);
      }
      await post(users.needing, `/engagements/${(await activeEngagement()).engagementId}/complete`).expect(200);
      const own = await prisma.capacityProposal.findMany({ where: { providerState: SECOND }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      expect(own.length).toBeGreaterThan(2);
      expect(await providerView('side=providing')).toEqual(own.map((proposal) => proposal.id));
      expect(await providerView('')).toEqual(own.map((proposal) => proposal.id));
      expect(await providerView('side=needing')).toEqual([]);
      expect(await providerView('status=WITHDRAWN')).toEqual(own.filter((proposal) => proposal.status === 'WITHDRAWN').map((proposal) => proposal.id));

      const received = await get(users.needing, '/proposals?side=needing&status=PENDING&limit=200').expect(200);
      const expected = await prisma.capacityProposal.findMany({ where: { needState: NEEDING, status: 'PENDING' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      expect(received.body.items.map((item: { id: string }) => item.id)).toEqual(expected.map((proposal) => proposal.id));

      const engagements = await prisma.capacityEngagement.findMany({ where: { providerState: PROVIDER }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] });
      const listed = await get(users.provider, '/engagements?limit=200').expect(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual(engagements.map((engagement) => engagement.id));
      const completed = await get(users.needing, '/engagements?status=COMPLETED').expect(200);
      expect(completed.body.items.length).toBeGreaterThan(0);
      expect(completed.body.items.every((item: { status: string }) => item.status === 'COMPLETED')).toBe(true);

      await refused(() => get(users.provider, '/proposals?side=both'), 400, ['side']);
      await refused(() => get(users.provider, '/proposals?cursor=bm90LW91cnM'), 400, ['cursor']);
      await refused(() => get(users.provider, '/engagements?status=DONE'), 400, ['status']);
    });
  });

  it('a third State sees none of the proposals and engagements, in lists or directly (404 on every route)', async () => {
    const { needId, proposalId, engagementId } = await activeEngagement();
    const pendingNeed = await openNeed();
    const pending = await propose(app, users.provider.auth, pendingNeed.id);

    expect((await get(users.third, '/engagements?limit=200').expect(200)).body.items).toEqual([]);
    const thirdProposals = (await get(users.third, '/proposals?limit=200').expect(200)).body.items.map((item: { providerState: string; needState: string }) => [item.providerState, item.needState]);
    // Only the third State's own proposals (made earlier in this file as a provider).
    expect(thirdProposals.every(([providerState]: string[]) => providerState === THIRD)).toBe(true);
    // The need is visible to it (ALL_STATES), the other States' proposals on it are not.
    expect((await get(users.third, `/needs/${needId}/proposals`).expect(200)).body.items).toEqual([]);
    expect((await get(users.third, `/needs/${pendingNeed.id}/proposals`).expect(200)).body.items).toEqual([]);
    expect((await get(users.second, `/needs/${pendingNeed.id}/proposals`).expect(200)).body.items).toEqual([]);
    expect((await get(users.provider, `/needs/${pendingNeed.id}/proposals`).expect(200)).body.items.map((item: { id: string }) => item.id)).toEqual([pending.id]);

    for (const id of [proposalId, pending.id]) {
      await refused(() => get(users.third, `/proposals/${id}`), 404);
      await refused(() => post(users.third, `/proposals/${id}/accept`), 404);
      await refused(() => post(users.third, `/proposals/${id}/decline`, {}), 404);
      await refused(() => post(users.third, `/proposals/${id}/withdraw`), 404);
    }
    const engagementPath = `/engagements/${engagementId}`;
    const missing = await refused(() => get(users.third, engagementPath), 404);
    expect(missing.body.detail).toBe('Engagement not found.');
    await refused(() => get(users.third, `${engagementPath}/updates`), 404);
    await refused(() => post(users.third, `${engagementPath}/updates`, { body: 'Hello' }), 404);
    await refused(() => post(users.third, `${engagementPath}/complete`), 404);
    await refused(() => post(users.third, `${engagementPath}/cancel`, { reason: 'Because' }), 404);
    await refused(() => post(users.third, `${engagementPath}/evaluation`, { outcome: 'MET', feedback: 'Fine' }), 404);
    // The same answers as for records that do not exist.
    await refused(() => get(users.provider, '/proposals/00000000-0000-4000-8000-000000000000'), 404);
    await refused(() => get(users.provider, '/engagements/00000000-0000-4000-8000-000000000000'), 404);
  });

  it('tells the other side: the needing State\'s opted-in users and webhook of a proposal, the provider\'s of its acceptance; no contacts, no private text', async () => {
    await worker.drain();
    mailbox.clear();
    await createContact(app, NEEDING, { emails: ['duty@npl.example'] });
    const receiver = await startReceiver();
    try {
      const hook = await createWebhook(app, users.needingAdmin.auth, { url: receiver.url, eventTypes: ['capacity.proposal_received'] });
      // The lead's need_matched notice, rendered by the template written here: the offer first, then the need it matches.
      const offer = await openOffer(users.provider, { title: 'Tabletop exercise kit' });
      const need = await openNeed({ title: 'Cyber exercise for the energy regulator' });
      await worker.drain();
      const matched = mailbox.to(users.providerOptedIn.email).filter((mail) => mail.headers['x-cbm-event'] === 'capacity.need_matched');
      expect(matched.map((mail) => mail.subject)).toEqual(['[CBM Registry] Capacity-building: Nepal needs help that your offers match']);
      expect(matched[0].text).toContain('Cyber exercise for the energy regulator');
      expect(matched[0].text).toContain('- Tabletop exercise kit\n');
      mailbox.clear();

      const proposal = await propose(app, users.provider.auth, need.id, { message: SECRET_MESSAGE, offerId: offer.id });
      await worker.drain();

      expect(mailbox.messages.map((mail) => mail.to)).toEqual([[users.needingOptedIn.email]]);
      const [received] = mailbox.messages;
      expect(received.subject).toBe('[CBM Registry] Capacity-building: Kiribati proposes help with a need of Nepal');
      expect(received.headers['x-cbm-event']).toBe('capacity.proposal_received');
      expect(received.text).toContain('Kiribati made a proposal on the capacity-building need of Nepal "Cyber exercise for the energy regulator".');
      expect(received.text).toContain('It proposes its offer "Tabletop exercise kit".');
      expect(received.text).toContain(`https://cbm.example/api/v1/capacity/proposals/${proposal.id}`);
      expect(received.text).not.toContain('PRIVATE-PROPOSAL-TEXT');

      expect(receiver.calls).toHaveLength(1);
      const delivered = JSON.parse(receiver.calls[0].body);
      expect(delivered).toMatchObject({ type: 'capacity.proposal_received', state: NEEDING });
      expect(delivered.data).toEqual({
        proposalId: proposal.id,
        needId: need.id,
        needTitle: 'Cyber exercise for the energy regulator',
        needState: NEEDING,
        providerState: PROVIDER,
        by: PROVIDER,
        offerId: offer.id,
        offerTitle: 'Tabletop exercise kit',
      });

      mailbox.clear();
      const accepted = await post(users.needing, `/proposals/${proposal.id}/accept`).expect(200);
      await post(users.provider, `/engagements/${accepted.body.engagementId}/updates`, { body: 'PRIVATE-UPDATE-TEXT' }).expect(201);
      await worker.drain();
      // The webhook is subscribed to proposals received only.
      expect(receiver.calls).toHaveLength(1);
      const toProvider = mailbox.to(users.providerOptedIn.email);
      expect(toProvider.map((mail) => mail.subject)).toEqual(['[CBM Registry] Capacity-building: Nepal accepted the proposal of Kiribati']);
      expect(toProvider[0].text).toContain(`https://cbm.example/api/v1/capacity/engagements/${accepted.body.engagementId}`);
      const toNeeding = mailbox.to(users.needingOptedIn.email);
      expect(toNeeding.map((mail) => mail.subject)).toEqual(['[CBM Registry] Capacity-building: new update from Kiribati on an engagement']);
      expect(toNeeding[0].text).not.toContain('PRIVATE-UPDATE-TEXT');
      // Users who did not opt in, and the duty contacts, hear nothing of capacity-building.
      for (const address of [users.needing.email, users.provider.email, 'duty@npl.example']) expect(mailbox.to(address)).toHaveLength(0);
      expect(await prisma.notification.count({ where: { webhookId: hook.webhook.id } })).toBe(1);
    } finally {
      await new Promise((resolve) => receiver.server.close(resolve));
    }
  });
});
