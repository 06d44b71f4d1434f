import { RecipientStatus } from '@cbm/database';

/**
 * The rules of a request's recipients that exist both in TypeScript (the views, the workflow) and in
 * SQL (the list filter, the deadline notices), side by side so that they cannot drift apart:
 * test/request-rules.e2e-spec.ts runs one table of cases through both on the real PostgreSQL.
 */

/** A recipient is open while it has neither answered nor left the request. */
export const OPEN_STATUSES: readonly RecipientStatus[] = [RecipientStatus.SUBMITTED, RecipientStatus.ACKNOWLEDGED, RecipientStatus.IN_PROGRESS];

export function isOpen(status: RecipientStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** A request's deadlines, each with the statuses in which a recipient still owes what it asks for. */
export const DEADLINES = {
  /** Acknowledge by `acknowledgeBy`: owed while SUBMITTED. */
  acknowledgement: { column: 'acknowledgeBy', optional: false, owedWhile: [RecipientStatus.SUBMITTED] },
  /** Answer by `respondBy` (when the requester set one): owed while open. */
  response: { column: 'respondBy', optional: true, owedWhile: OPEN_STATUSES },
} as const satisfies Record<string, { column: 'acknowledgeBy' | 'respondBy'; optional: boolean; owedWhile: readonly RecipientStatus[] }>;

export type Deadline = keyof typeof DEADLINES;
export const DEADLINE_NAMES = Object.keys(DEADLINES) as Deadline[];

/** The request's side of the rules: its deadlines. */
export interface RequestDeadlines {
  acknowledgeBy: Date;
  respondBy: Date | null;
}

/** A deadline is missed when it has passed (strictly before `now`) while the recipient still owes it. */
export function hasMissed(deadline: Deadline, status: RecipientStatus, request: RequestDeadlines, now: Date): boolean {
  const { column, owedWhile } = DEADLINES[deadline];
  const due = request[column];
  return (owedWhile as readonly RecipientStatus[]).includes(status) && due !== null && due < now;
}

/** Overdue: past the acknowledgement or the answer deadline, still owing it. */
export function isOverdue(recipient: { status: RecipientStatus }, request: RequestDeadlines, now: Date): boolean {
  return DEADLINE_NAMES.some((deadline) => hasMissed(deadline, recipient.status, request, now));
}

/** Where the SQL forms read from: the recipient's and the request's row (aliases), and the instant. */
export interface RuleSqlContext {
  recipient: string;
  request: string;
  now: string;
}

function statusListSql(statuses: readonly RecipientStatus[]): string {
  return statuses.map((status) => `'${status}'`).join(', ');
}

/** SQL of isOpen for the recipient row `recipient`. */
export function isOpenSql(recipient: string): string {
  return `${recipient}."status" IN (${statusListSql(OPEN_STATUSES)})`;
}

/** SQL of "the recipient still owes what `deadline` asks for" (the deadline's statuses, and the deadline is set). */
export function owesSql(deadline: Deadline, { recipient, request }: Omit<RuleSqlContext, 'now'>): string {
  const { column, owedWhile } = DEADLINES[deadline];
  return `${recipient}."status" IN (${statusListSql(owedWhile)}) AND ${request}."${column}" IS NOT NULL`;
}

/** SQL of hasMissed. */
export function hasMissedSql(deadline: Deadline, context: RuleSqlContext): string {
  return `(${owesSql(deadline, context)} AND ${context.request}."${DEADLINES[deadline].column}" < ${context.now})`;
}

/** SQL of isOverdue. */
export function isOverdueSql(context: RuleSqlContext): string {
  return `(${DEADLINE_NAMES.map((deadline) => hasMissedSql(deadline, context)).join(' OR ')})`;
}
