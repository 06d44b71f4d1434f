import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainError, FieldError } from '@cbm/common';
import { normalisePassword } from './password-hasher';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

let commonPasswords: Set<string> | undefined;

/** ~49,000 passwords seen most in breaches (zxcvbn-ts), loaded on first use. */
function isCommon(password: string): boolean {
  commonPasswords ??= new Set((dictionary['passwords-common'] as string[]).map((entry) => entry.toLowerCase()));
  return commonPasswords.has(password.toLowerCase());
}

/**
 * NIST SP 800-63B: length (12–128 characters, any Unicode, counted as characters rather than
 * bytes), no composition rules, and a check against passwords known from breaches.
 */
export function passwordProblems(rawPassword: string, field: string, context: { email?: string } = {}): FieldError[] {
  const password = normalisePassword(rawPassword);
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    return [{ field, message: `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long` }];
  }
  if (isCommon(password)) return [{ field, message: 'is too common: it appears in lists of breached passwords' }];
  if (context.email && password.toLowerCase() === context.email.toLowerCase()) {
    return [{ field, message: 'must not be the email address' }];
  }
  return [];
}

export function assertAcceptablePassword(password: string, field: string, context: { email?: string } = {}): void {
  const problems = passwordProblems(password, field, context);
  if (problems.length > 0) throw DomainError.validation(problems);
}
