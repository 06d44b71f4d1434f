import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { Role } from '@cbm/database';
import { NotificationWorker } from '../apps/api/src/notifications/notification-worker';
import { verifyWebhookSignature } from '../apps/api/src/notifications/webhooks/webhook-signature';
import { createApiKey } from './fixtures/api-key.fixture';
import { FiledRequest, postRequest, requestBody } from './fixtures/request.fixture';
import { createWebhook, webhookBody } from './fixtures/webhook.fixture';
import { participate, signedInUser, SignedIn } from './support/factories';
import { mispEventValidator, REFERENCE_DIR, stixBundleValidator, Verdict } from './support/interop-schemas';
import { createScratchDatabase, dropScratchDatabase } from './support/test-database';
import { createTestApp } from './support/test-app';

/*
 * STIX 2.1 and MISP exports of a request's indicators. Every document produced here is put before the
 * official schemas (../shared/reference): the OASIS STIX 2.1 JSON Schemas, and MISP's event schema
 * with its attribute type table. States: NRU files, MHL and SLB receive, FSM is a bystander.
 * CBM_INTEROP_SAMPLES_DIR=<folder>: also writes the demo request's bundle, event and the verdicts there.
 */

type StixObject = { type: string; id: string } & Record<string, unknown>;
type Bundle = { type: string; id: string; objects: StixObject[] };

interface ReceivedCall {
  headers: IncomingHttpHeaders;
  body: string;
}

async function startReceiver(): Promise<{ server: Server; url: string; calls: ReceivedCall[] }> {
  const calls: ReceivedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      calls.push({ headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') });
      outgoing.statusCode = 204;
      outgoing.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cbm`, calls };
}

/** Every indicator type the registry knows, as a CERT would report a botnet. */
const DEMO_INDICATORS = [
  { type: 'IPV4', value: '203.0.113.7' },
  { type: 'CIDR', value: '198.51.100.0/24' },
  { type: 'IPV6', value: '2001:db8::7' },
  { type: 'DOMAIN', value: 'c2.bad-actor.example' },
  { type: 'URL', value: 'https://c2.bad-actor.example/gate.php?id=7' },
  { type: 'EMAIL', value: 'invoice@bad-actor.example' },
  { type: 'ASN', value: 'AS64500' },
  { type: 'MD5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
  { type: 'SHA1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
  { type: 'SHA256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
];

/** The description is the one content no export carries. */
const demo = (overrides: Record<string, unknown> = {}) =>
  requestBody({
    recipients: ['MHL', 'SLB'],
    urgency: 'CRITICAL',
    description: 'SECRET-DESCRIPTION: the servers answer on port 8443 only.',
    indicators: DEMO_INDICATORS,
    tlp: 'AMBER',
    ...overrides,
  });

const TLP_AMBER = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  created: '2022-10-01T00:00:00.000Z',
  name: 'TLP:AMBER',
  extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'amber' } },
};

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const idOf = (type: string) => new RegExp(`^${type}--${UUID_V5.source.slice(1)}`);

/** A STIX pattern's string literal read back: the inverse of its escaping (`\'` and `\\`). */
function literalOf(pattern: string): string {
  const match = /^\[[a-z0-9-]+:[^ ]+ (?:=|ISSUBSET) '((?:[^'\\]|\\.)*)'\]$/.exec(pattern);
  if (!match) throw new Error(`Not a single comparison with a string literal: ${pattern}`);
  return match[1].replace(/\\(.)/g, '$1');
}

/** `1 identity, 2 file, …` in the order first met. */
function countsOf(types: string[]): string {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].map(([type, count]) => `${count} ${type}`).join(', ');
}

function expectValid(verdict: Verdict): void {
  expect(verdict.errors).toEqual([]);
  expect(verdict.valid).toBe(true);
}

