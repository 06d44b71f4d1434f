import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { API_KEY_GRANTABLE_PERMISSIONS, ROLE_PERMISSIONS } from '@cbm/auth';
import { PrismaService, Role } from '@cbm/database';
import { apiKeyBody, createApiKey } from './fixtures/api-key.fixture';
import { communicationCheckBody, startCommunicationCheck } from './fixtures/communication-check.fixture';
import { createDisclosure, disclosureBody } from './fixtures/disclosure.fixture';
import { minimalRequestBody, postRequest } from './fixtures/request.fixture';
import { createWebhook, webhookBody } from './fixtures/webhook.fixture';
import { createNeed, createOffer, needBody, offerBody, propose } from './fixtures/capacity.fixture';
import { createContact, participate, signedInUser } from './support/factories';
import { describeAccess, listRoutes } from './support/routes';
import { createTestApp } from './support/test-app';

/**
 * The authorization matrix: every route × every kind of caller × records of every visibility. The
 * expected outcome of each cell is derived from the rules, written out here independently of the
 * code: the route's declared permission (the reviewed route → permission map) against the role's
 * permissions (the table below, by hand), then who may see which record. Lists, counts, search and
 * export are checked for records that must not appear.
 */

/**
 * What each role may do, written out by hand from the product's rules (README "Access control"), not
 * read from ROLE_PERMISSIONS: a permission wrongly added to a role in libs/auth would otherwise become
 * "expected". A separate test compares this table with ROLE_PERMISSIONS, so a change to either shows.
 */
const EXPECTED_ROLE_PERMISSIONS: Readonly<Record<Role, readonly string[]>> = {
  STATE_VIEWER: ['directory:read', 'disclosure:read', 'request:read', 'commcheck:read', 'capacity:read'],
  STATE_OFFICER: [
    'directory:read', 'disclosure:read', 'request:read', 'commcheck:read', 'capacity:read',
    'directory:write', 'disclosure:write', 'request:write', 'request:respond', 'capacity:write',
  ],
  STATE_ADMIN: [
    'directory:read', 'disclosure:read', 'request:read', 'commcheck:read', 'capacity:read',
    'directory:write', 'disclosure:write', 'request:write', 'request:respond', 'capacity:write',
    'user:read', 'user:write', 'apikey:manage', 'audit:read', 'state:security', 'webhook:manage', 'notification:read',
  ],
  PLATFORM_ADMIN: [
    'directory:read', 'disclosure:read', 'request:metadata', 'state:manage', 'user:read', 'user:write',
    'audit:read', 'audit:verify', 'commcheck:manage', 'notification:read', 'capacity:metadata',
  ],
};

/** What a State administrator may put on an API key: an officer's permissions, no management of users, keys, audit or policy. */
const EXPECTED_API_KEY_GRANTABLE: readonly string[] = [
  'directory:read', 'disclosure:read', 'request:read', 'commcheck:read', 'capacity:read',
  'directory:write', 'disclosure:write', 'request:write', 'request:respond', 'capacity:write',
];

const A = 'HRV';
const B = 'SVN';
const C = 'SVK';
const STATES = [A, B, C] as const;

type Outcome = 'allow' | 'deny' | 'hidden' | 'unauth';

interface Caller {
  name: string;
  state: string | null;
  permissions: ReadonlySet<string>;
  kind: 'user' | 'apiKey' | 'secretariat' | 'anonymous';
  role?: Role;
  headers: Record<string, string>;
}

interface Records {
  contactA: string;
  certA: string;
  draftA: string;
  publicA: string;
  allStatesA: string;
  greenAllStatesA: string;
  selectedBA: string;
  strictSelectedBA: string;
  redSelectedBA: string;
  withdrawnA: string;
  requestAB: string;
  requestBC: string;
  userA: string;
  keyA: string;
  webhookA: string;
  notificationA: string;
  checkA: string;
  needDraftA: string;
  needOpenA: string;
  needPublicA: string;
  needSelectedBA: string;
  needWithdrawnA: string;
  offerDraftA: string;
  offerOpenA: string;
  offerSelectedBA: string;
  /** A request from A to B that B answered "unable: capacity limits". */
  requestUnableB: string;
  /** B's pending proposal on an open need of A's. */
  proposalBA: string;
  /** The engagement of B's accepted proposal on a need of A's, under way. */
  engagementAB: string;
}

type RecordName = keyof Records;

