import { HttpStatus } from '@nestjs/common';
import { Actor, actingStateOf, Permission } from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';

/**
 * Who reads requests, and so how much of them: a State's users read the requests their State is
 * party to, in full; the secretariat reads every request, as metadata only.
 */
export type RequestReader = { kind: 'state'; stateCode: string } | { kind: 'secretariat' };

/** The reader an actor is, once it holds the permission its kind needs (403 otherwise). */
export function requestReaderOf(actor: Actor): RequestReader {
  if (actor.stateCode) {
    if (!actor.permissions.has(Permission.RequestRead)) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'This requires the permission request:read.');
    return { kind: 'state', stateCode: actor.stateCode };
  }
  if (!actor.permissions.has(Permission.RequestMetadataRead)) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, 'This requires the permission request:metadata.');
  return { kind: 'secretariat' };
}

/** The reader that is this State's party to its requests. */
export function stateReader(stateCode: string): RequestReader {
  return { kind: 'state', stateCode };
}

/** Contents, actions and messages belong to the parties: to the secretariat they do not exist (404). */
export function partyStateOf(actor: Actor): string {
  if (!actor.stateCode) throw DomainError.notFound('Request');
  return actor.stateCode;
}

/** The State filing a request (403 for the secretariat). */
export function requesterStateOf(actor: Actor): string {
  return actingStateOf(actor, 'Requests are filed by States.');
}
