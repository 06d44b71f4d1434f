import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Actor } from '@cbm/auth';
import { DomainError, Environment, ErrorCode } from '@cbm/common';
import { UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { AuthRepository } from './auth.repository';
import { MfaEnrolmentResponse, RecoveryCodesResponse } from './dto/auth.response';
import { hashOpaqueToken } from './token.service';
import { matchingTotpStep, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpUri } from './totp';

function alreadyEnrolled(): DomainError {
  return new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'A second factor is already enrolled for this account.');
}

/** Enrolling a TOTP second factor: a pending secret, then its confirmation with a code and recovery codes. */
@Injectable()
export class MfaEnrolmentService {
  constructor(
    private readonly accounts: AuthRepository,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  /** Starts (or restarts) enrolment: a new secret, in force only once a code from it is confirmed. */
  async startMfaEnrolment(actor: Actor): Promise<MfaEnrolmentResponse> {
    const user = await this.requireUser(actor);
    if (user.mfaEnabledAt) throw alreadyEnrolled();
    const secret = newTotpSecret();
    await this.unitOfWork.run(async () => {
      if (!(await this.accounts.setPendingMfaSecret(user.id, secret))) throw alreadyEnrolled();
      await this.audit.record({ action: 'auth.mfa.enrolment-started', actor, entityType: 'user', entityId: user.id });
    });
    return { secret, otpauthUri: totpUri(secret, this.config.get('MFA_ISSUER', { infer: true }), user.email) };
  }

  async confirmMfaEnrolment(actor: Actor, code: string): Promise<RecoveryCodesResponse> {
    const user = await this.requireUser(actor);
    if (user.mfaEnabledAt) throw alreadyEnrolled();
    const step = user.mfaSecret ? matchingTotpStep(user.mfaSecret, code) : undefined;
    if (step === undefined) {
      throw DomainError.validation([{ field: 'code', message: 'does not match the secret being enrolled (check the device clock)' }]);
    }
    const recoveryCodes = newRecoveryCodes();
    await this.unitOfWork.run(async () => {
      const hashes = recoveryCodes.map((recoveryCode) => hashOpaqueToken(normaliseRecoveryCode(recoveryCode)));
      if (!(await this.accounts.enableMfa(user.id, user.mfaSecret!, step, hashes))) {
        throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'Enrolment was completed or restarted meanwhile.');
      }
      if (actor.sessionId) await this.accounts.markSessionMfaSatisfied(actor.sessionId);
      await this.audit.record({ action: 'auth.mfa.enrolled', actor, entityType: 'user', entityId: user.id });
    });
    return { recoveryCodes };
  }

  private async requireUser(actor: Actor) {
    const user = actor.userId ? await this.accounts.findUserById(actor.userId) : null;
    if (!user) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'Only a signed-in person can enrol a second factor.');
    return user;
  }
}
