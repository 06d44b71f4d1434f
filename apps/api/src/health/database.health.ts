import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { HealthRepository } from './health.repository';

class PingTimeout extends Error {}

/**
 * The database's part of /health/ready, answered as Terminus's Prisma indicator answered it: `up`,
 * `down` with "timeout of …ms exceeded" when the ping is too slow, or `down` alone when it fails.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly health: HealthRepository,
  ) {}

  async pingCheck(key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PingTimeout()), timeoutMs);
    });
    try {
      await Promise.race([this.health.ping(), timeout]);
    } catch (error) {
      return error instanceof PingTimeout ? check.down(`timeout of ${timeoutMs}ms exceeded`) : check.down();
    } finally {
      clearTimeout(timer);
    }
    return check.up();
  }
}
