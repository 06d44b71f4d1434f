import type { Actor } from '@cbm/auth';

/** Who is reading: a State's user or key, the secretariat, or anyone on the public API. */
export type Reader = { kind: 'state'; stateCode: string } | { kind: 'secretariat' } | { kind: 'anonymous' };

/**
 * The reader an actor is: the only input of the audience visibility rule (audience-visibility.repository.ts),
 * and so of the read cache's audience key for the routes that filter by it.
 */
export function readerOf(actor: Actor | undefined): Reader {
  if (!actor) return { kind: 'anonymous' };
  return actor.stateCode ? { kind: 'state', stateCode: actor.stateCode } : { kind: 'secretariat' };
}

/** The State that owns a record reads it as its owner. */
export function isOwnerOf(reader: Reader, owner: { stateCode: string }): boolean {
  return reader.kind === 'state' && reader.stateCode === owner.stateCode;
}
