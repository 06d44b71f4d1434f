import { Injectable } from '@nestjs/common';
import type { QueryResult } from 'pg';
import { AuditEvent, Database } from '@cbm/database';
import { ChainedEventContent, computeEventHash, GENESIS_HASH } from './audit-hash-chain';

/** Key of the transaction-scoped advisory lock that serialises appends to the chain. */
/** The chain's advisory lock ("cbmaudt"). */
export const AUDIT_CHAIN_LOCK = 0x63626d61756474n;

/** An event before it takes its place in the chain (`seq` and the hashes are assigned on append). */
export type NewAuditEvent = Omit<ChainedEventContent, 'seq' | 'summary'> & { summary: object | null };

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

/** The columns of an event as it happened, shared by the journal and the chain. */
const EVENT_COLUMNS = `"occurredAt", "actorUserId", "actorApiKeyId", "actorStateCode", "stateCode", "action", "entityType", "entityId", "summary", "requestId", "ip"`;

/**
 * An event to be journaled by the statement of the change itself (see AuditService.journaled): the
 * hot writes are one statement, and this is its INSERT into the journal.
 */
export class JournaledAuditEvent {
  constructor(readonly event: NewAuditEvent) {}

  /**
   * The INSERT, its parameters numbered from `first` and its values in that order, to sit in a
   * caller's statement (a CTE), written only when `condition` (SQL) holds; `summaryExpression` may
   * complete the summary with what the statement itself produces.
   */
  insertSql(first: number, condition = 'TRUE', summaryExpression: (summary: string) => string = (summary) => summary): { sql: string; values: unknown[] } {
    const event = this.event;
    const casts = ['timestamptz', 'uuid', 'uuid', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'text', 'text'];
    const SUMMARY = 8;
    const expressions = casts.map((cast, index) => (index === SUMMARY ? summaryExpression(`$${first + index}::${cast}`) : `$${first + index}::${cast}`));
    return {
      sql: `INSERT INTO "audit_journal" (${EVENT_COLUMNS}) SELECT ${expressions.join(', ')} WHERE ${condition}`,
      values: [
        event.occurredAt, event.actorUserId, event.actorApiKeyId, event.actorStateCode, event.stateCode, event.action,
        event.entityType, event.entityId, event.summary === null ? null : JSON.stringify(event.summary), event.requestId, event.ip,
      ],
    };
  }
}

/** A journaled event as read back, with its place in the journal. */
type JournalRow = NewAuditEvent & { id: string };

const JOURNAL_BATCH_SQL = `SELECT "id", ${EVENT_COLUMNS} FROM "audit_journal" ORDER BY "id" LIMIT`;
/**
 * Deletes the journaled events and inserts them chained, in one statement. Only rows this statement
 * deleted are inserted: no event can reach the chain twice (the chain's lock keeps other chainers out,
 * so all of them are deleted; if one ever were not, its missing position would fail verification).
 */
const MOVE_TO_CHAIN_SQL = `
  WITH moved AS (DELETE FROM "audit_journal" WHERE "id" = ANY($1::bigint[]) RETURNING "id")
  INSERT INTO "audit_event" ("seq", ${EVENT_COLUMNS}, "prevHash", "hash")
  SELECT e."seq", e."occurredAt", e."actorUserId", e."actorApiKeyId", e."actorStateCode", e."stateCode", e."action",
         e."entityType", e."entityId", e."summary", e."requestId", e."ip", e."prevHash", e."hash"
    FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                $9::text[], $10::text[], $11::jsonb[], $12::text[], $13::text[], $14::text[], $15::text[])
      AS e("journalId", "seq", "occurredAt", "actorUserId", "actorApiKeyId", "actorStateCode", "stateCode", "action",
           "entityType", "entityId", "summary", "requestId", "ip", "prevHash", "hash")
   WHERE e."journalId" IN (SELECT "id" FROM moved)`;

/** The event's place in the chain after `last` (undefined: the first event): its columns, as MOVE_TO_CHAIN_SQL takes them. */
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
  constructor(private readonly database: Database) {}

  /** Journals the event in the unit of work under way (or on its own): no chain lock is taken. */
  async journal(event: NewAuditEvent): Promise<void> {
    const { sql, values } = new JournaledAuditEvent(event).insertSql(1);
    await this.database.prisma.$executeRawUnsafe(sql, ...values);
  }

  /**
   * Moves up to `batchSize` journaled events into the chain, in journal order, in one transaction
   * under the chain's lock: three waits for the database however many events, so concurrent changes
   * share one turn of the lock instead of queueing for it one commit at a time. Returns how many moved.
   */
  async chainJournal(key: string, batchSize: number): Promise<number> {
    return this.database.withPoolClient(async (client) => {
      // One round trip (the simple protocol takes several statements without parameters): the lock,
      // the head, then the journal, read after the lock so it sees every event committed before this turn.
      const [, head, journal] = (await client.query(
        `BEGIN; SELECT "seq", "hash" FROM audit_chain_head_locked(${AUDIT_CHAIN_LOCK}); ${JOURNAL_BATCH_SQL} ${Math.trunc(batchSize)}`,
      )) as unknown as [QueryResult, QueryResult<{ seq: string; hash: string }>, QueryResult<JournalRow>];
      if (journal.rows.length === 0) {
        await client.query('ROLLBACK');
        return 0;
      }
      let last = head.rows[0] ? { seq: BigInt(head.rows[0].seq), hash: head.rows[0].hash } : undefined;
      const columns: unknown[][] = Array.from({ length: 15 }, () => []);
      for (const row of journal.rows) {
        const values = chained(key, last, row);
        last = { seq: values[0] as bigint, hash: values[13] as string };
        columns[0].push(row.id);
        values.forEach((value, index) => columns[index + 1].push(typeof value === 'bigint' ? value.toString() : value));
      }
      // One after the other: pg 8 deprecates queueing a query behind another on a client (pg 9 refuses
      // it), and once per pass, not per event, the extra turn costs little.
      await client.query(MOVE_TO_CHAIN_SQL, columns);
      await client.query('COMMIT');
      return journal.rows.length;
    });
  }

  /** Whether anything waits in the journal (one probe of its primary key, which skips dead rows; no lock). */
  async journalIsEmpty(): Promise<boolean> {
    const { rows } = await this.database.pool.query('SELECT 1 FROM "audit_journal" ORDER BY "id" LIMIT 1');
    return rows.length === 0;
  }

  /** Reclaims the journal's dead rows (VACUUM runs outside any transaction, on a pool connection of its own). */
  async vacuumJournal(): Promise<void> {
    await this.database.pool.query('VACUUM "audit_journal"');
  }

  findMany(filter: AuditEventFilter, limit: number): Promise<AuditEvent[]> {
    return this.database.prisma.auditEvent.findMany({
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
    return this.database.prisma.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: size });
  }
}
