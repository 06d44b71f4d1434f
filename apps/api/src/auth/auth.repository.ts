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
   * Counts a failure atomically; at `maxFailures` the account is locked for `lockMinutes` and the
   * count starts again. Returns whether this failure locked it.
   */
  async recordFailedSignIn(tx: Tx, userId: string, maxFailures: number, lockMinutes: number): Promise<boolean> {
    const [row] = await tx.$queryRaw<Array<{ locked: boolean }>>`
      UPDATE "user"
         SET "failedLoginCount" = CASE WHEN "failedLoginCount" + 1 >= ${maxFailures} THEN 0 ELSE "failedLoginCount" + 1 END,
             "lockedUntil" = CASE WHEN "failedLoginCount" + 1 >= ${maxFailures}
                                  THEN now() + make_interval(mins => ${lockMinutes}::int) ELSE "lockedUntil" END,
             "updatedAt" = now()
       WHERE "id" = ${userId}::uuid
       RETURNING "failedLoginCount" = 0 AS locked`;
    return row?.locked ?? false;
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

  createUserToken(tx: Tx, data: { userId: string; purpose: UserTokenPurpose; tokenHash: string; expiresAt: Date }) {
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

  setPendingMfaSecret(userId: string, secret: string) {
    return this.prisma.user.update({ where: { id: userId }, data: { mfaSecret: secret, mfaEnabledAt: null, mfaLastUsedStep: null } });
  }

  async enableMfa(tx: Tx, userId: string, step: bigint, recoveryCodeHashes: string[]): Promise<void> {
    await tx.user.update({ where: { id: userId }, data: { mfaEnabledAt: new Date(), mfaLastUsedStep: step } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: recoveryCodeHashes.map((codeHash) => ({ userId, codeHash })) });
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
