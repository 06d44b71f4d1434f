import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { DisclosureAudience, DisclosureStatus, Prisma } from '@cbm/database';
import { AudienceRecord, isVisibleTo, SharedRecordKind, visibleToSql } from '../apps/api/src/sharing/audience-visibility.repository';
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

/** Who sees a record of OWNER by its audience, once shared and while not: the expected answers, written out. */
const BY_AUDIENCE: Record<DisclosureAudience, { shared: Expected; notShared: Expected }> = {
  PUBLIC: {
    shared: { owner: true, named: true, other: true, secretariat: true, anonymous: true },
    notShared: { owner: true, named: false, other: false, secretariat: false, anonymous: false },
  },
  ALL_STATES: {
    shared: { owner: true, named: true, other: true, secretariat: true, anonymous: false },
    notShared: { owner: true, named: false, other: false, secretariat: false, anonymous: false },
  },
  SELECTED_STATES: {
    shared: { owner: true, named: true, other: false, secretariat: false, anonymous: false },
    notShared: { owner: true, named: false, other: false, secretariat: false, anonymous: false },
  },
};

/**
 * Every kind the rule serves, every status of it, and whether the record reaches its audience in that
 * status (written out, not read from SHARED_STATUSES); and how to insert a row of the kind's table.
 */
const KINDS: Record<SharedRecordKind, { table: string; statuses: Record<string, boolean>; columns: string; values: string }> = {
  disclosure: {
    table: 'disclosure',
    statuses: { DRAFT: false, PUBLISHED: true, WITHDRAWN: false },
    columns: '"kind", "title", "summary", "body", "sectors", "references", "language"',
    values: "'PROTECTION_EFFORT', 'title', 'summary', 'body', '{}', '{}', 'en'",
  },
  capacityNeed: {
    table: 'capacity_need',
    statuses: { DRAFT: false, OPEN: true, IN_PROGRESS: true, FULFILLED: true, WITHDRAWN: false },
    columns: '"title", "description", "neededBy"',
    values: "'title', 'description', '2030-01-01'",
  },
  capacityOffer: {
    table: 'capacity_offer',
    statuses: { DRAFT: false, OPEN: true, WITHDRAWN: false },
    columns: '"title", "description"',
    values: "'title', 'description'",
  },
};

/** The TLP the consistency rules pair with each audience (the rule itself never reads it). */
const TLP_OF: Record<DisclosureAudience, string> = { PUBLIC: 'CLEAR', ALL_STATES: 'GREEN', SELECTED_STATES: 'RED' };

interface Case {
  id: string;
  kind: SharedRecordKind;
  record: AudienceRecord;
  reader: ReaderName;
  expected: boolean;
}

const CASES: Case[] = (Object.keys(KINDS) as SharedRecordKind[]).flatMap((kind) =>
  Object.entries(KINDS[kind].statuses).flatMap(([status, shared]) =>
    [PUBLIC, ALL_STATES, SELECTED_STATES].flatMap((audience) => {
      const record: AudienceRecord = { stateCode: OWNER, status, audience, selectedStates: audience === SELECTED_STATES ? [NAMED] : [] };
      const id = randomUUID();
      const expected = BY_AUDIENCE[audience][shared ? 'shared' : 'notShared'];
      return (Object.keys(READERS) as ReaderName[]).map((reader) => ({ id, kind, record, reader, expected: expected[reader] }));
    }),
  ),
);

/**
 * The visibility rule of shared records exists twice (apps/api/src/sharing/audience-visibility.repository.ts):
 * the SQL condition every read filters with, and its TypeScript form. One table of cases runs through
 * both, for every kind, the SQL on PostgreSQL over rows with the columns of each kind's table: they
 * must agree with the table, and so with each other.
 */
describe('The visibility rule of shared records (disclosures, capacity needs and offers), in SQL and in TypeScript', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: workerDatabaseUrl() });
    await client.connect();
    for (const [kind, { table, columns, values }] of Object.entries(KINDS)) {
      // The columns and types of the real table, without its foreign keys: no State or user is needed.
      await client.query(`CREATE TEMP TABLE "case_${kind}" (LIKE "${table}" INCLUDING DEFAULTS)`);
      const records = new Map(CASES.filter((entry) => entry.kind === kind).map((entry) => [entry.id, entry.record]));
      for (const [id, record] of records) {
        await client.query(
          `INSERT INTO "case_${kind}" ("id", "stateCode", "status", "tlp", "audience", "selectedStates", "updatedAt", ${columns})
           VALUES ($1, $2, $3, $4, $5, $6, now(), ${values})`,
          [id, record.stateCode, record.status, TLP_OF[record.audience], record.audience, record.selectedStates],
        );
      }
    }
  });

  afterAll(async () => {
    await client?.end();
  });

  async function visibleInSql(kind: SharedRecordKind, reader: Reader, id: string): Promise<boolean> {
    const query = Prisma.sql`SELECT count(*)::int AS visible FROM ${Prisma.raw(`"case_${kind}"`)} v WHERE v."id" = ${id}::uuid AND ${visibleToSql(reader, 'v', kind)}`;
    const { rows } = await client.query<{ visible: number }>(query.text, query.values);
    return rows[0].visible === 1;
  }

  it.each(CASES.map((entry) => [entry.kind, entry.record.audience, entry.record.status, entry.reader, entry.expected, entry] as const))(
    '%s %s %s to %s: %s',
    async (kind, _audience, _status, reader, expected, entry) => {
      expect(isVisibleTo(READERS[reader], entry.record, kind)).toBe(expected);
      expect(await visibleInSql(kind, READERS[reader], entry.id)).toBe(expected);
    },
  );

  it('knows every status of every kind: a status added to the schema must be given its answer here', async () => {
    for (const [kind, { table, statuses }] of Object.entries(KINDS)) {
      const { rows } = await client.query<{ status: string }>(
        `SELECT unnest(enum_range(NULL::${(await client.query<{ type: string }>(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = '"${table}"'::regclass AND attname = 'status'`)).rows[0].type})) ::text AS status`,
      );
      expect({ kind, statuses: rows.map((row) => row.status).sort() }).toEqual({ kind, statuses: Object.keys(statuses).sort() });
    }
  });

  it('reads an absent list of selected States as none, in both forms', async () => {
    const id = randomUUID();
    await client.query(
      `INSERT INTO "case_disclosure" ("id", "stateCode", "status", "kind", "title", "summary", "body", "language", "tlp", "audience", "updatedAt")
       VALUES ($1, $2, 'PUBLISHED', 'PROTECTION_EFFORT', 'title', 'summary', 'body', 'en', 'RED', 'SELECTED_STATES', now())`,
      [id, OWNER],
    );
    const record: AudienceRecord = { stateCode: OWNER, status: DisclosureStatus.PUBLISHED, audience: SELECTED_STATES, selectedStates: null };
    for (const name of Object.keys(READERS) as ReaderName[]) {
      expect(await visibleInSql('disclosure', READERS[name], id)).toBe(isVisibleTo(READERS[name], record, 'disclosure'));
    }
    expect(isVisibleTo(READERS.named, record, 'disclosure')).toBe(false);
  });
});
