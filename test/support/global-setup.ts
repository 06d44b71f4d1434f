import { Client } from 'pg';
// Relative paths: Jest loads global setup outside its module registry, so moduleNameMapper is not applied.
import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres';
import { applyMigrations } from '../../libs/database/src/migrations';
import {
  TEST_DATABASE_PREFIX_VARIABLE,
  TEST_EMBEDDED_DIR,
  TEST_EMBEDDED_PORT,
  TEST_SERVER_URL_VARIABLE,
  templateDatabaseName,
  withDatabase,
  workerDatabaseName,
} from './test-database';

interface JestGlobalConfig {
  maxWorkers: number;
}

/**
 * One database per Jest worker, cloned from a template migrated once: workers never share rows, and
 * migrations run once per test run rather than once per file. DATABASE_URL names the server (CI's
 * local PostgreSQL); without it an embedded server is started with its data in .data/postgres-test.
 */
export default async function globalSetup(globalConfig: JestGlobalConfig): Promise<void> {
  let serverUrl: string;
  let prefix: string;
  if (process.env.DATABASE_URL) {
    serverUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
    // Named after the configured database, and always with a _test suffix: the run never drops the
    // database DATABASE_URL itself points to.
    const configured = new URL(process.env.DATABASE_URL).pathname.replace(/^\//, '') || 'cbm_registry';
    prefix = `${configured}_test`;
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir: TEST_EMBEDDED_DIR, port: TEST_EMBEDDED_PORT });
    (globalThis as { __cbmEmbeddedPostgres__?: unknown }).__cbmEmbeddedPostgres__ = embedded;
    serverUrl = embedded.serverUrl;
    prefix = 'cbm_test';
  }

  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const template = templateDatabaseName(prefix);
    await recreateDatabase(admin, template);
    await applyMigrations(withDatabase(serverUrl, template));
    for (let worker = 1; worker <= globalConfig.maxWorkers; worker++) {
      await recreateDatabase(admin, workerDatabaseName(prefix, worker), template);
    }
  } finally {
    await admin.end();
  }
  process.env[TEST_SERVER_URL_VARIABLE] = serverUrl;
  process.env[TEST_DATABASE_PREFIX_VARIABLE] = prefix;
}

async function recreateDatabase(admin: Client, name: string, template?: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.query(
    `CREATE DATABASE ${admin.escapeIdentifier(name)}${template ? ` TEMPLATE ${admin.escapeIdentifier(template)}` : ''}`,
  );
}
