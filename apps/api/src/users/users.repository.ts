import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService, Role, User } from '@cbm/database';

type Tx = Prisma.TransactionClient;

/**
 * Users, scoped by State: `scope` is the acting State (a State administrator's) or null for the
 * secretariat, and every read and write includes it in the WHERE clause, so another State's user is
 * simply not found.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  async existsWithRole(role: Role): Promise<boolean> {
    return (await this.prisma.user.count({ where: { role, disabledAt: null } })) > 0;
  }

  createPlatformAdmin(tx: Tx, data: { email: string; displayName: string; passwordHash: string }) {
    return tx.user.create({
      data: { ...data, role: Role.PLATFORM_ADMIN, stateCode: null, passwordChangedAt: new Date() },
      select: { id: true, email: true },
    });
  }

  create(tx: Tx, data: { email: string; displayName: string; role: Role; stateCode: string | null; passwordHash: string | null }) {
    return tx.user.create({ data: { ...data, passwordChangedAt: data.passwordHash ? new Date() : null } });
  }

  findOne(scope: string | null, id: string, tx: Tx = this.prisma): Promise<User | null> {
    return tx.user.findFirst({ where: { id, ...(scope ? { stateCode: scope } : {}) } });
  }

  findPage(scope: string | null, filter: { stateCode?: string; afterId?: string }, limit: number): Promise<User[]> {
    return this.prisma.user.findMany({
      where: {
        ...(scope ? { stateCode: scope } : filter.stateCode ? { stateCode: filter.stateCode } : {}),
        ...(filter.afterId ? { id: { gt: filter.afterId } } : {}),
      },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  update(tx: Tx, id: string, data: { displayName?: string; role?: Role }) {
    return tx.user.update({ where: { id }, data });
  }

  disable(tx: Tx, id: string) {
    return tx.user.update({ where: { id }, data: { disabledAt: new Date() } });
  }

  /** A disabled user's sessions end with them: their tokens stop working at once. */
  revokeSessions(tx: Tx, userId: string) {
    return tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: 'user-disabled' } });
  }

  stateExists(code: string): Promise<boolean> {
    return this.prisma.state.count({ where: { code } }).then((count) => count > 0);
  }
}
