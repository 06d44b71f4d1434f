import { DomainError } from '@cbm/common';

/** Fields a PATCH may change but never empty (`null` on them is a 400 naming each). */
export function refuseCleared(input: object, notNullable: readonly string[]): void {
  const cleared = notNullable.filter((field) => (input as Record<string, unknown>)[field] === null);
  if (cleared.length > 0) throw DomainError.validation(cleared.map((field) => ({ field, message: 'cannot be cleared' })));
}

/** What a PATCH body gives: the fields it leaves out are not changes. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
