import { Role } from '@cbm/database';

/** What a page behind an invitation or password reset link may show about the account it opens. */
export interface AccountLinkView {
  email: string;
  displayName: string;
  role: Role;
  preferredLanguage: string | null;
  expiresAt: Date;
  /** The account must use a second factor (its role or its State's policy)… */
  mfaRequired: boolean;
  /** …and has one enrolled already. */
  mfaEnabled: boolean;
}

export const INVITATION_TOKEN_FORMAT = /^inv_[A-Za-z0-9_-]{43}$/;
export const PASSWORD_RESET_TOKEN_FORMAT = /^pwr_[A-Za-z0-9_-]{43}$/;

export function toAccountLinkView(
  row: {
    expiresAt: Date;
    user: { email: string; displayName: string; role: Role; preferredLanguage: string | null; mfaEnabledAt: Date | null; state: { mfaRequired: boolean } | null };
  },
  mfaRequired: (role: Role, state: { mfaRequired: boolean } | null) => boolean,
): AccountLinkView {
  const { user } = row;
  return {
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    preferredLanguage: user.preferredLanguage,
    expiresAt: row.expiresAt,
    mfaRequired: mfaRequired(user.role, user.state),
    mfaEnabled: user.mfaEnabledAt !== null,
  };
}
