import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@cbm/database';

type Tx = Prisma.TransactionClient;

/** A State's webhooks: every method takes the State first, and another State's webhook is not found. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  create(tx: Tx, data: Prisma.WebhookUncheckedCreateInput) {
    return tx.webhook.create({ data });
  }

  list(stateCode: string) {
    return this.prisma.webhook.findMany({ where: { stateCode }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 100 });
  }

  countActive(stateCode: string) {
    return this.prisma.webhook.count({ where: { stateCode, disabledAt: null } });
  }

  findActive(stateCode: string, id: string, tx: Tx = this.prisma) {
    return tx.webhook.findFirst({ where: { id, stateCode, disabledAt: null } });
  }

  disable(tx: Tx, stateCode: string, id: string) {
    return tx.webhook.updateMany({ where: { id, stateCode, disabledAt: null }, data: { disabledAt: new Date() } });
  }
}
