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
