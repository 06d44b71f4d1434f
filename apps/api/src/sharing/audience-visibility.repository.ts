import { DisclosureAudience, DisclosureStatus, Prisma } from '@cbm/database';
import { Reader } from './reader';

/**
 * THE visibility rule of records a State shares with an audience (disclosures), written twice side by
 * side: as the SQL condition every read filters with (get, list, count, search, versions: nothing is
 * filtered after loading), and as a TypeScript predicate. test/disclosure-visibility-rule.e2e-spec.ts
 * runs one table of cases through both, the SQL on PostgreSQL: change one, change the other.
 * - The owner State sees all of its own, in every status.
 * - Others see PUBLISHED ones only: PUBLIC and ALL_STATES ones, and SELECTED_STATES ones that list them.
 * - The secretariat sees PUBLISHED PUBLIC and ALL_STATES ones, never those shared with selected States.
 * - Anonymous readers see PUBLISHED PUBLIC ones.
 * TLP needs no clause of its own: the consistency rules tie it to the audience (CLEAR ⇔ PUBLIC,
 * RED and AMBER+STRICT ⇒ SELECTED_STATES), so the audience is always the most restrictive of the two.
 */
export interface AudienceRecord {
  stateCode: string;
  status: DisclosureStatus;
  audience: DisclosureAudience;
  selectedStates: readonly string[] | null;
}

export function isVisibleTo(reader: Reader, record: AudienceRecord): boolean {
  const published = record.status === DisclosureStatus.PUBLISHED;
  const amongStates = record.audience === DisclosureAudience.PUBLIC || record.audience === DisclosureAudience.ALL_STATES;
  switch (reader.kind) {
    case 'anonymous':
      return published && record.audience === DisclosureAudience.PUBLIC;
    case 'secretariat':
      return published && amongStates;
    case 'state':
      return record.stateCode === reader.stateCode || (published && (amongStates || (record.selectedStates ?? []).includes(reader.stateCode)));
  }
}

const ALIAS = /^[a-z_][a-z0-9_]*$/;

/**
 * The same rule as one SQL condition on the table aliased `alias`, whose columns are named as in
 * `disclosure` ("stateCode", "status", "audience", "selectedStates").
 */
export function visibleToSql(reader: Reader, alias = 'd'): Prisma.Sql {
  if (!ALIAS.test(alias)) throw new Error(`Not a table alias: ${alias}`);
  const column = (name: keyof AudienceRecord) => Prisma.raw(`${alias}."${name}"`);
  switch (reader.kind) {
    case 'anonymous':
      return Prisma.sql`(${column('status')} = 'PUBLISHED' AND ${column('audience')} = 'PUBLIC')`;
    case 'secretariat':
      return Prisma.sql`(${column('status')} = 'PUBLISHED' AND ${column('audience')} IN ('PUBLIC', 'ALL_STATES'))`;
    case 'state':
      return Prisma.sql`(${column('stateCode')} = ${reader.stateCode} OR (${column('status')} = 'PUBLISHED' AND (${column('audience')} IN ('PUBLIC', 'ALL_STATES') OR ${reader.stateCode} = ANY (${column('selectedStates')}))))`;
  }
}
