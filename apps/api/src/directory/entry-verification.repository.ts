import { Database, isoTimestampSql } from '@cbm/database';
import type { JournaledAuditEvent } from '../audit';

/** What differs between the tables an entry is verified in. */
export interface VerifiedTable {
  table: 'contact' | 'cert';
  revisionTable: 'contact_revision' | 'cert_revision';
  revisionKey: 'contactId' | 'certId';
  /** Verifying a contact also clears its mail bounce (see staleness.ts). */
  clearsBounce: boolean;
  /** The columns as the table's repository reads them (an enum array as text[]), on alias `e`. */
  columns: string;
}

export interface Verification {
  stateCode: string;
  id: string;
  /** The version If-Match names; null: no If-Match (verify whatever the entry holds). */
  expectedVersion: number | null;
  now: Date;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  /** The audit event; its summary is the revision's changes, which this statement computes. */
  event: JournaledAuditEvent;
}


/**
 * Verifying is the directory's most frequent write (States confirm entries; a ping test confirms
 * them in bursts), so it is one statement rather than a unit of work of six: the row locked and
 * read, updated if If-Match still holds, its revision and its journaled audit event, all or nothing.
 * `found` false: no such entry of this State; `entry` undefined while found: If-Match no longer holds.
 */
export async function verifyEntry<Entry>(database: Database, table: VerifiedTable, verification: Verification): Promise<{ found: boolean; entry?: Entry }> {
  const { stateCode, id, expectedVersion, now, actorUserId, actorApiKeyId, event } = verification;
  // The event carries no summary of its own (null): it is the revision's changes.
  const journal = event.insertSql(8, 'EXISTS (SELECT 1 FROM changed)', (summary) => `coalesce(${summary}, (SELECT "changes" FROM changed))`);
  const bounce = table.clearsBounce;
  const { rows } = await database.pool.query<Entry & { found: number; id: string | null }>(
    `WITH before AS (
       SELECT e."id", e."version", e."lastVerifiedAt"${bounce ? ', e."deliveryFailedAt"' : ''}
         FROM "${table.table}" e WHERE e."id" = $1::uuid AND e."stateCode" = $2 FOR UPDATE),
     after AS (
       UPDATE "${table.table}" e SET "lastVerifiedAt" = $4::timestamptz,${bounce ? ' "deliveryFailedAt" = NULL,' : ''}
              "version" = e."version" + 1, "updatedAt" = $4::timestamptz
         FROM before b WHERE e."id" = b."id" AND ($3::int IS NULL OR b."version" = $3::int)
       RETURNING ${table.columns}),
     changed AS (
       SELECT a."id", a."version",
              jsonb_build_object('lastVerifiedAt', jsonb_build_object('before', ${isoTimestampSql('b."lastVerifiedAt"')}, 'after', $5::text))
              ${bounce ? `|| CASE WHEN b."deliveryFailedAt" IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('deliveryFailedAt', jsonb_build_object('before', ${isoTimestampSql('b."deliveryFailedAt"')}, 'after', NULL)) END` : ''} AS "changes"
         FROM before b JOIN after a ON a."id" = b."id"),
     revision AS (
       INSERT INTO "${table.revisionTable}" ("id", "${table.revisionKey}", "version", "action", "actorUserId", "actorApiKeyId", "changes", "changedAt")
       SELECT gen_random_uuid(), c."id", c."version", 'verified', $6::uuid, $7::uuid, c."changes", $4::timestamptz FROM changed c),
     journaled AS (${journal.sql})
     SELECT (SELECT count(*) FROM before)::int AS "found", a.* FROM (SELECT 1) AS one LEFT JOIN after a ON true`,
    [id, stateCode, expectedVersion, now, now.toISOString(), actorUserId, actorApiKeyId, ...journal.values],
  );
  const { found, ...entry } = rows[0];
  return { found: found > 0, entry: entry.id === null ? undefined : (entry as unknown as Entry) };
}
