import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { minimalRequestBody, postRequest } from './fixtures/request.fixture';
import { participate, signedInUser } from './support/factories';
import { AuditRepository } from '../apps/api/src/audit/audit.repository';
import { createTestApp } from './support/test-app';

/**
 * The audit log is hash-chained. Tampering is simulated as a database owner would do it: with the
 * append-only trigger switched off. Each case restores the row, so the chain is whole again after it.
 */
describe('Audit log', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  let secretariat: Awaited<ReturnType<typeof signedInUser>>;
  let adminA: Awaited<ReturnType<typeof signedInUser>>;
  let officerA: Awaited<ReturnType<typeof signedInUser>>;

  async function asOwner(statements: (sql: PrismaService) => Promise<unknown>): Promise<void> {
    await prisma.$executeRawUnsafe('ALTER TABLE "audit_event" DISABLE TRIGGER "audit_event_append_only"');
    try {
      await statements(prisma);
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE "audit_event" ENABLE TRIGGER "audit_event_append_only"');
    }
  }

  const verify = async () => (await http().get('/api/v1/audit-events/verify').set(secretariat.auth).expect(200)).body;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'JPN', 'MEX');
    secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    adminA = await signedInUser(app, Role.STATE_ADMIN, 'JPN');
    officerA = await signedInUser(app, Role.STATE_OFFICER, 'JPN');
    // Some history: users made in two States.
    for (const [auth, email] of [[adminA.auth, 'a1@jpn.example'], [secretariat.auth, 'first@mex.example']] as const) {
      await http()
        .post('/api/v1/users')
        .set(auth)
        .send(
          email.endsWith('mex.example')
            ? { email, displayName: 'First administrator', role: 'STATE_ADMIN', stateCode: 'MEX' }
            : { email, displayName: 'Someone', role: 'STATE_VIEWER' },
        )
        .expect(201);
    }
  });
  afterAll(() => app.close());

  it('records each change with actor, State, request id and a summary, and the chain verifies', async () => {
    const created = await http()
      .post('/api/v1/users')
      .set(adminA.auth)
      .set('X-Request-Id', 'audit-test-1')
      .send({ email: 'a2@jpn.example', displayName: 'Second', role: 'STATE_OFFICER' })
      .expect(201);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'user.created', entityId: created.body.user.id } });
    expect(event).toMatchObject({
      actorUserId: adminA.id,
      actorStateCode: 'JPN',
      stateCode: 'JPN',
      entityType: 'user',
      requestId: 'audit-test-1',
      summary: { after: { email: 'a2@jpn.example', displayName: 'Second', role: 'STATE_OFFICER', stateCode: 'JPN' }, invited: true },
    });
    expect(JSON.stringify(event.summary)).not.toMatch(/inv_|password/i);
    expect(await verify()).toMatchObject({ valid: true, firstBreak: null });
  });

  it('shows a State administrator only the events by or about their State; the secretariat all', async () => {
    const asA = await http().get('/api/v1/audit-events?limit=200').set(adminA.auth).expect(200);
    expect(asA.body.items.length).toBeGreaterThan(0);
    expect(asA.body.items.every((e: { stateCode: string; actorStateCode: string }) => e.stateCode === 'JPN' || e.actorStateCode === 'JPN')).toBe(true);

    const mexico = await http().get('/api/v1/audit-events?stateCode=MEX&action=user.created').set(secretariat.auth).expect(200);
    expect(mexico.body.items.map((e: { summary: { after: { email: string } } }) => e.summary.after.email)).toContain('first@mex.example');
    const mexicoAsA = await http().get('/api/v1/audit-events?stateCode=MEX').set(adminA.auth).expect(200);
    expect(mexicoAsA.body.items.length).toBeGreaterThan(0);
    expect(mexicoAsA.body.items.every((e: { stateCode: string; actorStateCode: string }) => e.stateCode === 'JPN' || e.actorStateCode === 'JPN')).toBe(true);

    const officer = await signedInUser(app, Role.STATE_OFFICER, 'JPN');
    await http().get('/api/v1/audit-events').set(officer.auth).expect(403);
    await http().get('/api/v1/audit-events/verify').set(adminA.auth).expect(403);
  });

  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await http()
        .get(`/api/v1/audit-events?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        .set(secretariat.auth)
        .expect(200);
      seen.push(...page.body.items.map((e: { seq: string }) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    const total = await prisma.auditEvent.count();
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => b - a));
  });

  it('refuses a cursor beyond any position with 400, not a database error', async () => {
    const response = await http().get('/api/v1/audit-events?cursor=9999999999999999999').set(secretariat.auth).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('cannot be changed through the application connection: the table is append-only', async () => {
    await expect(prisma.auditEvent.updateMany({ data: { action: 'nothing.happened' } })).rejects.toThrow(/append-only/);
    await expect(prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
  });

  it('names an edited row', async () => {
    const target = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'user.created' }, orderBy: { seq: 'asc' } });
    await asOwner((sql) => sql.$executeRaw`UPDATE "audit_event" SET "summary" = '{"after":{"role":"STATE_VIEWER"}}' WHERE "seq" = ${target.seq}`);
    try {
      expect(await verify()).toMatchObject({ valid: false, firstBreak: { seq: target.seq.toString(), reason: 'hash-mismatch' } });
    } finally {
      await asOwner((sql) => sql.$executeRaw`UPDATE "audit_event" SET "summary" = ${target.summary}::jsonb WHERE "seq" = ${target.seq}`);
    }
    expect((await verify()).valid).toBe(true);
  });

  it('names a deleted row', async () => {
    // Not the newest: a deleted last row leaves no gap behind it (that is the chain head's job).
    const [, target] = await prisma.auditEvent.findMany({ orderBy: { seq: 'desc' }, take: 2 });
    await asOwner((sql) => sql.auditEvent.delete({ where: { seq: target.seq } }));
    try {
      expect(await verify()).toMatchObject({ valid: false, firstBreak: { seq: (target.seq + 1n).toString(), reason: 'sequence-gap' } });
    } finally {
      await asOwner((sql) => sql.auditEvent.create({ data: { ...target, summary: target.summary ?? undefined } }));
    }
    expect((await verify()).valid).toBe(true);
  });

  it('names reordered rows', async () => {
    const [first, second] = await prisma.auditEvent.findMany({ orderBy: { seq: 'asc' }, take: 2, skip: 1 });
    const swap = (a: typeof first, b: typeof first) =>
      asOwner(async (sql) => {
        await sql.auditEvent.update({ where: { seq: a.seq }, data: { seq: -1n } });
        await sql.auditEvent.update({ where: { seq: b.seq }, data: { seq: a.seq } });
        await sql.auditEvent.update({ where: { seq: -1n }, data: { seq: b.seq } });
      });
    await swap(first, second);
    try {
      const result = await verify();
      expect(result).toMatchObject({ valid: false, firstBreak: { seq: first.seq.toString() } });
      expect(['hash-mismatch', 'previous-hash-mismatch']).toContain(result.firstBreak.reason);
    } finally {
      await swap(first, second);
    }
    expect((await verify()).valid).toBe(true);
  });

  it('stays one unbroken chain under 20 concurrent writers', async () => {
    const before = await prisma.auditEvent.count();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        http()
          .post('/api/v1/users')
          .set(adminA.auth)
          .send({ email: `concurrent.${index}@jpn.example`, displayName: `Concurrent ${index}`, role: 'STATE_VIEWER' }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(await prisma.auditEvent.count()).toBe(before + 20);
    const result = await verify();
    expect(result).toMatchObject({ valid: true, checked: before + 20 });
  });

  const postFiling = (title: string) =>
    postRequest(app, officerA.auth, minimalRequestBody({ type: 'CONSULTATION', recipients: ['MEX'], urgency: 'PRIORITY', title, description: 'Journaled, then chained.' }));

  it('chains journaled events (filings) and locked appends (other changes) into one chain, each event once', async () => {
    const before = await prisma.auditEvent.count();
    const [filings, users] = await Promise.all([
      Promise.all(Array.from({ length: 24 }, (_, index) => postFiling(`Journaled filing ${index}`))),
      Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          http().post('/api/v1/users').set(adminA.auth).send({ email: `interleaved.${index}@jpn.example`, displayName: `Interleaved ${index}`, role: 'STATE_VIEWER' }),
        ),
      ),
    ]);
    expect([...filings, ...users].map((response) => response.status)).toEqual(Array(32).fill(201));
    // Each filing answers after its event is in the chain: nothing waits in the journal, nothing twice.
    expect(await prisma.auditJournalEntry.count()).toBe(0);
    const filed = await prisma.auditEvent.findMany({ where: { action: 'request.created', entityId: { in: filings.map((response) => response.body.id) } } });
    expect(filed.map((event) => event.entityId).sort()).toEqual(filings.map((response) => response.body.id).sort());
    expect(filed[0]).toMatchObject({ actorUserId: officerA.id, actorStateCode: 'JPN', entityType: 'request' });
    expect(await prisma.auditEvent.count()).toBe(before + 32);
    expect(await verify()).toMatchObject({ valid: true, checked: before + 32 });
  });

  it('chains an event left in the journal (its process stopped after the commit) before anyone reads the log', async () => {
    await prisma.$executeRaw`
      INSERT INTO "audit_journal" ("occurredAt", "actorStateCode", "stateCode", "action", "entityType", "entityId", "summary")
      VALUES (now(), 'JPN', 'JPN', 'request.created', 'request', 'left-in-journal', '{"reference": "REQ-2026-999999"}')`;
    const listed = await http().get('/api/v1/audit-events').query({ entityId: 'left-in-journal' }).set(adminA.auth).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ action: 'request.created', summary: { reference: 'REQ-2026-999999' } })]);
    expect(await prisma.auditJournalEntry.count()).toBe(0);
    expect((await verify()).valid).toBe(true);
  });

  it('answers a filing whose event could not be chained after its commit, and chains the event later, once', async () => {
    const repository = app.get(AuditRepository);
    // Until the read below, the 5-second sweep stays out of the way: it would chain the event (or meet the failure) first.
    const sweep = jest.spyOn(repository, 'journalIsEmpty').mockResolvedValue(true);
    const failure = jest.spyOn(repository, 'chainJournal').mockRejectedValueOnce(new Error('connection terminated'));
    try {
      const filed = await postFiling('Filed while the chain was out of reach').expect(201);
      expect(failure).toHaveBeenCalled();
      expect(await prisma.auditJournalEntry.count({ where: { entityId: filed.body.id } })).toBe(1);
      expect(await prisma.auditEvent.count({ where: { entityId: filed.body.id } })).toBe(0);
      // The next reader (or the sweep) chains it.
      sweep.mockRestore();
      const listed = await http().get('/api/v1/audit-events').query({ entityId: filed.body.id }).set(adminA.auth).expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ action: 'request.created', entityId: filed.body.id })]);
      expect(await prisma.auditJournalEntry.count()).toBe(0);
      expect((await verify()).valid).toBe(true);
    } finally {
      failure.mockRestore();
      sweep.mockRestore();
    }
  });

  it('never edits a journaled event: it is moved into the chain whole or not at all', async () => {
    await prisma.$executeRaw`INSERT INTO "audit_journal" ("occurredAt", "action") VALUES (now(), 'journal.edit.attempt')`;
    await expect(prisma.auditJournalEntry.updateMany({ data: { action: 'nothing.happened' } })).rejects.toThrow(/never edited/);
    expect((await verify()).valid).toBe(true);
    expect(await prisma.auditEvent.count({ where: { action: 'journal.edit.attempt' } })).toBe(1);
  });
});
