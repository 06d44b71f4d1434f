import { IsBoolean } from 'class-validator';

export class UpdateStateDto {
  /** Whether the State takes part: only users of participating States can sign in. */
  @IsBoolean()
  participating: boolean;
}

export class SecurityPolicyDto {
  /** Every user of the State must use a second factor (TOTP). */
  @IsBoolean()
  mfaRequired: boolean;
}

export class SecurityPolicyResponse {
  stateCode: string;
  mfaRequired: boolean;
}
