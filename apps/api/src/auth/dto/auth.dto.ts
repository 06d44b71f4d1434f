import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsJWT, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { LANGUAGES } from '../../localization';

export class LoginDto {
  /** @example secretariat@un.example */
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @Length(1, 1024)
  password: string;
}

export class MfaVerifyDto {
  /** The `mfaToken` returned by the login step. */
  @IsJWT()
  mfaToken: string;

  /** A 6-digit code from the authenticator app, or a recovery code such as `7KQ4-M2XP-9TZC`. */
  @IsString()
  @Matches(/^(\d{6}|[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4})$/, { message: 'code must be a 6-digit code or a recovery code' })
  code: string;
}

export class RefreshDto {
  @IsString()
  @Length(20, 200)
  refreshToken: string;
}

export class ChangePasswordDto {
  @IsString()
  @Length(1, 1024)
  currentPassword: string;

  /** 12 to 128 characters, any script; not a breached password. */
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

export class AcceptInvitationDto {
  /** The invitation token handed to the new user. */
  @IsString()
  @Length(20, 200)
  token: string;

  /** 12 to 128 characters, any script; not a breached password. */
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class MfaConfirmDto {
  /** The current 6-digit code shown by the authenticator app for the new secret. */
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

export class NotificationPreferencesDto {
  /** Receive mail about requests involving your State. */
  @IsBoolean()
  notifyByEmail: boolean;

  /** The language of your mail and pages, one of the six UN languages; null: your browser's, else English. Omitted: unchanged. */
  @ApiPropertyOptional({ enum: LANGUAGES, nullable: true, example: 'fr' })
  @IsOptional()
  @IsIn(LANGUAGES)
  preferredLanguage?: string | null;
}
