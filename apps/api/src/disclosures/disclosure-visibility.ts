import type { Actor } from '@cbm/auth';
import { Prisma } from '@cbm/database';

/** Who is reading: a State's user or key, the secretariat, or anyone on the public API. */
export type Reader = { kind: 'state'; stateCode: string } | { kind: 'secretariat' } | { kind: 'anonymous' };

/** The reader an actor is: the only input of the visibility rule (and of the read cache's key for disclosures). */
export function readerOf(actor: Actor | undefined): Reader {
  if (!actor) return { kind: 'anonymous' };
  return actor.stateCode ? { kind: 'state', stateCode: actor.stateCode } : { kind: 'secretariat' };
}

/**
 * THE visibility rule of disclosures, as one SQL condition on the alias `d`, used by every read
 * (get, list, count, search, versions). Nothing is filtered after loading.
 * - The owner State sees all of its own, in every status.
 * - Others see PUBLISHED ones only: PUBLIC and ALL_STATES ones, and SELECTED_STATES ones that list them.
 * - The secretariat sees PUBLISHED PUBLIC and ALL_STATES ones, never those shared with selected States.
 * - Anonymous readers see PUBLISHED PUBLIC ones.
 * TLP needs no clause of its own: the consistency rules tie it to the audience (CLEAR ⇔ PUBLIC,
 * RED and AMBER+STRICT ⇒ SELECTED_STATES), so the audience is always the most restrictive of the two.
 */
export function visibleTo(reader: Reader): Prisma.Sql {
  switch (reader.kind) {
    case 'anonymous':
      return Prisma.sql`(d."status" = 'PUBLISHED' AND d."audience" = 'PUBLIC')`;
    case 'secretariat':
      return Prisma.sql`(d."status" = 'PUBLISHED' AND d."audience" IN ('PUBLIC', 'ALL_STATES'))`;
    case 'state':
      return Prisma.sql`(d."stateCode" = ${reader.stateCode} OR (d."status" = 'PUBLISHED' AND (d."audience" IN ('PUBLIC', 'ALL_STATES') OR ${reader.stateCode} = ANY (d."selectedStates"))))`;
  }
}
