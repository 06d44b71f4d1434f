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

/** The rules, by name: the pages word each in the reader's language. */
export type PasswordRule = 'length' | 'common' | 'email';

const RULE_MESSAGES: Record<PasswordRule, string> = {
  length: `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
  common: 'is too common: it appears in lists of breached passwords',
  email: 'must not be the email address',
};

/**
 * NIST SP 800-63B: length (12–128 characters, any Unicode, counted as characters rather than
 * bytes), no composition rules, and a check against passwords known from breaches. The first rule
 * the password breaks, or undefined.
 */
export function brokenPasswordRule(rawPassword: string, context: { email?: string } = {}): PasswordRule | undefined {
  const password = normalisePassword(rawPassword);
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) return 'length';
  if (isCommon(password)) return 'common';
  if (context.email && password.toLowerCase() === context.email.toLowerCase()) return 'email';
  return undefined;
}

export function passwordProblems(rawPassword: string, field: string, context: { email?: string } = {}): FieldError[] {
  const rule = brokenPasswordRule(rawPassword, context);
  return rule ? [{ field, message: RULE_MESSAGES[rule] }] : [];
}

export function assertAcceptablePassword(password: string, field: string, context: { email?: string } = {}): void {
  const problems = passwordProblems(password, field, context);
  if (problems.length > 0) throw DomainError.validation(problems);
}
