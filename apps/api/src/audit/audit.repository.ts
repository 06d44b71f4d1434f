import { Injectable } from '@nestjs/common';
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
    const [last] = await tx.$queryRaw<Array<{ seq: bigint; hash: string }>>`
      SELECT "seq", "hash" FROM audit_chain_head_locked(${AUDIT_CHAIN_LOCK})`;
    const seq = (last?.seq ?? 0n) + 1n;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = computeEventHash(key, prevHash, { ...event, seq });
    // A plain INSERT while the lock is held: no plan to compile, no row sent back.
    await tx.$executeRaw`
      INSERT INTO "audit_event" ("seq", "occurredAt", "actorUserId", "actorApiKeyId", "actorStateCode", "stateCode", "action",
                                 "entityType", "entityId", "summary", "requestId", "ip", "prevHash", "hash")
      VALUES (${seq}, ${event.occurredAt}, ${event.actorUserId}::uuid, ${event.actorApiKeyId}::uuid, ${event.actorStateCode}, ${event.stateCode},
              ${event.action}, ${event.entityType}, ${event.entityId}, ${event.summary === null ? null : JSON.stringify(event.summary)}::jsonb,
              ${event.requestId}, ${event.ip}, ${prevHash}, ${hash})`;
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
