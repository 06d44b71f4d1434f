import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
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

/** Invitations: a user created without a password is sent a single-use token to set their first one. */
@Injectable()
export class InvitationService {
  constructor(
    private readonly accounts: AuthRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: ConfigService<Environment, true>,
    private readonly secrets: AppSecrets,
    private readonly links: AccountLinkTokens,
  ) {}

  /** The account an invitation would open, if it still can (unused, unexpired, user not disabled); changes nothing. */
  describeInvitation(token: string): Promise<AccountLinkView | null> {
    return this.links.describe(token, UserTokenPurpose.INVITATION);
  }

  /**
   * Creates an invitation and queues its mail, in the unit of work under way (the user's creation).
   * Nobody but the invited person sees the token: it is derived from the row id when the mail is
   * written (invitationToken), and only its hash is stored. Otherwise whoever creates an account
   * could also take it over.
   */
  createInvitation(user: { id: string; email: string; stateCode: string | null }): Promise<{ expiresAt: Date; sentTo: string }> {
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + this.config.get('INVITATION_TTL_HOURS', { infer: true }) * 3_600_000);
    const tokenHash = hashOpaqueToken(this.secrets.invitationToken(id));
    return this.unitOfWork.run(async () => {
      await this.accounts.createUserToken({ id, userId: user.id, purpose: UserTokenPurpose.INVITATION, tokenHash, expiresAt });
      await this.outbox.emit([
        { type: 'user.invited', stateCode: user.stateCode, payload: { userId: user.id, userTokenId: id, expiresAt: expiresAt.toISOString() } },
      ]);
      return { expiresAt, sentTo: user.email };
    });
  }

  /** Sets the first password of an invited user; the token works once. */
  async acceptInvitation(token: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.unitOfWork.run(async () => {
      const user = await this.links.setPassword(token, UserTokenPurpose.INVITATION, password, passwordHash, 'The invitation is unknown, already used or expired.');
      await this.audit.record({
        action: 'user.invitation.accepted',
        actor: { userId: user.id, stateCode: user.stateCode },
        entityType: 'user',
        entityId: user.id,
      });
    });
  }
}
