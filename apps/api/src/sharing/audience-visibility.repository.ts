import { DisclosureAudience, Prisma } from '@cbm/database';
import { Reader } from './reader';

/**
 * The statuses in which each kind of record a State shares with an audience reaches that audience;
 * in any other status (a draft, a withdrawn record) only its State sees it.
 */
export const SHARED_STATUSES = {
  disclosure: ['PUBLISHED'],
  /** Once opened a need stays visible to its audience through its outcome; a withdrawn one does not. */
  capacityNeed: ['OPEN', 'IN_PROGRESS', 'FULFILLED'],
  capacityOffer: ['OPEN'],
} as const satisfies Record<string, readonly string[]>;

export type SharedRecordKind = keyof typeof SHARED_STATUSES;

/**
 * THE visibility rule of records a State shares with an audience (disclosures, capacity-building needs
 * and offers), written twice side by side: as the SQL condition every read filters with (get, list,
 * count, search, matches, versions: nothing is filtered after loading), and as a TypeScript predicate.
 * test/audience-visibility-rule.e2e-spec.ts runs one table of cases through both, the SQL on
 * PostgreSQL, for every kind: change one, change the other.
 * - The owner State sees all of its own, in every status.
 * - Others see shared ones only (SHARED_STATUSES): PUBLIC and ALL_STATES ones, and SELECTED_STATES
 *   ones that list them.
 * - The secretariat sees shared PUBLIC and ALL_STATES ones, never those shared with selected States.
 * - Anonymous readers see shared PUBLIC ones.
 * TLP needs no clause of its own: the consistency rules tie it to the audience (CLEAR ⇔ PUBLIC,
 * RED and AMBER+STRICT ⇒ SELECTED_STATES), so the audience is always the most restrictive of the two.
 */
export interface AudienceRecord {
  stateCode: string;
  status: string;
  audience: DisclosureAudience;
  selectedStates: readonly string[] | null;
}

export function isVisibleTo(reader: Reader, record: AudienceRecord, kind: SharedRecordKind): boolean {
  const shared = (SHARED_STATUSES[kind] as readonly string[]).includes(record.status);
  const amongStates = record.audience === DisclosureAudience.PUBLIC || record.audience === DisclosureAudience.ALL_STATES;
  switch (reader.kind) {
    case 'anonymous':
      return shared && record.audience === DisclosureAudience.PUBLIC;
    case 'secretariat':
      return shared && amongStates;
    case 'state':
      return record.stateCode === reader.stateCode || (shared && (amongStates || (record.selectedStates ?? []).includes(reader.stateCode)));
  }
}

const ALIAS = /^[a-z_][a-z0-9_]*$/;

/**
 * The same rule as one SQL condition on the table aliased `alias`, whose columns are named as in
 * `disclosure` ("stateCode", "status", "audience", "selectedStates"), for records of `kind`.
 */
export function visibleToSql(reader: Reader, alias: string, kind: SharedRecordKind): Prisma.Sql {
  if (!ALIAS.test(alias)) throw new Error(`Not a table alias: ${alias}`);
  const column = (name: keyof AudienceRecord) => Prisma.raw(`${alias}."${name}"`);
  // The statuses are constants of this file, never input: written into the SQL as literals, so the
  // planner sees them as it sees the indexes' (status, audience, …) prefix.
  const shared = Prisma.raw(`${alias}."status" IN (${SHARED_STATUSES[kind].map((status) => `'${status}'`).join(', ')})`);
  switch (reader.kind) {
    case 'anonymous':
      return Prisma.sql`(${shared} AND ${column('audience')} = 'PUBLIC')`;
    case 'secretariat':
      return Prisma.sql`(${shared} AND ${column('audience')} IN ('PUBLIC', 'ALL_STATES'))`;
    case 'state':
      return Prisma.sql`(${column('stateCode')} = ${reader.stateCode} OR (${shared} AND (${column('audience')} IN ('PUBLIC', 'ALL_STATES') OR ${reader.stateCode} = ANY (${column('selectedStates')}))))`;
  }
}
