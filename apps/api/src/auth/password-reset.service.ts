import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Environment } from '@cbm/common';
import { UnitOfWork, UserTokenPurpose } from '@cbm/database';
import { AuditService } from '../audit';
import { OutboxRepository } from '../outbox';
import { AppSecrets } from '../secrets';
import { AccountLinkView } from './account-link';
import { AccountLinkTokens } from './account-link-tokens';
import { AuthRepository } from './auth.repository';
import { hashPassword } from './password-hasher';
import { hashOpaqueToken } from './token.service';

/**
 * Every request is answered after this long at the least, whether a mail was queued or not: the
 * work for a known address (three inserts) fits well inside it, so the time of the answer does not
 * tell whether an address has an account.
 */
export const PASSWORD_RESET_ANSWER_MS = 250;
/** At most this many reset mails to one account an hour, however many addresses ask: no mail bombing. */
const MAX_RESETS_PER_HOUR = 3;

/** A forgotten password: a single-use, short-lived link by mail to a page that sets a new one. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly accounts: AuthRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: ConfigService<Environment, true>,
    private readonly secrets: AppSecrets,
    private readonly links: AccountLinkTokens,
  ) {}

  /**
   * Queues the link's mail if the address belongs to an account that may sign in (not disabled, its
   * State taking part), and nothing otherwise; the caller learns neither way. Like invitations, the
   * token is derived from the row id when the mail is written and only its hash is stored.
   */
  async requestReset(email: string): Promise<void> {
    const answerAt = Date.now() + PASSWORD_RESET_ANSWER_MS;
    try {
      const user = await this.accounts.findUserByEmail(email.trim().toLowerCase());
      if (!user || user.disabledAt || (user.stateCode !== null && !user.state?.participating)) return;
      const since = new Date(Date.now() - 3_600_000);
      if ((await this.accounts.countUserTokensSince(user.id, UserTokenPurpose.PASSWORD_RESET, since)) >= MAX_RESETS_PER_HOUR) return;
      const id = randomUUID();
      const expiresAt = new Date(Date.now() + this.config.get('PASSWORD_RESET_TTL_MINUTES', { infer: true }) * 60_000);
      const tokenHash = hashOpaqueToken(this.secrets.passwordResetToken(id));
      await this.unitOfWork.run(async () => {
        await this.accounts.createUserToken({ id, userId: user.id, purpose: UserTokenPurpose.PASSWORD_RESET, tokenHash, expiresAt });
        await this.outbox.emit([
          { type: 'user.password_reset', stateCode: user.stateCode, payload: { userId: user.id, userTokenId: id, expiresAt: expiresAt.toISOString() } },
        ]);
        await this.audit.record({
          action: 'auth.password-reset.requested',
          actor: { userId: user.id, stateCode: user.stateCode },
          entityType: 'user',
          entityId: user.id,
          summary: { expiresAt: expiresAt.toISOString() },
        });
      });
    } finally {
      const wait = answerAt - Date.now();
      if (wait > 0) await sleep(wait);
    }
  }

  /** The account a reset link would open, if it still can; changes nothing. */
  describeReset(token: string): Promise<AccountLinkView | null> {
    return this.links.describe(token, UserTokenPurpose.PASSWORD_RESET);
  }

  /**
   * Sets the new password with the link (once), ends every session of the account, as a password
   * change does, and retires the account's other reset links. A refused password rolls the link's
   * use back: it can be used again with a better one.
   */
  async resetPassword(token: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.unitOfWork.run(async () => {
      const { id: userId, stateCode } = await this.links.setPassword(
        token, UserTokenPurpose.PASSWORD_RESET, password, passwordHash, 'The password reset link is unknown, already used or expired.',
      );
      await this.accounts.revokeSessionsOfUser(userId, 'password-reset');
      await this.accounts.retireUserTokens(userId, UserTokenPurpose.PASSWORD_RESET);
      await this.audit.record({ action: 'auth.password-reset.completed', actor: { userId, stateCode }, entityType: 'user', entityId: userId });
    });
  }
}
