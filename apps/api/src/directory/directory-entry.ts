import { HttpStatus } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError, ErrorCode } from '@cbm/common';

/**
 * What contacts and CERTs share as directory entries: versions as ETags, If-Match checks, revision
 * diffs, freshness and keyset cursors.
 */
export interface Versioned<T> {
  body: T;
  etag: string;
}

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export function etagOf(entry: { version: number }): string {
  return `"${entry.version}"`;
}

/** If-Match is required for edits (412 when stale, 428 when missing), optional for deactivate/verify. */
export function checkIfMatch(ifMatch: string | undefined, current: { version: number }, required: boolean): void {
  if (ifMatch === undefined) {
    if (required) {
      throw new DomainError(HttpStatus.PRECONDITION_REQUIRED, ErrorCode.PreconditionRequired, 'Send If-Match with the ETag of the entry you are changing.');
    }
    return;
  }
  if (ifMatch !== etagOf(current) && ifMatch !== `W/${etagOf(current)}`) throw staleWrite();
}

export function staleWrite(): DomainError {
  return new DomainError(
    HttpStatus.PRECONDITION_FAILED,
    ErrorCode.PreconditionFailed,
    'The entry changed since you read it: read it again, then retry with its new ETag.',
  );
}

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

/** Keyset position (name, id), opaque to clients. */
export function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string' && isUUID(id)) return { name, id };
  } catch {
    // A cursor that is not ours is reported below, like any other bad value.
  }
  throw DomainError.validation([{ field: 'cursor', message: 'must be a cursor returned by a previous page' }]);
}

/** Escapes LIKE wildcards so that a search for "50%" finds the text "50%". */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export function actingState(actor: { stateCode: string | null }): string {
  if (!actor.stateCode) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, "Only a State's users maintain its entries.");
  return actor.stateCode;
}

export const EXPIRES_SOON_MS = 30 * 86_400_000;

/** Sends the entry's ETag with it (controllers use `@Res({ passthrough: true })`). */
export function withEtag<T>(response: { setHeader(name: string, value: string): unknown }, versioned: Versioned<T>): T {
  response.setHeader('ETag', versioned.etag);
  return versioned.body;
}

/** Instants PostgreSQL can store and people mean: years 1970 to 9999. */
export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= 0 && time <= Date.UTC(9999, 11, 31, 23, 59, 59);
}

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

/** Adds `value` to the statement's parameters and returns its placeholder. */
export type Bind = (value: unknown) => string;

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

/** A statement's parameters and the `bind` that fills them. */
export function parameters(): { params: unknown[]; bind: Bind } {
  const params: unknown[] = [];
  return { params, bind: (value) => `$${params.push(value)}` };
}
