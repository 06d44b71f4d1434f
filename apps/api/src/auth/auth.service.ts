import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes, randomUUID } from 'node:crypto';
import { Actor, ROLE_PERMISSIONS } from '@cbm/auth';
import { currentRequestContext, DomainError, Environment, ErrorCode } from '@cbm/common';
import { Prisma, Role, User, UserTokenPurpose } from '@cbm/database';
import { AuditService } from '../audit';
import { AppSecrets } from '../secrets';
import { AuthRepository } from './auth.repository';
import { LoginResponse, MeResponse, MfaEnrolmentResponse, RecoveryCodesResponse, TokenPairResponse } from './dto/auth.response';
import { MfaPolicy } from './mfa-policy';
import { hashPassword, verifyPassword } from './password-hasher';
import { assertAcceptablePassword } from './password-policy';
import { hashOpaqueToken, newOpaqueToken, TokenService } from './token.service';
import { matchingTotpStep, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpUri } from './totp';

type UserWithState = User & { state: { participating: boolean; mfaRequired: boolean } | null };

const REFRESH_TOKEN_PREFIX = 'rt_';

function invalidCredentials(): DomainError {
  return new DomainError(
    HttpStatus.UNAUTHORIZED,
    ErrorCode.InvalidCredentials,
    // One answer for every failure, so that it tells nobody whether an account exists or is locked.
    'Sign-in failed: wrong email, password or code, or the account is locked or disabled. Retry later.',
  );
}

