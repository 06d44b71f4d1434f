import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { Actor } from '@cbm/auth';
import { currentRequestContext, Environment } from '@cbm/common';
import { Role, UnitOfWork, User } from '@cbm/database';
import { AuditService } from '../audit';
import { AuthRepository } from './auth.repository';
import { LoginResponse, TokenPairResponse } from './dto/auth.response';
import { invalidCredentials } from './invalid-credentials';
import { MfaPolicy } from './mfa-policy';
import { hashPassword, verifyPassword } from './password-hasher';
import { SignInAttempts } from './sign-in-attempts.service';
import { hashOpaqueToken, newOpaqueToken, TokenService } from './token.service';
import { matchingTotpStep, normaliseRecoveryCode } from './totp';

type UserWithState = User & { state: { participating: boolean; mfaRequired: boolean } | null };

const REFRESH_TOKEN_PREFIX = 'rt_';

/** Sessions: password and second-factor sign-in, refresh-token rotation, logout. */
@Injectable()
export class SignInService implements OnModuleInit {
  /** Verified against when the email is unknown, so that timing does not reveal which emails exist. */
  private decoyHash = '';

  constructor(
    private readonly accounts: AuthRepository,
    private readonly attempts: SignInAttempts,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly mfaPolicy: MfaPolicy,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    this.decoyHash = await hashPassword(randomBytes(32).toString('base64'));
  }

  async login(email: string, password: string): Promise<LoginResponse> {
    const user = await this.accounts.findUserByEmail(email.trim().toLowerCase());
    if (!user || !user.passwordHash) {
      await verifyPassword(this.decoyHash, password);
      await this.audit.record({ action: 'auth.login.failed', actor: null, summary: { reason: 'unknown-account' } });
      throw invalidCredentials();
    }
    const subject = { userId: user.id, stateCode: user.stateCode };
    if (!(await this.attempts.reserve(user))) {
      // The same work as a real check, so that a locked account answers no faster than another.
      await verifyPassword(this.decoyHash, password);
      await this.attempts.recordFailure(user, 'locked');
      throw invalidCredentials();
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      await this.attempts.recordFailure(user, 'password');
      throw invalidCredentials();
    }
    if (!this.mayActNow(user)) {
      await this.accounts.clearFailedSignIns(user.id);
      await this.audit.record({ action: 'auth.login.failed', actor: subject, summary: { reason: 'disabled-or-not-participating' } });
      throw invalidCredentials();
    }
    if (user.mfaEnabledAt) {
      const challenge = this.tokens.signMfaChallenge(user.id);
      await this.audit.record({ action: 'auth.login.password-accepted', actor: subject, summary: { next: 'second-factor' } });
      return { mfaRequired: true, mfaToken: challenge.token, mfaTokenExpiresIn: challenge.expiresIn };
    }
    const pair = await this.unitOfWork.run(async () => {
      await this.accounts.clearFailedSignIns(user.id);
      const issued = await this.startSession(user, false);
      await this.audit.record({ action: 'auth.login.succeeded', actor: subject, entityType: 'session', entityId: issued.sessionId });
      return issued.pair;
    });
    return { mfaRequired: false, ...pair };
  }

  async verifySecondFactor(mfaToken: string, code: string): Promise<TokenPairResponse> {
    const userId = this.tokens.verifyMfaChallenge(mfaToken);
    const user = userId ? await this.accounts.findUserById(userId) : null;
    if (!user || !user.mfaSecret || !user.mfaEnabledAt || !this.mayActNow(user)) throw invalidCredentials();
    if (!(await this.attempts.reserve(user))) {
      await this.attempts.recordFailure(user, 'locked');
      throw invalidCredentials();
    }
    const subject = { userId: user.id, stateCode: user.stateCode };
    const result = await this.unitOfWork.run(async () => {
      const method = await this.acceptSecondFactor(user, code);
      if (!method) return undefined;
      await this.accounts.clearFailedSignIns(user.id);
      const issued = await this.startSession(user, true);
      await this.audit.record({
        action: 'auth.login.succeeded',
        actor: subject,
        entityType: 'session',
        entityId: issued.sessionId,
        summary: { secondFactor: method },
      });
      return issued.pair;
    });
    if (!result) {
      await this.attempts.recordFailure(user, 'second-factor');
      throw invalidCredentials();
    }
    return result;
  }

