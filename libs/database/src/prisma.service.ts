import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import type { Environment } from '@cbm/common';
import { PrismaClient } from './generated/prisma/client';

/**
 * The one PrismaClient of the process, on a pg pool we own: the pool's size, timeouts and error
 * handler are ours, and its counters feed /metrics and /health/ready.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');
  readonly pool: Pool;

  constructor(config: ConfigService<Environment, true>) {
    const pool = new Pool({
      connectionString: config.get('DATABASE_URL', { infer: true }),
      max: config.get('DATABASE_POOL_SIZE', { infer: true }),
      connectionTimeoutMillis: config.get('DATABASE_CONNECT_TIMEOUT_MS', { infer: true }),
      statement_timeout: config.get('DATABASE_STATEMENT_TIMEOUT_MS', { infer: true }),
      application_name: 'cbm-registry',
    });
    // An idle connection that the server drops (restart, failover) emits 'error' on the pool; with
    // no listener Node would crash the process. The pool discards the client and reconnects later.
    pool.on('error', (error) => PrismaService.logger.warn(`Idle database connection lost: ${error.message}`));
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
  }

  /**
   * Not onModuleDestroy: Nest calls that before it closes the HTTP server, which would take the
   * database away from requests still being drained. Shutdown hooks run after the server has closed.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.pool.end();
  }
}
