import { HttpStatus, Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';
import { UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { AuthRepository } from './auth.repository';
import { hashPassword, verifyPassword } from './password-hasher';
import { assertAcceptablePassword } from './password-policy';
import { SignInAttempts } from './sign-in-attempts.service';

/** A signed-in person changing their own password. */
@Injectable()
export class PasswordService {
  constructor(
    private readonly accounts: AuthRepository,
    private readonly attempts: SignInAttempts,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Requires the current password; ends every other session of the account. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = actor.userId ? await this.accounts.findUserById(actor.userId) : null;
    if (!user) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'Only a signed-in person has a password to change.');
    if (!(await this.attempts.reserve(user))) {
      await this.attempts.recordFailure(user, 'locked');
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'The account is temporarily locked after failed attempts.');
    }
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
      if (await this.attempts.recordFailure(user, 'password-change')) {
        // Someone holding this session is guessing the password: the session ends with the lock.
        await this.accounts.revokeSessionsOfUser(user.id, 'locked-while-changing-password');
      }
      throw DomainError.validation([{ field: 'currentPassword', message: 'is not the current password' }]);
    }
    assertAcceptablePassword(newPassword, 'newPassword', { email: user.email });
    const passwordHash = await hashPassword(newPassword);
    await this.unitOfWork.run(async () => {
      await this.accounts.setPassword(user.id, passwordHash);
      await this.accounts.clearFailedSignIns(user.id);
      await this.accounts.revokeSessionsOfUser(user.id, 'password-changed', actor.sessionId ?? undefined);
      await this.audit.record({ action: 'auth.password.changed', actor, entityType: 'user', entityId: user.id });
    });
  }
}