/** Who may see a record (404 otherwise), from the product rules. */
const VISIBLE: Record<RecordName, (caller: Caller) => boolean> = {
  // The directory is shared with every participating State and the secretariat; writes are the owner's.
  contactA: () => true,
  certA: () => true,
  draftA: (caller) => caller.state === A,
  publicA: () => true,
  allStatesA: (caller) => caller.kind !== 'anonymous',
  greenAllStatesA: (caller) => caller.kind !== 'anonymous',
  strictSelectedBA: (caller) => caller.state === A || caller.state === B,
  selectedBA: (caller) => caller.state === A || caller.state === B,
  redSelectedBA: (caller) => caller.state === A || caller.state === B,
  withdrawnA: (caller) => caller.state === A,
  // Requests: the parties see them; the secretariat sees metadata; nobody else.
  requestAB: (caller) => caller.state === A || caller.state === B || caller.kind === 'secretariat',
  requestBC: (caller) => caller.state === B || caller.state === C || caller.kind === 'secretariat',
  userA: (caller) => caller.state === A || caller.kind === 'secretariat',
  keyA: (caller) => caller.state === A,
  webhookA: (caller) => caller.state === A,
  notificationA: (caller) => caller.state === A || caller.kind === 'secretariat',
  checkA: (caller) => caller.state === A || caller.kind === 'secretariat',
  // Capacity-building: shared like disclosures among States; the secretariat reads no capacity record
  // itself (no capacity:read) but the metadata of every one that is not a draft.
  needDraftA: (caller) => caller.state === A,
  needOpenA: (caller) => caller.state !== null || caller.kind === 'secretariat',
  needPublicA: () => true,
  needSelectedBA: (caller) => caller.state === A || caller.state === B || caller.kind === 'secretariat',
  needWithdrawnA: (caller) => caller.state === A || caller.kind === 'secretariat',
  offerDraftA: (caller) => caller.state === A,
  offerOpenA: (caller) => caller.state !== null || caller.kind === 'secretariat',
  offerSelectedBA: (caller) => caller.state === A || caller.state === B || caller.kind === 'secretariat',
  requestUnableB: (caller) => caller.state === A || caller.state === B || caller.kind === 'secretariat',
  proposalBA: (caller) => caller.state === A || caller.state === B || caller.kind === 'secretariat',
  engagementAB: (caller) => caller.state === A || caller.state === B || caller.kind === 'secretariat',
};

const NEEDING_SIDE_ONLY: (caller: Caller) => boolean = (caller) => caller.state === A;
const PROVIDING_SIDE_ONLY: (caller: Caller) => boolean = (caller) => caller.state === B;
const A_PARTY: (caller: Caller) => boolean = (caller) => caller.state === A || caller.state === B;

const OWNED_BY_A: (caller: Caller) => boolean = (caller) => caller.state === A;

interface RouteCase {
  records?: RecordName[];
  /** Who may act on the record, when it differs from who may see it (writes are the owner's). */
  mayAct?: (caller: Caller, record: RecordName | undefined) => boolean;
  /** A business rule beyond permissions: 403 for callers it refuses. */
  ruleAllows?: (caller: Caller) => boolean;
  body?: (caller: Caller, records: Records) => object;
  headers?: Record<string, string>;
  query?: string;
  /** Statuses that mean "got through" for this route, besides 2xx (e.g. a deliberate 412). */
  through?: number[];
  /** Run on a record made for this cell alone (the route changes it for good). */
  fresh?: boolean;
  /** Routes about the caller's own account or sign-in: a fixed expectation, same for every caller. */
  fixed?: number | ((caller: Caller) => number);
  /** The route cannot be exercised per caller without ending the caller's session: anonymous only. */
  anonymousOnly?: boolean;
}

const uniqueEmail = () => `matrix.${randomUUID().slice(0, 8)}@${A.toLowerCase()}.example`;

