import { HttpStatus } from '@nestjs/common';
import { Actor, actingStateOf } from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';
import { tlpFromLabel } from '../../sharing/tlp';
import { AudienceFields } from '../../sharing/audience.dto';
import { SharedWith } from '../../sharing/audience-consistency';

/** The acting State of a capacity-building write: a State's user or key, never the secretariat. */
export function actingState(actor: Actor): string {
  return actingStateOf(actor, "Only a State's users describe its needs and offers.");
}

export function conflict(detail: string): DomainError {
  return new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, detail);
}

/** The audience fields of a body as stored (TLP label → enum, absent selected States → none). */
export function sharedWith(input: Partial<AudienceFields>): Partial<SharedWith> {
  return {
    ...(input.tlp !== undefined ? { tlp: tlpFromLabel(input.tlp) } : {}),
    ...(input.audience !== undefined ? { audience: input.audience } : {}),
    ...(input.selectedStates !== undefined ? { selectedStates: input.selectedStates ?? [] } : {}),
  };
}

/** Fields a PATCH may change but never empty (`null` on them is a 400 naming each). */
export function refuseCleared(input: object, notNullable: readonly string[]): void {
  const cleared = notNullable.filter((field) => (input as Record<string, unknown>)[field] === null);
  if (cleared.length > 0) throw DomainError.validation(cleared.map((field) => ({ field, message: 'cannot be cleared' })));
}

export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
