import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DomainError, Environment, ErrorCode } from '@cbm/common';
import { UnitOfWork, UserTokenPurpose } from '@cbm/database';
import { AuditService } from '../audit';
import { OutboxRepository } from '../outbox';
import { AppSecrets } from '../secrets';
import { AccountLinkView, INVITATION_TOKEN_FORMAT, toAccountLinkView } from './account-link';
import { AuthRepository } from './auth.repository';
import { MfaPolicy } from './mfa-policy';
import { hashPassword } from './password-hasher';
import { assertAcceptablePassword } from './password-policy';
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
    private readonly mfaPolicy: MfaPolicy,
  ) {}

  /** The account an invitation would open, if it still can (unused, unexpired, user not disabled); changes nothing. */
  async describeInvitation(token: string): Promise<AccountLinkView | null> {
    if (!INVITATION_TOKEN_FORMAT.test(token)) return null;
    const row = await this.accounts.findUsableUserToken(hashOpaqueToken(token), UserTokenPurpose.INVITATION);
    return row ? toAccountLinkView(row, (role, state) => this.mfaPolicy.isRequired(role, state)) : null;
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
    const tokenHash = hashOpaqueToken(token);
    const passwordHash = await hashPassword(password);
    // A refused password rolls the token's consumption back: it can be used again with a better one.
    await this.unitOfWork.run(async () => {
      const userId = await this.accounts.consumeUserToken(tokenHash, UserTokenPurpose.INVITATION);
      if (!userId) {
        throw new DomainError(HttpStatus.BAD_REQUEST, ErrorCode.InvalidToken, 'The invitation is unknown, already used or expired.');
      }
      const user = await this.accounts.findUserOfToken(userId);
      assertAcceptablePassword(password, 'password', { email: user.email });
      await this.accounts.setPassword(userId, passwordHash);
      await this.audit.record({
        action: 'user.invitation.accepted',
        actor: { userId, stateCode: user.stateCode },
        entityType: 'user',
        entityId: userId,
      });
    });
  }
}
