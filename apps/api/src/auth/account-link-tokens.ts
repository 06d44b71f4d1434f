import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cbm/common';
import { UserTokenPurpose } from '@cbm/database';
import { AccountLinkView, INVITATION_TOKEN_FORMAT, PASSWORD_RESET_TOKEN_FORMAT, toAccountLinkView } from './account-link';
import { AuthRepository } from './auth.repository';
import { MfaPolicy } from './mfa-policy';
import { assertAcceptablePassword } from './password-policy';
import { hashOpaqueToken } from './token.service';

const TOKEN_FORMAT: Record<UserTokenPurpose, RegExp> = {
  [UserTokenPurpose.INVITATION]: INVITATION_TOKEN_FORMAT,
  [UserTokenPurpose.PASSWORD_RESET]: PASSWORD_RESET_TOKEN_FORMAT,
};

/** What an invitation and a password reset link have in common: the page's view and setting the password once. */
@Injectable()
export class AccountLinkTokens {
  constructor(
    private readonly accounts: AuthRepository,
    private readonly mfaPolicy: MfaPolicy,
  ) {}

  /** The account a link would open, if it still can (unused, unexpired, user not disabled); changes nothing. */
  async describe(token: string, purpose: UserTokenPurpose): Promise<AccountLinkView | null> {
    if (!TOKEN_FORMAT[purpose].test(token)) return null;
    const row = await this.accounts.findUsableUserToken(hashOpaqueToken(token), purpose);
    return row ? toAccountLinkView(row, (role, state) => this.mfaPolicy.isRequired(role, state)) : null;
  }

  /**
   * Uses the link (once) and sets the password it was sent for, in the unit of work under way: a
   * refused password rolls the use back, and the link works again with a better one. `password` is
   * checked against the policy, `passwordHash` (hashed before the transaction) stored. `unusable`:
   * the message for a link that is unknown, used or expired.
   */
  async setPassword(token: string, purpose: UserTokenPurpose, password: string, passwordHash: string, unusable: string): Promise<{ id: string; stateCode: string | null }> {
    const userId = TOKEN_FORMAT[purpose].test(token) ? await this.accounts.consumeUserToken(hashOpaqueToken(token), purpose) : undefined;
    if (!userId) throw new DomainError(HttpStatus.BAD_REQUEST, ErrorCode.InvalidToken, unusable);
    const user = await this.accounts.findUserOfToken(userId);
    assertAcceptablePassword(password, 'password', { email: user.email });
    await this.accounts.setPassword(userId, passwordHash);
    return { id: userId, stateCode: user.stateCode };
  }
}
