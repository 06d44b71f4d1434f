import { Injectable } from '@nestjs/common';
import { Database, NotificationChannel, NotificationStatus, Prisma } from '@cbm/database';

export interface NotificationFilter {
  status?: NotificationStatus;
  channel?: NotificationChannel;
  stateCode?: string;
  before?: { createdAt: Date; id: string };
}

/** Reads of notifications; `scope` is the reader's State (null: the secretariat, every State). */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  findPage(scope: string | null, filter: NotificationFilter, take: number) {
    const where: Prisma.NotificationWhereInput = {
      stateCode: scope ?? filter.stateCode,
      status: filter.status,
      channel: filter.channel,
      ...(filter.before
        ? { OR: [{ createdAt: { lt: filter.before.createdAt } }, { createdAt: filter.before.createdAt, id: { lt: filter.before.id } }] }
        : {}),
    };
    return this.prisma.notification.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
  }

  findVisible(scope: string | null, id: string) {
    return this.prisma.notification.findFirst({
      where: { id, ...(scope ? { stateCode: scope } : {}) },
      include: { deliveryLog: { orderBy: { attempt: 'asc' } } },
    });
  }

  findCursor(scope: string | null, id: string) {
    return this.prisma.notification.findFirst({ where: { id, ...(scope ? { stateCode: scope } : {}) }, select: { id: true, createdAt: true } });
  }
}
