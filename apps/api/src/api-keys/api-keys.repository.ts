import { Injectable } from '@nestjs/common';
import { ApiKey, Database } from '@cbm/database';

/**
 * API keys of one State: every method takes the State first and filters on it. Every method joins
 * the unit of work under way (see UnitOfWork), or runs alone.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly database: Database) {}

  create(
    stateCode: string,
    data: { name: string; keyPrefix: string; keyHash: string; permissions: string[]; expiresAt: Date; createdById: string },
  ): Promise<ApiKey> {
    return this.database.prisma.apiKey.create({ data: { ...data, stateCode } });
  }

  list(stateCode: string): Promise<ApiKey[]> {
    return this.database.prisma.apiKey.findMany({ where: { stateCode }, orderBy: { createdAt: 'desc' } });
  }

  findOne(stateCode: string, id: string): Promise<ApiKey | null> {
    return this.database.prisma.apiKey.findFirst({ where: { id, stateCode } });
  }

  revoke(stateCode: string, id: string): Promise<ApiKey> {
    return this.database.prisma.apiKey.update({ where: { id, stateCode }, data: { revokedAt: new Date() } });
  }
}
