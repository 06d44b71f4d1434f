import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { generateKey } from 'openpgp';
import request from 'supertest';
import { ContactKind, PrismaService, Role } from '@cbm/database';
import { createApiKey } from './fixtures/api-key.fixture';
import { participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

function contact(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'TECHNICAL',
    name: 'Duty officer',
    organisation: 'National CERT',
    emails: ['duty@cert.example'],
    phones: [{ number: '+92 51 9201234', label: '24x7' }],
    available24x7: true,
    hours: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:00', to: '17:00' }],
    timeZone: 'Asia/Karachi',
    languages: ['en', 'UR'],
    ...overrides,
  };
}

describe('Directory: contacts', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  let officerA: Awaited<ReturnType<typeof signedInUser>>;
  let officerB: Awaited<ReturnType<typeof signedInUser>>;
  let viewerA: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'PAK', 'SWE', 'IND');
    officerA = await signedInUser(app, Role.STATE_OFFICER, 'PAK');
    officerB = await signedInUser(app, Role.STATE_OFFICER, 'SWE');
    viewerA = await signedInUser(app, Role.STATE_VIEWER, 'PAK');
  });
  afterAll(() => app.close());

  it('creates a contact of the caller\'s State with normalised phones and an ETag; every State can read it', async () => {
    const { publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'duty@cert.example' }], keyExpirationTime: 10 * 86_400, format: 'armored' });
    const created = await http().post('/api/v1/contacts').set(officerA.auth).send(contact({ pgpKey: publicKey })).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      stateCode: 'PAK',
      phones: [{ number: '+92519201234', label: '24x7' }],
      languages: ['en', 'ur'],
      status: 'ACTIVE',
      stale: true,
      lastVerifiedAt: null,
      version: 1,
      pgpKey: { fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/), expiresSoon: true },
    });
    const read = await http().get(`/api/v1/contacts/${created.body.id}`).set(officerB.auth).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body.name).toBe('Duty officer');
  });

  it.each([
    ['emails', { emails: ['not-an-email'] }],
    ['emails', { emails: [] }],
    ['phones.0.number', { phones: [{ number: '0300 1234567', label: 'mobile' }] }],
    ['phones.0.number', { phones: [{ number: '+1 555 0100', label: 'office' }] }],
    ['phones.0.label', { phones: [{ number: '+92 51 9201234', label: 'pager' }] }],
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['languages', { languages: ['xx'] }],
    ['languages', { languages: [] }],
    ['hours.0.from', { hours: [{ days: ['MON'], from: '25:00', to: '17:00' }] }],
    ['stateCode', { stateCode: 'SWE' }],
    ['pgpKey', { pgpKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\ngarbage\n-----END PGP PUBLIC KEY BLOCK-----' }],
  ])('refuses a bad %s with 400 naming it, storing nothing', async (field, overrides) => {
    const before = await prisma.contact.count();
    const response = await http().post('/api/v1/contacts').set(officerA.auth).send(contact(overrides)).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await prisma.contact.count()).toBe(before);
  });

  it('refuses private and expired PGP keys', async () => {
    const { privateKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'x@cert.example' }], format: 'armored' });
    const expired = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: 'y@cert.example' }],
      date: new Date(Date.now() - 10 * 86_400_000),
      keyExpirationTime: 86_400,
      format: 'armored',
    });
    for (const pgpKey of [privateKey, expired.publicKey]) {
      const response = await http().post('/api/v1/contacts').set(officerA.auth).send(contact({ pgpKey })).expect(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'pgpKey' })]);
    }
  });

  it('changes only with the current ETag: a stale If-Match gets 412 and changes nothing', async () => {
    const created = await http().post('/api/v1/contacts').set(officerA.auth).send(contact({ name: 'Policy lead' })).expect(201);
    const id = created.body.id;
    const missing = await http().patch(`/api/v1/contacts/${id}`).set(officerA.auth).send({ title: 'Director' }).expect(428);
    expect(missing.body.code).toBe('PRECONDITION_REQUIRED');

    const first = await http().patch(`/api/v1/contacts/${id}`).set(officerA.auth).set('If-Match', '"1"').send({ title: 'Director' }).expect(200);
    expect(first.headers.etag).toBe('"2"');
    const staleWrite = await http().patch(`/api/v1/contacts/${id}`).set(officerA.auth).set('If-Match', '"1"').send({ title: 'Deputy' }).expect(412);
    expect(staleWrite.body.code).toBe('PRECONDITION_FAILED');
    expect((await prisma.contact.findUniqueOrThrow({ where: { id } })).title).toBe('Director');

    const cleared = await http().patch(`/api/v1/contacts/${id}`).set(officerA.auth).set('If-Match', '"2"').send({ name: null }).expect(400);
    expect(cleared.body.errors).toEqual([{ field: 'name', message: 'cannot be cleared' }]);
  });

  it('another State cannot change, deactivate or verify an entry (404); a viewer cannot write (403)', async () => {
    const created = await http().post('/api/v1/contacts').set(officerA.auth).send(contact({ name: 'Ambassador' })).expect(201);
    const id = created.body.id;
    await http().patch(`/api/v1/contacts/${id}`).set(officerB.auth).set('If-Match', '"1"').send({ title: 'Hijacked' }).expect(404);
    await http().delete(`/api/v1/contacts/${id}`).set(officerB.auth).expect(404);
    await http().post(`/api/v1/contacts/${id}/verify`).set(officerB.auth).expect(404);
    await http().patch(`/api/v1/contacts/${id}`).set(viewerA.auth).set('If-Match', '"1"').send({ title: 'Viewer' }).expect(403);
    await http().post('/api/v1/contacts').set(viewerA.auth).send(contact()).expect(403);
    const stored = await prisma.contact.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ title: null, status: 'ACTIVE', lastVerifiedAt: null, version: 1 });
  });

  it('verifies in one statement: the bounce cleared, a revision and an audit event like any change, If-Match optional but kept', async () => {
    const created = await http().post('/api/v1/contacts').set(officerA.auth).send(contact({ name: 'Verified in one go' })).expect(201);
    const id: string = created.body.id;
    const bouncedAt = new Date('2026-11-30T08:00:00.123Z');
    await prisma.contact.update({ where: { id }, data: { deliveryFailedAt: bouncedAt } });
    await http().post(`/api/v1/contacts/${id}/verify`).set(officerA.auth).set('If-Match', '"7"').expect(412);
    await http().post(`/api/v1/contacts/${id}/verify`).set(officerA.auth).set('If-Match', 'not an etag').expect(412);
    // The test's own update did not bump the version, so the ETag of creation still holds.
    const verified = await http().post(`/api/v1/contacts/${id}/verify`).set(officerA.auth).set('If-Match', '"1"').expect(200);
    expect(verified.headers.etag).toBe('"2"');
    expect(verified.body).toMatchObject({ version: 2, stale: false, deliveryFailedAt: null });
    // Without If-Match, a change in between does not refuse it.
    await http().patch(`/api/v1/contacts/${id}`).set(officerA.auth).set('If-Match', '"2"').send({ title: 'Changed meanwhile' }).expect(200);
    const again = await http().post(`/api/v1/contacts/${id}/verify`).set(officerA.auth).expect(200);
    expect(again.body).toMatchObject({ version: 4, title: 'Changed meanwhile' });

    const history = (await http().get(`/api/v1/contacts/${id}/history`).set(officerA.auth).expect(200)).body.items;
    expect(history[1]).toMatchObject({
      version: 2,
      action: 'verified',
      actorUserId: officerA.id,
      changes: { lastVerifiedAt: { before: null, after: verified.body.lastVerifiedAt }, deliveryFailedAt: { before: bouncedAt.toISOString(), after: null } },
    });
    expect(Object.keys(history[3].changes)).toEqual(['lastVerifiedAt']);
    const events = await prisma.auditEvent.findMany({ where: { entityId: id, action: 'contact.verified' }, orderBy: { seq: 'asc' } });
    expect(events.map((event) => event.summary)).toEqual([history[1].changes, history[3].changes]);
    expect(events[0]).toMatchObject({ actorUserId: officerA.id, actorStateCode: 'PAK', stateCode: 'PAK', entityType: 'contact' });
    expect(await prisma.auditJournalEntry.count({ where: { entityId: id } })).toBe(0);
  });

  it('keeps a history of every revision, verification and deactivation', async () => {
    const created = await http().post('/api/v1/contacts').set(officerA.auth).send(contact({ name: 'Technical lead' })).expect(201);
    const id = created.body.id;
    await http().patch(`/api/v1/contacts/${id}`).set(officerA.auth).set('If-Match', '"1"').send({ emails: ['lead@cert.example'] }).expect(200);
    const verified = await http().post(`/api/v1/contacts/${id}/verify`).set(officerA.auth).expect(200);
    expect(verified.body).toMatchObject({ stale: false, version: 3 });
    await http().delete(`/api/v1/contacts/${id}`).set(officerA.auth).set('If-Match', '"3"').expect(200);

    const history = await http().get(`/api/v1/contacts/${id}/history`).set(officerB.auth).expect(200);
    expect(history.body.items.map((revision: { version: number; action: string }) => [revision.version, revision.action])).toEqual([
      [1, 'created'],
      [2, 'updated'],
      [3, 'verified'],
      [4, 'deactivated'],
    ]);
    expect(history.body.items[1]).toMatchObject({
      actorUserId: officerA.id,
      changes: { emails: { before: ['duty@cert.example'], after: ['lead@cert.example'] } },
    });
    expect(Object.keys(history.body.items[1].changes)).toEqual(['emails']);

    const active = await http().get('/api/v1/contacts?state=PAK&limit=200').set(viewerA.auth).expect(200);
    expect(active.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
    const inactive = await http().get('/api/v1/contacts?state=PAK&status=INACTIVE').set(viewerA.auth).expect(200);
    expect(inactive.body.items.map((item: { id: string }) => item.id)).toContain(id);
    expect(await prisma.auditEvent.count({ where: { entityType: 'contact', entityId: id } })).toBe(4);
  });

  it('a State\'s API key with directory:write maintains its State\'s entries', async () => {
    const admin = await signedInUser(app, Role.STATE_ADMIN, 'SWE');
    const apiKey = await createApiKey(app, admin.auth, { name: 'CERT sync', permissions: ['directory:read', 'directory:write'] });
    const created = await http().post('/api/v1/contacts').set('X-API-Key', apiKey.key).send(contact({ name: 'CERT-SE duty desk', timeZone: 'Europe/Stockholm', languages: ['sv', 'en'] })).expect(201);
    expect(created.body.stateCode).toBe('SWE');
    const history = await http().get(`/api/v1/contacts/${created.body.id}/history`).set('X-API-Key', apiKey.key).expect(200);
    expect(history.body.items[0]).toMatchObject({ actorUserId: null, actorApiKeyId: apiKey.id });
  });

  describe('a seeded set of 1,000 entries', () => {
    const kinds = [ContactKind.DIPLOMATIC, ContactKind.POLICY, ContactKind.TECHNICAL];
    beforeAll(async () => {
      await prisma.contact.createMany({
        data: Array.from({ length: 1000 }, (_, index) => ({
          id: randomUUID(),
          stateCode: 'IND',
          kind: kinds[index % 3],
          // Duplicate names on purpose: the keyset must order by (name, id).
          name: `Contact ${String(index % 400).padStart(3, '0')}`,
          organisation: index % 10 === 0 ? `Ministry ${index} 50%_off` : `Agency ${index}`,
          emails: [`c${index}@ind.example`],
          phones: [],
          available24x7: index % 2 === 0,
          timeZone: 'Asia/Kolkata',
          languages: index % 4 === 0 ? ['hi', 'en'] : ['en'],
          lastVerifiedAt: index % 5 === 0 ? new Date() : null,
        })),
      });
    });

    async function walk(query: string, limit: number): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const response: request.Response = await http()
          .get(`/api/v1/contacts?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
          .set(viewerA.auth)
          .expect(200);
        ids.push(...response.body.items.map((item: { id: string }) => item.id));
        cursor = response.body.nextCursor;
      } while (cursor);
      return ids;
    }

    it('cursor pagination walks all of them without duplicates or gaps', async () => {
      const ids = await walk('state=IND', 37);
      expect(ids).toHaveLength(1000);
      expect(new Set(ids).size).toBe(1000);
    });

    it.each([
      ['kind=POLICY', { kind: ContactKind.POLICY }],
      ['language=hi', { languages: { has: 'hi' } }],
      ['available24x7=true', { available24x7: true }],
      ['stale=false', { lastVerifiedAt: { not: null } }],
      ['region=ASIA_PACIFIC', {}],
    ])('filter %s matches the database, page by page', async (query, where) => {
      const ids = await walk(`state=IND&${query}`, 50);
      const expected = await prisma.contact.count({ where: { stateCode: 'IND', status: 'ACTIVE', ...where } });
      expect(ids).toHaveLength(expected);
      expect(new Set(ids).size).toBe(expected);
    });

    it('searches names and organisations case-insensitively, with % and _ taken literally', async () => {
      const byName = await walk('state=IND&q=contact%20012', 200);
      expect(byName.length).toBe(await prisma.contact.count({ where: { stateCode: 'IND', name: 'Contact 012' } }));
      const literal = await walk(`state=IND&q=${encodeURIComponent('50%_OFF')}`, 200);
      expect(literal).toHaveLength(100);
      const wildcard = await walk(`state=IND&q=${encodeURIComponent('%')}`, 200);
      expect(wildcard).toHaveLength(100);
    });

    it('takes _ literally too, and lets the secretariat read the directory', async () => {
      // One of the shared seeded entries, changed for this test only and put back after.
      const changed = await prisma.contact.findFirstOrThrow({ where: { stateCode: 'IND', organisation: { contains: '50%_off' } } });
      await prisma.contact.update({ where: { id: changed.id }, data: { organisation: 'Ministry 50%xoff' } });
      try {
        const literal = await walk(`state=IND&q=${encodeURIComponent('50%_off')}`, 200);
        expect(literal).toHaveLength(99);
        expect(literal).not.toContain(changed.id);
      } finally {
        await prisma.contact.update({ where: { id: changed.id }, data: { organisation: changed.organisation } });
      }
      const secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
      const page = await http().get('/api/v1/contacts?state=IND&limit=5').set(secretariat.auth).expect(200);
      expect(page.body.items).toHaveLength(5);
      await http().get('/api/v1/certs?limit=5').set(secretariat.auth).expect(200);
    });

    it('refuses a forged cursor, a NUL byte and an overlong page with 400', async () => {
      await http().get('/api/v1/contacts?q=%00').set(viewerA.auth).expect(400);
      const dashes = Buffer.from(JSON.stringify(['Contact 001', '-'.repeat(36)])).toString('base64url');
      await http().get(`/api/v1/contacts?cursor=${dashes}`).set(viewerA.auth).expect(400);
      const response = await http().get('/api/v1/contacts?cursor=bm90LWEtY3Vyc29y').set(viewerA.auth).expect(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
      await http().get('/api/v1/contacts?limit=201').set(viewerA.auth).expect(400);
    });
  });
});
