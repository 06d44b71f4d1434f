import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { PrismaService, RecipientStatus, RequestType, Urgency } from '@cbm/database';
import {
  isPartyTo,
  messageCondition,
  PARTY_SIDES,
  partyCondition,
  readsMessage,
  readsRecipientContents,
} from '../apps/api/src/requests/request-visibility.repository';
import { createTestApp } from './support/test-app';

/** Kenya asks the Netherlands and France; Germany is no party. Three messages: to all, to NLD, to FRA. */
const REQUESTER = 'KEN';
const MESSAGES = { toAll: null, toNetherlands: 'NLD', toFrance: 'FRA' } as const;
type MessageName = keyof typeof MESSAGES;

interface Expected {
  reaches: boolean;
  /** Whose answers and transition notes the reader sees. */
  readsContentsOf: string[];
  messages: MessageName[];
}

/** Written out by hand: what each State may see of the request. */
const READERS: Array<[string, Expected]> = [
  ['KEN', { reaches: true, readsContentsOf: ['FRA', 'NLD'], messages: ['toAll', 'toFrance', 'toNetherlands'] }],
  ['NLD', { reaches: true, readsContentsOf: ['NLD'], messages: ['toAll', 'toNetherlands'] }],
  ['FRA', { reaches: true, readsContentsOf: ['FRA'], messages: ['toAll', 'toFrance'] }],
  ['DEU', { reaches: false, readsContentsOf: [], messages: [] }],
];

/**
 * The request visibility rule exists as TypeScript (the views) and as Prisma conditions (reads,
 * list sides, messages): each form must answer every reader as the table says, the conditions
 * over rows stored in PostgreSQL.
 */
describe('Request visibility: TypeScript and the database conditions agree', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const requestId = randomUUID();
  const messageIds = new Map<string, MessageName>();
  const request = { requesterState: REQUESTER, recipients: [{ stateCode: 'FRA' }, { stateCode: 'NLD' }] };

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await prisma.cbmRequest.create({
      data: {
        id: requestId,
        reference: `REQ-VIS-${requestId.slice(0, 8)}`,
        requesterState: REQUESTER,
        type: RequestType.ASSISTANCE,
        urgency: Urgency.PRIORITY,
        title: 'A request of the visibility table',
        description: 'Stored to be reached, or not, by each reader.',
        language: 'en',
        indicators: [],
        acknowledgeBy: new Date(Date.now() + 3_600_000),
        recipients: { create: request.recipients.map(({ stateCode }) => ({ stateCode, status: RecipientStatus.ANSWERED, answer: `answer of ${stateCode}` })) },
      },
    });
    for (const [name, toState] of Object.entries(MESSAGES) as Array<[MessageName, string | null]>) {
      const message = await prisma.requestMessage.create({ data: { requestId, authorState: REQUESTER, toState, body: name } });
      messageIds.set(message.id, name);
    }
  });

  afterAll(async () => {
    await prisma.cbmRequest.delete({ where: { id: requestId } });
    await app.close();
  });

  it.each(READERS)('%s', async (stateCode, expected) => {
    expect(isPartyTo(request, stateCode)).toBe(expected.reaches);
    expect(await prisma.cbmRequest.count({ where: { id: requestId, ...partyCondition(stateCode) } })).toBe(expected.reaches ? 1 : 0);
    const bySide = await Promise.all(
      Object.values(PARTY_SIDES).map((side) => prisma.cbmRequest.count({ where: { id: requestId, ...side(stateCode) } })),
    );
    expect(bySide.some((count) => count === 1)).toBe(expected.reaches);
    if (!expected.reaches) return;

    const contents = request.recipients.map(({ stateCode: recipient }) => recipient).filter((recipient) => readsRecipientContents(request, stateCode, recipient));
    expect(contents).toEqual(expected.readsContentsOf);

    const inTypeScript = (Object.entries(MESSAGES) as Array<[MessageName, string | null]>)
      .filter(([, toState]) => readsMessage(request, stateCode, { toState }))
      .map(([name]) => name)
      .sort();
    const stored = await prisma.requestMessage.findMany({ where: { requestId, ...messageCondition(stateCode, stateCode === REQUESTER) } });
    const inDatabase = stored.map((message) => messageIds.get(message.id)!).sort();
    expect(inTypeScript).toEqual(expected.messages);
    expect(inDatabase).toEqual(expected.messages);
  });
});
