import { createHash } from 'node:crypto';
import { Bind, Database, EntryStatus, likeLiteral, Prisma, sqlParameters, UnRegionalGroup } from '@cbm/database';
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
 * The WHERE, order and limit of a directory list page: the filters every list has, then `own`, the
 * table's own filters (bound with the same `bind`).
 */
export function entryPageSql(filter: EntryListFilter, bind: Bind, options: { withBounces: boolean; searchColumns: [string, string] }, own: string[], limit: number): string {
  return `${[...entryListConditions(filter, bind, options), ...own].join(' AND ')} ORDER BY e."name", e."id" LIMIT ${bind(limit)}`;
}

/**
 * A page with each item written as JSON by PostgreSQL: `itemSql` is the table's response in SQL
 * (bound staleBefore and now), `pageSql` its WHERE, order and limit. The statement is prepared under
 * a name taken from its text, which only the filters used change (a few dozen forms): each
 * connection plans each form once, rather than planning the long JSON expression for every page.
 */
export async function findEntryPageJson(
  database: Database,
  table: 'contact' | 'cert',
  itemSql: (threshold: string, now: string) => string,
  pageSql: (bind: Bind) => string,
  staleBefore: Date,
  now: Date,
): Promise<ListItemJson[]> {
  const { params, bind } = sqlParameters();
  const item = itemSql(bind(staleBefore), bind(now));
  const text = `SELECT e."name", e."id", ${item}::text AS "item" FROM "${table}" e WHERE ${pageSql(bind)}`;
  const name = `${table}-page-${createHash('sha1').update(text).digest('base64url')}`;
  const { rows } = await database.pool.query<ListItemJson>({ name, text, values: params });
  return rows;
}

/** A JSON column as Prisma writes it: null is SQL NULL, undefined leaves the column alone. */
export function jsonColumn(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull | undefined {
  return value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue | undefined);
}