@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified against when the email is unknown, so that timing does not reveal which emails exist. */
  private decoyHash = '';

  constructor(
    private readonly accounts: AuthRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly mfaPolicy: MfaPolicy,
    private readonly config: ConfigService<Environment, true>,
    private readonly secrets: AppSecrets,
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
    if (!(await this.reserveAttempt(user))) {
      // The same work as a real check, so that a locked account answers no faster than another.
      await verifyPassword(this.decoyHash, password);
      await this.recordFailure(user, 'locked');
      throw invalidCredentials();
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      await this.recordFailure(user, 'password');
      throw invalidCredentials();
    }
    if (!this.mayActNow(user)) {
      await this.accounts.client.$transaction((tx) => this.accounts.clearFailedSignIns(tx, user.id));
      await this.audit.record({ action: 'auth.login.failed', actor: subject, summary: { reason: 'disabled-or-not-participating' } });
      throw invalidCredentials();
    }
    if (user.mfaEnabledAt) {
      const challenge = this.tokens.signMfaChallenge(user.id);
      await this.audit.record({ action: 'auth.login.password-accepted', actor: subject, summary: { next: 'second-factor' } });
      return { mfaRequired: true, mfaToken: challenge.token, mfaTokenExpiresIn: challenge.expiresIn };
    }
    const pair = await this.accounts.client.$transaction(async (tx) => {
      await this.accounts.clearFailedSignIns(tx, user.id);
      const issued = await this.startSession(tx, user, false);
      await this.audit.record({ action: 'auth.login.succeeded', actor: subject, entityType: 'session', entityId: issued.sessionId });
      return issued.pair;
    });
    return { mfaRequired: false, ...pair };
  }

  async verifySecondFactor(mfaToken: string, code: string): Promise<TokenPairResponse> {
    const userId = this.tokens.verifyMfaChallenge(mfaToken);
    const user = userId ? await this.accounts.findUserById(userId) : null;
    if (!user || !user.mfaSecret || !user.mfaEnabledAt || !this.mayActNow(user)) throw invalidCredentials();
    if (!(await this.reserveAttempt(user))) {
      await this.recordFailure(user, 'locked');
      throw invalidCredentials();
    }
    const subject = { userId: user.id, stateCode: user.stateCode };
    const result = await this.accounts.client.$transaction(async (tx) => {
      const method = await this.acceptSecondFactor(tx, user, code);
      if (!method) return undefined;
      await this.accounts.clearFailedSignIns(tx, user.id);
      const issued = await this.startSession(tx, user, true);
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
      await this.recordFailure(user, 'second-factor');
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

    const outcome = await this.accounts.client.$transaction(async (tx) => {
      if (!(await this.accounts.markRefreshTokenUsed(tx, stored.id))) {
        await this.accounts.revokeSession(tx, session.id, 'refresh-token-reuse');
        await this.audit.record({ action: 'auth.refresh.reused', actor: subject, entityType: 'session', entityId: session.id });
        return 'reused' as const;
      }
      if (session.revokedAt || session.expiresAt <= new Date() || !this.mayActNow(session.user)) return 'refused' as const;
      const next = newOpaqueToken(REFRESH_TOKEN_PREFIX);
      await this.accounts.createRefreshToken(tx, session.id, next.hash);
      return this.tokenPair(session.userId, session.id, next.token, this.isEnrolmentPending(session.user, session.mfaSatisfied));
    });
    if (typeof outcome === 'string') throw invalidCredentials();
    return outcome;
  }

  async logout(actor: Actor): Promise<void> {
    if (!actor.sessionId) return;
    const sessionId = actor.sessionId;
    await this.accounts.client.$transaction(async (tx) => {
      await this.accounts.revokeSession(tx, sessionId, 'logout');
      await this.audit.record({ action: 'auth.logout', actor, entityType: 'session', entityId: sessionId });
    });
  }

  async me(actor: Actor): Promise<MeResponse> {
    if (actor.kind === 'apiKey' || !actor.userId) {
      return {
        kind: 'apiKey',
        id: actor.id,
        email: null,
        displayName: null,
        role: null,
        stateCode: actor.stateCode,
        permissions: [...actor.permissions].sort(),
        mfaEnabled: false,
        mfaRequired: false,
        notifyByEmail: false,
      };
    }
    const user = await this.accounts.findUserById(actor.userId);
    if (!user) throw invalidCredentials();
    return {
      kind: 'user',
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      stateCode: user.stateCode,
      permissions: [...ROLE_PERMISSIONS[user.role]].sort(),
      mfaEnabled: user.mfaEnabledAt !== null,
      mfaRequired: this.mfaPolicy.isRequired(user.role, user.state),
      notifyByEmail: user.notifyByEmail,
    };
  }

  /** A person (not a key) opts in to mail about their State's requests, besides its contacts. */
  async setNotificationPreferences(actor: Actor, notifyByEmail: boolean): Promise<MeResponse> {
    if (actor.kind === 'apiKey' || !actor.userId) {
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'Notification preferences belong to people, not to API keys.');
    }
    if (notifyByEmail && !actor.stateCode) {
      throw DomainError.validation([{ field: 'notifyByEmail', message: 'is for users of a State: the secretariat does not receive request notices' }]);
    }
    await this.accounts.client.$transaction(async (tx) => {
      await tx.user.update({ where: { id: actor.userId! }, data: { notifyByEmail } });
      await this.audit.record({ action: 'user.notification-preferences', actor, entityType: 'user', entityId: actor.userId!, summary: { notifyByEmail } });
    });
    return this.me(actor);
  }

  /** Requires the current password; ends every other session of the account. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = actor.userId ? await this.accounts.findUserById(actor.userId) : null;
    if (!user) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'Only a signed-in person has a password to change.');
    if (!(await this.reserveAttempt(user))) {
      await this.recordFailure(user, 'locked');
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'The account is temporarily locked after failed attempts.');
    }
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
      if (await this.recordFailure(user, 'password-change')) {
        // Someone holding this session is guessing the password: the session ends with the lock.
        await this.accounts.client.$transaction((tx) => this.accounts.revokeSessionsOfUser(tx, user.id, 'locked-while-changing-password'));
      }
      throw DomainError.validation([{ field: 'currentPassword', message: 'is not the current password' }]);
    }
    assertAcceptablePassword(newPassword, 'newPassword', { email: user.email });
    const passwordHash = await hashPassword(newPassword);
    await this.accounts.client.$transaction(async (tx) => {
      await this.accounts.setPassword(tx, user.id, passwordHash);
      await this.accounts.clearFailedSignIns(tx, user.id);
      await this.accounts.revokeSessionsOfUser(tx, user.id, 'password-changed', actor.sessionId ?? undefined);
      await this.audit.record({ action: 'auth.password.changed', actor, entityType: 'user', entityId: user.id });
    });
  }

  /** Sets the first password of an invited user; the token works once. */
  async acceptInvitation(token: string, password: string): Promise<void> {
    const tokenHash = hashOpaqueToken(token);
    const passwordHash = await hashPassword(password);
    await this.accounts.client.$transaction(async (tx) => {
      const userId = await this.accounts.consumeUserToken(tx, tokenHash, UserTokenPurpose.INVITATION);
      if (!userId) {
        throw new DomainError(HttpStatus.BAD_REQUEST, ErrorCode.InvalidToken, 'The invitation is unknown, already used or expired.');
      }
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
      assertAcceptablePassword(password, 'password', { email: user.email });
      await this.accounts.setPassword(tx, userId, passwordHash);
      await this.audit.record({
        action: 'user.invitation.accepted',
        actor: { userId, stateCode: user.stateCode },
        entityType: 'user',
        entityId: userId,
      });
    });
  }

  /**
   * Creates an invitation in the caller's transaction and queues its mail. Nobody but the invited
   * person sees the token: it is derived from the row id when the mail is written (invitationToken),
   * and only its hash is stored. Otherwise whoever creates an account could also take it over.
   */
  async createInvitation(tx: Prisma.TransactionClient, user: { id: string; email: string; stateCode: string | null }): Promise<{ expiresAt: Date; sentTo: string }> {
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + this.config.get('INVITATION_TTL_HOURS', { infer: true }) * 3_600_000);
    const tokenHash = hashOpaqueToken(this.secrets.invitationToken(id));
    await this.accounts.createUserToken(tx, { id, userId: user.id, purpose: UserTokenPurpose.INVITATION, tokenHash, expiresAt });
    await tx.outboxEvent.create({
      data: { type: 'user.invited', stateCode: user.stateCode, payload: { userId: user.id, userTokenId: id, expiresAt: expiresAt.toISOString() } },
    });
    return { expiresAt, sentTo: user.email };
  }


  /** Starts (or restarts) enrolment: a new secret, in force only once a code from it is confirmed. */
  async startMfaEnrolment(actor: Actor): Promise<MfaEnrolmentResponse> {
    const user = await this.requireUser(actor);
    if (user.mfaEnabledAt) {
      throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'A second factor is already enrolled for this account.');
    }
    const secret = newTotpSecret();
    await this.accounts.client.$transaction(async (tx) => {
      if (!(await this.accounts.setPendingMfaSecret(tx, user.id, secret))) {
        throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'A second factor is already enrolled for this account.');
      }
      await this.audit.record({ action: 'auth.mfa.enrolment-started', actor, entityType: 'user', entityId: user.id });
    });
    return { secret, otpauthUri: totpUri(secret, this.config.get('MFA_ISSUER', { infer: true }), user.email) };
  }

  async confirmMfaEnrolment(actor: Actor, code: string): Promise<RecoveryCodesResponse> {
    const user = await this.requireUser(actor);
    if (user.mfaEnabledAt) {
      throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'A second factor is already enrolled for this account.');
    }
    const step = user.mfaSecret ? matchingTotpStep(user.mfaSecret, code) : undefined;
    if (step === undefined) {
      throw DomainError.validation([{ field: 'code', message: 'does not match the secret being enrolled (check the device clock)' }]);
    }
    const recoveryCodes = newRecoveryCodes();
    await this.accounts.client.$transaction(async (tx) => {
      const hashes = recoveryCodes.map((recoveryCode) => hashOpaqueToken(normaliseRecoveryCode(recoveryCode)));
      if (!(await this.accounts.enableMfa(tx, user.id, user.mfaSecret!, step, hashes))) {
        throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'Enrolment was completed or restarted meanwhile.');
      }
      if (actor.sessionId) await this.accounts.markSessionMfaSatisfied(tx, actor.sessionId);
      await this.audit.record({ action: 'auth.mfa.enrolled', actor, entityType: 'user', entityId: user.id });
    });
    return { recoveryCodes };
  }

  private async requireUser(actor: Actor): Promise<UserWithState> {
    const user = actor.userId ? await this.accounts.findUserById(actor.userId) : null;
    if (!user) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'Only a signed-in person can enrol a second factor.');
    return user;
  }

  private async acceptSecondFactor(tx: Prisma.TransactionClient, user: UserWithState, code: string): Promise<'totp' | 'recovery-code' | undefined> {
    if (/^\d{6}$/.test(code)) {
      const step = matchingTotpStep(user.mfaSecret!, code);
      return step !== undefined && (await this.accounts.advanceMfaStep(tx, user.id, step)) ? 'totp' : undefined;
    }
    const used = await this.accounts.consumeRecoveryCode(tx, user.id, hashOpaqueToken(normaliseRecoveryCode(code)));
    return used ? 'recovery-code' : undefined;
  }

  private reserveAttempt(user: UserWithState): Promise<boolean> {
    return this.accounts.reserveSignInAttempt(user.id, this.config.get('LOGIN_MAX_FAILURES', { infer: true }));
  }

  /** Records a failed attempt; locks the account when the limit is reached. Returns whether it locked now. */
  private async recordFailure(user: UserWithState, reason: string): Promise<boolean> {
    return this.accounts.client.$transaction(async (tx) => {
      const locked = await this.accounts.lockIfExhausted(
        tx,
        user.id,
        this.config.get('LOGIN_MAX_FAILURES', { infer: true }),
        this.config.get('LOGIN_LOCKOUT_MINUTES', { infer: true }),
      );
      const subject = { userId: user.id, stateCode: user.stateCode };
      await this.audit.record({ action: 'auth.login.failed', actor: subject, summary: { reason } });
      if (locked) await this.audit.record({ action: 'auth.account.locked', actor: subject, entityType: 'user', entityId: user.id });
      return locked;
    });
  }

  private mayActNow(user: { disabledAt: Date | null; stateCode: string | null; state: { participating: boolean } | null }): boolean {
    return !user.disabledAt && (user.stateCode === null || (user.state?.participating ?? false));
  }

  private isEnrolmentPending(user: { role: Role; state: { mfaRequired: boolean } | null }, mfaSatisfied: boolean): boolean {
    return this.mfaPolicy.isRequired(user.role, user.state) && !mfaSatisfied;
  }

  private async startSession(tx: Prisma.TransactionClient, user: UserWithState, mfaSatisfied: boolean) {
    const { ip, userAgent } = currentRequestContext();
    const expiresAt = new Date(Date.now() + this.config.get('SESSION_TTL_HOURS', { infer: true }) * 3_600_000);
    const session = await this.accounts.createSession(tx, { userId: user.id, mfaSatisfied, expiresAt, ip, userAgent });
    const refresh = newOpaqueToken(REFRESH_TOKEN_PREFIX);
    await this.accounts.createRefreshToken(tx, session.id, refresh.hash);
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
