import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '@cbm/common';
import { UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { AuthRepository } from './auth.repository';

type Account = { id: string; stateCode: string | null };

/**
 * The lockout, shared by every check of a secret (password, second factor, password change): an
 * attempt is reserved before the secret is checked, so parallel guesses cannot outrun the limit.
 */
@Injectable()
export class SignInAttempts {
  constructor(
    private readonly accounts: AuthRepository,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  /** False when the account is locked or has no attempt left: the secret must not be checked. */
  reserve(account: Account): Promise<boolean> {
    return this.accounts.reserveSignInAttempt(account.id, this.config.get('LOGIN_MAX_FAILURES', { infer: true }));
  }

  /** Records a failed attempt; locks the account when the limit is reached. Returns whether it locked now. */
  recordFailure(account: Account, reason: string): Promise<boolean> {
    return this.unitOfWork.run(async () => {
      const locked = await this.accounts.lockIfExhausted(
        account.id,
        this.config.get('LOGIN_MAX_FAILURES', { infer: true }),
        this.config.get('LOGIN_LOCKOUT_MINUTES', { infer: true }),
      );
      const subject = { userId: account.id, stateCode: account.stateCode };
      await this.audit.record({ action: 'auth.login.failed', actor: subject, summary: { reason } });
      if (locked) await this.audit.record({ action: 'auth.account.locked', actor: subject, entityType: 'user', entityId: account.id });
      return locked;
    });
  }
}
