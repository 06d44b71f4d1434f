import { createHash } from 'node:crypto';
import { Bind, EntryStatus, likeLiteral, Prisma, UnRegionalGroup } from '@cbm/database';
import { staleEntrySql } from './staleness';

/**
 * What the contact and CERT repositories share: the filters of a directory list as SQL, and how a
 * JSON column is written.
 */

/** The filters every directory list has (contacts and CERTs), on an entry table aliased `e`. */
export interface EntryListFilter {
  status: EntryStatus;
  stateCode?: string;
  region?: UnRegionalGroup;
  language?: string;
  available24x7?: boolean;
  /** true: not verified since `staleBefore`; false: verified since. */
  stale?: boolean;
  staleBefore: Date;
  q?: string;
  /** Keyset position: entries after (name, id), the sort of every directory list. */
  after?: { name: string; id: string };
}

/**
 * SQL conditions of a directory list, every value a bound parameter. The lists are the service's
 * hottest reads, so they run as one statement on the pool rather than through Prisma's per-call
 * query planning. `searchColumns`: where `q` is looked for (ILIKE on trigram-indexed columns).
 */
export function entryListConditions(filter: EntryListFilter, bind: Bind, options: { withBounces: boolean; searchColumns: [string, string] }): string[] {
  const where = [`e."status" = ${bind(filter.status)}::"EntryStatus"`];
  if (filter.stateCode) where.push(`e."stateCode" = ${bind(filter.stateCode)}`);
  if (filter.region) where.push(`e."stateCode" IN (SELECT "code" FROM "state" WHERE "region" = ${bind(filter.region)}::"UnRegionalGroup")`);
  if (filter.language) where.push(`e."languages" @> ARRAY[${bind(filter.language)}]::text[]`);
  if (filter.available24x7 !== undefined) where.push(`e."available24x7" = ${bind(filter.available24x7)}`);
  if (filter.stale !== undefined) where.push(staleEntrySql(filter.stale, bind(filter.staleBefore), options));
  if (filter.q) {
    const pattern = bind(`%${likeLiteral(filter.q)}%`);
    where.push(`(${options.searchColumns.map((column) => `e."${column}" ILIKE ${pattern}`).join(' OR ')})`);
  }
  if (filter.after) where.push(`(e."name", e."id") > (${bind(filter.after.name)}, ${bind(filter.after.id)}::uuid)`);
  return where;
}

/** A list row as its statement wrote it: the keyset position and the item's JSON. */
export interface ListItemJson {
  name: string;
  id: string;
  item: string;
}

/**
 * A prepared statement's name for a list's text, which only the filters used change (a few dozen
 * forms): each connection plans each form once, rather than planning the long JSON expression of
 * a page for every page.
 */
export function preparedName(prefix: string, text: string): string {
  return `${prefix}-${createHash('sha1').update(text).digest('base64url')}`;
}

/** A JSON column as Prisma writes it: null is SQL NULL, undefined leaves the column alone. */
export function jsonColumn(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull | undefined {
  return value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue | undefined);
}
