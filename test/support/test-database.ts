import path from 'node:path';

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