describe('STIX 2.1 and MISP exports of a request', () => {
  let app: NestExpressApplication;
  /** A database of this file's own: its worker drains only the outbox this file wrote. */
  let databaseUrl: string;
  let worker: NotificationWorker;
  const http = () => request(app.getHttpServer());
  const users = {} as Record<'requester' | 'mhl' | 'slbViewer' | 'mhlAdmin' | 'slbAdmin' | 'fsm' | 'fsmAdmin' | 'secretariat', SignedIn & { id: string }>;
  const stix = stixBundleValidator();
  const misp = mispEventValidator();
  const samples: Record<string, string> = {};

  const file = async (body: object): Promise<FiledRequest> => (await postRequest(app, users.requester.auth, body).expect(201)).body;
  const exportOf = (id: string, format: string, auth: Record<string, string>) => http().get(`/api/v1/requests/${id}/indicators?format=${format}`).set(auth);
  const bundleOf = async (id: string, auth = users.requester.auth): Promise<Bundle> => JSON.parse((await exportOf(id, 'stix', auth).expect(200)).text);

  beforeAll(async () => {
    databaseUrl = await createScratchDatabase('interop');
    ({ app } = await createTestApp({ DATABASE_URL: databaseUrl, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', NOTIFICATION_RETRY_BASE_SECONDS: '0' }));
    worker = app.get(NotificationWorker);
    await participate(app, 'NRU', 'MHL', 'SLB', 'FSM');
    users.requester = await signedInUser(app, Role.STATE_OFFICER, 'NRU');
    users.mhl = await signedInUser(app, Role.STATE_OFFICER, 'MHL');
    users.mhlAdmin = await signedInUser(app, Role.STATE_ADMIN, 'MHL');
    users.slbViewer = await signedInUser(app, Role.STATE_VIEWER, 'SLB');
    users.slbAdmin = await signedInUser(app, Role.STATE_ADMIN, 'SLB');
    users.fsm = await signedInUser(app, Role.STATE_OFFICER, 'FSM');
    users.fsmAdmin = await signedInUser(app, Role.STATE_ADMIN, 'FSM');
    users.secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
  });
  afterAll(async () => {
    await app.close();
    await dropScratchDatabase(databaseUrl);
    const folder = process.env.CBM_INTEROP_SAMPLES_DIR;
    if (folder && Object.keys(samples).length > 0) {
      mkdirSync(folder, { recursive: true });
      for (const [name, text] of Object.entries(samples)) writeFileSync(path.join(folder, name), text);
    }
  });

  it('the judges judge: the schemas load, accept the OASIS examples and refuse broken documents', () => {
    expect(stix.schemaCount).toBe(57);
    const examples = path.join(REFERENCE_DIR, 'stix2-json-schemas/examples');
    const exampleBundles = readdirSync(examples)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(path.join(examples, name), 'utf8')))
      .filter((document) => document.type === 'bundle');
    expect(exampleBundles).toHaveLength(5);
    for (const example of exampleBundles) expectValid(stix.validate(example));
    const broken = { type: 'bundle', id: 'bundle--0b9f4a52-6d1e-4c3a-9f7e-2a8d5c1b3e70', objects: [{ type: 'indicator', spec_version: '2.1', id: 'indicator--0b9f4a52-6d1e-4c3a-9f7e-2a8d5c1b3e70', created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '198.51.100.7']", valid_from: '2026-12-01T00:00:00Z' }] };
    expect(stix.validate(broken).valid).toBe(false);
    expect(stix.validate({ ...broken, objects: [{ ...broken.objects[0], pattern_type: 'stix' }] }).valid).toBe(true);
    const event = { Event: { uuid: 'u', info: 'x', Attribute: [{ type: 'ip-dst', category: 'Network activity', value: '198.51.100.7', to_ids: true }] } };
    expect(misp.validate(event).valid).toBe(true);
    expect(misp.validate({ Event: { ...event.Event, colour: 'red' } }).valid).toBe(false);
    expect(misp.validate({ Event: { ...event.Event, Attribute: [{ ...event.Event.Attribute[0], category: 'Person' }] } }).errors).toEqual([
      '/Event/Attribute/0/category Person does not take ip-dst',
      "/Event/Attribute/0/category is not ip-dst's default, Network activity",
    ]);
    expect(misp.validate({ Event: { ...event.Event, Attribute: [{ ...event.Event.Attribute[0], type: 'ipv4' }] } }).valid).toBe(false);
  });

  it('exports a request as a STIX 2.1 bundle the official schemas accept: the State, one indicator and observable per indicator, a report, TLP everywhere; the same bytes twice', async () => {
    const filed = await file(demo());
    const first = await exportOf(filed.id, 'stix', users.requester.auth).expect(200);
    expect(first.headers['content-type']).toBe('application/stix+json;version=2.1');
    expect(first.headers['content-disposition']).toBe(`attachment; filename="${filed.reference}.stix.json"`);
    expect(first.headers['cache-control']).toBe('no-store');
    const second = await exportOf(filed.id, 'stix', users.requester.auth).expect(200);
    expect(second.text).toBe(first.text);

    const bundle: Bundle = JSON.parse(first.text);
    const verdict = stix.validate(bundle);
    expectValid(verdict);
    expect(bundle.id).toMatch(idOf('bundle'));
    const observableTypes = ['ipv4-addr', 'ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'autonomous-system', 'file', 'file', 'file'];
    expect(bundle.objects.map((object) => object.type)).toEqual([
      'marking-definition',
      'identity',
      ...observableTypes.flatMap((type) => ['indicator', type, 'relationship']),
      'report',
    ]);
    const [marking, identity, ...rest] = bundle.objects;
    const report = rest.pop()!;
    expect(marking).toEqual(TLP_AMBER);
    for (const object of bundle.objects.slice(1)) expect(object.object_marking_refs).toEqual([TLP_AMBER.id]);
    expect(identity).toEqual({
      type: 'identity',
      spec_version: '2.1',
      id: expect.stringMatching(idOf('identity')),
      created: filed.createdAt,
      modified: filed.createdAt,
      name: 'Nauru',
      identity_class: 'organization',
      sectors: ['government-national'],
      object_marking_refs: [TLP_AMBER.id],
    });
    expect(report).toEqual({
      type: 'report',
      spec_version: '2.1',
      id: expect.stringMatching(idOf('report')),
      created_by_ref: identity.id,
      created: filed.createdAt,
      modified: filed.createdAt,
      name: `${filed.reference}: Botnet command servers hosted in your territory`,
      lang: 'en',
      published: filed.createdAt,
      object_refs: [identity.id, ...rest.map((object) => object.id)],
      external_references: [{ source_name: 'cbm-registry', external_id: filed.reference }],
      object_marking_refs: [TLP_AMBER.id],
    });

    const indicators = rest.filter((object) => object.type === 'indicator');
    expect(indicators.map((indicator) => indicator.pattern)).toEqual([
      "[ipv4-addr:value = '203.0.113.7']",
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      "[ipv6-addr:value = '2001:db8::7']",
      "[domain-name:value = 'c2.bad-actor.example']",
      "[url:value = 'https://c2.bad-actor.example/gate.php?id=7']",
      "[email-addr:value = 'invoice@bad-actor.example']",
      '[autonomous-system:number = 64500]',
      "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    ]);
    for (const indicator of indicators) {
      expect(indicator).toMatchObject({ id: expect.stringMatching(idOf('indicator')), created_by_ref: identity.id, pattern_type: 'stix', pattern_version: '2.1', valid_from: '2026-11-20T08:00:00.000Z' });
    }
    // Each indicator, its observable, and the relationship saying one is based on the other.
    for (let index = 0; index < observableTypes.length; index++) {
      const [indicator, observable, relationship] = rest.slice(index * 3, index * 3 + 3);
      expect(observable.id).toMatch(idOf(observableTypes[index]));
      expect(relationship).toMatchObject({ relationship_type: 'based-on', source_ref: indicator.id, target_ref: observable.id, created_by_ref: identity.id });
    }
    expect(rest.find((object) => object.type === 'autonomous-system')).toMatchObject({ number: 64500 });
    expect(rest.filter((object) => object.type === 'file').map((object) => object.hashes)).toEqual([
      { MD5: 'd41d8cd98f00b204e9800998ecf8427e' },
      { 'SHA-1': 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      { 'SHA-256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    ]);
    expect(first.text).not.toContain('SECRET-DESCRIPTION');

    // The closing note's samples: this bundle, and the MISP event of the same request.
    const eventText = (await exportOf(filed.id, 'misp', users.requester.auth).expect(200)).text;
    const event = JSON.parse(eventText);
    const eventVerdict = misp.validate(event);
    expectValid(eventVerdict);
    expect((await exportOf(filed.id, 'misp', users.requester.auth).expect(200)).text).toBe(eventText);
    samples['bundle.json'] = `${JSON.stringify(bundle, null, 2)}\n`;
    samples['event.json'] = `${JSON.stringify(event, null, 2)}\n`;
    samples['verdicts.txt'] =
      `Request ${filed.reference} "${bundle.objects.at(-1)!.name as string}" filed by NRU (Nauru) to MHL and SLB, TLP:AMBER, urgency CRITICAL, ${DEMO_INDICATORS.length} indicators (every type).\n\n` +
      `bundle.json (GET /api/v1/requests/${filed.id}/indicators?format=stix, ${first.headers['content-type']}):\n` +
      `  ${verdict.valid ? 'VALID' : 'INVALID'} against the OASIS STIX 2.1 JSON Schemas (common/bundle.json with all ${stix.schemaCount} schema files, oasis-open/cti-stix2-json-schemas 3bf9e69), Ajv ${require('ajv/package.json').version} Ajv2020 + ajv-formats; ${verdict.errors.length} errors.\n` +
      `  ${bundle.objects.length} objects: ${countsOf(bundle.objects.map((object) => object.type))}.\n` +
      `  Exported twice: ${second.text === first.text ? 'byte-identical' : 'DIFFERENT'} (${first.text.length} bytes; pretty-printed in this file, served compact).\n\n` +
      `event.json (GET /api/v1/requests/${filed.id}/indicators?format=misp, application/json; charset=utf-8):\n` +
      `  ${eventVerdict.valid ? 'VALID' : 'INVALID'} against MISP's event schema misp/schema.json (format 2.4, the strict variant, draft-04; MISP/PyMISP 99a1c79) with ajv-draft-04, ` +
      `and every attribute's type, category and to_ids checked against misp/describeTypes.json (types, category_type_mappings, sane_defaults); ${eventVerdict.errors.length} errors.\n` +
      `  ${event.Event.Attribute.length} attributes (${countsOf(event.Event.Attribute.map((attribute: { type: string }) => attribute.type))}); Tag ${event.Event.Tag[0].name}; threat_level_id ${event.Event.threat_level_id} (urgency CRITICAL).\n` +
      `  Exported twice: byte-identical (${eventText.length} bytes; pretty-printed in this file, served compact).\n`;
  });

  it('exports the same request as a MISP event that MISP\'s schema and type table accept; the same bytes twice', async () => {
    const filed = await file(demo());
    const first = await exportOf(filed.id, 'misp', users.requester.auth).expect(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['content-disposition']).toBe(`attachment; filename="${filed.reference}.misp.json"`);
    const second = await exportOf(filed.id, 'misp', users.requester.auth).expect(200);
    expect(second.text).toBe(first.text);

    const event = JSON.parse(first.text);
    const verdict = misp.validate(event);
    expectValid(verdict);
    const attribute = (type: string, category: string, value: string, toIds = true) => ({
      uuid: expect.stringMatching(UUID_V5),
      type,
      category,
      value,
      to_ids: toIds,
      distribution: '5',
      timestamp: String(Math.floor(Date.parse(filed.createdAt) / 1000)),
    });
    expect(event).toEqual({
      Event: {
        uuid: expect.stringMatching(UUID_V5),
        info: `${filed.reference}: Botnet command servers hosted in your territory`,
        date: '2026-11-20',
        threat_level_id: '1',
        analysis: '0',
        distribution: '0',
        published: false,
        timestamp: String(Math.floor(Date.parse(filed.createdAt) / 1000)),
        Orgc: { uuid: expect.stringMatching(UUID_V5), name: 'Nauru' },
        Attribute: [
          attribute('ip-dst', 'Network activity', '203.0.113.7'),
          attribute('ip-dst', 'Network activity', '198.51.100.0/24'),
          attribute('ip-dst', 'Network activity', '2001:db8::7'),
          attribute('domain', 'Network activity', 'c2.bad-actor.example'),
          attribute('url', 'Network activity', 'https://c2.bad-actor.example/gate.php?id=7'),
          attribute('email-src', 'Payload delivery', 'invoice@bad-actor.example'),
          attribute('AS', 'Network activity', '64500', false),
          attribute('md5', 'Payload delivery', 'd41d8cd98f00b204e9800998ecf8427e'),
          attribute('sha1', 'Payload delivery', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'),
          attribute('sha256', 'Payload delivery', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
        ],
        Tag: [{ name: 'tlp:amber' }],
      },
    });
    expect(new Set(event.Event.Attribute.map((entry: { uuid: string }) => entry.uuid)).size).toBe(DEMO_INDICATORS.length);
    expect(first.text).not.toContain('SECRET-DESCRIPTION');
    // Another request of the same State: another event, the same organisation.
    const other = JSON.parse((await exportOf((await file(demo())).id, 'misp', users.requester.auth).expect(200)).text);
    expect(other.Event.uuid).not.toBe(event.Event.uuid);
    expect(other.Event.Orgc).toEqual(event.Event.Orgc);

  });

  it('is for the parties only: requester, recipients (users of every role, keys) get the same document; another State, the secretariat and a wrong id 404', async () => {
    const filed = await file(demo());
    const key = await createApiKey(app, users.slbAdmin.auth, { permissions: ['request:read'] });
    const directoryKey = await createApiKey(app, users.slbAdmin.auth, { permissions: ['directory:read'] });
    for (const format of ['stix', 'misp']) {
      const reference = (await exportOf(filed.id, format, users.requester.auth).expect(200)).text;
      for (const party of [users.mhl.auth, users.slbViewer.auth, users.mhlAdmin.auth, { 'X-API-Key': key.key }]) {
        expect((await exportOf(filed.id, format, party).expect(200)).text).toBe(reference);
      }
      for (const outsider of [users.fsm.auth, users.fsmAdmin.auth, users.secretariat.auth]) {
        const refused = await exportOf(filed.id, format, outsider).expect(404);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(refused.text).not.toContain('203.0.113.7');
      }
      await exportOf('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', format, users.requester.auth).expect(404);
      await exportOf('not-a-uuid', format, users.requester.auth).expect(400);
      await exportOf(filed.id, format, { 'X-API-Key': directoryKey.key }).expect(403);
    }
    for (const query of ['?format=csv', '?format=STIX', '', '?format=stix&format=misp']) {
      const refused = await http().get(`/api/v1/requests/${filed.id}/indicators${query}`).set(users.requester.auth).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    }
  });

  it('links a party\'s view of the request to both exports; the secretariat\'s metadata has no links', async () => {
    const filed = await file(demo());
    const links = { stix: `/api/v1/requests/${filed.id}/indicators?format=stix`, misp: `/api/v1/requests/${filed.id}/indicators?format=misp` };
    expect(filed.links).toEqual(links);
    expect((await http().get(`/api/v1/requests/${filed.id}`).set(users.requester.auth).expect(200)).body.links).toEqual(links);
    expect((await http().get(`/api/v1/requests/${filed.id}`).set(users.slbViewer.auth).expect(200)).body.links).toEqual(links);
    const listed = await http().get('/api/v1/requests?direction=incoming&limit=200').set(users.mhl.auth).expect(200);
    expect(listed.body.items.find((item: { id: string }) => item.id === filed.id).links).toEqual(links);
    const metadata = await http().get(`/api/v1/requests/${filed.id}`).set(users.secretariat.auth).expect(200);
    expect(metadata.body).not.toHaveProperty('links');
    const adminList = await http().get('/api/v1/requests?limit=200').set(users.secretariat.auth).expect(200);
    expect(adminList.body.items.find((item: { id: string }) => item.id === filed.id)).not.toHaveProperty('links');
    // The links lead where they say.
    const followed = await http().get(links.misp).set(users.mhl.auth).expect(200);
    expect(JSON.parse(followed.text).Event.info).toBe(`${filed.reference}: Botnet command servers hosted in your territory`);
  });

  it.each([
    ['CLEAR', 'ROUTINE', 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'TLP:CLEAR', 'clear', 'tlp:clear', '3'],
    ['GREEN', 'PRIORITY', 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'TLP:GREEN', 'green', 'tlp:green', '2'],
    ['AMBER', 'URGENT', 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'TLP:AMBER', 'amber', 'tlp:amber', '1'],
    ['AMBER+STRICT', 'CRITICAL', 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'TLP:AMBER+STRICT', 'amber+strict', 'tlp:amber+strict', '1'],
    ['RED', 'ROUTINE', 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', 'TLP:RED', 'red', 'tlp:red', '3'],
  ])('TLP:%s, %s: the TLP 2.0 marking on every object, the MISP tag and threat level', async (tlp, urgency, markingId, name, level, tag, threatLevel) => {
    const filed = await file(demo({ tlp, urgency, indicators: [{ type: 'DOMAIN', value: `${level.replace('+', '-')}.bad-actor.example` }] }));
    const bundle = await bundleOf(filed.id);
    expectValid(stix.validate(bundle));
    expect(bundle.objects[0]).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: markingId,
      created: '2022-10-01T00:00:00.000Z',
      name,
      extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: level } },
    });
    expect(bundle.objects.filter((object) => object.type === 'marking-definition')).toHaveLength(1);
    for (const object of bundle.objects.slice(1)) expect(object.object_marking_refs).toEqual([markingId]);
    const event = JSON.parse((await exportOf(filed.id, 'misp', users.mhl.auth).expect(200)).text);
    expectValid(misp.validate(event));
    expect(event.Event.Tag).toEqual([{ name: tag }]);
    expect(event.Event.threat_level_id).toBe(threatLevel);
  });

  it('a request without indicators: a valid bundle with the State and the report only, and an event without attributes', async () => {
    const filed = await file(demo({ indicators: [], incidentStart: undefined }));
    const bundle = await bundleOf(filed.id);
    expectValid(stix.validate(bundle));
    expect(bundle.objects.map((object) => object.type)).toEqual(['marking-definition', 'identity', 'report']);
    expect(bundle.objects[2].object_refs).toEqual([bundle.objects[1].id]);
    const event = JSON.parse((await exportOf(filed.id, 'misp', users.requester.auth).expect(200)).text);
    expectValid(misp.validate(event));
    expect(event.Event.Attribute).toEqual([]);
    // Without an incident start, the filing dates the event.
    expect(event.Event.date).toBe(filed.createdAt.slice(0, 10));
  });

  it('hostile values: quotes and backslashes are escaped in patterns (read back exactly), observables stay valid URIs, MISP keeps the value as filed', async () => {
    const hostile = [
      { type: 'URL', value: "https://x.example/a'b\\c" },
      { type: 'URL', value: "https://x.example/?q=']+OR+[ipv4-addr:value+=+'10.0.0.1" },
      { type: 'URL', value: 'https://x.example/"quoted"\\\\' },
      { type: 'EMAIL', value: "o'brien@bad-actor.example" },
    ];
    const filed = await file(demo({ indicators: hostile }));
    const bundle = await bundleOf(filed.id, users.mhl.auth);
    expectValid(stix.validate(bundle));
    const patterns = bundle.objects.filter((object) => object.type === 'indicator').map((object) => object.pattern as string);
    expect(patterns).toEqual([
      "[url:value = 'https://x.example/a\\'b\\\\c']",
      "[url:value = 'https://x.example/?q=\\']+OR+[ipv4-addr:value+=+\\'10.0.0.1']",
      "[url:value = 'https://x.example/\"quoted\"\\\\\\\\']",
      "[email-addr:value = 'o\\'brien@bad-actor.example']",
    ]);
    expect(patterns.map(literalOf)).toEqual(hostile.map((indicator) => indicator.value));
    expect(bundle.objects.filter((object) => object.type === 'url' || object.type === 'email-addr').map((object) => object.value)).toEqual([
      "https://x.example/a'b%5Cc",
      "https://x.example/?q='%5D+OR+%5Bipv4-addr:value+=+'10.0.0.1",
      'https://x.example/%22quoted%22%5C%5C',
      "o'brien@bad-actor.example",
    ]);
    const event = JSON.parse((await exportOf(filed.id, 'misp', users.requester.auth).expect(200)).text);
    expectValid(misp.validate(event));
    expect(event.Event.Attribute.map((entry: { value: string }) => entry.value)).toEqual(hostile.map((indicator) => indicator.value));
  });

  it('webhooks: one that asks gets the bundle (as its State, a recipient, reads it) with request.created; one that does not gets no contents; a bystander State nothing', async () => {
    // The requests the earlier tests filed are fanned out first: a webhook hears of events after it exists.
    await worker.drain();
    const refused = await http().post('/api/v1/webhooks').set(users.mhlAdmin.auth).send(webhookBody({ attachStix: 'yes' })).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'attachStix' })]);
    const withStix = await startReceiver();
    const without = await startReceiver();
    const bystander = await startReceiver();
    const hooks: Array<{ id: string; auth: Record<string, string> }> = [];
    try {
      const attaching = await createWebhook(app, users.mhlAdmin.auth, { url: withStix.url, attachStix: true });
      hooks.push({ id: attaching.webhook.id, auth: users.mhlAdmin.auth });
      expect(attaching.webhook.attachStix).toBe(true);
      const plain = await createWebhook(app, users.slbAdmin.auth, { url: without.url });
      hooks.push({ id: plain.webhook.id, auth: users.slbAdmin.auth });
      expect(plain.webhook.attachStix).toBe(false);
      const outsider = await createWebhook(app, users.fsmAdmin.auth, { url: bystander.url, attachStix: true });
      hooks.push({ id: outsider.webhook.id, auth: users.fsmAdmin.auth });
      expect((await http().get('/api/v1/webhooks').set(users.mhlAdmin.auth).expect(200)).body.items.find((hook: { id: string }) => hook.id === attaching.webhook.id).attachStix).toBe(true);

      const filed = await file(demo());
      await worker.drain();

      const attached = withStix.calls.filter((call) => call.headers['x-cbm-event'] === 'request.created');
      expect(attached).toHaveLength(1);
      expect(verifyWebhookSignature(attaching.secret, attached[0].headers['x-cbm-signature'] as string, attached[0].body)).toBe(true);
      const delivery = JSON.parse(attached[0].body);
      expect(delivery).toMatchObject({ type: 'request.created', state: 'MHL', data: { requestId: filed.id, reference: filed.reference } });
      expectValid(stix.validate(delivery.stix));
      expect(JSON.stringify(delivery.stix)).toBe((await exportOf(filed.id, 'stix', users.mhl.auth).expect(200)).text);
      expect(attached[0].body).not.toContain('SECRET-DESCRIPTION');

      const unattached = without.calls.filter((call) => call.headers['x-cbm-event'] === 'request.created');
      expect(unattached).toHaveLength(1);
      expect(JSON.parse(unattached[0].body)).toMatchObject({ type: 'request.created', state: 'SLB', data: { requestId: filed.id } });
      expect(JSON.parse(unattached[0].body)).not.toHaveProperty('stix');
      expect(unattached[0].body).not.toContain('203.0.113.7');
      expect(bystander.calls).toHaveLength(0);

      // Only request.created carries it: a ping to the same webhook does not.
      withStix.calls.length = 0;
      await http().post(`/api/v1/webhooks/${attaching.webhook.id}/ping`).set(users.mhlAdmin.auth).expect(202);
      await worker.drain();
      expect(withStix.calls.map((call) => call.headers['x-cbm-event'])).toEqual(['webhook.ping']);
      expect(JSON.parse(withStix.calls[0].body)).not.toHaveProperty('stix');
    } finally {
      for (const hook of hooks) await http().delete(`/api/v1/webhooks/${hook.id}`).set(hook.auth).expect(204);
      for (const receiver of [withStix, without, bystander]) receiver.server.close();
    }
  });
});
