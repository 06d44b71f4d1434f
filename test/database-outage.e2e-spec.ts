import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { applyMigrations, ensureDatabase } from '@cbm/database';
import { EmbeddedPostgresProcess, startEmbeddedPostgresProcess } from './support/embedded-postgres-process';
import { createTestApp } from './support/test-app';

/**
 * The service must survive its database going away: requests during the outage get 503 with
 * Retry-After (never a crash, never a 500), and it recovers by itself once the database is back.
 * A PostgreSQL of the test's own is stopped and started; no server another test uses is touched.
 */
describe('Database outage', () => {
  const port = 54350 + Number(process.env.JEST_WORKER_ID ?? 1);
  let dataDir: string;
  let database: EmbeddedPostgresProcess | undefined;
  let app: NestExpressApplication;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cbm-outage-'));
    database = await startEmbeddedPostgresProcess(dataDir, port);
    await ensureDatabase(database.serverUrl, 'cbm_outage');
    await applyMigrations(database.databaseUrl('cbm_outage'));
    ({ app } = await createTestApp({ DATABASE_URL: database.databaseUrl('cbm_outage'), DATABASE_CONNECT_TIMEOUT_MS: '1000' }));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while the database is down, and recovers when it is back', async () => {
    await request(app.getHttpServer()).get('/api/v1/states/PAK').expect(200);

    await database!.stop();
    database = undefined;

    const during = await request(app.getHttpServer()).get('/api/v1/states/PAK').expect(503);
    expect(during.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(during.headers['retry-after']).toBe('5');
    expect(during.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(JSON.stringify(during.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);

    const notReady = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(notReady.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(notReady.headers['retry-after']).toBe('5');
    await request(app.getHttpServer()).get('/health/live').expect(200);

    database = await startEmbeddedPostgresProcess(dataDir, port);
    await request(app.getHttpServer()).get('/api/v1/states/PAK').expect(200);
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  }, 60_000);
});
