import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService, UserTokenPurpose } from '@cbm/database';

type Tx = Prisma.TransactionClient;

/** Accounts as seen by sign-in: sessions, refresh tokens, lockout counters, second factor. */
@Injectable()
export class AuthRepository {
  constructor(private readonly prisma: PrismaService) {}

  get client(): PrismaService {
    return this.prisma;
  }

  findUserByEmail(email: string) {
    return this.prisma.user.findUnique({ where: { email }, include: { state: { select: { participating: true, mfaRequired: true } } } });
  }

  findUserById(id: string) {
    return this.prisma.user.findUnique({ where: { id }, include: { state: { select: { participating: true, mfaRequired: true } } } });
  }

  /**
   * Takes one sign-in attempt for the account before any password or code is checked, atomically:
   * none is left while the account is locked or while `maxFailures` attempts have failed (or are
   * being checked right now). Parallel guesses therefore cannot outrun the lockout.
   */
  async reserveSignInAttempt(userId: string, maxFailures: number): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<Array<{ reserved: number }>>`
      UPDATE "user" SET "failedLoginCount" = "failedLoginCount" + 1
       WHERE "id" = ${userId}::uuid
         AND ("lockedUntil" IS NULL OR "lockedUntil" <= now())
         AND "failedLoginCount" < ${maxFailures}
       RETURNING 1 AS reserved`;
    return rows.length === 1;
  }

  /** Locks the account for `lockMinutes` once the failed attempts reach the limit; true if it locked now. */
  async lockIfExhausted(tx: Tx, userId: string, maxFailures: number, lockMinutes: number): Promise<boolean> {
    const rows = await tx.$queryRaw<Array<{ locked: number }>>`
      UPDATE "user"
         SET "lockedUntil" = now() + make_interval(mins => ${lockMinutes}::int), "failedLoginCount" = 0, "updatedAt" = now()
       WHERE "id" = ${userId}::uuid AND "failedLoginCount" >= ${maxFailures}
       RETURNING 1 AS locked`;
    return rows.length === 1;
  }

  clearFailedSignIns(tx: Tx, userId: string) {
    return tx.user.update({ where: { id: userId }, data: { failedLoginCount: 0, lockedUntil: null } });
  }

  createSession(tx: Tx, data: { userId: string; mfaSatisfied: boolean; expiresAt: Date; ip?: string; userAgent?: string }) {
    return tx.session.create({ data, select: { id: true, expiresAt: true } });
  }

  createRefreshToken(tx: Tx, sessionId: string, tokenHash: string) {
    return tx.refreshToken.create({ data: { sessionId, tokenHash } });
  }

  findRefreshToken(tokenHash: string) {
    return this.prisma.refreshToken.findUnique({
      where: { tokenHash },
      include: { session: { include: { user: { include: { state: { select: { participating: true, mfaRequired: true } } } } } } },
    });
  }

  /** Marks a refresh token used, only if nobody did first: false means it was already used (reuse). */
  async markRefreshTokenUsed(tx: Tx, id: string): Promise<boolean> {
    const { count } = await tx.refreshToken.updateMany({ where: { id, usedAt: null }, data: { usedAt: new Date() } });
    return count === 1;
  }

  revokeSession(tx: Tx, sessionId: string, reason: string) {
    return tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
  }

  revokeSessionsOfUser(tx: Tx, userId: string, reason: string, exceptSessionId?: string) {
    return tx.session.updateMany({
      where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
  }

  markSessionMfaSatisfied(tx: Tx, sessionId: string) {
    return tx.session.update({ where: { id: sessionId }, data: { mfaSatisfied: true } });
  }

  setPassword(tx: Tx, userId: string, passwordHash: string) {
    return tx.user.update({
      where: { id: userId },
      data: { passwordHash, passwordChangedAt: new Date(), failedLoginCount: 0, lockedUntil: null },
    });
  }

  createUserToken(tx: Tx, data: { id: string; userId: string; purpose: UserTokenPurpose; tokenHash: string; expiresAt: Date }) {
    return tx.userToken.create({ data });
  }

  /** Consumes a single-use token: returns its user if it was unused and unexpired, and marks it used. */
  async consumeUserToken(tx: Tx, tokenHash: string, purpose: UserTokenPurpose): Promise<string | undefined> {
    const rows = await tx.$queryRaw<Array<{ userId: string }>>`
      UPDATE "user_token" SET "usedAt" = now()
       WHERE "tokenHash" = ${tokenHash} AND "purpose" = ${purpose}::"UserTokenPurpose"
         AND "usedAt" IS NULL AND "expiresAt" > now()
       RETURNING "userId"::text AS "userId"`;
    return rows[0]?.userId;
  }

  /** Only while no second factor is enrolled: a late "start" never undoes a finished enrolment. */
  async setPendingMfaSecret(tx: Tx, userId: string, secret: string): Promise<boolean> {
    const { count } = await tx.user.updateMany({
      where: { id: userId, mfaEnabledAt: null },
      data: { mfaSecret: secret, mfaLastUsedStep: null },
    });
    return count === 1;
  }

  /** Enables the pending secret that was checked, unless enrolment finished or restarted meanwhile. */
  async enableMfa(tx: Tx, userId: string, secret: string, step: bigint, recoveryCodeHashes: string[]): Promise<boolean> {
    const { count } = await tx.user.updateMany({
      where: { id: userId, mfaEnabledAt: null, mfaSecret: secret },
      data: { mfaEnabledAt: new Date(), mfaLastUsedStep: step },
    });
    if (count !== 1) return false;
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: recoveryCodeHashes.map((codeHash) => ({ userId, codeHash })) });
    return true;
  }

  /** Accepts a TOTP time step only if it is later than the last one used: no replay within the window. */
  async advanceMfaStep(tx: Tx, userId: string, step: bigint): Promise<boolean> {
    const { count } = await tx.user.updateMany({
      where: { id: userId, OR: [{ mfaLastUsedStep: null }, { mfaLastUsedStep: { lt: step } }] },
      data: { mfaLastUsedStep: step },
    });
    return count === 1;
  }

  async consumeRecoveryCode(tx: Tx, userId: string, codeHash: string): Promise<boolean> {
    const { count } = await tx.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: new Date() } });
    return count === 1;
  }
}
