import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Database, PrismaService, Role, UnitOfWork } from '@cbm/database';
import { AUDIT_CHAIN_LOCK } from '../apps/api/src/audit/audit.repository';
import { createContact, participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

/**
 * Audit events are journaled in the change's own transaction and moved into the hash chain after it
 * commits (UnitOfWork.afterCommit): no transaction holds the chain's lock while it works, so writers
 * never queue behind each other's transactions for it.
 */
describe('After commit: audit events join the chain once their change has committed', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let unitOfWork: UnitOfWork;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    await participate(app, 'PLW');
    prisma = app.get(PrismaService);
    unitOfWork = app.get(UnitOfWork);
  });
  afterAll(() => app.close());

  it('runs a hook once, after the outermost unit of work commits, and never for one that rolls back', async () => {
    const contact = await createContact(app, 'PLW', { name: 'After commit probe' });
    const seen: string[] = [];
    // Read on another connection: it sees the change only once committed.
    const hook = async () => void seen.push(`hook sees ${(await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).notes}`);
    await unitOfWork.run(async () => {
      await unitOfWork.run(async () => {
        await app.get(Database).prisma.contact.update({ where: { id: contact.id }, data: { notes: 'committed' } });
        await unitOfWork.afterCommit(hook);
        seen.push('inner work');
      });
      await unitOfWork.afterCommit(hook);
      seen.push('outer work');
    });
    expect(seen).toEqual(['inner work', 'outer work', 'hook sees committed']);

    await expect(
      unitOfWork.run(async () => {
        await unitOfWork.afterCommit(async () => void seen.push('rolled back'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(seen).not.toContain('rolled back');
  });

  it("commits a directory change while another holds the chain's lock, and answers once its event is chained", async () => {
    const officer = await signedInUser(app, Role.STATE_OFFICER, 'PLW');
    const contact = await createContact(app, 'PLW', { name: 'Lock probe' });
    const holder = await prisma.pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [AUDIT_CHAIN_LOCK.toString()]);
      const answered = request(app.getHttpServer()).post(`/api/v1/contacts/${contact.id}/verify`).set(officer.auth).then((response) => response);
      // The change commits although the chain is locked; its event waits in the journal.
      for (let tries = 0; tries < 200 && (await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).lastVerifiedAt === null; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).lastVerifiedAt).not.toBeNull();
      expect(await prisma.auditEvent.count({ where: { entityId: contact.id, action: 'contact.verified' } })).toBe(0);
      await holder.query('SELECT pg_advisory_unlock($1::bigint)', [AUDIT_CHAIN_LOCK.toString()]);
      expect((await answered).status).toBe(200);
      expect(await prisma.auditEvent.count({ where: { entityId: contact.id, action: 'contact.verified' } })).toBe(1);
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
  });
});
