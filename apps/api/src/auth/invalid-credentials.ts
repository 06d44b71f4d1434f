import { HttpStatus } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cbm/common';

export function invalidCredentials(): DomainError {
  return new DomainError(
    HttpStatus.UNAUTHORIZED,
    ErrorCode.InvalidCredentials,
    // One answer for every failure, so that it tells nobody whether an account exists or is locked.
    'Sign-in failed: wrong email, password or code, or the account is locked or disabled. Retry later.',
  );
}
