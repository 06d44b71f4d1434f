/**
 * Reads what went wrong in a database call, whatever layer raised it: a Prisma client error
 * (with its driver adapter error inside), or a pg error from a raw pool query.
 */
export type DatabaseFailure =
  | { kind: 'unavailable' }
  | { kind: 'unique'; fields: string[] }
  | { kind: 'reference'; fields: string[] }
  | { kind: 'not-found' };

/**
 * Prisma codes meaning the database could not be reached or did not answer in time, or (P2034) gave
 * up a transaction in a deadlock or write conflict: all of them worth the same request again later.
 */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034', 'P2037']);
/** Adapter error kinds with the same meaning. */
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);
/**
 * SQLSTATEs: class 08 (connection exception), 40001 serialization_failure and 40P01
 * deadlock_detected (PostgreSQL rolled the transaction back; retrying it is the documented remedy),
 * 53300 too_many_connections, 57014 query_canceled (our statement timeout), 57P01-57P03
 * (admin/crash shutdown, cannot connect now).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|40001|40P01|53300|57014|57P0[123])$/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
/** pg and pg-pool report these as plain Errors, without a code. */
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  meta?: { driverAdapterError?: { cause?: ErrorLike }; target?: unknown; field_name?: unknown };
  cause?: unknown;
  constraint?: { fields?: unknown; index?: unknown };
}

function* causeChain(error: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const node = current as ErrorLike;
    yield node;
    const adapterCause = node.meta?.driverAdapterError?.cause;
    if (adapterCause) yield adapterCause;
    current = node.cause;
  }
}

function constraintFields(node: ErrorLike): string[] {
  const adapter = node.meta?.driverAdapterError?.cause?.constraint;
  if (adapter && Array.isArray(adapter.fields)) return adapter.fields.map(String);
  if (adapter && typeof adapter.index === 'string') return [adapter.index];
  if (Array.isArray(node.meta?.target)) return node.meta.target.map(String);
  if (typeof node.meta?.field_name === 'string') return [node.meta.field_name];
  return [];
}

export function classifyDatabaseError(error: unknown): DatabaseFailure | undefined {
  const top = (error ?? {}) as ErrorLike;
  switch (top.code) {
    case 'P2002':
      return { kind: 'unique', fields: constraintFields(top) };
    case 'P2003':
      return { kind: 'reference', fields: constraintFields(top) };
    case 'P2025':
      return { kind: 'not-found' };
  }
  for (const node of causeChain(error)) {
    const code = typeof node.code === 'string' ? node.code : undefined;
    const originalCode = typeof node.originalCode === 'string' ? node.originalCode : undefined;
    const message = typeof node.message === 'string' ? node.message : '';
    if (code && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
      return { kind: 'unavailable' };
    }
    if (originalCode && UNAVAILABLE_SQLSTATE.test(originalCode)) return { kind: 'unavailable' };
    if (typeof node.kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(node.kind)) return { kind: 'unavailable' };
    if (UNAVAILABLE_MESSAGES.some((fragment) => message.includes(fragment))) return { kind: 'unavailable' };
  }
  return undefined;
}
