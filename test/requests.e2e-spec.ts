import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { createApiKey } from './fixtures/api-key.fixture';
import { fileRequest, postRequest, requestBody } from './fixtures/request.fixture';
import { atTime } from './support/clock';
import { participate, signedInUser, SignedIn } from './support/factories';
import { createTestApp } from './support/test-app';

describe('Requests between States', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  const users = {} as Record<'requester' | 'nld' | 'phl' | 'egy' | 'cri' | 'third' | 'secretariat' | 'viewerNld', SignedIn & { id: string }>;

  const file = (body: object, key?: string) => postRequest(app, users.requester.auth, body, key);
  const act = (who: keyof typeof users, id: string, body: Record<string, unknown>) =>
    http().post(`/api/v1/requests/${id}/actions`).set(users[who].auth).send(body);

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'ITA', 'NLD', 'PHL', 'EGY', 'CRI', 'PER');
    users.requester = await signedInUser(app, Role.STATE_OFFICER, 'ITA');
    users.nld = await signedInUser(app, Role.STATE_OFFICER, 'NLD');
    users.phl = await signedInUser(app, Role.STATE_OFFICER, 'PHL');
    users.egy = await signedInUser(app, Role.STATE_OFFICER, 'EGY');
    users.cri = await signedInUser(app, Role.STATE_OFFICER, 'CRI');
    users.third = await signedInUser(app, Role.STATE_ADMIN, 'PER');
    users.secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    users.viewerNld = await signedInUser(app, Role.STATE_VIEWER, 'NLD');
  });
  afterAll(() => app.close());

  it('files a request with a reference and deadlines, and tells the recipient through the outbox', async () => {
    const response = await file(requestBody()).expect(201);
    expect(response.body).toMatchObject({
      reference: expect.stringMatching(/^REQ-\d{4}-\d{6}$/),
      requesterState: 'ITA',
      tlp: 'AMBER',
      recipients: [{ stateCode: 'NLD', status: 'SUBMITTED', overdue: false }],
    });
    const hours = (new Date(response.body.acknowledgeBy).getTime() - new Date(response.body.createdAt).getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(12, 1);
    expect(await prisma.outboxEvent.count({ where: { type: 'request.created', stateCode: 'NLD', payload: { path: ['requestId'], equals: response.body.id } } })).toBe(1);
  });

  it('walks the whole workflow, and refuses every action out of turn with 409 and nothing changed', async () => {
    const filed = await fileRequest(app, users.requester.auth);
    const id = filed.id;
    const expectConflict = async (who: keyof typeof users, body: Record<string, unknown>) => {
      const before = await prisma.requestRecipient.findMany({ where: { requestId: id }, orderBy: { stateCode: 'asc' } });
      const response = await act(who, id, body).expect(409);
      expect(response.body.code).toBe('TRANSITION_NOT_ALLOWED');
      expect(await prisma.requestRecipient.findMany({ where: { requestId: id }, orderBy: { stateCode: 'asc' } })).toEqual(before);
    };
    await expectConflict('nld', { action: 'ANSWER', note: 'Too early' });
    await expectConflict('requester', { action: 'CLOSE', recipient: 'NLD' });
    await expectConflict('requester', { action: 'ACKNOWLEDGE' });
    await expectConflict('nld', { action: 'CLOSE', recipient: 'NLD' });

    await act('nld', id, { action: 'ACKNOWLEDGE' }).expect(200);
    await expectConflict('nld', { action: 'ACKNOWLEDGE' });
    await act('nld', id, { action: 'START' }).expect(200);
    await act('nld', id, { action: 'ANSWER' }).expect(400);
    const answered = await act('nld', id, { action: 'ANSWER', note: 'Servers seized; logs preserved.' }).expect(200);
    expect(answered.body.recipients[0]).toMatchObject({ status: 'ANSWERED', answer: 'Servers seized; logs preserved.' });
    await expectConflict('requester', { action: 'WITHDRAW' });
    await act('requester', id, { action: 'CLOSE', recipient: 'NLD' }).expect(200);
    await expectConflict('requester', { action: 'CLOSE', recipient: 'NLD' });

    const final = await http().get(`/api/v1/requests/${id}`).set(users.requester.auth).expect(200);
    expect(final.body.transitions.map((t: { action: string; fromStatus: string; toStatus: string }) => `${t.action}:${t.fromStatus}>${t.toStatus}`)).toEqual([
      'ACKNOWLEDGE:SUBMITTED>ACKNOWLEDGED',
      'START:ACKNOWLEDGED>IN_PROGRESS',
      'ANSWER:IN_PROGRESS>ANSWERED',
      'CLOSE:ANSWERED>CLOSED',
    ]);
    expect(await prisma.auditEvent.count({ where: { entityType: 'request', entityId: id } })).toBe(5);
  });

  it('the requester may withdraw before any answer', async () => {
    const filed = await fileRequest(app, users.requester.auth, { recipients: ['NLD', 'PHL'] });
    await act('nld', filed.id, { action: 'ACKNOWLEDGE' }).expect(200);
    const withdrawn = await act('requester', filed.id, { action: 'WITHDRAW' }).expect(200);
    expect(withdrawn.body.recipients.map((r: { status: string }) => r.status)).toEqual(['WITHDRAWN', 'WITHDRAWN']);
    await act('nld', filed.id, { action: 'START' }).expect(409);
  });

  it('a multilateral request: one answers, one declines, one reports capacity limits (counted)', async () => {
    const filed = await fileRequest(app, users.requester.auth, { type: 'INVESTIGATION', recipients: ['NLD', 'PHL', 'EGY'] });
    const id = filed.id;
    await act('nld', id, { action: 'ACKNOWLEDGE' }).expect(200);
    await act('nld', id, { action: 'ANSWER', note: 'Investigated; the actor is abroad.' }).expect(200);
    await act('phl', id, { action: 'DECLINE' }).expect(400);
    await act('phl', id, { action: 'DECLINE', note: 'Outside our jurisdiction.' }).expect(200);
    await act('egy', id, { action: 'UNABLE_CAPACITY', note: 'We need forensic tooling and training to analyse these servers.' }).expect(200);

    const asRequester = await http().get(`/api/v1/requests/${id}`).set(users.requester.auth).expect(200);
    expect(asRequester.body.recipients.map((r: { stateCode: string; status: string }) => `${r.stateCode}:${r.status}`)).toEqual([
      'EGY:UNABLE_CAPACITY',
      'NLD:ANSWERED',
      'PHL:DECLINED',
    ]);
    // Each recipient sees its own answer, not the others'.
    const asPhl = await http().get(`/api/v1/requests/${id}`).set(users.phl.auth).expect(200);
    expect(asPhl.body.recipients.find((r: { stateCode: string }) => r.stateCode === 'NLD').answer).toBeUndefined();
    expect(asPhl.body.recipients.find((r: { stateCode: string }) => r.stateCode === 'PHL').answer).toBe('Outside our jurisdiction.');
    // Nor through the history of transitions, whose notes are answers too.
    expect(asPhl.body.transitions.map((t: { recipientState: string }) => t.recipientState)).toEqual(['PHL']);
    expect(JSON.stringify(asPhl.body)).not.toContain('the actor is abroad');
    expect(JSON.stringify(asPhl.body)).not.toContain('forensic tooling');
    const egyAct = await act('egy', id, { action: 'ACKNOWLEDGE' }).expect(409);
    expect(JSON.stringify(egyAct.body)).not.toContain('the actor is abroad');
  });

  it('counts statistics exactly: a State sees its own recipients, the secretariat all of them', async () => {
    const globalStats = async () => (await http().get('/api/v1/requests/stats').set(users.secretariat.auth).expect(200)).body;
    const globalBefore = await globalStats();
    // CRI takes part in this test only: its figures are these three requests and nothing else.
    const investigation = await fileRequest(app, users.requester.auth, { type: 'INVESTIGATION', recipients: ['CRI', 'NLD'] });
    const mitigation = await fileRequest(app, users.requester.auth, { type: 'MITIGATION', recipients: ['CRI'] });
    await fileRequest(app, users.requester.auth, { type: 'ASSISTANCE', recipients: ['CRI'] });
    await act('cri', investigation.id, { action: 'ACKNOWLEDGE' }).expect(200);
    await act('cri', investigation.id, { action: 'ANSWER', note: 'Found and taken down.' }).expect(200);
    await act('cri', mitigation.id, { action: 'UNABLE_CAPACITY', note: 'We lack the tooling.' }).expect(200);
    // Durations made exact: acknowledged after 10 minutes, answered after an hour.
    const filedAt = new Date(Date.now() - 2 * 3_600_000);
    await prisma.cbmRequest.update({ where: { id: investigation.id }, data: { createdAt: filedAt } });
    await prisma.requestRecipient.updateMany({
      where: { requestId: investigation.id, stateCode: 'CRI' },
      data: { acknowledgedAt: new Date(filedAt.getTime() + 600_000), answeredAt: new Date(filedAt.getTime() + 3_600_000) },
    });

    const stats = await http().get('/api/v1/requests/stats').set(users.cri.auth).expect(200);
    expect(stats.body).toEqual({
      stateCode: 'CRI',
      byType: { INVESTIGATION: 1, MITIGATION: 1, ASSISTANCE: 1 },
      byStatus: { ANSWERED: 1, UNABLE_CAPACITY: 1, SUBMITTED: 1 },
      timeToAcknowledge: { median: 600, p90: 600 },
      timeToAnswer: { median: 3600, p90: 3600 },
      unableCapacity: 1,
      unableCapacityNeeds: { opened: 0, fulfilled: 0 },
    });

    // The secretariat counts every recipient of every request: NLD's row too.
    const globalAfter = await globalStats();
    const added = (after: Record<string, number>, before: Record<string, number>) =>
      Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - (before[key] ?? 0)]).filter(([, count]) => count !== 0));
    expect(globalAfter.stateCode).toBeNull();
    expect(added(globalAfter.byType, globalBefore.byType)).toEqual({ INVESTIGATION: 1, MITIGATION: 1, ASSISTANCE: 1 });
    expect(added(globalAfter.byStatus, globalBefore.byStatus)).toEqual({ ANSWERED: 1, UNABLE_CAPACITY: 1, SUBMITTED: 2 });
    expect(globalAfter.unableCapacity - globalBefore.unableCapacity).toBe(1);
  });

  it('keeps contents from a third State (404, absent from lists) and from the secretariat (metadata only)', async () => {
    const filed = await fileRequest(app, users.requester.auth, { recipients: ['NLD'] });
    const id = filed.id;
    await http().get(`/api/v1/requests/${id}`).set(users.third.auth).expect(404);
    await http().get(`/api/v1/requests/${id}/messages`).set(users.third.auth).expect(404);
    await act('third', id, { action: 'ACKNOWLEDGE' }).expect(404);
    const thirdList = await http().get('/api/v1/requests?limit=200').set(users.third.auth).expect(200);
    expect(thirdList.body.items.map((r: { id: string }) => r.id)).not.toContain(id);

    const metadata = await http().get(`/api/v1/requests/${id}`).set(users.secretariat.auth).expect(200);
    expect(metadata.body).toMatchObject({ id, type: 'MITIGATION', requesterState: 'ITA', recipients: [{ stateCode: 'NLD', status: 'SUBMITTED' }] });
    for (const field of ['title', 'description', 'indicators', 'requestedActions', 'transitions']) expect(metadata.body).not.toHaveProperty(field);
    const adminList = await http().get('/api/v1/requests?limit=200').set(users.secretariat.auth).expect(200);
    const listed = adminList.body.items.find((r: { id: string }) => r.id === id);
    expect(listed).toBeDefined();
    expect(JSON.stringify(adminList.body)).not.toContain('Botnet command servers');
    await http().get(`/api/v1/requests/${id}/messages`).set(users.secretariat.auth).expect(403);

    const incoming = await http().get('/api/v1/requests?direction=incoming&limit=200').set(users.nld.auth).expect(200);
    expect(incoming.body.items.map((r: { id: string }) => r.id)).toContain(id);
    const outgoing = await http().get('/api/v1/requests?direction=outgoing&limit=200').set(users.nld.auth).expect(200);
    expect(outgoing.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  it('a key that may only respond acts on incoming requests but reads no contents', async () => {
    const admin = await signedInUser(app, Role.STATE_ADMIN, 'NLD');
    const apiKey = await createApiKey(app, admin.auth, { name: 'Ticketing bridge', permissions: ['request:respond'] });
    const filed = await fileRequest(app, users.requester.auth, { recipients: ['NLD'] });
    const acted = await http().post(`/api/v1/requests/${filed.id}/actions`).set('X-API-Key', apiKey.key).send({ action: 'ACKNOWLEDGE' }).expect(200);
    expect(acted.body.recipients[0].status).toBe('ACKNOWLEDGED');
    expect(acted.body).not.toHaveProperty('description');
    expect(acted.body).not.toHaveProperty('indicators');
    await http().get(`/api/v1/requests/${filed.id}`).set('X-API-Key', apiKey.key).expect(403);
    await postRequest(app, { 'X-API-Key': apiKey.key }, requestBody({ recipients: ['ITA'] })).expect(403);
  });

  it('answers a retry from its record even after the request could no longer be filed', async () => {
    const key = `late-${randomUUID()}`;
    // Filed an hour ago with a deadline half an hour ago: the deadline has passed by the retry.
    const respondBy = new Date(Date.now() - 30 * 60_000).toISOString();
    const first = await atTime(Date.now() - 60 * 60_000, () => file(requestBody({ title: 'Late retry', respondBy }), key).expect(201));
    const retry = await file(requestBody({ title: 'Late retry', respondBy }), key).expect(201);
    expect(retry.body).toEqual(first.body);
    // The same filing under a new key is refused: the retry was answered from its record, not let through.
    const fresh = await file(requestBody({ title: 'Late retry', respondBy })).expect(400);
    expect(fresh.body.errors.map((error: { field: string }) => error.field)).toEqual(['respondBy']);
    expect(await prisma.cbmRequest.count({ where: { title: 'Late retry' } })).toBe(1);
  });

  it('threads messages to all parties or to one recipient only', async () => {
    const filed = await fileRequest(app, users.requester.auth, { recipients: ['NLD', 'PHL'] });
    const id = filed.id;
    await http().post(`/api/v1/requests/${id}/messages`).set(users.requester.auth).send({ body: 'To both of you.' }).expect(201);
    await http().post(`/api/v1/requests/${id}/messages`).set(users.requester.auth).send({ body: 'Only for the Netherlands.', toState: 'NLD' }).expect(201);
    await http().post(`/api/v1/requests/${id}/messages`).set(users.phl.auth).send({ body: 'Privately to Italy.', toState: 'ITA' }).expect(201);
    await http().post(`/api/v1/requests/${id}/messages`).set(users.phl.auth).send({ body: 'x', toState: 'NLD' }).expect(400);

    const bodies = async (who: keyof typeof users) =>
      (await http().get(`/api/v1/requests/${id}/messages`).set(users[who].auth).expect(200)).body.items.map((m: { body: string }) => m.body);
    expect(await bodies('requester')).toEqual(['To both of you.', 'Only for the Netherlands.', 'Privately to Italy.']);
    expect(await bodies('nld')).toEqual(['To both of you.', 'Only for the Netherlands.']);
    expect(await bodies('phl')).toEqual(['To both of you.', 'Privately to Italy.']);
    expect(await bodies('viewerNld')).toEqual(['To both of you.', 'Only for the Netherlands.']);
    await http().post(`/api/v1/requests/${id}/messages`).set(users.viewerNld.auth).send({ body: 'Viewer' }).expect(403);
  });

  it('is idempotent: a retry returns the first answer, another body is 422, 50 concurrent duplicates make 1 request', async () => {
    const key = `retry-${randomUUID()}`;
    const first = await file(requestBody({ title: 'Idempotent filing' }), key).expect(201);
    const retry = await file(requestBody({ title: 'Idempotent filing' }), key).expect(201);
    expect(retry.body).toEqual(first.body);
    const conflict = await file(requestBody({ title: 'Something else' }), key).expect(422);
    expect(conflict.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await http().post('/api/v1/requests').set(users.requester.auth).send(requestBody()).expect(400);

    const burstKey = `burst-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 50 }, () => file(requestBody({ title: 'Burst filing' }), burstKey)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await prisma.cbmRequest.count({ where: { title: 'Burst filing' } })).toBe(1);
  });

  it.each([
    ['indicators.0.value', { indicators: [{ type: 'IPV4', value: '999.1.1.1' }] }],
    ['indicators.0.value', { indicators: [{ type: 'DOMAIN', value: 'not a domain' }] }],
    ['indicators.0.value', { indicators: [{ type: 'SHA256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85' }] }],
    ['indicators.0.type', { indicators: [{ type: 'IPV5', value: '1.2.3.4' }] }],
    ['recipients', { recipients: ['ITA'] }],
    ['recipients', { recipients: ['TUV'] }],
    ['recipients', { recipients: [] }],
    ['urgency', { urgency: 'WHENEVER' }],
    ['respondBy', { respondBy: '2020-01-01T00:00:00Z' }],
    ['requesterState', { requesterState: 'NLD' }],
    ['description', { description: 'Text with a NUL \u0000 inside' }],
    ['incidentStart', { incidentStart: '-100000-01-01T00:00:00Z' }],
  ])('refuses %s with 400 naming it, filing nothing', async (field, overrides) => {
    const before = await prisma.cbmRequest.count();
    const response = await file(requestBody(overrides)).expect(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await prisma.cbmRequest.count()).toBe(before);
  });

  it('lists overdue requests and filters by status, type and urgency', async () => {
    const filed = await fileRequest(app, users.requester.auth, { urgency: 'CRITICAL', type: 'ASSISTANCE' });
    await prisma.cbmRequest.update({ where: { id: filed.id }, data: { acknowledgeBy: new Date(Date.now() - 60_000) } });
    const overdue = await http().get('/api/v1/requests?overdue=true&limit=200').set(users.nld.auth).expect(200);
    expect(overdue.body.items.map((r: { id: string }) => r.id)).toContain(filed.id);
    expect(overdue.body.items.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
    const onTime = await http().get('/api/v1/requests?overdue=false&limit=200').set(users.nld.auth).expect(200);
    expect(onTime.body.items.map((r: { id: string }) => r.id)).not.toContain(filed.id);
    const critical = await http().get('/api/v1/requests?urgency=CRITICAL&type=ASSISTANCE&status=SUBMITTED&limit=200').set(users.nld.auth).expect(200);
    expect(critical.body.items.map((r: { id: string }) => r.id)).toContain(filed.id);
  });

  it('writes the reference it draws everywhere the filing goes, and answers a retry from its record after the filing could no longer be made', async () => {
    const key = `everywhere-${randomUUID()}`;
    // Filed an hour ago with a deadline half an hour ago: the deadline has passed by the retry.
    const respondBy = new Date(Date.now() - 30 * 60_000).toISOString();
    const first = await atTime(Date.now() - 60 * 60_000, () =>
      file(requestBody({ title: 'One reference everywhere', recipients: ['PHL', 'EGY'], respondBy }), key).expect(201),
    );
    const { id, reference } = first.body as { id: string; reference: string };
    expect((await prisma.cbmRequest.findUniqueOrThrow({ where: { id } })).reference).toBe(reference);
    const events = await prisma.outboxEvent.findMany({ where: { type: 'request.created', payload: { path: ['requestId'], equals: id } } });
    expect(events.map((event) => (event.payload as { reference: string }).reference)).toEqual([reference, reference]);
    const audited = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'request.created', entityId: id } });
    expect(audited.summary).toMatchObject({ reference });

    // A recipient leaves, and the deadline passes: the retry still gets the first answer, and the
    // same filing under a new key is refused for both reasons.
    await prisma.state.update({ where: { code: 'EGY' }, data: { participating: false } });
    try {
      const retry = await file(requestBody({ title: 'One reference everywhere', recipients: ['PHL', 'EGY'], respondBy }), key).expect(201);
      expect(retry.body).toEqual(first.body);
      const fresh = await file(requestBody({ title: 'One reference everywhere', recipients: ['PHL', 'EGY'], respondBy })).expect(400);
      expect(fresh.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['recipients', 'respondBy']);
      const absentOnly = await file(requestBody({ title: 'Not filed', recipients: ['PHL', 'EGY'] })).expect(400);
      expect(absentOnly.body.errors).toEqual([expect.objectContaining({ field: 'recipients', message: expect.stringContaining('EGY') })]);
      expect(await prisma.cbmRequest.count({ where: { title: 'Not filed' } })).toBe(0);
    } finally {
      await prisma.state.update({ where: { code: 'EGY' }, data: { participating: true } });
    }
  });

  it('pads the number of a reference to six digits and never cuts a longer one', async () => {
    const [{ last }] = await prisma.$queryRaw<Array<{ last: bigint }>>`SELECT last_value AS last FROM request_reference_seq`;
    try {
      await prisma.$executeRaw`SELECT setval('request_reference_seq', 999999)`;
      const { body } = await file(requestBody({ title: 'The millionth request' })).expect(201);
      expect(body.reference).toBe(`REQ-${new Date(body.createdAt).getUTCFullYear()}-1000000`);
    } finally {
      await prisma.$executeRaw`SELECT setval('request_reference_seq', ${last})`;
    }
  });
});

