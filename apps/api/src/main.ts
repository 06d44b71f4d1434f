import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from 'nestjs-pino';
import { Environment, InvalidEnvironmentError, validateEnvironment } from '@cbm/common';
import { applyMigrations, ensureDatabase, projectRoot, RunningEmbeddedPostgres, startEmbeddedPostgres } from '@cbm/database';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

const EMBEDDED_DATABASE_NAME = 'cbm_registry';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const environment = readEnvironment();
  const bootLogger = new NestLogger('Bootstrap');

  let embedded: RunningEmbeddedPostgres | undefined;
  let dataLocation = 'the database at DATABASE_URL';
  if (!environment.DATABASE_URL) {
    const dataDir = path.resolve(projectRoot(), environment.EMBEDDED_POSTGRES_DIR);
    bootLogger.log(`No DATABASE_URL: starting the embedded PostgreSQL (data in ${dataDir})`);
    embedded = await startEmbeddedPostgres({ dataDir, port: environment.EMBEDDED_POSTGRES_PORT });
    await ensureDatabase(embedded.serverUrl, EMBEDDED_DATABASE_NAME);
    environment.DATABASE_URL = embedded.databaseUrl(EMBEDDED_DATABASE_NAME);
    // Sign-ins survive a restart of a local installation: its token secret is kept with its data.
    environment.JWT_SECRET ??= await readOrCreateSecret(path.join(dataDir, 'jwt-secret'));
    environment.AUDIT_CHAIN_KEY ??= await readOrCreateSecret(path.join(dataDir, 'audit-chain-key'));
    dataLocation = `${dataDir} (embedded PostgreSQL on 127.0.0.1:${environment.EMBEDDED_POSTGRES_PORT}, ${embedded.initialisedNow ? 'created now' : 'reused'})`;
  }
  if (environment.MIGRATE_ON_START) {
    await applyMigrations(environment.DATABASE_URL);
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(environment), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app, environment);
  await app.listen(environment.PORT, environment.HOST);

  const logger = app.get(Logger);
  const base = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const startupMs = Math.round(performance.now() - startedAt);
  logger.log(
    `CBM Registry ready in ${startupMs} ms. API: ${base}/api/v1 | Swagger UI: ` +
      `${environment.SWAGGER_ENABLED ? `${base}/docs` : 'disabled'} | data: ${dataLocation}`,
    'Bootstrap',
  );

  installShutdown(app, environment, embedded, logger);
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (up to
 * SHUTDOWN_TIMEOUT_MS), close the pool, then stop the embedded database last. A second signal
 * exits at once.
 */
function installShutdown(
  app: NestExpressApplication,
  environment: Environment,
  embedded: RunningEmbeddedPostgres | undefined,
  logger: Logger,
): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal} received: draining requests, then stopping`);
    const deadline = setTimeout(() => {
      logger.error(`Shutdown took longer than ${environment.SHUTDOWN_TIMEOUT_MS} ms: exiting`);
      process.exit(1);
    }, environment.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    try {
      await app.close();
      await embedded?.stop();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'Shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
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

function readEnvironment(): Environment {
  try {
    return validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error('CBM Registry failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
