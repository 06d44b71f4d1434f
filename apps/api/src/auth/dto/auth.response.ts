import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Actor, Permission, ROLE_PERMISSIONS } from '@cbm/auth';
import { Role, User } from '@cbm/database';

export class TokenPairResponse {
  /** Send as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  /** Opaque and single-use: exchange it at /auth/refresh for a new pair. */
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: 'Bearer';
  /** True when the account must enrol a second factor before anything else. */
  mfaEnrolmentRequired: boolean;
}

export class LoginResponse {
  /** True when a second factor is needed: send `mfaToken` and a code to /auth/mfa/verify. */
  mfaRequired: boolean;
  @ApiPropertyOptional()
  mfaToken?: string;
  @ApiPropertyOptional({ description: 'Seconds until mfaToken expires' })
  mfaTokenExpiresIn?: number;
  @ApiPropertyOptional()
  accessToken?: string;
  @ApiPropertyOptional()
  refreshToken?: string;
  @ApiPropertyOptional()
  expiresIn?: number;
  @ApiPropertyOptional({ enum: ['Bearer'] })
  tokenType?: 'Bearer';
  @ApiPropertyOptional()
  mfaEnrolmentRequired?: boolean;
}

export class MeResponse {
  @ApiProperty({ enum: ['user', 'apiKey'] })
  kind: 'user' | 'apiKey';
  id: string;
  @ApiPropertyOptional({ nullable: true })
  email: string | null;
  @ApiPropertyOptional({ nullable: true })
  displayName: string | null;
  @ApiPropertyOptional({ enum: Role, nullable: true, description: 'Null for an API key' })
  role: Role | null;
  @ApiPropertyOptional({ nullable: true })
  stateCode: string | null;
  @ApiProperty({ enum: Permission, enumName: 'Permission', isArray: true })
  permissions: Permission[];
  mfaEnabled: boolean;
  mfaRequired: boolean;
  /** Mail about the State's requests also goes to this user (besides the State's contacts). */
  notifyByEmail: boolean;
  /** The language of the user's mail and pages (ISO 639-1, one of the six UN languages); null for an API key or when not chosen. */
  @ApiProperty({ nullable: true, type: String, enum: ['ar', 'en', 'es', 'fr', 'ru', 'zh'] })
  preferredLanguage: string | null;
}

export class MfaEnrolmentResponse {
  /** Base32 secret, for typing into an authenticator app. */
  secret: string;
  /** `otpauth://` URI, for a QR code. */
  otpauthUri: string;
}

export class RecoveryCodesResponse {
  /** Ten single-use codes, shown once: each replaces a 6-digit code if the authenticator is lost. */
  recoveryCodes: string[];
}

/** What /auth/me answers for an API key: its State and permissions, no person. */
export function toApiKeyMeResponse(actor: Pick<Actor, 'id' | 'stateCode' | 'permissions'>): MeResponse {
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
    preferredLanguage: null,
  };
}

/** What /auth/me answers for a person; the permissions are their role's. */
export function toUserMeResponse(user: User, mfaRequired: boolean): MeResponse {
  return {
    kind: 'user',
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    stateCode: user.stateCode,
    permissions: [...ROLE_PERMISSIONS[user.role]].sort(),
    mfaEnabled: user.mfaEnabledAt !== null,
    mfaRequired,
    notifyByEmail: user.notifyByEmail,
    preferredLanguage: user.preferredLanguage,
  };
}
