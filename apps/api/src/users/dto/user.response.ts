import { ApiProperty } from '@nestjs/swagger';
import { Role, User } from '@cbm/database';

export class UserResponse {
  id: string;
  email: string;
  displayName: string;
  @ApiProperty({ enum: Role, enumName: 'Role' })
  role: Role;
  stateCode: string | null;
  disabled: boolean;
  /** Whether the user has set a password (false while an invitation is pending). */
  passwordSet: boolean;
  mfaEnabled: boolean;
  /** The language of the user's mail and pages (ISO 639-1); null: the browser's, else English. */
  @ApiProperty({ nullable: true, type: String, enum: ['ar', 'en', 'es', 'fr', 'ru', 'zh'] })
  preferredLanguage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export class InvitationResponse {
  /** The invitation link goes by mail to this address only; no one else ever sees it. */
  sentTo: string;
  expiresAt: Date;
}

export class CreatedUserResponse {
  user: UserResponse;
  /** Present when no password was given. */
  invitation: InvitationResponse | null;
}

export class UserListResponse {
  items: UserResponse[];
  nextCursor: string | null;
}

export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    stateCode: user.stateCode,
    disabled: user.disabledAt !== null,
    passwordSet: user.passwordHash !== null,
    mfaEnabled: user.mfaEnabledAt !== null,
    preferredLanguage: user.preferredLanguage,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
