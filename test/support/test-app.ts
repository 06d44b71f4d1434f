import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import passport from 'passport';
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
  restoreStrategiesOnClose(app);
  return { app, environment };
}

type Strategies = Record<string, unknown>;
const registry = passport as unknown as { _strategies: Strategies };
/** The strategies of each app of this file not yet closed, oldest first. */
const liveApps: Array<{ app: NestExpressApplication; strategies: Strategies }> = [];

/**
 * Passport keeps strategies process-wide, and each app registers its own (bound to its database and
 * secrets) as it starts: a second app in the same file takes over the first one's, and once closed it
 * would leave the first app authenticating through a closed pool. Closing an app hands the
 * strategies back to the newest app still open, so apps may be made and closed in any order.
 */
function restoreStrategiesOnClose(app: NestExpressApplication): void {
  liveApps.push({ app, strategies: { ...registry._strategies } });
  // Nest hands out a proxy that ignores assignments: the method is defined on the app itself.
  const close = (Object.getPrototypeOf(app) as NestExpressApplication).close;
  Object.defineProperty(app, 'close', {
    configurable: true,
    value: async () => {
      try {
        await close.call(app);
      } finally {
        liveApps.splice(liveApps.findIndex((live) => live.app === app), 1);
        const newest = liveApps[liveApps.length - 1];
        if (newest) registry._strategies = { ...newest.strategies };
      }
    },
  });
}

/** Runs `use` against an app built for this one case (an unusual configuration), then closes it. */
export async function withTestApp<T>(overrides: Record<string, string>, use: (app: NestExpressApplication) => Promise<T>): Promise<T> {
  const { app } = await createTestApp(overrides);
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}
