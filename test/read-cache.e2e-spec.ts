import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { RegistryReadCache } from '../apps/api/src/caching/registry-read-cache';
import { createDisclosure } from './fixtures/disclosure.fixture';
import { createContact, participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

/**
 * The list routes' answers are cached per process, keyed by the registry's data version read with
 * the credential. What must hold: a change is seen by the very next request, also when another
 * process (here: SQL on another connection) made it; a reader never gets an answer cached for
 * another reader who may see more; the credential and permission are checked on every hit.
 */
describe('Read cache of the list routes', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let cache: RegistryReadCache;
  const http = () => request(app.getHttpServer());
  let viewerA: Awaited<ReturnType<typeof signedInUser>>;
  let ownerB: Awaited<ReturnType<typeof signedInUser>>;
  let viewerC: Awaited<ReturnType<typeof signedInUser>>;
  let viewerD: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    cache = app.get(RegistryReadCache);
    await participate(app, 'FJI', 'TON', 'WSM', 'VUT');
    viewerA = await signedInUser(app, Role.STATE_VIEWER, 'FJI');
    ownerB = await signedInUser(app, Role.STATE_OFFICER, 'TON');
    viewerC = await signedInUser(app, Role.STATE_VIEWER, 'WSM');
    viewerD = await signedInUser(app, Role.STATE_VIEWER, 'VUT');
    await createContact(app, 'FJI', { name: 'Cache contact one' });
  });
  afterAll(() => app.close());

  const listFji = (auth: Record<string, string>) => http().get('/api/v1/contacts').query({ state: 'FJI', limit: 50 }).set(auth);

  it('answers a repeated list from the cache, byte for byte, with an ETag and 304 for a matching If-None-Match', async () => {
    const first = await listFji(viewerA.auth).expect(200);
    const size = cache.size;
    const second = await listFji(viewerA.auth).expect(200);
    expect(cache.size).toBe(size);
    expect(second.text).toBe(first.text);
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(second.headers['cache-control']).toBe('private, no-cache');
    expect(second.headers.etag).toBe(first.headers.etag);
    const notModified = await listFji(viewerA.auth).set('If-None-Match', first.headers.etag).expect(304);
    expect(notModified.text).toBe('');
  });

  const namesOf = (response: request.Response) => response.body.items.map((item: { name: string }) => item.name) as string[];

  it('shows a change made through the API at the next request, with a new ETag', async () => {
    const before = await listFji(viewerA.auth).expect(200);
    const created = await prisma.contact.create({
      data: { stateCode: 'FJI', kind: 'POLICY', name: 'Cache contact two', emails: ['two@fji.example'], phones: [], timeZone: 'UTC', languages: ['en'] },
    });
    try {
      const after = await listFji(viewerA.auth).expect(200);
      expect(namesOf(after)).toEqual([...namesOf(before), 'Cache contact two'].sort());
      expect(after.headers.etag).not.toBe(before.headers.etag);
      await listFji(viewerA.auth).set('If-None-Match', before.headers.etag).expect(200);
    } finally {
      await prisma.contact.delete({ where: { id: created.id } });
    }
  });

  it('shows a change another process made in SQL, and a deletion, at the next request', async () => {
    const before = namesOf(await listFji(viewerA.auth).expect(200));
    await prisma.contact.create({
      data: { stateCode: 'FJI', kind: 'POLICY', name: 'Cache contact three', emails: ['three@fji.example'], phones: [], timeZone: 'UTC', languages: ['en'] },
    });
    expect(namesOf(await listFji(viewerA.auth).expect(200))).toContain('Cache contact three');
    await prisma.$executeRaw`UPDATE "contact" SET "name" = 'Renamed elsewhere' WHERE "name" = 'Cache contact three'`;
    expect(namesOf(await listFji(viewerA.auth).expect(200))).toContain('Renamed elsewhere');
    await prisma.$executeRaw`DELETE FROM "contact" WHERE "name" = 'Renamed elsewhere'`;
    expect(namesOf(await listFji(viewerA.auth).expect(200))).toEqual(before);
  });

  it('keeps disclosures per reader: the same URL never answers one State with what only another may see', async () => {
    await createDisclosure(
      app,
      ownerB.auth,
      { title: 'Shared with Samoa only', summary: 'For one State.', body: 'cachemarker', sectors: ['ENERGY'], tlp: 'AMBER', audience: 'SELECTED_STATES', selectedStates: ['WSM'] },
      'PUBLISHED',
    );
    const url = '/api/v1/disclosures?state=TON';
    const titles = async (auth: Record<string, string>) => (await http().get(url).set(auth).expect(200)).body.items.map((item: { title: string }) => item.title);
    // Each reader twice, so every second answer is a cache hit for that reader.
    for (let round = 0; round < 2; round++) {
      expect(await titles(viewerC.auth)).toEqual(['Shared with Samoa only']);
      expect(await titles(viewerD.auth)).toEqual([]);
      expect(await titles(ownerB.auth)).toEqual(['Shared with Samoa only']);
      expect(await titles(viewerA.auth)).toEqual([]);
    }
  });

  it('bumps the version at COMMIT, once per transaction: two writers of the listed tables do not deadlock on it', async () => {
    const contact = await createContact(app, 'VUT', { name: 'Deadlock probe' });
    const cert = await prisma.cert.create({ data: { stateCode: 'VUT', name: 'Deadlock probe CERT', type: 'NATIONAL', emails: ['probe@vut.example'], timeZone: 'UTC', languages: ['en'] } });
    const versionOf = async () => (await prisma.registryVersion.findFirstOrThrow()).version;
    const before = await versionOf();
    const [first, second] = [await prisma.pool.connect(), await prisma.pool.connect()];
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await first.query(`UPDATE "contact" SET "notes" = 'first' WHERE "id" = $1`, [contact.id]);
      await second.query(`UPDATE "cert" SET "notes" = 'second' WHERE "id" = $1`, [cert.id]);
      // Waits for the second writer's row; bumped per statement, the second would now wait for the
      // version row the first holds, and PostgreSQL would break the deadlock by failing one of them.
      const firstWaits = first.query(`UPDATE "cert" SET "notes" = 'first' WHERE "id" = $1`, [cert.id]);
      await second.query('COMMIT');
      await firstWaits;
      await first.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }
    expect(await versionOf()).toBe(before + 2n);
    expect((await prisma.cert.findUniqueOrThrow({ where: { id: cert.id } })).notes).toBe('first');
  });

  it('checks the credential on every hit: a revoked session gets 401 where its answer is cached', async () => {
    const reader = await signedInUser(app, Role.STATE_VIEWER, 'FJI');
    await listFji(reader.auth).expect(200);
    await prisma.session.updateMany({ where: { userId: reader.id }, data: { revokedAt: new Date() } });
    await listFji(reader.auth).expect(401);
    // The same answer is still served to a caller whose credential holds.
    await listFji(viewerA.auth).expect(200);
  });
});
