import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, PrismaHealthIndicator } from '@nestjs/terminus';
import { PrismaService } from '@cbm/database';

/** What the readiness probe asks of the database: Terminus's own ping, on the process's client. */
@Injectable()
export class HealthRepository {
  constructor(
    private readonly indicator: PrismaHealthIndicator,
    private readonly prisma: PrismaService,
  ) {}

  pingCheck(key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    return this.indicator.pingCheck(key, this.prisma, { timeout: timeoutMs });
  }
}
