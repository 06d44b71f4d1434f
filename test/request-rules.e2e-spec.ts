import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PrismaService, RecipientStatus, RequestType, Urgency } from '@cbm/database';
import { hasMissedSql, isOpen, isOpenSql, isOverdue, isOverdueSql, hasMissed, DEADLINE_NAMES } from '../apps/api/src/requests/request-rules';
import { RequestsRepository } from '../apps/api/src/requests/requests.repository';
import { createTestApp } from './support/test-app';
import { workerDatabaseUrl } from './support/test-database';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

interface Case {
  status: RecipientStatus;
  acknowledgeBy: Date;
  respondBy: Date | null;
  open: boolean;
  ackMissed: boolean;
  responseMissed: boolean;
  overdue: boolean;
}

const { SUBMITTED, ACKNOWLEDGED, IN_PROGRESS, ANSWERED, DECLINED, UNABLE_CAPACITY, CLOSED, WITHDRAWN } = RecipientStatus;

/** One table, expected values written out: each case runs through the TypeScript rules and their SQL. */
const CASES: Array<[string, Case]> = [
  ['submitted, both deadlines ahead', { status: SUBMITTED, acknowledgeBy: at(60), respondBy: at(600), open: true, ackMissed: false, responseMissed: false, overdue: false }],
  ['submitted, acknowledgement passed', { status: SUBMITTED, acknowledgeBy: at(-1), respondBy: at(600), open: true, ackMissed: true, responseMissed: false, overdue: true }],
  ['submitted, acknowledgement due this instant (not yet passed)', { status: SUBMITTED, acknowledgeBy: at(0), respondBy: null, open: true, ackMissed: false, responseMissed: false, overdue: false }],
  ['submitted, no answer deadline', { status: SUBMITTED, acknowledgeBy: at(60), respondBy: null, open: true, ackMissed: false, responseMissed: false, overdue: false }],
  ['submitted, both passed', { status: SUBMITTED, acknowledgeBy: at(-600), respondBy: at(-1), open: true, ackMissed: true, responseMissed: true, overdue: true }],
  ['acknowledged late, answer ahead', { status: ACKNOWLEDGED, acknowledgeBy: at(-60), respondBy: at(60), open: true, ackMissed: false, responseMissed: false, overdue: false }],
  ['acknowledged, answer passed', { status: ACKNOWLEDGED, acknowledgeBy: at(-60), respondBy: at(-1), open: true, ackMissed: false, responseMissed: true, overdue: true }],
  ['in progress, answer passed', { status: IN_PROGRESS, acknowledgeBy: at(-600), respondBy: at(-5), open: true, ackMissed: false, responseMissed: true, overdue: true }],
  ['in progress, no answer deadline', { status: IN_PROGRESS, acknowledgeBy: at(-600), respondBy: null, open: true, ackMissed: false, responseMissed: false, overdue: false }],
  ['in progress, answer due this instant', { status: IN_PROGRESS, acknowledgeBy: at(-600), respondBy: at(0), open: true, ackMissed: false, responseMissed: false, overdue: false }],
  ['answered after both deadlines', { status: ANSWERED, acknowledgeBy: at(-600), respondBy: at(-60), open: false, ackMissed: false, responseMissed: false, overdue: false }],
  ['declined after both deadlines', { status: DECLINED, acknowledgeBy: at(-600), respondBy: at(-60), open: false, ackMissed: false, responseMissed: false, overdue: false }],
  ['unable (capacity) after both deadlines', { status: UNABLE_CAPACITY, acknowledgeBy: at(-600), respondBy: at(-60), open: false, ackMissed: false, responseMissed: false, overdue: false }],
  ['closed after both deadlines', { status: CLOSED, acknowledgeBy: at(-600), respondBy: at(-60), open: false, ackMissed: false, responseMissed: false, overdue: false }],
  ['withdrawn after both deadlines', { status: WITHDRAWN, acknowledgeBy: at(-600), respondBy: null, open: false, ackMissed: false, responseMissed: false, overdue: false }],
];

