import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { performance } from 'node:perf_hooks';
import { Logger } from 'nestjs-pino';
import { Environment, InvalidEnvironmentError, validateEnvironment } from '@cbm/common';
import type { RunningEmbeddedPostgres } from '@cbm/database';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { prepareDatabase } from './runtime/prepare-database';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const environment = readEnvironment();

  const { embedded, location: dataLocation } = await prepareDatabase(environment);

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
