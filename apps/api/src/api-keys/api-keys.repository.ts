import { Injectable } from '@nestjs/common';
import { ApiKey, Prisma, PrismaService } from '@cbm/database';

type Tx = Prisma.TransactionClient;

/** API keys of one State: every method takes the State first and filters on it. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  create(tx: Tx, stateCode: string, data: Omit<Prisma.ApiKeyUncheckedCreateInput, 'stateCode'>): Promise<ApiKey> {
    return tx.apiKey.create({ data: { ...data, stateCode } });
  }

  list(stateCode: string): Promise<ApiKey[]> {
    return this.prisma.apiKey.findMany({ where: { stateCode }, orderBy: { createdAt: 'desc' } });
  }

  findOne(stateCode: string, id: string, tx: Tx = this.prisma): Promise<ApiKey | null> {
    return tx.apiKey.findFirst({ where: { id, stateCode } });
  }

  revoke(tx: Tx, stateCode: string, id: string): Promise<ApiKey> {
    return tx.apiKey.update({ where: { id, stateCode }, data: { revokedAt: new Date() } });
  }
}