  /**
   * Rotation: each refresh token works once and is replaced. Presenting one that was already used
   * means it was copied; the whole session (every token descended from the same login) is revoked.
   */
  async refresh(refreshToken: string): Promise<TokenPairResponse> {
    const stored = await this.accounts.findRefreshToken(hashOpaqueToken(refreshToken));
    if (!stored) throw invalidCredentials();
    const { session } = stored;
    const subject = { userId: session.userId, stateCode: session.user.stateCode };

    // The revocation on reuse commits (the outcome is returned, not thrown), then the caller is refused.
    const outcome = await this.unitOfWork.run(async () => {
      if (!(await this.accounts.markRefreshTokenUsed(stored.id))) {
        await this.accounts.revokeSession(session.id, 'refresh-token-reuse');
        await this.audit.record({ action: 'auth.refresh.reused', actor: subject, entityType: 'session', entityId: session.id });
        return 'reused' as const;
      }
      if (session.revokedAt || session.expiresAt <= new Date() || !this.mayActNow(session.user)) return 'refused' as const;
      const next = newOpaqueToken(REFRESH_TOKEN_PREFIX);
      await this.accounts.createRefreshToken(session.id, next.hash);
      return this.tokenPair(session.userId, session.id, next.token, this.isEnrolmentPending(session.user, session.mfaSatisfied));
    });
    if (typeof outcome === 'string') throw invalidCredentials();
    return outcome;
  }

  async logout(actor: Actor): Promise<void> {
    if (!actor.sessionId) return;
    const sessionId = actor.sessionId;
    await this.unitOfWork.run(async () => {
      await this.accounts.revokeSession(sessionId, 'logout');
      await this.audit.record({ action: 'auth.logout', actor, entityType: 'session', entityId: sessionId });
    });
  }

  private async acceptSecondFactor(user: UserWithState, code: string): Promise<'totp' | 'recovery-code' | undefined> {
    if (/^\d{6}$/.test(code)) {
      const step = matchingTotpStep(user.mfaSecret!, code);
      return step !== undefined && (await this.accounts.advanceMfaStep(user.id, step)) ? 'totp' : undefined;
    }
    const used = await this.accounts.consumeRecoveryCode(user.id, hashOpaqueToken(normaliseRecoveryCode(code)));
    return used ? 'recovery-code' : undefined;
  }

  private mayActNow(user: { disabledAt: Date | null; stateCode: string | null; state: { participating: boolean } | null }): boolean {
    return !user.disabledAt && (user.stateCode === null || (user.state?.participating ?? false));
  }

  private isEnrolmentPending(user: { role: Role; state: { mfaRequired: boolean } | null }, mfaSatisfied: boolean): boolean {
    return this.mfaPolicy.isRequired(user.role, user.state) && !mfaSatisfied;
  }

  private async startSession(user: UserWithState, mfaSatisfied: boolean) {
    const { ip, userAgent } = currentRequestContext();
    const expiresAt = new Date(Date.now() + this.config.get('SESSION_TTL_HOURS', { infer: true }) * 3_600_000);
    const session = await this.accounts.createSession({ userId: user.id, mfaSatisfied, expiresAt, ip, userAgent });
    const refresh = newOpaqueToken(REFRESH_TOKEN_PREFIX);
    await this.accounts.createRefreshToken(session.id, refresh.hash);
    return { sessionId: session.id, pair: this.tokenPair(user.id, session.id, refresh.token, this.isEnrolmentPending(user, mfaSatisfied)) };
  }

  private tokenPair(userId: string, sessionId: string, refreshToken: string, mfaEnrolmentRequired: boolean): TokenPairResponse {
    const expiresIn = this.config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true });
    return {
      accessToken: this.tokens.signAccessToken({ sub: userId, sid: sessionId }, expiresIn),
      refreshToken,
      expiresIn,
      tokenType: 'Bearer',
      mfaEnrolmentRequired,
    };
  }
}
