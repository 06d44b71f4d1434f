/**
 * The stale rule of directory entries, once in TypeScript (responses, exports) and once in SQL
 * (list filters, State summary counts), side by side so that they change together.
 * test/staleness-rule.e2e-spec.ts runs one table of cases through both, the SQL on PostgreSQL.
 *
 * An entry is stale when it was never verified, or not since `staleBefore` (DIRECTORY_STALE_AFTER_DAYS
 * ago); a contact (`withBounces`) is also stale while mail to it has bounced — verifying clears the bounce.
 */

export function staleBefore(staleAfterDays: number, now = Date.now()): Date {
  return new Date(now - staleAfterDays * 86_400_000);
}

/** The rule in TypeScript. CERTs record no bounces: their `deliveryFailedAt` is null. */
export function isStale(lastVerifiedAt: Date | null, threshold: Date, deliveryFailedAt: Date | null = null): boolean {
  return lastVerifiedAt === null || lastVerifiedAt < threshold || deliveryFailedAt !== null;
}

/**
 * The rule in SQL, on an entry table aliased `e`: `stale` true selects the stale entries, false the
 * fresh ones. `threshold` is the bound parameter holding `staleBefore` (e.g. `$3`).
 */
export function staleEntrySql(stale: boolean, threshold: string, options: { withBounces: boolean }): string {
  if (stale) return `(e."lastVerifiedAt" IS NULL OR e."lastVerifiedAt" < ${threshold}${options.withBounces ? ' OR e."deliveryFailedAt" IS NOT NULL' : ''})`;
  return `(e."lastVerifiedAt" >= ${threshold}${options.withBounces ? ' AND e."deliveryFailedAt" IS NULL' : ''})`;
}
