import { CapacityNeedStatus, Prisma } from '@cbm/database';
import { todayUtc } from '../shared/calendar-date';

/**
 * THE expiry rule of needs, in both forms side by side: an OPEN need whose time frame ended (its
 * `neededBy` day is over, in UTC) reads as expired. Nothing is stored: the answer's `expired` and the
 * list's `expired=` filter are computed from the same rule (test/capacity-needs.e2e-spec.ts checks
 * both on the same rows).
 */
export function isExpired(need: { status: CapacityNeedStatus; neededBy: string }, today = todayUtc()): boolean {
  return need.status === CapacityNeedStatus.OPEN && need.neededBy < today;
}

const ALIAS = /^[a-z_][a-z0-9_]*$/;

export function expiredSql(alias: string): Prisma.Sql {
  if (!ALIAS.test(alias)) throw new Error(`Not a table alias: ${alias}`);
  return Prisma.raw(`(${alias}."status" = 'OPEN' AND ${alias}."neededBy" < (now() AT TIME ZONE 'UTC')::date)`);
}
