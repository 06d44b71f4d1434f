import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Environment, validateEnvironment } from '@cbm/common';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/configure-app';
import { workerDatabaseUrl } from './test-database';

/**
 * The whole application as main.ts builds it, on this worker's database, ready for supertest.
 * `overrides` are environment variables, validated like the real ones.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<{
  app: NestExpressApplication;
  environment: Environment;
}> {
  const environment = validateEnvironment({
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    DATABASE_URL: workerDatabaseUrl(),
    // Every test request comes from 127.0.0.1: the sign-in rate limit has its own test.
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    // Tests run the notification worker's rounds themselves (worker.drain()), when they choose.
    NOTIFICATION_WORKER_ENABLED: 'false',
    ...overrides,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(environment), {
    bodyParser: false,
    logger: false,
  });
  configureApp(app, environment);
  await app.init();
  return { app, environment };
}

/**
 * Runs `use` against an app built for this one case (an unusual configuration), then closes it.
 * Passport keeps strategies process-wide, so the new app's take over: in a file that also has a
 * long-lived app, put these cases after the ones that use tokens issued before.
 */
export async function withTestApp<T>(overrides: Record<string, string>, use: (app: NestExpressApplication) => Promise<T>): Promise<T> {
  const { app } = await createTestApp(overrides);
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}
