import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Environment } from '@cbm/common';
import { applyMigrations, ensureDatabase, projectRoot, RunningEmbeddedPostgres, startEmbeddedPostgres } from '@cbm/database';

const EMBEDDED_DATABASE_NAME = 'cbm_registry';

export interface PreparedDatabase {
  embedded?: RunningEmbeddedPostgres;
  /** Where the data is, for the start-up message. */
  location: string;
}

/**
 * Makes `environment.DATABASE_URL` point at a migrated database: the configured one, or the embedded
 * PostgreSQL with its data in EMBEDDED_POSTGRES_DIR. Used by the service and by the demo seed.
 */
export async function prepareDatabase(environment: Environment): Promise<PreparedDatabase> {
  const logger = new Logger('Database');
  let embedded: RunningEmbeddedPostgres | undefined;
  let location = 'the database at DATABASE_URL';
  if (!environment.DATABASE_URL) {
    const dataDir = path.resolve(projectRoot(), environment.EMBEDDED_POSTGRES_DIR);
    logger.log(`No DATABASE_URL: starting the embedded PostgreSQL (data in ${dataDir})`);
    embedded = await startEmbeddedPostgres({ dataDir, port: environment.EMBEDDED_POSTGRES_PORT });
    await ensureDatabase(embedded.serverUrl, EMBEDDED_DATABASE_NAME);
    environment.DATABASE_URL = embedded.databaseUrl(EMBEDDED_DATABASE_NAME);
    // A local installation keeps its secrets with its data: sign-ins and the audit chain survive restarts.
    environment.JWT_SECRET ??= await readOrCreateSecret(path.join(dataDir, 'jwt-secret'));
    environment.AUDIT_CHAIN_KEY ??= await readOrCreateSecret(path.join(dataDir, 'audit-chain-key'));
    environment.APP_SECRET_KEY ??= await readOrCreateSecret(path.join(dataDir, 'app-secret-key'));
    location = `${dataDir} (embedded PostgreSQL on 127.0.0.1:${environment.EMBEDDED_POSTGRES_PORT}, ${embedded.initialisedNow ? 'created now' : 'reused'})`;
  }
  if (environment.MIGRATE_ON_START) await applyMigrations(environment.DATABASE_URL);
  return { embedded, location };
}

async function readOrCreateSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
