import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AuditEvent, Prisma, PrismaService } from '@cbm/database';
import { ChainedEventContent, computeEventHash, GENESIS_HASH } from './audit-hash-chain';

/** Key of the transaction-scoped advisory lock that serialises appends to the chain. */
const AUDIT_CHAIN_LOCK = 0x63626d61756474n; // "cbmaudt"

/** An event before it takes its place in the chain (`seq` and the hashes are assigned on append). */
export type NewAuditEvent = Omit<ChainedEventContent, 'seq' | 'summary'> & { summary: Prisma.InputJsonValue | null };

export interface AuditEventFilter {
  /** Events by or about this State only (a State administrator's view); undefined: all. */
  visibleToState?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  from?: Date;
  to?: Date;
  /** Return events with a smaller `seq` than this (newest first). */
  beforeSeq?: bigint;
}

const CHAIN_HEAD_SQL = `SELECT "seq", "hash" FROM audit_chain_head_locked($1::bigint)`;
const INSERT_SQL = `
  INSERT INTO "audit_event" ("seq", "occurredAt", "actorUserId", "actorApiKeyId", "actorStateCode", "stateCode", "action",
                             "entityType", "entityId", "summary", "requestId", "ip", "prevHash", "hash")
  VALUES ($1::bigint, $2::timestamptz, $3::uuid, $4::uuid, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14)`;

/** The event's place in the chain after `last` (undefined: the first event), as INSERT_SQL's values. */
function chained(key: string, last: { seq: bigint; hash: string } | undefined, event: NewAuditEvent): unknown[] {
  const seq = (last?.seq ?? 0n) + 1n;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = computeEventHash(key, prevHash, { ...event, seq });
  return [
    seq, event.occurredAt, event.actorUserId, event.actorApiKeyId, event.actorStateCode, event.stateCode, event.action,
    event.entityType, event.entityId, event.summary === null ? null : JSON.stringify(event.summary), event.requestId, event.ip, prevHash, hash,
  ];
}

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Appends inside the caller's transaction. The advisory lock is held until that transaction ends, so
   * concurrent writers take turns and never chain to the same predecessor (no fork); if the
   * transaction rolls back, so does the event and its position. Record the event last in a
   * transaction, to hold the lock briefly.
   */
  async append(tx: Prisma.TransactionClient, key: string, event: NewAuditEvent): Promise<void> {
    // Lock, then read the head with a fresh snapshot, in one round trip (see migration audit_chain_head).
    const [last] = await tx.$queryRawUnsafe<Array<{ seq: bigint; hash: string }>>(CHAIN_HEAD_SQL, AUDIT_CHAIN_LOCK);
    const values = chained(key, last, event);
    // A plain INSERT while the lock is held: no plan to compile, no row sent back.
    await tx.$executeRawUnsafe(INSERT_SQL, ...values);
  }

  /**
   * The same append on a pg client inside the caller's transaction, which it then commits: COMMIT
   * is queued right behind the INSERT, so the chain's lock is held for two round trips and no turn
   * of the event loop. On a failure the transaction is over (a COMMIT after an error rolls back).
   */
  async appendAndCommit(client: PoolClient, key: string, event: NewAuditEvent): Promise<void> {
    const { rows } = await client.query<{ seq: string; hash: string }>(CHAIN_HEAD_SQL, [AUDIT_CHAIN_LOCK.toString()]);
    const last = rows[0] ? { seq: BigInt(rows[0].seq), hash: rows[0].hash } : undefined;
    const values = chained(key, last, event);
    const insert = client.query(INSERT_SQL, values.map((value) => (typeof value === 'bigint' ? value.toString() : value)));
    const commit = client.query('COMMIT');
    await Promise.all([insert, commit]);
  }

  findMany(filter: AuditEventFilter, limit: number): Promise<AuditEvent[]> {
    return this.prisma.auditEvent.findMany({
      where: {
        ...(filter.visibleToState
          ? { OR: [{ stateCode: filter.visibleToState }, { actorStateCode: filter.visibleToState }] }
          : {}),
        action: filter.action,
        entityType: filter.entityType,
        entityId: filter.entityId,
        actorUserId: filter.actorUserId,
        occurredAt: filter.from || filter.to ? { gte: filter.from, lt: filter.to } : undefined,
        seq: filter.beforeSeq !== undefined ? { lt: filter.beforeSeq } : undefined,
      },
      orderBy: { seq: 'desc' },
      take: limit,
    });
  }

  /** The chain in order, a batch at a time, for verification without loading it whole. */
  findBatchAfter(afterSeq: bigint, size: number): Promise<AuditEvent[]> {
    return this.prisma.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: size });
  }
}
