import { ContactRevision, isoTimestampSql } from '@cbm/database';

/** A key that expires within this time is reported as expiring soon. */
const EXPIRES_SOON_MS = 30 * 86_400_000;

export class PgpKeyResponse {
  armored: string;
  fingerprint: string;
  algorithm: string;
  expiresAt: Date | null;
  /** The key expires within 30 days: time to publish a new one. */
  expiresSoon: boolean;
}

export class EntryRevisionResponse {
  version: number;
  /** created, updated, deactivated or verified. */
  action: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  changedAt: Date;
  /** { field: { before, after } } */
  changes: Record<string, { before: unknown; after: unknown }>;
}

export class EntryHistoryResponse {
  items: EntryRevisionResponse[];
}

/** The PGP columns every directory entry has. */
interface EntryPgpKey {
  pgpKey: string | null;
  pgpFingerprint: string | null;
  pgpAlgorithm: string | null;
  pgpExpiresAt: Date | null;
}

/** toPgpKeyResponse in SQL, on an entry table aliased `e`; `now` is the bound parameter of the time of the answer. */
export function pgpKeyResponseSql(now: string): string {
  return `CASE WHEN e."pgpKey" IS NULL OR e."pgpKey" = '' THEN NULL ELSE json_build_object(
    'armored', e."pgpKey", 'fingerprint', e."pgpFingerprint", 'algorithm', e."pgpAlgorithm", 'expiresAt', ${isoTimestampSql('e."pgpExpiresAt"')},
    'expiresSoon', e."pgpExpiresAt" IS NOT NULL AND e."pgpExpiresAt" - ${now}::timestamptz < interval '${EXPIRES_SOON_MS} milliseconds') END`;
}

export function toPgpKeyResponse(entry: EntryPgpKey, now: Date): PgpKeyResponse | null {
  if (!entry.pgpKey) return null;
  return {
    armored: entry.pgpKey,
    fingerprint: entry.pgpFingerprint!,
    algorithm: entry.pgpAlgorithm!,
    expiresAt: entry.pgpExpiresAt,
    expiresSoon: entry.pgpExpiresAt !== null && entry.pgpExpiresAt.getTime() - now.getTime() < EXPIRES_SOON_MS,
  };
}

/** A revision of a contact or a CERT (their revision tables differ only by the entry's key). */
export type EntryRevision = Pick<ContactRevision, 'version' | 'action' | 'actorUserId' | 'actorApiKeyId' | 'changedAt' | 'changes'>;

export function toEntryRevisionResponse(revision: EntryRevision): EntryRevisionResponse {
  return {
    version: revision.version,
    action: revision.action,
    actorUserId: revision.actorUserId,
    actorApiKeyId: revision.actorApiKeyId,
    changedAt: revision.changedAt,
    changes: revision.changes as EntryRevisionResponse['changes'],
  };
}