const CASES: Record<string, RouteCase> = {
  'GET /api/v1/api-keys': {},
  'POST /api/v1/api-keys': { body: () => apiKeyBody({ name: 'matrix', expiresInDays: 1 }) },
  'POST /api/v1/api-keys/:id/revoke': { records: ['keyA'], fresh: true },
  'GET /api/v1/audit-events': {},
  'GET /api/v1/audit-events/verify': {},
  'POST /api/v1/auth/invitations/accept': { fixed: 400, body: () => ({ token: 'inv_unknown', password: 'a long and unusual passphrase 43' }) },
  'POST /api/v1/auth/login': { fixed: 401, body: () => ({ email: 'nobody@matrix.example', password: 'wrong wrong wrong 1' }) },
  'POST /api/v1/auth/logout': { anonymousOnly: true },
  'GET /api/v1/auth/me': {},
  'PUT /api/v1/auth/me/notification-preferences': {
    body: () => ({ notifyByEmail: false }),
    // People only: an API key has no preferences.
    ruleAllows: (caller) => caller.kind !== 'apiKey',
  },
  'POST /api/v1/auth/mfa/enrolment': { anonymousOnly: true },
  'POST /api/v1/auth/mfa/enrolment/confirm': { anonymousOnly: true },
  'POST /api/v1/auth/mfa/verify': { fixed: 401, body: () => ({ mfaToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', code: '123456' }) },
  'POST /api/v1/auth/password': { anonymousOnly: true },
  // Public by design, the same answer for anyone: an address that may or may not exist.
  'POST /api/v1/auth/password-reset': { fixed: 202, body: () => ({ email: 'nobody@matrix.example' }) },
  'POST /api/v1/auth/refresh': { fixed: 401, body: () => ({ refreshToken: 'rt_unknown-token-value-that-is-long-enough' }) },

  'GET /api/v1/capacity/needs': {},
  'POST /api/v1/capacity/needs': { body: () => needBody() },
  'GET /api/v1/capacity/needs/:id': { records: ['needDraftA', 'needOpenA', 'needPublicA', 'needSelectedBA', 'needWithdrawnA'] },
  'PATCH /api/v1/capacity/needs/:id': {
    records: ['needDraftA', 'needOpenA', 'needSelectedBA'],
    mayAct: OWNED_BY_A,
    headers: { 'If-Match': '"0"' },
    body: () => ({ title: 'x' }),
    through: [412],
  },
  'POST /api/v1/capacity/needs/:id/open': { records: ['needDraftA', 'needSelectedBA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  'POST /api/v1/capacity/needs/:id/withdraw': { records: ['needOpenA', 'needSelectedBA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  'POST /api/v1/capacity/needs/:id/fulfil': { records: ['needOpenA', 'needSelectedBA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  'GET /api/v1/capacity/needs/:id/matches': { records: ['needDraftA', 'needOpenA', 'needSelectedBA', 'needWithdrawnA'] },
  // Anyone who may see an open need may propose once; on its own need, a second time or on a draft: 409 after the access checks.
  'POST /api/v1/capacity/needs/:id/proposals': {
    records: ['needOpenA', 'needSelectedBA', 'needDraftA'],
    mayAct: (caller, record) => caller.state !== null && VISIBLE[record!](caller),
    body: () => ({ message: 'matrixmarker proposal' }),
    through: [409],
  },
  'GET /api/v1/capacity/needs/:id/proposals': { records: ['needOpenA', 'needSelectedBA', 'needDraftA'] },
  'GET /api/v1/capacity/proposals': {},
  'GET /api/v1/capacity/proposals/:id': { records: ['proposalBA'], mayAct: A_PARTY },
  // Decisions are the needing State's (the provider gets 403); a withdrawal the provider's.
  'POST /api/v1/capacity/proposals/:id/accept': { records: ['proposalBA'], fresh: true, mayAct: A_PARTY, ruleAllows: NEEDING_SIDE_ONLY },
  'POST /api/v1/capacity/proposals/:id/decline': { records: ['proposalBA'], fresh: true, mayAct: A_PARTY, ruleAllows: NEEDING_SIDE_ONLY, body: () => ({ reason: 'matrixmarker' }) },
  'POST /api/v1/capacity/proposals/:id/withdraw': { records: ['proposalBA'], fresh: true, mayAct: A_PARTY, ruleAllows: PROVIDING_SIDE_ONLY },
  'GET /api/v1/capacity/engagements': {},
  'GET /api/v1/capacity/engagements/:id': { records: ['engagementAB'], mayAct: A_PARTY },
  'GET /api/v1/capacity/engagements/:id/updates': { records: ['engagementAB'], mayAct: A_PARTY },
  'POST /api/v1/capacity/engagements/:id/updates': { records: ['engagementAB'], mayAct: A_PARTY, body: () => ({ body: 'matrixmarker update' }) },
  'POST /api/v1/capacity/engagements/:id/complete': { records: ['engagementAB'], fresh: true, mayAct: A_PARTY, ruleAllows: NEEDING_SIDE_ONLY },
  'POST /api/v1/capacity/engagements/:id/cancel': { records: ['engagementAB'], fresh: true, mayAct: A_PARTY, body: () => ({ reason: 'matrixmarker' }) },
  // The engagement is under way: an evaluation is refused (409) after the access checks.
  'POST /api/v1/capacity/engagements/:id/evaluation': { records: ['engagementAB'], mayAct: A_PARTY, body: () => ({ outcome: 'MET', feedback: 'matrixmarker' }), through: [409] },
  'GET /api/v1/capacity/offers': {},
  'POST /api/v1/capacity/offers': { body: () => offerBody() },
  'GET /api/v1/capacity/offers/:id': { records: ['offerDraftA', 'offerOpenA', 'offerSelectedBA'] },
  'PATCH /api/v1/capacity/offers/:id': {
    records: ['offerDraftA', 'offerOpenA', 'offerSelectedBA'],
    mayAct: OWNED_BY_A,
    headers: { 'If-Match': '"0"' },
    body: () => ({ title: 'x' }),
    through: [412],
  },
  'POST /api/v1/capacity/offers/:id/open': { records: ['offerDraftA', 'offerSelectedBA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  'POST /api/v1/capacity/offers/:id/withdraw': { records: ['offerOpenA', 'offerSelectedBA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  // Matches of an offer are its State's alone: to anyone else they do not exist.
  'GET /api/v1/capacity/offers/:id/matches': { records: ['offerDraftA', 'offerOpenA', 'offerSelectedBA'], mayAct: OWNED_BY_A },
  // Only a recipient that answered "unable: capacity limits" opens a need from a request; the requester is no such party.
  'POST /api/v1/requests/:id/capacity-need': { records: ['requestUnableB'], fresh: true, mayAct: (caller) => caller.state === B, body: () => ({}) },
  'GET /api/v1/capacity/metadata/needs': {},
  'GET /api/v1/capacity/metadata/offers': {},
  'GET /api/v1/capacity/metadata/proposals': {},
  'GET /api/v1/capacity/metadata/engagements': {},
  'GET /api/v1/capacity/statistics': {},
  'GET /api/v1/public/capacity/statistics': {},
  'GET /api/v1/public/capacity/needs': {},
  'GET /api/v1/public/capacity/offers': {},

  'GET /api/v1/certs': {},
  'POST /api/v1/certs': {
    body: () => ({ name: `Matrix CERT ${randomUUID().slice(0, 6)}`, type: 'SECTOR', emails: ['cert@matrix.example'], timeZone: 'Europe/Zagreb', languages: ['hr'] }),
  },
  'DELETE /api/v1/certs/:id': { records: ['certA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  'GET /api/v1/certs/:id': { records: ['certA'] },
  'PATCH /api/v1/certs/:id': { records: ['certA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, body: () => ({ notes: 'x' }), through: [412] },
  'GET /api/v1/certs/:id/history': { records: ['certA'] },
  'POST /api/v1/certs/:id/verify': { records: ['certA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },

  'GET /api/v1/communication-checks': {},
  'POST /api/v1/communication-checks': { body: () => communicationCheckBody({ stateCodes: [A], kinds: ['DIPLOMATIC'], windowHours: 1 }) },
  'GET /api/v1/communication-checks/:id': { records: ['checkA'] },
  'POST /api/v1/communication-checks/:id/close': { records: ['checkA'], fresh: true },
  'GET /api/v1/communication-checks/:id/results': { records: ['checkA'] },
  'GET /api/v1/communication-checks/trends': {},

  'GET /api/v1/contacts': {},
  'POST /api/v1/contacts': {
    body: () => ({ kind: 'POLICY', name: `Matrix ${randomUUID().slice(0, 6)}`, emails: ['policy@matrix.example'], phones: [], timeZone: 'Europe/Zagreb', languages: ['hr'] }),
  },
  'DELETE /api/v1/contacts/:id': { records: ['contactA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  'GET /api/v1/contacts/:id': { records: ['contactA'] },
  'PATCH /api/v1/contacts/:id': { records: ['contactA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, body: () => ({ title: 'x' }), through: [412] },
  'GET /api/v1/contacts/:id/history': { records: ['contactA'] },
  'GET /api/v1/contacts/:id/vcard': { records: ['contactA'] },
  'POST /api/v1/contacts/:id/verify': { records: ['contactA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  'GET /api/v1/directory/export': { query: 'format=json' },
  // A dry run of one contact of the caller's own State: validated, nothing written.
  'POST /api/v1/directory/import': {
    query: 'dryRun=true',
    body: () => ({ contacts: [{ kind: 'POLICY', name: 'Matrix import', emails: ['import@matrix.example'], timeZone: 'UTC', languages: ['en'] }] }),
  },

  'GET /api/v1/disclosures': {},
  'POST /api/v1/disclosures': { body: () => disclosureBody(matrixDisclosure('GREEN', 'ALL_STATES')) },
  'GET /api/v1/disclosures/:id': {
    records: ['draftA', 'publicA', 'allStatesA', 'greenAllStatesA', 'selectedBA', 'strictSelectedBA', 'redSelectedBA', 'withdrawnA'],
  },
  'PATCH /api/v1/disclosures/:id': {
    records: ['draftA', 'publicA', 'selectedBA'],
    mayAct: OWNED_BY_A,
    headers: { 'If-Match': '"0"' },
    body: () => ({ title: 'x' }),
    through: [412],
  },
  'POST /api/v1/disclosures/:id/publish': { records: ['draftA', 'selectedBA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },
  // Earlier versions may have been shared more narrowly or said more: the owner's only.
  'GET /api/v1/disclosures/:id/versions': { records: ['draftA', 'publicA', 'allStatesA', 'selectedBA', 'withdrawnA'], mayAct: OWNED_BY_A },
  'POST /api/v1/disclosures/:id/withdraw': { records: ['draftA', 'allStatesA', 'selectedBA'], mayAct: OWNED_BY_A, headers: { 'If-Match': '"0"' }, through: [412] },

  'GET /api/v1/notifications': {},
  'GET /api/v1/notifications/:id': { records: ['notificationA'] },

  'GET /api/v1/public/acknowledgements/:token': { fixed: 404 },
  'POST /api/v1/public/acknowledgements/:token': { fixed: 404 },
  // The pages behind a mailed link: the link is the credential; an unknown one is a 404 page to anyone.
  'GET /api/v1/public/invitations/:token': { fixed: 404 },
  'POST /api/v1/public/invitations/:token': { fixed: 404, body: () => ({ password: 'a long and unusual passphrase 43', passwordConfirmation: 'a long and unusual passphrase 43' }) },
  'GET /api/v1/public/password-resets/:token': { fixed: 404 },
  'POST /api/v1/public/password-resets/:token': { fixed: 404, body: () => ({ password: 'a long and unusual passphrase 43', passwordConfirmation: 'a long and unusual passphrase 43' }) },
  'GET /api/v1/public/disclosures': {},
  'GET /api/v1/public/disclosures/:id': { records: ['draftA', 'publicA', 'allStatesA', 'greenAllStatesA', 'selectedBA', 'withdrawnA'], mayAct: (_caller, record) => record === 'publicA' },

  'GET /api/v1/requests': {},
  'POST /api/v1/requests': {
    headers: { 'Idempotency-Key': 'per-cell' },
    body: (caller) =>
      minimalRequestBody({ type: 'INFORMATION', recipients: [caller.state === C ? A : C], urgency: 'ROUTINE', title: 'Matrix request', description: 'Filed by the authorization matrix.' }),
  },
  'GET /api/v1/requests/:id': { records: ['requestAB', 'requestBC'] },
  'POST /api/v1/requests/:id/actions': {
    records: ['requestAB', 'requestBC'],
    // The secretariat sees metadata but is no party: it never acts.
    mayAct: (caller, record) => caller.kind !== 'secretariat' && VISIBLE[record!](caller),
    // CLOSE naming a State that is no recipient: refused after the access checks, so nothing changes.
    body: () => ({ action: 'CLOSE', recipient: 'ZZZ' }),
    through: [400, 409],
  },
  // The indicators in STIX or MISP: the parties' only (the secretariat reads metadata, never indicators).
  'GET /api/v1/requests/:id/indicators': { records: ['requestAB', 'requestBC'], mayAct: (caller, record) => caller.kind !== 'secretariat' && VISIBLE[record!](caller), query: 'format=stix' },
  'GET /api/v1/requests/:id/messages': { records: ['requestAB', 'requestBC'], mayAct: (caller, record) => caller.kind !== 'secretariat' && VISIBLE[record!](caller) },
  'POST /api/v1/requests/:id/messages': {
    records: ['requestAB', 'requestBC'],
    mayAct: (caller, record) => caller.kind !== 'secretariat' && VISIBLE[record!](caller),
    body: () => ({ body: 'matrix message' }),
  },
  'GET /api/v1/requests/stats': {},

  'GET /api/v1/states': {},
  'GET /api/v1/states/:code': {},
  'PATCH /api/v1/states/:code': { body: () => ({ participating: true }) },
  'GET /api/v1/states/:code/summary': {},
  'GET /api/v1/states/mine/security-policy': {},
  'PUT /api/v1/states/mine/security-policy': { body: () => ({ mfaRequired: false }) },

  'GET /api/v1/users': {},
  'POST /api/v1/users': {
    // A State administrator creates users of its own State only; the secretariat a State's administrators.
    body: () => ({ email: uniqueEmail(), displayName: 'Matrix user', role: 'STATE_ADMIN', stateCode: A }),
    ruleAllows: (caller) => caller.kind === 'secretariat' || caller.state === A,
  },
  'GET /api/v1/users/:id': { records: ['userA'] },
  'PATCH /api/v1/users/:id': { records: ['userA'], body: () => ({ displayName: 'Matrix target' }) },
  'POST /api/v1/users/:id/disable': { records: ['userA'], fresh: true },

  'GET /api/v1/webhooks': {},
  'POST /api/v1/webhooks': { body: () => webhookBody({ url: 'https://soc.matrix.example/hooks' }) },
  'DELETE /api/v1/webhooks/:id': { records: ['webhookA'], fresh: true },
  'POST /api/v1/webhooks/:id/ping': { records: ['webhookA'] },

  'GET /health/live': {},
  'GET /health/ready': {},
  'GET /metrics': {},
};

/** What the matrix's disclosures say over the fixture's default: the marker that searches look for. */
function matrixDisclosure(tlp: string, audience: string, selectedStates?: string[]) {
  return { kind: 'LAW_OR_POLICY', title: `Matrix ${tlp} ${audience} matrixmarker`, summary: 'Matrix disclosure', body: 'matrixmarker', sectors: ['ENERGY'], tlp, audience, selectedStates };
}

function permitted(caller: Caller, access: ReturnType<typeof listRoutes>[number]['access']): Outcome | undefined {
  if (!access || access.kind === 'public') return undefined;
  if (caller.kind === 'anonymous') return 'unauth';
  if (access.kind === 'authenticated') return undefined;
  const needed = access.kind === 'anyPermission' ? access.permissions : [access.permission];
  return needed.some((permission) => caller.permissions.has(permission)) ? undefined : 'deny';
}

function outcomeOf(status: number, through: number[]): Outcome | `status ${number}` {
  if (status === 401) return 'unauth';
  if (status === 403) return 'deny';
  if (status === 404) return 'hidden';
  if ((status >= 200 && status < 300) || through.includes(status)) return 'allow';
  return `status ${status}`;
}

describe('Authorization matrix', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  const callers: Caller[] = [];
  let records: Records;

  async function makeRecords(): Promise<Records> {
    const owner = callers.find((caller) => caller.name === `${A} officer`)!;
    const ownerAdmin = callers.find((caller) => caller.name === `${A} admin`)!;
    const bOfficer = callers.find((caller) => caller.name === `${B} officer`)!;
    const contact = await createContact(app, A, { kind: 'DIPLOMATIC', emails: ['matrix.diplomat@hrv.example'] });
    const cert = await prisma.cert.create({ data: { stateCode: A, name: 'Matrix CERT', type: 'NATIONAL', emails: ['cert@hrv.example'], timeZone: 'UTC', languages: ['en'] } });
    const disclosure = async (tlp: string, audience: string, status: 'DRAFT' | 'PUBLISHED' | 'WITHDRAWN', selected?: string[]) =>
      (await createDisclosure(app, owner.headers, matrixDisclosure(tlp, audience, selected), status)).id;
    const file = async (by: Caller, to: string) =>
      (await postRequest(app, by.headers, minimalRequestBody({ recipients: [to], title: 'matrixmarker request', description: 'matrixmarker' })).expect(201)).body.id as string;
    const user = await prisma.user.create({ data: { email: uniqueEmail(), displayName: 'Matrix target', role: Role.STATE_VIEWER, stateCode: A } });
    const key = await createApiKey(app, ownerAdmin.headers, { name: 'matrix target', expiresInDays: 1 });
    const webhook = await createWebhook(app, ownerAdmin.headers, { url: 'https://soc.hrv.example/hook' });
    const event = await prisma.outboxEvent.create({ data: { type: 'request.created', stateCode: A, payload: {}, dispatchedAt: new Date(), recipientCount: 1 } });
    const notification = await prisma.notification.create({
      data: { eventId: event.id, eventType: 'request.created', stateCode: A, channel: 'EMAIL', recipient: 'matrix.diplomat@hrv.example', subject: 'matrixmarker' },
    });
    const secretariat = callers.find((caller) => caller.kind === 'secretariat')!;
    const check = await startCommunicationCheck(app, secretariat.headers, { stateCodes: [A], kinds: ['DIPLOMATIC'], windowHours: 24 });
    const need = async (status: 'DRAFT' | 'OPEN' | 'WITHDRAWN', overrides: Record<string, unknown> = {}) =>
      (await createNeed(app, owner.headers, { title: 'matrixmarker need', ...overrides }, status)).id;
    const offer = async (status: 'DRAFT' | 'OPEN' | 'WITHDRAWN', overrides: Record<string, unknown> = {}) =>
      (await createOffer(app, owner.headers, { title: 'matrixmarker offer', ...overrides }, status)).id;
    const selectedB = { tlp: 'AMBER', audience: 'SELECTED_STATES', selectedStates: [B] };
    return {
      contactA: contact.id,
      certA: cert.id,
      draftA: await disclosure('GREEN', 'ALL_STATES', 'DRAFT'),
      publicA: await disclosure('CLEAR', 'PUBLIC', 'PUBLISHED'),
      allStatesA: await disclosure('AMBER', 'ALL_STATES', 'PUBLISHED'),
      greenAllStatesA: await disclosure('GREEN', 'ALL_STATES', 'PUBLISHED'),
      strictSelectedBA: await disclosure('AMBER+STRICT', 'SELECTED_STATES', 'PUBLISHED', [B]),
      selectedBA: await disclosure('AMBER', 'SELECTED_STATES', 'PUBLISHED', [B]),
      redSelectedBA: await disclosure('RED', 'SELECTED_STATES', 'PUBLISHED', [B]),
      withdrawnA: await disclosure('GREEN', 'ALL_STATES', 'WITHDRAWN'),
      requestAB: await file(owner, B),
      requestBC: await file(bOfficer, C),
      userA: user.id,
      keyA: key.id,
      webhookA: webhook.webhook.id,
      notificationA: notification.id,
      checkA: check.id,
      needDraftA: await need('DRAFT'),
      needOpenA: await need('OPEN'),
      needPublicA: await need('OPEN', { tlp: 'CLEAR', audience: 'PUBLIC' }),
      needSelectedBA: await need('OPEN', selectedB),
      needWithdrawnA: await need('WITHDRAWN'),
      offerDraftA: await offer('DRAFT'),
      offerOpenA: await offer('OPEN'),
      offerSelectedBA: await offer('OPEN', selectedB),
      requestUnableB: await unableRequest(),
      proposalBA: await pendingProposal(),
      engagementAB: await engagementUnderWay(),
    };
  }

  /** B's pending proposal on a new open need of A's. */
  async function pendingProposal(): Promise<string> {
    const owner = callers.find((caller) => caller.name === `${A} officer`)!;
    const bOfficer = callers.find((caller) => caller.name === `${B} officer`)!;
    const need = await createNeed(app, owner.headers, { title: 'matrixmarker need for a proposal' });
    return (await propose(app, bOfficer.headers, need.id, { message: 'matrixmarker proposal' })).id;
  }

  /** An engagement under way: B's proposal on a need of A's, accepted by A. */
  async function engagementUnderWay(): Promise<string> {
    const owner = callers.find((caller) => caller.name === `${A} officer`)!;
    const accepted = await request(app.getHttpServer()).post(`/api/v1/capacity/proposals/${await pendingProposal()}/accept`).set(owner.headers).expect(200);
    return accepted.body.engagementId as string;
  }

  /** A request from A to B that B answered "unable: capacity limits" (a need may be opened from it once). */
  async function unableRequest(): Promise<string> {
    const owner = callers.find((caller) => caller.name === `${A} officer`)!;
    const bOfficer = callers.find((caller) => caller.name === `${B} officer`)!;
    const filed = await postRequest(app, owner.headers, minimalRequestBody({ type: 'ASSISTANCE', recipients: [B], title: 'matrixmarker unable', description: 'matrixmarker' })).expect(201);
    await request(app.getHttpServer())
      .post(`/api/v1/requests/${filed.body.id}/actions`)
      .set(bOfficer.headers)
      .send({ action: 'UNABLE_CAPACITY', note: 'matrixmarker capacity' })
      .expect(200);
    return filed.body.id as string;
  }

  /** A record of the same kind made for one cell (for routes that change it for good). */
  async function freshRecord(name: RecordName): Promise<string> {
    const ownerAdmin = callers.find((caller) => caller.name === `${A} admin`)!;
    const secretariat = callers.find((caller) => caller.kind === 'secretariat')!;
    switch (name) {
      case 'keyA':
        return (await createApiKey(app, ownerAdmin.headers, { name: 'fresh', expiresInDays: 1 })).id;
      case 'webhookA':
        return (await createWebhook(app, ownerAdmin.headers, { url: 'https://soc.hrv.example/fresh' })).webhook.id;
      case 'userA':
        return (await prisma.user.create({ data: { email: uniqueEmail(), displayName: 'Fresh', role: Role.STATE_VIEWER, stateCode: A } })).id;
      case 'checkA':
        return (await startCommunicationCheck(app, secretariat.headers, { stateCodes: [A], kinds: ['DIPLOMATIC'], windowHours: 24 })).id;
      case 'requestUnableB':
        return unableRequest();
      case 'proposalBA':
        return pendingProposal();
      case 'engagementAB':
        return engagementUnderWay();
      default:
        throw new Error(`No fresh ${name}`);
    }
  }

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, ...STATES);
    for (const state of STATES) {
      for (const role of [Role.STATE_ADMIN, Role.STATE_OFFICER, Role.STATE_VIEWER]) {
        const user = await signedInUser(app, role, state);
        callers.push({ name: `${state} ${role.replace('STATE_', '').toLowerCase()}`, state, role, kind: 'user', permissions: new Set(EXPECTED_ROLE_PERMISSIONS[role]), headers: user.auth });
      }
      const admin = callers[callers.length - 3];
      const key = await createApiKey(app, admin.headers, { name: 'matrix key', permissions: [...EXPECTED_API_KEY_GRANTABLE], expiresInDays: 1 });
      callers.push({ name: `${state} api key`, state, kind: 'apiKey', permissions: new Set(EXPECTED_API_KEY_GRANTABLE), headers: { 'X-API-Key': key.key } });
    }
    const secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    callers.push({ name: 'secretariat', state: null, role: Role.PLATFORM_ADMIN, kind: 'secretariat', permissions: new Set(EXPECTED_ROLE_PERMISSIONS.PLATFORM_ADMIN), headers: secretariat.auth });
    callers.push({ name: 'anonymous', state: null, kind: 'anonymous', permissions: new Set(), headers: {} });
    records = await makeRecords();
  }, 60_000);
  afterAll(() => app.close());

  it('the role → permission table the matrix expects is the one the code grants, both ways', () => {
    const sorted = (permissions: Iterable<string>) => [...permissions].sort();
    const granted = Object.fromEntries(Object.entries(ROLE_PERMISSIONS).map(([role, permissions]) => [role, sorted(permissions)]));
    const expected = Object.fromEntries(Object.entries(EXPECTED_ROLE_PERMISSIONS).map(([role, permissions]) => [role, sorted(permissions)]));
    expect(granted).toEqual(expected);
    expect(sorted(API_KEY_GRANTABLE_PERMISSIONS)).toEqual(sorted(EXPECTED_API_KEY_GRANTABLE));
  });

  it('every route × every caller × every record visibility answers as the rules say', async () => {
    const routes = listRoutes(app);
    const missing = routes.map((route) => `${route.method} ${route.path}`).filter((key) => !CASES[key]);
    expect(missing).toEqual([]);

    let cells = 0;
    const unexpectedAllows: string[] = [];
    const unexpectedDenies: string[] = [];
    const otherMismatches: string[] = [];
    for (const route of routes) {
      const spec = CASES[`${route.method} ${route.path}`];
      for (const caller of callers) {
        if (spec.anonymousOnly && caller.kind !== 'anonymous') continue;
        for (const recordName of spec.records ?? [undefined]) {
          cells++;
          let expected: Outcome | number;
          if (typeof spec.fixed === 'function') expected = spec.fixed(caller);
          else if (spec.fixed !== undefined) expected = spec.fixed;
          else {
            expected = permitted(caller, route.access) ?? 'allow';
            if (expected === 'allow' && recordName && !VISIBLE[recordName](caller)) expected = 'hidden';
            if (expected === 'allow' && spec.mayAct && !spec.mayAct(caller, recordName)) expected = 'hidden';
            if (expected === 'allow' && spec.ruleAllows && !spec.ruleAllows(caller)) expected = 'deny';
          }
          const id = recordName ? (spec.fresh && expected === 'allow' ? await freshRecord(recordName) : records[recordName]) : undefined;
          const path =
            route.path.replace(':id', id ?? randomUUID()).replace(':code', A).replace(':token', 'A'.repeat(43)) + (spec.query ? `?${spec.query}` : '');
          const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
          let call = http()[method](path).set(caller.headers);
          for (const [name, value] of Object.entries(spec.headers ?? {})) call = call.set(name, value === 'per-cell' ? randomUUID() : value);
          const response = spec.body ? await call.send(spec.body(caller, records)) : await call;
          const label = `${route.method} ${route.path}${recordName ? ` [${recordName}]` : ''} as ${caller.name}: expected ${expected}, got ${response.status} ${response.body?.code ?? ''}`;
          if (typeof expected === 'number') {
            if (response.status !== expected) otherMismatches.push(label);
            continue;
          }
          const got = outcomeOf(response.status, spec.through ?? []);
          if (got === expected) continue;
          if (got === 'allow') unexpectedAllows.push(label);
          else if (expected === 'allow' && (got === 'deny' || got === 'hidden' || got === 'unauth')) unexpectedDenies.push(label);
          else otherMismatches.push(label);
        }
      }
    }
    process.stderr.write(
      `authorization matrix: ${routes.length} routes, ${callers.length} callers, ${cells} cells; ` +
        `${unexpectedAllows.length} unexpected allows, ${unexpectedDenies.length} unexpected denies, ${otherMismatches.length} other mismatches\n`,
    );
    expect({ unexpectedAllows, unexpectedDenies, otherMismatches }).toEqual({ unexpectedAllows: [], unexpectedDenies: [], otherMismatches: [] });
    expect(cells).toBeGreaterThan(1000);
  }, 300_000);

  it('lists, search and export leak no record a caller may not see, and each reader that may read them got them', async () => {
    const leaks: string[] = [];
    const unread: string[] = [];
    let searched = 0;
    const routes = listRoutes(app);
    const hiddenFrom = (caller: Caller) => (Object.keys(VISIBLE) as RecordName[]).filter((name) => !VISIBLE[name](caller)).map((name) => records[name]);
    const readers = [
      '/api/v1/disclosures?limit=200',
      '/api/v1/disclosures?limit=200&q=matrixmarker',
      `/api/v1/disclosures?limit=200&state=${A}`,
      '/api/v1/public/disclosures?limit=200&q=matrixmarker',
      '/api/v1/requests?limit=200',
      '/api/v1/users?limit=200',
      '/api/v1/api-keys',
      '/api/v1/webhooks',
      '/api/v1/notifications?limit=200',
      '/api/v1/communication-checks?limit=200',
      '/api/v1/directory/export?format=json',
      '/api/v1/audit-events?limit=200',
      '/api/v1/capacity/needs?limit=200',
      '/api/v1/capacity/offers?limit=200',
      '/api/v1/capacity/statistics',
      '/api/v1/capacity/metadata/needs?limit=200',
      '/api/v1/capacity/metadata/offers?limit=200',
      '/api/v1/capacity/metadata/proposals?limit=200',
      '/api/v1/capacity/metadata/engagements?limit=200',
      '/api/v1/capacity/proposals?limit=200',
      '/api/v1/capacity/engagements?limit=200',
      '/api/v1/public/capacity/needs?limit=200',
      '/api/v1/public/capacity/offers?limit=200',
      '/api/v1/public/capacity/statistics',
    ];
    for (const caller of callers) {
      const hidden = hiddenFrom(caller);
      for (const path of readers) {
        const route = routes.find((candidate) => candidate.method === 'GET' && candidate.path === path.split('?')[0]);
        expect({ path, declared: route !== undefined }).toEqual({ path, declared: true });
        const mayRead = permitted(caller, route!.access) === undefined;
        const response = await http().get(path).set(caller.headers);
        // A list that was refused shows nothing, so its search for leaks proves nothing: who may read it must get it.
        if (mayRead !== (response.status >= 200 && response.status < 300)) {
          unread.push(`${path} as ${caller.name}: ${mayRead ? 'may read' : 'may not read'}, got ${response.status}`);
          continue;
        }
        if (!mayRead) continue;
        searched++;
        // The secretariat's audit log names every changed record by id, by design (README "Audit log"):
        // what it must never show is contents, and every record here carries the marker in its text.
        if (caller.kind === 'secretariat' && path.startsWith('/api/v1/audit-events')) {
          if (response.text.includes('matrixmarker')) leaks.push(`${path} as ${caller.name} shows contents (matrixmarker)`);
          continue;
        }
        for (const id of hidden) if (response.text.includes(id)) leaks.push(`${path} as ${caller.name} shows ${id}`);
      }
    }
    expect(unread).toEqual([]);
    expect(leaks).toEqual([]);
    expect(searched).toBeGreaterThan(callers.length * 3);
  });

  it("counts: another State's request changes the parties' request statistics, never those of a State that is no party", async () => {
    const stats = async (caller: Caller) => (await http().get('/api/v1/requests/stats').set(caller.headers).expect(200)).body as { stateCode: string; byType: Record<string, number>; byStatus: Record<string, number> };
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);
    const requester = callers.find((caller) => caller.name === `${A} officer`)!;
    const recipient = callers.find((caller) => caller.name === `${B} viewer`)!;
    const outsiders = callers.filter((caller) => caller.state === C);
    const before = { requester: await stats(requester), recipient: await stats(recipient), outsiders: await Promise.all(outsiders.map(stats)) };
    expect(before.outsiders.map((figures) => figures.stateCode)).toEqual(outsiders.map(() => C));

    await postRequest(app, requester.headers, minimalRequestBody({ type: 'ASSISTANCE', recipients: [B], title: 'matrixmarker counted', description: 'matrixmarker' })).expect(201);

    const after = { requester: await stats(requester), recipient: await stats(recipient), outsiders: await Promise.all(outsiders.map(stats)) };
    for (const party of ['requester', 'recipient'] as const) {
      expect({ party, assistance: after[party].byType.ASSISTANCE, recipients: total(after[party].byStatus) }).toEqual({
        party,
        assistance: (before[party].byType.ASSISTANCE ?? 0) + 1,
        recipients: total(before[party].byStatus) + 1,
      });
    }
    expect(after.outsiders).toEqual(before.outsiders);
  });

  it('the matrix cannot pass by accident: a record the rules hide from a caller is really asked for', async () => {
    const outsider = callers.find((caller) => caller.name === `${C} officer`)!;
    await http().get(`/api/v1/requests/${records.requestAB}`).set(outsider.headers).expect(404);
    const party = callers.find((caller) => caller.name === `${B} viewer`)!;
    await http().get(`/api/v1/requests/${records.requestAB}`).set(party.headers).expect(200);
    expect(describeAccess(listRoutes(app).find((route) => route.path === '/api/v1/requests/:id')!.access)).toBe('request:read | request:metadata');
  });
});
