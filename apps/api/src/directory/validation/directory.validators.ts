import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import ISO6391 from 'iso-639-1';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** The number in E.164 (`+92519201234`) if it is a valid international number, else undefined. */
export function toE164(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim().startsWith('+')) return undefined;
  const parsed = parsePhoneNumberFromString(value.trim());
  return parsed?.isValid() ? parsed.number : undefined;
}

export function isIanaTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function isIso6391(value: unknown): boolean {
  return typeof value === 'string' && ISO6391.validate(value);
}

function simpleDecorator(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: String(propertyName),
        options: { message, ...options },
        validator: { validate: test },
      });
}

/** An international phone number that libphonenumber-js accepts as valid; stored in E.164. */
export const IsInternationalPhone = simpleDecorator(
  'isInternationalPhone',
  (value) => toE164(value) !== undefined,
  '$property must be a valid international phone number starting with + (E.164)',
);
export const IsIanaTimeZone = simpleDecorator('isIanaTimeZone', isIanaTimeZone, '$property must be an IANA time zone such as Asia/Karachi');
export const IsIso6391 = simpleDecorator('isIso6391', isIso6391, 'each value in $property must be an ISO 639-1 language code such as en or fr');
