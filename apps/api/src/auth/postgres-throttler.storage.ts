import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { PrismaService } from '@cbm/database';

/**
 * The sign-in rate limit's counters, in PostgreSQL: every API process on the database counts the same
 * hits, so the limit holds however many processes serve. A fixed window per `ttl` (one upsert per
 * attempt); expired windows are swept now and then by whichever process happens to be counting.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly prisma: PrismaService) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const windowStart = Math.floor(now / ttl) * ttl;
    const [row] = await this.prisma.$queryRaw<Array<{ hits: number }>>`
      INSERT INTO rate_limit_hit (key, "windowStart", hits, "expiresAt")
      VALUES (${`${throttlerName}:${key}`}, ${new Date(windowStart)}, 1, ${new Date(windowStart + ttl)})
      ON CONFLICT (key, "windowStart") DO UPDATE SET hits = rate_limit_hit.hits + 1
      RETURNING hits`;
    if (Math.random() < 0.01) await this.prisma.$executeRaw`DELETE FROM rate_limit_hit WHERE "expiresAt" < now()`;
    const timeToExpire = Math.max(1, Math.ceil((windowStart + ttl - now) / 1000));
    const isBlocked = row.hits > limit;
    return { totalHits: row.hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }
}
