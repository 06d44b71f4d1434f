import { HttpStatus, Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';
import { UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { AuthRepository } from './auth.repository';
import { MeResponse, toApiKeyMeResponse, toUserMeResponse } from './dto/auth.response';
import { invalidCredentials } from './invalid-credentials';
import { MfaPolicy } from './mfa-policy';

/** The caller's own account: who they are, what they may do, and their notification preference. */
@Injectable()
export class CurrentAccountService {
  constructor(
    private readonly accounts: AuthRepository,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly mfaPolicy: MfaPolicy,
  ) {}

  async me(actor: Actor): Promise<MeResponse> {
    if (actor.kind === 'apiKey' || !actor.userId) return toApiKeyMeResponse(actor);
    const user = await this.accounts.findUserById(actor.userId);
    if (!user) throw invalidCredentials();
    return toUserMeResponse(user, this.mfaPolicy.isRequired(user.role, user.state));
  }

  /**
   * A person (not a key) opts in to mail about their State's requests, besides its contacts, and
   * chooses the language of their mail and pages (undefined: unchanged).
   */
  async setNotificationPreferences(actor: Actor, notifyByEmail: boolean, preferredLanguage?: string | null): Promise<MeResponse> {
    if (actor.kind === 'apiKey' || !actor.userId) {
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'Notification preferences belong to people, not to API keys.');
    }
    if (notifyByEmail && !actor.stateCode) {
      throw DomainError.validation([{ field: 'notifyByEmail', message: 'is for users of a State: the secretariat does not receive request notices' }]);
    }
    const userId = actor.userId;
    await this.unitOfWork.run(async () => {
      await this.accounts.setNotifyByEmail(userId, notifyByEmail);
      if (preferredLanguage !== undefined) await this.accounts.setPreferredLanguage(userId, preferredLanguage);
      await this.audit.record({
        action: 'user.notification-preferences',
        actor,
        entityType: 'user',
        entityId: userId,
        summary: preferredLanguage === undefined ? { notifyByEmail } : { notifyByEmail, preferredLanguage },
      });
    });
    return this.me(actor);
  }
}
