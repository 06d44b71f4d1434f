import canonicalize from 'canonicalize';
import { createHmac } from 'node:crypto';

/** The hash the first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything an event's hash covers: its position, content and context (not the hashes themselves). */
export interface ChainedEventContent {
  seq: bigint;
  occurredAt: Date;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorStateCode: string | null;
  stateCode: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  summary: unknown;
  requestId: string | null;
  ip: string | null;
}

/**
 * HMAC-SHA-256, keyed with AUDIT_CHAIN_KEY (kept outside the database), over the previous hash and
 * the event in RFC 8785 canonical JSON, so the same event always hashes the same whatever order its
 * JSON keys come back from jsonb in. The key means that someone who can write to the database but
 * does not hold it cannot recompute the chain after a change. The position (`seq`) is covered:
 * swapping two rows' contents breaks the chain as surely as editing one.
 */
export function computeEventHash(key: string, prevHash: string, event: ChainedEventContent): string {
  const canonical = canonicalize({
    seq: event.seq.toString(),
    occurredAt: event.occurredAt.toISOString(),
    actorUserId: event.actorUserId,
    actorApiKeyId: event.actorApiKeyId,
    actorStateCode: event.actorStateCode,
    stateCode: event.stateCode,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    summary: event.summary ?? null,
    requestId: event.requestId,
    ip: event.ip,
  });
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonical ?? '').digest('hex');
}

export type ChainBreak =
  | { seq: string; reason: 'sequence-gap'; detail: string }
  | { seq: string; reason: 'previous-hash-mismatch'; detail: string }
  | { seq: string; reason: 'hash-mismatch'; detail: string };

export interface StoredChainedEvent extends ChainedEventContent {
  prevHash: string;
  hash: string;
}

/**
 * Walks stored events in `seq` order, carrying the state of the walk between batches. Returns the first
 * break: a missing position (a deleted row), a row not chained to its predecessor (deleted or inserted
 * rows), or a row whose content no longer matches its hash (an edit or a reordering).
 */
export class ChainVerifier {
  constructor(private readonly key: string) {}

  private expectedSeq = 1n;
  private previousHash = GENESIS_HASH;
  checked = 0;

  check(event: StoredChainedEvent): ChainBreak | undefined {
    const seq = event.seq.toString();
    if (event.seq !== this.expectedSeq) {
      return { seq, reason: 'sequence-gap', detail: `expected event ${this.expectedSeq}, found ${seq}` };
    }
    if (event.prevHash !== this.previousHash) {
      return { seq, reason: 'previous-hash-mismatch', detail: 'the event does not chain to the event before it' };
    }
    if (computeEventHash(this.key, event.prevHash, event) !== event.hash) {
      return { seq, reason: 'hash-mismatch', detail: 'the event was changed after it was written' };
    }
    this.expectedSeq = event.seq + 1n;
    this.previousHash = event.hash;
    this.checked++;
    return undefined;
  }
}
