import { Injectable } from '@nestjs/common';
import { Database, UserTokenPurpose } from '@cbm/database';

const WITH_STATE = { state: { select: { participating: true, mfaRequired: true } } } as const;

/**
 * Accounts as seen by sign-in: sessions, refresh tokens, lockout counters, second factor, single-use
 * tokens. Every method joins the unit of work under way (see UnitOfWork), or runs alone.
 */
@Injectable()
export class AuthRepository {
  constructor(private readonly database: Database) {}

  findUserByEmail(email: string) {
    return this.database.prisma.user.findUnique({ where: { email }, include: WITH_STATE });
  }

  findUserById(id: string) {
    return this.database.prisma.user.findUnique({ where: { id }, include: WITH_STATE });
  }

  /** The user a consumed token (invitation, password reset) belongs to: it always exists, the token references it. */
  findUserOfToken(id: string) {
    return this.database.prisma.user.findUniqueOrThrow({ where: { id } });
  }

  /**
   * Takes one sign-in attempt for the account before any password or code is checked, atomically:
   * none is left while the account is locked or while `maxFailures` attempts have failed (or are
   * being checked right now). Parallel guesses therefore cannot outrun the lockout.
   */
  async reserveSignInAttempt(userId: string, maxFailures: number): Promise<boolean> {
    const rows = await this.database.prisma.$queryRaw<Array<{ reserved: number }>>`
      UPDATE "user" SET "failedLoginCount" = "failedLoginCount" + 1
       WHERE "id" = ${userId}::uuid
         AND ("lockedUntil" IS NULL OR "lockedUntil" <= now())
         AND "failedLoginCount" < ${maxFailures}
       RETURNING 1 AS reserved`;
    return rows.length === 1;
  }

  /** Locks the account for `lockMinutes` once the failed attempts reach the limit; true if it locked now. */
  async lockIfExhausted(userId: string, maxFailures: number, lockMinutes: number): Promise<boolean> {
    const rows = await this.database.prisma.$queryRaw<Array<{ locked: number }>>`
      UPDATE "user"
         SET "lockedUntil" = now() + make_interval(mins => ${lockMinutes}::int), "failedLoginCount" = 0, "updatedAt" = now()
       WHERE "id" = ${userId}::uuid AND "failedLoginCount" >= ${maxFailures}
       RETURNING 1 AS locked`;
    return rows.length === 1;
  }

  async clearFailedSignIns(userId: string): Promise<void> {
    await this.database.prisma.user.update({ where: { id: userId }, data: { failedLoginCount: 0, lockedUntil: null } });
  }

  createSession(data: { userId: string; mfaSatisfied: boolean; expiresAt: Date; ip?: string; userAgent?: string }) {
    return this.database.prisma.session.create({ data, select: { id: true, expiresAt: true } });
  }

  async createRefreshToken(sessionId: string, tokenHash: string): Promise<void> {
    await this.database.prisma.refreshToken.create({ data: { sessionId, tokenHash } });
  }

  findRefreshToken(tokenHash: string) {
    return this.database.prisma.refreshToken.findUnique({
      where: { tokenHash },
      include: { session: { include: { user: { include: WITH_STATE } } } },
    });
  }

  /** Marks a refresh token used, only if nobody did first: false means it was already used (reuse). */
  async markRefreshTokenUsed(id: string): Promise<boolean> {
    const { count } = await this.database.prisma.refreshToken.updateMany({ where: { id, usedAt: null }, data: { usedAt: new Date() } });
    return count === 1;
  }

