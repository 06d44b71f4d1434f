import { Injectable } from '@nestjs/common';
import { PrismaService, Role } from '@cbm/database';

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  async existsWithRole(role: Role): Promise<boolean> {
    return (await this.prisma.user.count({ where: { role, disabledAt: null } })) > 0;
  }

  createPlatformAdmin(data: { email: string; displayName: string; passwordHash: string }) {
    return this.prisma.user.create({
      data: { ...data, role: Role.PLATFORM_ADMIN, stateCode: null },
      select: { id: true, email: true },
    });
  }
}
