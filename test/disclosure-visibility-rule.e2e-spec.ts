import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { DisclosureAudience, DisclosureStatus, Prisma } from '@cbm/database';
import { AudienceRecord, isVisibleTo, visibleToSql } from '../apps/api/src/sharing/audience-visibility.repository';
import { Reader } from '../apps/api/src/sharing/reader';
import { workerDatabaseUrl } from './support/test-database';

const OWNER = 'ARG';
const NAMED = 'CHL';
const OTHER = 'URY';

/** Every kind of reader the rule tells apart. */
const READERS = {
  owner: { kind: 'state', stateCode: OWNER },
  /** Another State, named in the record's selectedStates when its audience is SELECTED_STATES. */
  named: { kind: 'state', stateCode: NAMED },
  /** Another State, never named. */
  other: { kind: 'state', stateCode: OTHER },
  secretariat: { kind: 'secretariat' },
  anonymous: { kind: 'anonymous' },
} satisfies Record<string, Reader>;

type ReaderName = keyof typeof READERS;
type Expected = Record<ReaderName, boolean>;

const { PUBLIC, ALL_STATES, SELECTED_STATES } = DisclosureAudience;
const { DRAFT, PUBLISHED, WITHDRAWN } = DisclosureStatus;

/** Who sees a record of OWNER, by audience and status: the expected answers, written out. */
const TABLE: Array<[DisclosureAudience, DisclosureStatus, Expected]> = [
  [PUBLIC, DRAFT, { owner: true, named: false, other: false, secretariat: false, anonymous: false }],
  [PUBLIC, PUBLISHED, { owner: true, named: true, other: true, secretariat: true, anonymous: true }],
  [PUBLIC, WITHDRAWN, { owner: true, named: false, other: false, secretariat: false, anonymous: false }],
  [ALL_STATES, DRAFT, { owner: true, named: false, other: false, secretariat: false, anonymous: false }],
  [ALL_STATES, PUBLISHED, { owner: true, named: true, other: true, secretariat: true, anonymous: false }],
  [ALL_STATES, WITHDRAWN, { owner: true, named: false, other: false, secretariat: false, anonymous: false }],
  [SELECTED_STATES, DRAFT, { owner: true, named: false, other: false, secretariat: false, anonymous: false }],
  [SELECTED_STATES, PUBLISHED, { owner: true, named: true, other: false, secretariat: false, anonymous: false }],
  [SELECTED_STATES, WITHDRAWN, { owner: true, named: false, other: false, secretariat: false, anonymous: false }],
];

/** The TLP the consistency rules pair with each audience (the rule itself never reads it). */
const TLP_OF: Record<DisclosureAudience, string> = { PUBLIC: 'CLEAR', ALL_STATES: 'GREEN', SELECTED_STATES: 'RED' };

interface Case {
  id: string;
  record: AudienceRecord;
  reader: ReaderName;
  expected: boolean;
}

const CASES: Case[] = TABLE.flatMap(([audience, status, expected]) => {
  const record: AudienceRecord = { stateCode: OWNER, status, audience, selectedStates: audience === SELECTED_STATES ? [NAMED] : [] };
  const id = randomUUID();
  return (Object.keys(READERS) as ReaderName[]).map((reader) => ({ id, record, reader, expected: expected[reader] }));
});

/**
 * The disclosure visibility rule exists twice (apps/api/src/sharing/audience-visibility.repository.ts):
 * the SQL condition every read filters with, and its TypeScript form. One table of cases runs through
 * both, the SQL on PostgreSQL over rows with the columns of `disclosure`: they must agree with the
 * table, and so with each other.
 */
describe('The disclosure visibility rule, in SQL and in TypeScript', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: workerDatabaseUrl() });
    await client.connect();
    // The columns and types of the real table, without its foreign keys: no State or user is needed.
    await client.query('CREATE TEMP TABLE visibility_case (LIKE "disclosure" INCLUDING DEFAULTS)');
    const records = new Map(CASES.map((entry) => [entry.id, entry.record]));
    for (const [id, record] of records) {
      await client.query(
        `INSERT INTO visibility_case ("id", "stateCode", "status", "kind", "title", "summary", "body", "sectors", "references", "language", "tlp", "audience", "selectedStates", "updatedAt")
         VALUES ($1, $2, $3, 'PROTECTION_EFFORT', 'title', 'summary', 'body', '{}', '{}', 'en', $4, $5, $6, now())`,
        [id, record.stateCode, record.status, TLP_OF[record.audience], record.audience, record.selectedStates],
      );
    }
  });

  afterAll(async () => {
    await client?.end();
  });

  async function visibleInSql(reader: Reader, id: string): Promise<boolean> {
    const query = Prisma.sql`SELECT count(*)::int AS visible FROM visibility_case v WHERE v."id" = ${id}::uuid AND ${visibleToSql(reader, 'v', 'disclosure')}`;
    const { rows } = await client.query<{ visible: number }>(query.text, query.values);
    return rows[0].visible === 1;
  }

  it.each(CASES.map((entry) => [entry.record.audience, entry.record.status, entry.reader, entry.expected, entry] as const))(
    '%s %s to %s: %s',
    async (_audience, _status, reader, expected, entry) => {
      expect(isVisibleTo(READERS[reader], entry.record, 'disclosure')).toBe(expected);
      expect(await visibleInSql(READERS[reader], entry.id)).toBe(expected);
    },
  );

  it('reads an absent list of selected States as none, in both forms', async () => {
    const id = randomUUID();
    await client.query(
      `INSERT INTO visibility_case ("id", "stateCode", "status", "kind", "title", "summary", "body", "language", "tlp", "audience", "updatedAt")
       VALUES ($1, $2, 'PUBLISHED', 'PROTECTION_EFFORT', 'title', 'summary', 'body', 'en', 'RED', 'SELECTED_STATES', now())`,
      [id, OWNER],
    );
    const record: AudienceRecord = { stateCode: OWNER, status: PUBLISHED, audience: SELECTED_STATES, selectedStates: null };
    for (const name of Object.keys(READERS) as ReaderName[]) {
      expect(await visibleInSql(READERS[name], id)).toBe(isVisibleTo(READERS[name], record, 'disclosure'));
    }
    expect(isVisibleTo(READERS.named, record, 'disclosure')).toBe(false);
  });
});
