import { Client } from 'pg';
import { isStale, staleEntrySql } from '../apps/api/src/directory';
import { workerDatabaseUrl } from './support/test-database';

/**
 * The stale rule exists in TypeScript (the `stale` flag of responses and exports) and in SQL (the
 * `stale` list filter, the State summary counts): one table of cases runs through both, the SQL on
 * PostgreSQL, and each must give the expected answer.
 */
const THRESHOLD = new Date('2026-06-01T00:00:00.000Z');
const at = (offsetMs: number) => new Date(THRESHOLD.getTime() + offsetMs);
const DAY = 86_400_000;

interface StalenessCase {
  name: string;
  lastVerifiedAt: Date | null;
  /** Contacts only: mail to it bounced at this time (verifying clears it). */
  deliveryFailedAt: Date | null;
  contactStale: boolean;
  /** CERTs record no bounces; undefined where the case concerns a bounce. */
  certStale?: boolean;
}

const CASES: StalenessCase[] = [
  { name: 'never verified', lastVerifiedAt: null, deliveryFailedAt: null, contactStale: true, certStale: true },
  { name: 'verified long before the threshold', lastVerifiedAt: at(-400 * DAY), deliveryFailedAt: null, contactStale: true, certStale: true },
  { name: 'verified just before the threshold', lastVerifiedAt: at(-1), deliveryFailedAt: null, contactStale: true, certStale: true },
  { name: 'verified at the threshold', lastVerifiedAt: at(0), deliveryFailedAt: null, contactStale: false, certStale: false },
  { name: 'verified just after the threshold', lastVerifiedAt: at(1), deliveryFailedAt: null, contactStale: false, certStale: false },
  { name: 'verified yesterday', lastVerifiedAt: at(100 * DAY), deliveryFailedAt: null, contactStale: false, certStale: false },
  { name: 'never verified, bounced', lastVerifiedAt: null, deliveryFailedAt: at(-DAY), contactStale: true },
  { name: 'verified recently, bounced since', lastVerifiedAt: at(10 * DAY), deliveryFailedAt: at(20 * DAY), contactStale: true },
  { name: 'verified long ago, bounced since', lastVerifiedAt: at(-400 * DAY), deliveryFailedAt: at(-DAY), contactStale: true },
  // Verifying clears the bounce (deliveryFailedAt back to null): the entry is fresh again.
  { name: 'bounced, then verified', lastVerifiedAt: at(30 * DAY), deliveryFailedAt: null, contactStale: false, certStale: false },
];

describe('the stale rule: TypeScript and SQL agree', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: workerDatabaseUrl() });
    await client.connect();
    // The entry tables' column types: timestamptz(3), as in "contact" and "cert".
    await client.query(`CREATE TEMP TABLE staleness_case ("index" int, "lastVerifiedAt" timestamptz(3), "deliveryFailedAt" timestamptz(3))`);
    for (const [index, entry] of CASES.entries()) {
      await client.query(`INSERT INTO staleness_case VALUES ($1, $2, $3)`, [index, entry.lastVerifiedAt, entry.deliveryFailedAt]);
    }
  });
  afterAll(() => client.end());

  /** The names of the cases that `staleEntrySql(stale)` selects. */
  async function selectedBySql(stale: boolean, withBounces: boolean): Promise<string[]> {
    const { rows } = await client.query<{ index: number }>(
      `SELECT e."index" FROM staleness_case e WHERE ${staleEntrySql(stale, '$1', { withBounces })} ORDER BY e."index"`,
      [THRESHOLD],
    );
    return rows.map((row) => CASES[row.index].name);
  }

  const contactCases = CASES;
  const certCases = CASES.filter((entry) => entry.certStale !== undefined);

  it.each(contactCases.map((entry) => [entry.name, entry] as const))('a contact %s: TypeScript says the expected', (_name, entry) => {
    expect(isStale(entry.lastVerifiedAt, THRESHOLD, entry.deliveryFailedAt)).toBe(entry.contactStale);
  });

  it.each(certCases.map((entry) => [entry.name, entry] as const))('a CERT %s: TypeScript says the expected', (_name, entry) => {
    expect(isStale(entry.lastVerifiedAt, THRESHOLD)).toBe(entry.certStale);
  });

  it('contacts: the SQL selects as stale exactly the expected cases, and as fresh all the others', async () => {
    expect(await selectedBySql(true, true)).toEqual(contactCases.filter((entry) => entry.contactStale).map((entry) => entry.name));
    expect(await selectedBySql(false, true)).toEqual(contactCases.filter((entry) => !entry.contactStale).map((entry) => entry.name));
  });

  it('CERTs: the SQL selects as stale exactly the expected cases, and as fresh all the others', async () => {
    const certNames = new Set(certCases.map((entry) => entry.name));
    const ofCerts = (names: string[]) => names.filter((name) => certNames.has(name));
    expect(ofCerts(await selectedBySql(true, false))).toEqual(certCases.filter((entry) => entry.certStale).map((entry) => entry.name));
    expect(ofCerts(await selectedBySql(false, false))).toEqual(certCases.filter((entry) => !entry.certStale).map((entry) => entry.name));
  });
});
