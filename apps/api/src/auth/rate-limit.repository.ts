import { Injectable } from '@nestjs/common';
import { Database } from '@cbm/database';

/** The sign-in rate limit's counters: one row per key and fixed window. */
@Injectable()
export class RateLimitRepository {
  constructor(private readonly database: Database) {}

  /** Counts one hit in the window (one upsert); answers the hits of the window so far. */
  async countHit(key: string, windowStart: Date, expiresAt: Date): Promise<number> {
    const [row] = await this.database.prisma.$queryRaw<Array<{ hits: number }>>`
      INSERT INTO rate_limit_hit (key, "windowStart", hits, "expiresAt")
      VALUES (${key}, ${windowStart}, 1, ${expiresAt})
      ON CONFLICT (key, "windowStart") DO UPDATE SET hits = rate_limit_hit.hits + 1
      RETURNING hits`;
    return row.hits;
  }

  async deleteExpiredWindows(): Promise<void> {
    await this.database.prisma.$executeRaw`DELETE FROM rate_limit_hit WHERE "expiresAt" < now()`;
  }
}