  async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.database.prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
  }

  /** Ends every open session of the user, but `exceptSessionId` when given. */
  async revokeSessionsOfUser(userId: string, reason: string, exceptSessionId?: string): Promise<void> {
    await this.database.prisma.session.updateMany({
      where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
  }

  async markSessionMfaSatisfied(sessionId: string): Promise<void> {
    await this.database.prisma.session.update({ where: { id: sessionId }, data: { mfaSatisfied: true } });
  }

  /** Sets a new password hash; a new password also clears the failed attempts and any lock. */
  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.database.prisma.user.update({
      where: { id: userId },
      data: { passwordHash, passwordChangedAt: new Date(), failedLoginCount: 0, lockedUntil: null },
    });
  }

  async setNotifyByEmail(userId: string, notifyByEmail: boolean): Promise<void> {
    await this.database.prisma.user.update({ where: { id: userId }, data: { notifyByEmail } });
  }

  async setPreferredLanguage(userId: string, preferredLanguage: string | null): Promise<void> {
    await this.database.prisma.user.update({ where: { id: userId }, data: { preferredLanguage } });
  }

  /** A token that would still work now (unused, unexpired, its user not disabled), with its user; nothing is changed. */
  findUsableUserToken(tokenHash: string, purpose: UserTokenPurpose) {
    return this.database.prisma.userToken.findFirst({
      where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: new Date() }, user: { disabledAt: null } },
      select: {
        expiresAt: true,
        user: {
          select: {
            id: true,
            email: true,
            displayName: true,
            role: true,
            stateCode: true,
            preferredLanguage: true,
            mfaEnabledAt: true,
            state: { select: { mfaRequired: true } },
          },
        },
      },
    });
  }

  /** How many tokens of the purpose were made for the user since `since`: a cap on mail to one address. */
  countUserTokensSince(userId: string, purpose: UserTokenPurpose, since: Date): Promise<number> {
    return this.database.prisma.userToken.count({ where: { userId, purpose, createdAt: { gte: since } } });
  }

  /** Ends the user's other unused tokens of the purpose: once a reset is done, older links stop working. */
  async retireUserTokens(userId: string, purpose: UserTokenPurpose): Promise<void> {
    await this.database.prisma.userToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: new Date() } });
  }

  async createUserToken(data: { id: string; userId: string; purpose: UserTokenPurpose; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.database.prisma.userToken.create({ data });
  }

  /**
   * Consumes a single-use token: returns its user if it was unused, unexpired and its user not
   * disabled, and marks it used.
   */
  async consumeUserToken(tokenHash: string, purpose: UserTokenPurpose): Promise<string | undefined> {
    const rows = await this.database.prisma.$queryRaw<Array<{ userId: string }>>`
      UPDATE "user_token" t SET "usedAt" = now()
       WHERE t."tokenHash" = ${tokenHash} AND t."purpose" = ${purpose}::"UserTokenPurpose"
         AND t."usedAt" IS NULL AND t."expiresAt" > now()
         AND EXISTS (SELECT 1 FROM "user" u WHERE u."id" = t."userId" AND u."disabledAt" IS NULL)
       RETURNING t."userId"::text AS "userId"`;
    return rows[0]?.userId;
  }

  /** Only while no second factor is enrolled: a late "start" never undoes a finished enrolment. */
  async setPendingMfaSecret(userId: string, secret: string): Promise<boolean> {
    const { count } = await this.database.prisma.user.updateMany({
      where: { id: userId, mfaEnabledAt: null },
      data: { mfaSecret: secret, mfaLastUsedStep: null },
    });
    return count === 1;
  }

  /**
   * Enables the pending secret that was checked, unless enrolment finished or restarted meanwhile,
   * and replaces the recovery codes. Call it in a unit of work: the three statements are one change.
   */
  async enableMfa(userId: string, secret: string, step: bigint, recoveryCodeHashes: string[]): Promise<boolean> {
    const prisma = this.database.prisma;
    const { count } = await prisma.user.updateMany({
      where: { id: userId, mfaEnabledAt: null, mfaSecret: secret },
      data: { mfaEnabledAt: new Date(), mfaLastUsedStep: step },
    });
    if (count !== 1) return false;
    await prisma.recoveryCode.deleteMany({ where: { userId } });
    await prisma.recoveryCode.createMany({ data: recoveryCodeHashes.map((codeHash) => ({ userId, codeHash })) });
    return true;
  }

  /** Accepts a TOTP time step only if it is later than the last one used: no replay within the window. */
  async advanceMfaStep(userId: string, step: bigint): Promise<boolean> {
    const { count } = await this.database.prisma.user.updateMany({
      where: { id: userId, OR: [{ mfaLastUsedStep: null }, { mfaLastUsedStep: { lt: step } }] },
      data: { mfaLastUsedStep: step },
    });
    return count === 1;
  }

  async consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const { count } = await this.database.prisma.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: new Date() } });
    return count === 1;
  }
}
