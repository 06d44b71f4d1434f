import path from 'node:path';
import { Client } from 'pg';

/** Port of the embedded server the tests start when DATABASE_URL is unset (not the service's). */
export const TEST_EMBEDDED_PORT = Number(process.env.TEST_EMBEDDED_POSTGRES_PORT ?? 54339);
export const TEST_EMBEDDED_DIR = path.resolve(__dirname, '..', '..', '.data', 'postgres-test');
/** Set by the global setup for the workers: the server on which the test databases live. */
export const TEST_SERVER_URL_VARIABLE = 'CBM_TEST_SERVER_URL';
export const TEST_DATABASE_PREFIX_VARIABLE = 'CBM_TEST_DATABASE_PREFIX';

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function templateDatabaseName(prefix: string): string {
  return `${prefix}_template`;
}

export function workerDatabaseName(prefix: string, workerId: string | number): string {
  return `${prefix}_w${workerId}`;
}

/** The database of the calling Jest worker, migrated by the global setup. */
export function workerDatabaseUrl(): string {
  const serverUrl = process.env[TEST_SERVER_URL_VARIABLE];
  const prefix = process.env[TEST_DATABASE_PREFIX_VARIABLE];
  if (!serverUrl || !prefix) throw new Error('The Jest global setup (test/support/global-setup.ts) did not run');
  return withDatabase(serverUrl, workerDatabaseName(prefix, process.env.JEST_WORKER_ID ?? '1'));
}

/**
 * A database of its own for a test whose precondition concerns the whole database (no platform
 * administrator at all, say): cloned from the migrated template, so the worker's database, which
 * other files share, is left alone. Drop it with `dropScratchDatabase`.
 */
export async function createScratchDatabase(purpose: string): Promise<string> {
  const serverUrl = process.env[TEST_SERVER_URL_VARIABLE];
  const prefix = process.env[TEST_DATABASE_PREFIX_VARIABLE];
  if (!serverUrl || !prefix) throw new Error('The Jest global setup (test/support/global-setup.ts) did not run');
  const name = `${workerDatabaseName(prefix, process.env.JEST_WORKER_ID ?? '1')}_${purpose}`;
  await onServer(serverUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(templateDatabaseName(prefix))}`);
  });
  return withDatabase(serverUrl, name);
}

export async function dropScratchDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.replace(/^\//, '');
  await onServer(withDatabase(url, 'postgres'), (admin) => admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`));
}

async function onServer(serverUrl: string, use: (admin: Client) => Promise<unknown>): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await use(admin);
  } finally {
    await admin.end();
  }
}
