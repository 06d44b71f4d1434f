import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { RateLimitRepository } from './rate-limit.repository';

/**
 * The sign-in rate limit's counters, in PostgreSQL: every API process on the database counts the same
 * hits, so the limit holds however many processes serve. A fixed window per `ttl` (one upsert per
 * attempt); expired windows are swept now and then by whichever process happens to be counting.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly hits: RateLimitRepository) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const windowStart = Math.floor(now / ttl) * ttl;
    const hits = await this.hits.countHit(`${throttlerName}:${key}`, new Date(windowStart), new Date(windowStart + ttl));
    if (Math.random() < 0.01) await this.hits.deleteExpiredWindows();
    const timeToExpire = Math.max(1, Math.ceil((windowStart + ttl - now) / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }
}
