import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Environment, InvalidEnvironmentError, validateEnvironment } from '@cbm/common';
import { DatabaseModule } from '@cbm/database';
import { AuditModule } from '../audit';
import { OutboxModule } from '../outbox';
import { SecretsModule } from '../secrets';
import { NotificationsModule } from './notifications.module';

/**
 * A notification worker without the HTTP API: `node dist/apps/api/src/notifications/worker.js` with
 * the API's DATABASE_URL. Run as many as needed beside the API processes (which deliver too unless
 * NOTIFICATION_WORKER_ENABLED=false): the outbox is shared safely.
 */
async function main(): Promise<void> {
  let environment: Environment;
  try {
    environment = validateEnvironment({ ...process.env, NOTIFICATION_WORKER_ENABLED: 'true' });
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  if (!environment.DATABASE_URL) {
    console.error('The worker needs DATABASE_URL: it joins a database that an API process (or your deployment) has migrated.');
    process.exit(2);
  }

  @Module({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...environment })] }),
      DatabaseModule,
      OutboxModule,
      SecretsModule,
      AuditModule,
      NotificationsModule,
    ],
  })
  class WorkerModule {}

  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: environment.LOG_LEVEL === 'silent' ? false : ['log', 'warn', 'error', 'fatal'],
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  new Logger('Notifications').log(`Notification worker ${process.pid} running`);
}

void main();
