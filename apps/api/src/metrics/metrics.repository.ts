import { Injectable } from '@nestjs/common';
import { Database } from '@cbm/database';

export interface PoolCounters {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** What the Prometheus gauges read at each scrape: the pool's counters and the notification backlog. */
@Injectable()
export class MetricsRepository {
  constructor(private readonly database: Database) {}

  /** The pg pool's counters, read without a query. */
  poolCounters(): PoolCounters {
    const pool = this.database.pool;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
  }

  /** Notifications waiting or being retried (PENDING) and given up (FAILED). */
  async notificationBacklog(): Promise<{ PENDING: number; FAILED: number }> {
    const rows = await this.database.prisma.notification.groupBy({ by: ['status'], where: { status: { in: ['PENDING', 'FAILED'] } }, _count: { _all: true } });
    const count = (status: string) => rows.find((row) => row.status === status)?._count._all ?? 0;
    return { PENDING: count('PENDING'), FAILED: count('FAILED') };
  }

  undispatchedEvents(): Promise<number> {
    return this.database.prisma.outboxEvent.count({ where: { dispatchedAt: null } });
  }
}
