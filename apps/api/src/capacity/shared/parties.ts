import { HttpStatus } from '@nestjs/common';
import { Actor, actingStateOf } from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';

/**
 * A proposal and the engagement it becomes belong to two States only: the needing State and the
 * providing one. Every read filters by them in SQL; anyone else is told the record does not exist.
 */
export interface Parties {
  needState: string;
  providerState: string;
}

export type Side = 'needing' | 'providing';

/** The caller's side of a record it is a party to (the repositories have already filtered by party). */
export function sideOf(parties: Parties, stateCode: string): Side {
  return parties.needState === stateCode ? 'needing' : 'providing';
}

/** The State on the other side: whom a change by `stateCode` is announced to. */
export function otherParty(parties: Parties, stateCode: string): string {
  return parties.needState === stateCode ? parties.providerState : parties.needState;
}

/** Proposals and engagements are between States: the secretariat (no State) reads their metadata elsewhere. */
export function partyStateOf(actor: Actor): string {
  return actingStateOf(actor, 'Proposals and engagements are between States: only a State\'s users and keys take part.');
}

/** A party acting out of turn (the provider accepting, say): allowed to see the record, not to do this. */
export function notYourTurn(detail: string): DomainError {
  return new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, detail);
}

/** Free text as stored: trimmed (the DTOs refuse text that is blank). */
export function text(value: string): string {
  return value.trim();
}
