import { ValidationError } from '@nestjs/common';
import { DomainError, FieldError } from './domain.error';

/** Flattens class-validator's tree into `{ field: 'a.b.0.c', message }` pairs, one per failed rule. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a known field' : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** For the global ValidationPipe: every validation failure is a 400 VALIDATION_FAILED naming its fields. */
export function validationExceptionFactory(errors: ValidationError[]): DomainError {
  return DomainError.validation(flattenValidationErrors(errors));
}
