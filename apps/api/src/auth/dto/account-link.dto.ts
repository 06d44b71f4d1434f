import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export class AccountLinkTokenParam {
  /** From the link in the mail. */
  @IsString()
  @Length(1, 200)
  token: string;
}

/** What the page's form sends (application/x-www-form-urlencoded). */
export class PasswordFormDto {
  /** 12 to 128 characters, any script; not a breached password. */
  @IsString()
  @MaxLength(1024)
  password: string;

  /** The same password again. */
  @IsString()
  @MaxLength(1024)
  passwordConfirmation: string;
}

export class PasswordResetRequestDto {
  /** @example officer@mofa.example */
  @IsEmail()
  @MaxLength(254)
  email: string;
}
