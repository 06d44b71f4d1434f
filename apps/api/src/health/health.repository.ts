import { Injectable } from '@nestjs/common';
import { Database } from '@cbm/database';

/** What the readiness probe asks of the database. */
@Injectable()
export class HealthRepository {
  constructor(private readonly database: Database) {}

  /** One round trip: the database answers a query (on a connection from the pool). */
  async ping(): Promise<void> {
    await this.database.prisma.$queryRawUnsafe('SELECT 1');
  }
}
