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

  /**
   * Known answers: the format is the contract (a chain written today must verify in ten years), so the
   * expected hashes are literals, computed outside this code base from the README's recipe —
   * HMAC-SHA-256 keyed with the chain key over the previous hash, a line feed, and the event in
   * RFC 8785 canonical JSON (keys sorted, no spaces, seq as a string, times in ISO 8601 UTC) — with
   *   printf '%s\n%s' <previous hash> '<canonical JSON below>' | openssl dgst -sha256 -hmac '<key>'
   */
  it('hashes a fixed event to a fixed value (known-answer vectors)', () => {
    const first =
      '{"action":"user.created","actorApiKeyId":null,"actorStateCode":"PAK","actorUserId":"6c1f7c55-3f5c-4a8e-9d0e-2b7f3c1a9e11","entityId":"1","entityType":"user",' +
      '"ip":"192.0.2.1","occurredAt":"2026-11-26T12:00:01.000Z","requestId":null,"seq":"1","stateCode":"PAK","summary":{"a":[1,2],"b":1}}';
    const second =
      '{"action":"user.updated","actorApiKeyId":null,"actorStateCode":"PAK","actorUserId":"6c1f7c55-3f5c-4a8e-9d0e-2b7f3c1a9e11","entityId":"2","entityType":"user",' +
      '"ip":"192.0.2.1","occurredAt":"2026-11-26T12:00:02.000Z","requestId":null,"seq":"2","stateCode":"PAK","summary":null}';
    // The canonical texts above are what the events below say; written out so a reviewer can rerun openssl.
    expect(JSON.parse(first)).toEqual(JSON.parse(JSON.stringify({ ...contents[0], seq: '1' })));
    expect(JSON.parse(second)).toEqual(JSON.parse(JSON.stringify({ ...contents[1], seq: '2' })));

    const firstHash = 'a2f47c7d64d6c26ea73006b399851f8e4f0aef71e5dc79d9c5c9975688cb4584';
    const secondHash = '64baa03a8e79be711dc2fe670f86da72684f86714c1c8aff789542d1ffb07e3c';
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
    expect(computeEventHash(KEY, GENESIS_HASH, contents[0])).toBe(firstHash);
    expect(computeEventHash(KEY, firstHash, contents[1])).toBe(secondHash);
    // And the verifier accepts exactly these stored hashes.
    const verifier = new ChainVerifier(KEY);
    expect(verifier.check({ ...contents[0], prevHash: GENESIS_HASH, hash: firstHash })).toBeUndefined();
    expect(verifier.check({ ...contents[1], prevHash: firstHash, hash: secondHash })).toBeUndefined();
  });

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
