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

  /** The user a consumed invitation belongs to (it always exists: the token references it). */
  findInvitedUser(id: string) {
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

  async createUserToken(data: { id: string; userId: string; purpose: UserTokenPurpose; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.database.prisma.userToken.create({ data });
  }

  /** Consumes a single-use token: returns its user if it was unused and unexpired, and marks it used. */
  async consumeUserToken(tokenHash: string, purpose: UserTokenPurpose): Promise<string | undefined> {
    const rows = await this.database.prisma.$queryRaw<Array<{ userId: string }>>`
      UPDATE "user_token" SET "usedAt" = now()
       WHERE "tokenHash" = ${tokenHash} AND "purpose" = ${purpose}::"UserTokenPurpose"
         AND "usedAt" IS NULL AND "expiresAt" > now()
       RETURNING "userId"::text AS "userId"`;
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
