import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { Database, PrismaService, UnitOfWork } from '@cbm/database';
import { AuditService } from '../apps/api/src/audit';
import { OutboxRepository } from '../apps/api/src/outbox';
import { createTestApp } from './support/test-app';

/**
 * The one mechanism every change relies on: repository calls and audit and outbox events inside
 * UnitOfWork.run are one transaction, without the service ever holding it.
 */
describe('UnitOfWork', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let unitOfWork: UnitOfWork;
  let audit: AuditService;
  let outbox: OutboxRepository;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    unitOfWork = app.get(UnitOfWork);
    audit = app.get(AuditService);
    outbox = app.get(OutboxRepository);
  });

  afterAll(async () => {
    await app.close();
  });

  const traces = async (marker: string) => ({
    audit: await prisma.auditEvent.count({ where: { entityId: marker } }),
    outbox: await prisma.outboxEvent.count({ where: { payload: { path: ['marker'], equals: marker } } }),
  });

  const change = (marker: string) => async () => {
    await outbox.emit([{ type: 'webhook.ping', stateCode: 'KEN', payload: { marker } }]);
    await audit.record({ action: 'test.unit-of-work', actor: null, entityType: 'test', entityId: marker });
  };

  it('keeps every write of a unit of work when it succeeds', async () => {
    const marker = randomUUID();
    await unitOfWork.run(change(marker));
    expect(await traces(marker)).toEqual({ audit: 1, outbox: 1 });
  });

  it('keeps none of them when it fails, audit event and outbox event included', async () => {
    const marker = randomUUID();
    await expect(
      unitOfWork.run(async () => {
        await change(marker)();
        throw new Error('the change fails after its events were written');
      }),
    ).rejects.toThrow('the change fails');
    expect(await traces(marker)).toEqual({ audit: 0, outbox: 0 });
  });

  it('joins the unit of work under way instead of committing on its own', async () => {
    const marker = randomUUID();
    await expect(
      unitOfWork.run(async () => {
        await unitOfWork.run(change(marker));
        throw new Error('the outer unit fails after the inner one returned');
      }),
    ).rejects.toThrow('the outer unit fails');
    expect(await traces(marker)).toEqual({ audit: 0, outbox: 0 });
  });

  it('writes an audit event on its own outside any unit of work', async () => {
    const marker = randomUUID();
    await change(marker)();
    expect(await traces(marker)).toEqual({ audit: 1, outbox: 1 });
  });

  it('gives repositories the transaction only while a unit of work runs', async () => {
    const database = app.get(Database);
    expect(database.prisma).toBe(prisma);
    await unitOfWork.run(async () => {
      expect(database.prisma).not.toBe(prisma);
    });
    expect(database.prisma).toBe(prisma);
  });
});