/**
 * The request rules exist as TypeScript (views, workflow) and as SQL (the deadline notices): both
 * forms must answer every case as the table says, the SQL on the real PostgreSQL with the columns'
 * real types.
 */
describe('Request rules: TypeScript and SQL agree', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: workerDatabaseUrl() });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  /** Evaluates the rules' SQL over one recipient row `rr` and its request `r`, typed as in the schema. */
  async function inSql(testCase: Case) {
    const context = { recipient: 'rr', request: 'r', now: '$4::timestamptz' };
    const { rows } = await client.query<{ open: boolean; ackMissed: boolean; responseMissed: boolean; overdue: boolean }>(
      `SELECT ${isOpenSql('rr')} AS "open",
              ${hasMissedSql('acknowledgement', context)} AS "ackMissed",
              ${hasMissedSql('response', context)} AS "responseMissed",
              ${isOverdueSql(context)} AS "overdue"
         FROM (SELECT $1::"RecipientStatus" AS "status") AS rr,
              (SELECT $2::timestamptz AS "acknowledgeBy", $3::timestamptz AS "respondBy") AS r`,
      [testCase.status, testCase.acknowledgeBy, testCase.respondBy, NOW],
    );
    return rows[0];
  }

  it('covers every deadline and every status', () => {
    expect(DEADLINE_NAMES).toEqual(['acknowledgement', 'response']);
    expect(new Set(CASES.map(([, testCase]) => testCase.status))).toEqual(new Set(Object.values(RecipientStatus)));
  });

  it.each(CASES)('%s', async (_name, testCase) => {
    const expected = { open: testCase.open, ackMissed: testCase.ackMissed, responseMissed: testCase.responseMissed, overdue: testCase.overdue };
    const inTypeScript = {
      open: isOpen(testCase.status),
      ackMissed: hasMissed('acknowledgement', testCase.status, testCase, NOW),
      responseMissed: hasMissed('response', testCase.status, testCase, NOW),
      overdue: isOverdue(testCase, testCase, NOW),
    };
    expect(inTypeScript).toEqual(expected);
    expect(await inSql(testCase)).toEqual(expected);
  });
});

/**
 * The request list filters `overdue` with a Prisma condition generated from the same definition
 * (RequestsRepository.overdue): a third form, held to the same table over stored requests.
 */
describe('Request rules: the list filter agrees with the table', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const created: string[] = [];

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
  });

  afterAll(async () => {
    await prisma.requestRecipient.deleteMany({ where: { requestId: { in: created } } });
    await prisma.cbmRequest.deleteMany({ where: { id: { in: created } } });
    await app.close();
  });

  it.each(CASES)('%s', async (_name, testCase) => {
    const id = randomUUID();
    created.push(id);
    await prisma.cbmRequest.create({
      data: {
        id,
        reference: `REQ-RULES-${id.slice(0, 8)}`,
        requesterState: 'KEN',
        type: RequestType.INFORMATION,
        urgency: Urgency.ROUTINE,
        title: 'A case of the request rules table',
        description: 'Stored only to be found, or not, by the overdue filter.',
        language: 'en',
        indicators: [],
        acknowledgeBy: testCase.acknowledgeBy,
        respondBy: testCase.respondBy,
        recipients: { create: [{ stateCode: 'NLD', status: testCase.status }] },
      },
    });
    const overdue = await prisma.cbmRequest.count({ where: { id, ...RequestsRepository.overdue(NOW) } });
    const notOverdue = await prisma.cbmRequest.count({ where: { id, NOT: RequestsRepository.overdue(NOW) } });
    expect({ overdue: overdue === 1, notOverdue: notOverdue === 1 }).toEqual({ overdue: testCase.overdue, notOverdue: !testCase.overdue });
  });
});

