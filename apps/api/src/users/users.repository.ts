import { Injectable } from '@nestjs/common';
import { Database, Role, User } from '@cbm/database';

/**
 * Users, scoped by State: `scope` is the acting State (a State administrator's) or null for the
 * secretariat, and every read and write includes it in the WHERE clause, so another State's user is
 * simply not found. Every method joins the unit of work under way (see UnitOfWork), or runs alone.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly database: Database) {}

  async existsWithRole(role: Role): Promise<boolean> {
    return (await this.database.prisma.user.count({ where: { role, disabledAt: null } })) > 0;
  }

  createPlatformAdmin(data: { email: string; displayName: string; passwordHash: string }) {
    return this.database.prisma.user.create({
      data: { ...data, role: Role.PLATFORM_ADMIN, stateCode: null, passwordChangedAt: new Date() },
      select: { id: true, email: true },
    });
  }

  create(data: { email: string; displayName: string; role: Role; stateCode: string | null; passwordHash: string | null; preferredLanguage: string | null }): Promise<User> {
    return this.database.prisma.user.create({ data: { ...data, passwordChangedAt: data.passwordHash ? new Date() : null } });
  }

  findOne(scope: string | null, id: string): Promise<User | null> {
    return this.database.prisma.user.findFirst({ where: { id, ...(scope ? { stateCode: scope } : {}) } });
  }

  /** Users by id, after `afterId`: the State's for a State administrator, `filter.stateCode`'s or all for the secretariat. */
  findPage(scope: string | null, filter: { stateCode?: string; afterId?: string }, limit: number): Promise<User[]> {
    return this.database.prisma.user.findMany({
      where: {
        ...(scope ? { stateCode: scope } : filter.stateCode ? { stateCode: filter.stateCode } : {}),
        ...(filter.afterId ? { id: { gt: filter.afterId } } : {}),
      },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  updateProfile(id: string, data: { displayName?: string; role?: Role }): Promise<User> {
    return this.database.prisma.user.update({ where: { id }, data });
  }

  disable(id: string): Promise<User> {
    return this.database.prisma.user.update({ where: { id }, data: { disabledAt: new Date() } });
  }

  /** A disabled user's sessions end with them: their tokens stop working at once. */
  async revokeSessionsOfDisabledUser(userId: string): Promise<void> {
    await this.database.prisma.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: 'user-disabled' } });
  }

  async stateExists(code: string): Promise<boolean> {
    return (await this.database.prisma.state.count({ where: { code } })) > 0;
  }
}
