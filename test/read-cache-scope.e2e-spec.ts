import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { RegistryReadCache } from '../apps/api/src/caching/registry-read-cache';
import { ContactsRepository } from '../apps/api/src/directory/contacts/contacts.repository';
import { DisclosuresService } from '../apps/api/src/disclosures/disclosures.service';
import { createDisclosure } from './fixtures/disclosure.fixture';
import { createContact, participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

/**
 * A committed change drops only the cached answers it can alter: those whose scope (table and
 * State) it touched. Every change here is made in SQL on another connection, as another API process
 * would make it; whether an answer came from the cache is seen by counting the reads that reach the
 * repository (or, for disclosures, the service).
 */
describe('Read cache: a change drops only the answers it can alter', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let cache: RegistryReadCache;
  let contactReads: jest.SpyInstance;
  let disclosureReads: jest.SpyInstance;
  let viewer: Awaited<ReturnType<typeof signedInUser>>;
  let owner: Awaited<ReturnType<typeof signedInUser>>;
  let kiribatiContactId: string;
  let nauruContactId: string;
  const http = () => request(app.getHttpServer());
  const list = (query: Record<string, string | number>) => http().get('/api/v1/contacts').query(query).set(viewer.auth).expect(200);
  const names = (response: request.Response) => response.body.items.map((item: { name: string }) => item.name) as string[];
  const currentVersion = async () => (await prisma.registryVersion.findFirstOrThrow()).version;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    cache = app.get(RegistryReadCache);
    await participate(app, 'KIR', 'NRU', 'TUV');
    viewer = await signedInUser(app, Role.STATE_VIEWER, 'KIR');
    owner = await signedInUser(app, Role.STATE_OFFICER, 'NRU');
    kiribatiContactId = (await createContact(app, 'KIR', { name: 'Scope Kiribati one' })).id;
    nauruContactId = (await createContact(app, 'NRU', { name: 'Scope Nauru one' })).id;
    contactReads = jest.spyOn(ContactsRepository.prototype, 'findPageJson');
    disclosureReads = jest.spyOn(DisclosuresService.prototype, 'list');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app.close();
  });

  it("keeps a State's list through a change to another State's contacts, and drops it at a change to its own", async () => {
    const first = await list({ state: 'KIR', limit: 50 });
    const reads = contactReads.mock.calls.length;
    await prisma.contact.update({ where: { id: nauruContactId }, data: { notes: 'changed in Nauru' } });
    const kept = await list({ state: 'kir', limit: 50 }).then(() => list({ state: 'KIR', limit: 50 }));
    expect(contactReads.mock.calls.length).toBe(reads + 1); // the lower-case URL is another key; the first one was kept
    expect(kept.text).toBe(first.text);
    expect(kept.headers.etag).toBe(first.headers.etag);

    await prisma.contact.update({ where: { id: kiribatiContactId }, data: { name: 'Scope Kiribati renamed' } });
    const changed = await list({ state: 'KIR', limit: 50 });
    expect(contactReads.mock.calls.length).toBe(reads + 2);
    expect(names(changed)).toContain('Scope Kiribati renamed');
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    // The lower-case spelling reads Kiribati's rows too, so it was dropped as well.
    expect(names(await list({ state: 'kir', limit: 50 }))).toContain('Scope Kiribati renamed');
  });

  it("drops a search and an unfiltered list at any State's contact change", async () => {
    const searched = names(await list({ q: 'Scope' }));
    // Whether the unfiltered page's rows change depends on what else this database holds: its
    // recomputation is what shows it was dropped.
    await list({ limit: 100 });
    const reads = contactReads.mock.calls.length;
    await list({ limit: 100 });
    expect(contactReads.mock.calls.length).toBe(reads);
    await prisma.contact.update({ where: { id: nauruContactId }, data: { name: 'Scope Nauru renamed' } });
    expect(names(await list({ q: 'Scope' }))).toEqual(expect.arrayContaining([...searched.filter((name) => name !== 'Scope Nauru one'), 'Scope Nauru renamed']));
    await list({ limit: 100 });
    expect(contactReads.mock.calls.length).toBe(reads + 2);
  });

  it("shows a contact moved to another State in both States' lists", async () => {
    await list({ state: 'KIR', limit: 50 });
    await list({ state: 'NRU', limit: 50 });
    await prisma.$executeRaw`UPDATE "contact" SET "stateCode" = 'KIR' WHERE "id" = ${nauruContactId}::uuid`;
    try {
      expect(names(await list({ state: 'KIR', limit: 50 }))).toContain('Scope Nauru renamed');
      expect(names(await list({ state: 'NRU', limit: 50 }))).not.toContain('Scope Nauru renamed');
    } finally {
      await prisma.$executeRaw`UPDATE "contact" SET "stateCode" = 'NRU' WHERE "id" = ${nauruContactId}::uuid`;
    }
  });

  it('keeps disclosure lists through directory changes and drops them at a disclosure change', async () => {
    const disclosure = await createDisclosure(app, owner.auth, { title: 'Scope disclosure', summary: 'Public.', body: 'b', sectors: ['ENERGY'], tlp: 'CLEAR', audience: 'PUBLIC' }, 'PUBLISHED');
    const titles = async () => (await http().get('/api/v1/disclosures').set(viewer.auth).expect(200)).body.items.map((item: { title: string }) => item.title);
    expect(await titles()).toContain('Scope disclosure');
    const reads = disclosureReads.mock.calls.length;
    await prisma.contact.update({ where: { id: kiribatiContactId }, data: { notes: 'directory change' } });
    await prisma.cert.create({ data: { stateCode: 'NRU', name: 'Scope CERT', type: 'NATIONAL', emails: ['scope@nru.example'], timeZone: 'UTC', languages: ['en'] } });
    expect(await titles()).toContain('Scope disclosure');
    expect(disclosureReads.mock.calls.length).toBe(reads);
    await prisma.disclosure.update({ where: { id: disclosure.id }, data: { title: 'Scope disclosure renamed' } });
    expect(await titles()).toContain('Scope disclosure renamed');
    expect(disclosureReads.mock.calls.length).toBe(reads + 1);
  });

  it('records every changed State under the one version of its transaction, at COMMIT', async () => {
    const nauruCert = await prisma.cert.findFirstOrThrow({ where: { name: 'Scope CERT' } });
    const [version] = await prisma.$transaction([
      prisma.$queryRaw<{ version: bigint }[]>`SELECT "version" FROM "registry_version"`,
      prisma.contact.update({ where: { id: kiribatiContactId }, data: { notes: 'one' } }),
      prisma.contact.update({ where: { id: nauruContactId }, data: { notes: 'two' } }),
      prisma.cert.update({ where: { id: nauruCert.id }, data: { notes: 'three' } }),
    ]);
    const bumped = version[0].version + 1n;
    expect(await currentVersion()).toBe(bumped);
    const changes = await prisma.registryChange.findMany({ where: { version: bumped }, orderBy: [{ table: 'asc' }, { stateCode: 'asc' }] });
    expect(changes.map(({ table, stateCode }) => `${table} ${stateCode}`)).toEqual(['cert NRU', 'contact KIR', 'contact NRU']);
  });

  describe('RegistryReadCache', () => {
    const fiji = { contact: ['KIR'] } as const;
    const everyone = { contact: '*' } as const;

    it('keeps an answer only when no change was applied after the version its request read, and serves kept answers to older readers', async () => {
      const before = (await currentVersion()).toString();
      await cache.catchUp(before);
      await prisma.contact.update({ where: { id: nauruContactId }, data: { notes: 'a change in Nauru' } });
      const after = (await currentVersion()).toString();
      await cache.catchUp(after);
      // Computed by a request that read `before`: the change applied since may be missing from it.
      cache.set(before, 'direct fiji', '{"stale?":true}', fiji);
      expect(cache.get('direct fiji')).toBeUndefined();
      cache.set(after, 'direct fiji', '{"current":true}', fiji);
      cache.set(after, 'direct all', '{"current":true}', everyone);
      // A request that read `before` catches up to nothing more and is served the newer answer.
      await cache.catchUp(before);
      expect(cache.get('direct fiji')?.body).toBe('{"current":true}');

      await prisma.contact.update({ where: { id: nauruContactId }, data: { notes: 'another change in Nauru' } });
      await cache.catchUp((await currentVersion()).toString());
      expect(cache.get('direct fiji')?.body).toBe('{"current":true}');
      expect(cache.get('direct all')).toBeUndefined();
    });

    it('computes an answer once for the requests that miss it together, and not at all from a failed computation', async () => {
      const now = (await currentVersion()).toString();
      await cache.catchUp(now);
      let release: (body: string) => void = () => undefined;
      const compute = jest.fn(() => new Promise<string>((resolve) => (release = resolve)));
      const waiting = Array.from({ length: 5 }, () => cache.answer(now, 'direct together', fiji, compute));
      release('{"once":true}');
      expect((await Promise.all(waiting)).map((answer) => answer.body)).toEqual(Array(5).fill('{"once":true}'));
      expect(compute).toHaveBeenCalledTimes(1);

      let fail: (error: Error) => void = () => undefined;
      const failing = cache.answer(now, 'direct failing', fiji, () => new Promise<string>((_resolve, reject) => (fail = reject)));
      const joined = cache.answer(now, 'direct failing', fiji, async () => '{"own":true}');
      fail(new Error('the database went away'));
      await expect(failing).rejects.toThrow('the database went away');
      expect((await joined).body).toBe('{"own":true}');
    });

    it('drops every answer when what changed cannot be read in full', async () => {
      const now = (await currentVersion()).toString();
      await cache.catchUp(now);
      cache.set(now, 'direct fiji', '{"kept":"until a gap"}', fiji);
      await prisma.contact.update({ where: { id: nauruContactId }, data: { notes: 'a change whose record goes missing' } });
      const next = await currentVersion();
      await prisma.registryChange.deleteMany({ where: { version: next } });
      await cache.catchUp(next.toString());
      expect(cache.get('direct fiji')).toBeUndefined();
      expect(cache.size).toBe(0);
    });
  });
});
