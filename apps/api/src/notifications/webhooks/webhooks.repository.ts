import { Injectable } from '@nestjs/common';
import { Database, Prisma } from '@cbm/database';

/** A State's webhooks: every method takes the State first, and another State's webhook is not found. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  create(data: Prisma.WebhookUncheckedCreateInput) {
    return this.prisma.webhook.create({ data });
  }

  list(stateCode: string) {
    return this.prisma.webhook.findMany({ where: { stateCode }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 100 });
  }

  countActive(stateCode: string) {
    return this.prisma.webhook.count({ where: { stateCode, disabledAt: null } });
  }

  findActive(stateCode: string, id: string) {
    return this.prisma.webhook.findFirst({ where: { id, stateCode, disabledAt: null } });
  }

  disable(stateCode: string, id: string) {
    return this.prisma.webhook.updateMany({ where: { id, stateCode, disabledAt: null }, data: { disabledAt: new Date() } });
  }
}
