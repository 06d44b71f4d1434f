import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment, mfaRequiredRoles } from '@cbm/common';
import { Role } from '@cbm/database';

/** Whether a user must use a second factor: by role (MFA_REQUIRED_ROLES) or by their State's policy. */
@Injectable()
export class MfaPolicy {
  private readonly roles: Set<string>;

  constructor(config: ConfigService<Environment, true>) {
    this.roles = mfaRequiredRoles({ MFA_REQUIRED_ROLES: config.get('MFA_REQUIRED_ROLES', { infer: true }) } as Environment);
  }

  isRequired(role: Role, state: { mfaRequired: boolean } | null): boolean {
    return this.roles.has(role) || (state?.mfaRequired ?? false);
  }
}
