import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

function cert(overrides: Record<string, unknown> = {}) {
  return {
    name: 'National Computer Emergency Response Team',
    shortName: 'KE-CIRT',
    type: 'NATIONAL',
    constituency: 'Government and critical infrastructure of Kenya',
    website: 'https://cert.example/',
    emails: ['incident@cert.example'],
    emergencyPhone: '+254 20 4275000',
    available24x7: true,
    timeZone: 'Africa/Nairobi',
    languages: ['en', 'sw'],
    rfc2350Url: 'https://cert.example/rfc2350.txt',
    firstMember: true,
    trustedIntroducer: 'LISTED',
    sectors: ['ENERGY', 'FINANCE'],
    ...overrides,
  };
}

describe('Directory: CERTs', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  let officerKen: Awaited<ReturnType<typeof signedInUser>>;
  let officerFin: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'KEN', 'FIN');
    officerKen = await signedInUser(app, Role.STATE_OFFICER, 'KEN');
    officerFin = await signedInUser(app, Role.STATE_OFFICER, 'FIN');
  });
  afterAll(() => app.close());

  it('creates a CERT of the caller\'s State and lists its technical contacts', async () => {
    const created = await http().post('/api/v1/certs').set(officerKen.auth).send(cert()).expect(201);
    expect(created.body).toMatchObject({ stateCode: 'KEN', emergencyPhone: '+254204275000', sectors: ['ENERGY', 'FINANCE'], technicalContacts: [] });
    const certId = created.body.id;

    const contactBody = {
      kind: 'TECHNICAL', name: 'Incident handler', emails: ['handler@cert.example'], timeZone: 'Africa/Nairobi', languages: ['en'], certId,
    };
    const member = await http().post('/api/v1/contacts').set(officerKen.auth).send(contactBody).expect(201);
    await http().post('/api/v1/contacts').set(officerKen.auth).send({ ...contactBody, kind: 'POLICY', name: 'Policy adviser' }).expect(201);

    const read = await http().get(`/api/v1/certs/${certId}`).set(officerFin.auth).expect(200);
    expect(read.body.technicalContacts).toEqual([{ id: member.body.id, name: 'Incident handler', title: null, emails: ['handler@cert.example'] }]);
    const byCert = await http().get(`/api/v1/contacts?certId=${certId}`).set(officerFin.auth).expect(200);
    expect(byCert.body.items).toHaveLength(2);

    // A contact can only work for a CERT of its own State.
    const foreign = await http().post('/api/v1/contacts').set(officerFin.auth).send({ ...contactBody, name: 'Borrowed' }).expect(400);
    expect(foreign.body.errors).toEqual([{ field: 'certId', message: 'is not a CERT of your State' }]);
  });

  it.each([
    ['website', { website: 'http://insecure.example' }],
    ['rfc2350Url', { rfc2350Url: 'not a url' }],
    ['emergencyPhone', { emergencyPhone: '12345' }],
    ['sectors.0', { sectors: ['NUCLEAR_FUN'] }],
    ['type', { type: 'PRIVATE' }],
    ['trustedIntroducer', { trustedIntroducer: 'GOLD' }],
    ['timeZone', { timeZone: 'Nairobi' }],
  ])('refuses a bad %s with 400 naming it', async (field, overrides) => {
    const response = await http().post('/api/v1/certs').set(officerKen.auth).send(cert(overrides)).expect(400);
    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(fields.some((name: string) => name === field || name.startsWith(`${field.split('.')[0]}`))).toBe(true);
  });

  it('has the same concurrency, ownership and history rules as contacts', async () => {
    const created = await http().post('/api/v1/certs').set(officerKen.auth).send(cert({ name: 'Sector CERT for finance', type: 'SECTOR' })).expect(201);
    const id = created.body.id;
    await http().patch(`/api/v1/certs/${id}`).set(officerKen.auth).send({ notes: 'x' }).expect(428);
    await http().patch(`/api/v1/certs/${id}`).set(officerFin.auth).set('If-Match', '"1"').send({ notes: 'x' }).expect(404);
    await http().patch(`/api/v1/certs/${id}`).set(officerKen.auth).set('If-Match', '"1"').send({ sectors: ['FINANCE'] }).expect(200);
    await http().patch(`/api/v1/certs/${id}`).set(officerKen.auth).set('If-Match', '"1"').send({ sectors: [] }).expect(412);
    const verified = await http().post(`/api/v1/certs/${id}/verify`).set(officerKen.auth).expect(200);
    // Read back by the verifying statement itself, the enum array must still be an array.
    expect(verified.body).toMatchObject({ sectors: ['FINANCE'], version: 3, stale: false });
    const history = await http().get(`/api/v1/certs/${id}/history`).set(officerFin.auth).expect(200);
    expect(history.body.items.map((revision: { action: string }) => revision.action)).toEqual(['created', 'updated', 'verified']);
    expect(history.body.items[1].changes).toEqual({ sectors: { before: ['ENERGY', 'FINANCE'], after: ['FINANCE'] } });

    const bySector = await http().get('/api/v1/certs?state=KEN&sector=FINANCE&stale=false').set(officerFin.auth).expect(200);
    expect(bySector.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    expect(await prisma.auditEvent.count({ where: { entityType: 'cert', entityId: id } })).toBe(3);
  });

  it('searches names and short names, case-insensitively, among active CERTs only', async () => {
    // A word no other CERT carries, so the answer is exactly these.
    const word = `zq${randomUUID().slice(0, 6)}`;
    const create = async (name: string, shortName: string) =>
      (await http().post('/api/v1/certs').set(officerKen.auth).send(cert({ name, shortName })).expect(201)).body as { id: string; version: number };
    const byName = await create(`A CERT called ${word}`, 'KE-ONE');
    const byShortName = await create('B sector team', `${word.toUpperCase()}-CIRT`);
    const neither = await create(`C team ${word.slice(0, 4)}`, 'KE-TWO');
    const deactivated = await create(`D former ${word}`, 'KE-OLD');
    await http().delete(`/api/v1/certs/${deactivated.id}`).set(officerKen.auth).set('If-Match', `"${deactivated.version}"`).expect(200);

    const search = await http().get(`/api/v1/certs?q=${word.toUpperCase()}&limit=100`).set(officerFin.auth).expect(200);
    expect(search.body.items.map((item: { id: string }) => item.id)).toEqual([byName.id, byShortName.id]);
    expect(search.body.items.map((item: { id: string }) => item.id)).not.toContain(neither.id);
    // LIKE's wildcards are searched for as themselves.
    const wildcard = await http().get(`/api/v1/certs?q=${encodeURIComponent(`${word.slice(0, 4)}_`)}&limit=100`).set(officerFin.auth).expect(200);
    expect(wildcard.body.items).toEqual([]);
  });

  it('deactivates a CERT with DELETE under If-Match: gone from lists, history kept, audited', async () => {
    const created = await http().post('/api/v1/certs').set(officerKen.auth).send(cert({ name: 'CERT to be retired', shortName: 'KE-RETIRED' })).expect(201);
    const id = created.body.id;
    const listed = async (query: string) =>
      (await http().get(`/api/v1/certs?state=KEN&limit=100${query}`).set(officerFin.auth).expect(200)).body.items.map((item: { id: string }) => item.id);
    expect(await listed('')).toContain(id);

    await http().delete(`/api/v1/certs/${id}`).set(officerFin.auth).set('If-Match', '"1"').expect(404);
    const stale = await http().delete(`/api/v1/certs/${id}`).set(officerKen.auth).set('If-Match', '"7"').expect(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    expect(await prisma.cert.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'ACTIVE', version: 1 });

    const deleted = await http().delete(`/api/v1/certs/${id}`).set(officerKen.auth).set('If-Match', '"1"').expect(200);
    expect(deleted.body).toMatchObject({ id, status: 'INACTIVE', version: 2 });
    expect(deleted.headers.etag).toBe('"2"');
    expect(await listed('')).not.toContain(id);
    expect(await listed('&status=INACTIVE')).toContain(id);
    // Deactivating keeps the entry and its history: it is read as inactive, not lost.
    const read = await http().get(`/api/v1/certs/${id}`).set(officerFin.auth).expect(200);
    expect(read.body.status).toBe('INACTIVE');
    const history = await http().get(`/api/v1/certs/${id}/history`).set(officerFin.auth).expect(200);
    expect(history.body.items.map((revision: { action: string }) => revision.action)).toEqual(['created', 'deactivated']);
    const audited = await prisma.auditEvent.findMany({ where: { entityType: 'cert', entityId: id }, orderBy: { seq: 'asc' } });
    expect(audited.map((event) => [event.action, event.actorUserId])).toEqual([
      ['cert.created', officerKen.id],
      ['cert.deactivated', officerKen.id],
    ]);
    // A second DELETE with the old version changes nothing.
    await http().delete(`/api/v1/certs/${id}`).set(officerKen.auth).set('If-Match', '"1"').expect(412);
  });

  it('summarises a State\'s directory for participants only', async () => {
    const verified = await http().post('/api/v1/certs').set(officerKen.auth).send(cert({ name: 'Verified CERT for the summary', sectors: ['ENERGY'] })).expect(201);
    await http().post(`/api/v1/certs/${verified.body.id}/verify`).set(officerKen.auth).expect(200);
    const summary = await http().get('/api/v1/states/ken/summary').set(officerFin.auth).expect(200);
    const expectedCerts = await prisma.cert.count({ where: { stateCode: 'KEN', status: 'ACTIVE' } });
    const technical = await prisma.contact.count({ where: { stateCode: 'KEN', status: 'ACTIVE', kind: 'TECHNICAL' } });
    expect(summary.body).toMatchObject({ code: 'KEN', certs: expectedCerts, contacts: { TECHNICAL: technical, DIPLOMATIC: 0 } });
    expect(summary.body.lastVerifiedAt).not.toBeNull();
    expect(summary.body.staleEntries).toBeLessThan(expectedCerts + technical + summary.body.contacts.POLICY);
    await http().get('/api/v1/states/KEN/summary').expect(401);
    await http().get('/api/v1/states/XYZ/summary').set(officerFin.auth).expect(404);
  });
});
