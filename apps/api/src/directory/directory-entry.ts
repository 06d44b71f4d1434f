import { actingStateOf } from '@cbm/auth';
import { KeysetCursor } from '@cbm/common';
import { Bind, likeLiteral } from '@cbm/database';

/**
 * What contacts and CERTs share as directory entries: revision diffs, freshness and list filters.
 */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** The fields that differ, as { field: { before, after } }; `before` is null for a new entry. */
export function diffFields<T extends object>(before: T | null, after: T, fields: ReadonlyArray<keyof T & string>): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const previous = before ? before[field] : null;
    if (JSON.stringify(previous) !== JSON.stringify(after[field])) changes[field] = { before: previous ?? null, after: after[field] ?? null };
  }
  return changes;
}

export function staleBefore(staleAfterDays: number, now = Date.now()): Date {
  return new Date(now - staleAfterDays * 86_400_000);
}

/** Not verified recently, or (contacts) mail to it bounced since it was last verified. */
export function isStale(lastVerifiedAt: Date | null, threshold: Date, deliveryFailedAt: Date | null = null): boolean {
  return lastVerifiedAt === null || lastVerifiedAt < threshold || deliveryFailedAt !== null;
}

export const EXPIRES_SOON_MS = 30 * 86_400_000;

/**
 * The stale rule as a Prisma condition, for counts (State summaries); lists use the same rule in
 * SQL (`entryListConditions`). Contacts also record bounces (`withBounces`): a contact whose mail
 * failed for good is stale until verified.
 */
export function staleCondition(stale: boolean | undefined, threshold: Date, withBounces = false) {
  if (stale === true) {
    return { OR: [{ lastVerifiedAt: null }, { lastVerifiedAt: { lt: threshold } }, ...(withBounces ? [{ deliveryFailedAt: { not: null } }] : [])] };
  }
  if (stale === false) return { lastVerifiedAt: { gte: threshold }, ...(withBounces ? { deliveryFailedAt: null } : {}) };
  return undefined;
}

/** The filters every directory list has (contacts and CERTs), on an entry table aliased `e`. */
export interface EntryListFilter {
  status: string;
  stateCode?: string;
  region?: string;
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
  const bounced = options.withBounces ? ' OR e."deliveryFailedAt" IS NOT NULL' : '';
  const notBounced = options.withBounces ? ' AND e."deliveryFailedAt" IS NULL' : '';
  if (filter.stale === true) where.push(`(e."lastVerifiedAt" IS NULL OR e."lastVerifiedAt" < ${bind(filter.staleBefore)}${bounced})`);
  if (filter.stale === false) where.push(`(e."lastVerifiedAt" >= ${bind(filter.staleBefore)}${notBounced})`);
  if (filter.q) {
    const pattern = bind(`%${likeLiteral(filter.q)}%`);
    where.push(`(${options.searchColumns.map((column) => `e."${column}" ILIKE ${pattern}`).join(' OR ')})`);
  }
  if (filter.after) where.push(`(e."name", e."id") > (${bind(filter.after.name)}, ${bind(filter.after.id)}::uuid)`);
  return where;
}


/** Directory lists are sorted by (name, id). */
const ENTRY_CURSOR = new KeysetCursor(['text', 'uuid'] as const);

export function encodeEntryCursor(entry: { name: string; id: string }): string {
  return ENTRY_CURSOR.encode(entry.name, entry.id);
}

export function decodeEntryCursor(cursor: string): { name: string; id: string } {
  const [name, id] = ENTRY_CURSOR.decode(cursor);
  return { name, id };
}

export function actingState(actor: { stateCode: string | null }): string {
  return actingStateOf(actor, "Only a State's users maintain its entries.");
}
