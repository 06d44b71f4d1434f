import { Injectable } from '@nestjs/common';
import { PrismaService } from '@cbm/database';

/** The reads the access guard makes on every request: one indexed query per credential. */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findSessionWithUser(sessionId: string) {
    return this.prisma.session.findUnique({
      where: { id: sessionId },
      select: {
        userId: true,
        revokedAt: true,
        expiresAt: true,
        mfaSatisfied: true,
        user: {
          select: {
            id: true,
            role: true,
            stateCode: true,
            disabledAt: true,
            mfaEnabledAt: true,
            state: { select: { participating: true, mfaRequired: true } },
          },
        },
      },
    });
  }

  findApiKeyByHash(keyHash: string) {
    return this.prisma.apiKey.findUnique({
      where: { keyHash },
      select: {
        id: true,
        stateCode: true,
        permissions: true,
        expiresAt: true,
        revokedAt: true,
        lastUsedAt: true,
        state: { select: { participating: true } },
      },
    });
  }

  /** Best effort; the condition keeps concurrent requests of one key from writing more than once. */
  async touchApiKey(id: string, now: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
      data: { lastUsedAt: now },
    });
  }
}
