import { ChainedEventContent, ChainVerifier, computeEventHash, GENESIS_HASH, StoredChainedEvent } from './audit-hash-chain';

const KEY = 'the audit chain key, kept outside the database';

function event(seq: bigint, action: string, summary: unknown = null): ChainedEventContent {
  return {
    seq,
    occurredAt: new Date(Date.UTC(2026, 10, 26, 12, 0, Number(seq))),
    actorUserId: '6c1f7c55-3f5c-4a8e-9d0e-2b7f3c1a9e11',
    actorApiKeyId: null,
    actorStateCode: 'PAK',
    stateCode: 'PAK',
    action,
    entityType: 'user',
    entityId: String(seq),
    summary,
    requestId: null,
    ip: '192.0.2.1',
  };
}

function chain(key: string, contents: ChainedEventContent[]): StoredChainedEvent[] {
  let prevHash = GENESIS_HASH;
  return contents.map((content) => {
    const hash = computeEventHash(key, prevHash, content);
    const stored = { ...content, prevHash, hash };
    prevHash = hash;
    return stored;
  });
}

function firstBreak(events: StoredChainedEvent[]) {
  const verifier = new ChainVerifier(KEY);
  for (const stored of events) {
    const broken = verifier.check(stored);
    if (broken) return broken;
  }
  return undefined;
}

describe('audit hash chain', () => {
  const contents = [event(1n, 'user.created', { b: 1, a: [1, 2] }), event(2n, 'user.updated'), event(3n, 'user.disabled')];

  it('verifies an untouched chain, whatever the key order of JSON summaries', () => {
    const stored = chain(KEY, contents);
    stored[0] = { ...stored[0], summary: { a: [1, 2], b: 1 } };
    expect(firstBreak(stored)).toBeUndefined();
  });

  it('names an edited event', () => {
    const stored = chain(KEY, contents);
    stored[1] = { ...stored[1], action: 'user.deleted' };
    expect(firstBreak(stored)).toMatchObject({ seq: '2', reason: 'hash-mismatch' });
  });

  it('detects a chain recomputed by someone without the key', () => {
    const forged = chain('a guessed key that is not the real one', [contents[0], event(2n, 'user.deleted'), contents[2]]);
    expect(firstBreak(forged)).toMatchObject({ seq: '1', reason: 'hash-mismatch' });
  });

  it('names a missing event and an out-of-order one', () => {
    const stored = chain(KEY, contents);
    expect(firstBreak([stored[0], stored[2]])).toMatchObject({ seq: '3', reason: 'sequence-gap' });
    const swapped = [stored[0], { ...stored[2], seq: 2n }, { ...stored[1], seq: 3n }];
    expect(firstBreak(swapped)).toMatchObject({ seq: '2' });
  });
});
