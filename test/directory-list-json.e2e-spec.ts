import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Cert, Contact, PrismaService, Role } from '@cbm/database';
import { toCertResponse } from '../apps/api/src/directory/certs/dto/cert.response';
import { toContactResponse } from '../apps/api/src/directory/contacts/dto/contact.response';
import { staleBefore } from '../apps/api/src/directory/staleness';
import { participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

const DAY = 86_400_000;

/**
 * The directory lists are written as JSON by PostgreSQL (contactResponseSql, certResponseSql); a
 * single entry, by toContactResponse and toCertResponse. Both must give the same fields, in the same
 * order, with the same values, for every kind of entry: keys present, expiring and not; verified
 * recently, long ago, never; a bounce; empty and null columns; text that JSON must escape.
 */
describe('Directory list JSON written by PostgreSQL', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let viewer: Awaited<ReturnType<typeof signedInUser>>;
  const now = Date.now();

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'BRN');
    viewer = await signedInUser(app, Role.STATE_VIEWER, 'BRN');
    const base = { stateCode: 'BRN', kind: 'TECHNICAL' as const, emails: ['duty@brn.example'], phones: [], timeZone: 'Asia/Brunei', languages: ['ms', 'en'] };
    const key = (expiresInDays: number | null) => ({
      pgpKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----',
      pgpFingerprint: 'A1B2C3D4E5F6A7B8C9D0A1B2C3D4E5F6A7B8C9D0',
      pgpAlgorithm: 'ed25519',
      pgpExpiresAt: expiresInDays === null ? null : new Date(now + expiresInDays * DAY),
    });
    await prisma.contact.createMany({
      data: [
        { ...base, name: 'JSON a: everything set', title: 'Head "of" duty', organisation: 'BruCERT', notes: 'Line one\nline two\t✓ \u0001 back\\slash', certId: null,
          phones: [{ label: 'office', number: '+6732345678' }, { label: '24x7', number: '+6732345679' }], available24x7: true,
          hours: [{ days: ['MON', 'TUE'], from: '08:00', to: '17:00' }], lastVerifiedAt: new Date(now - 10 * DAY), ...key(400) },
        { ...base, name: 'JSON b: key expiring soon, verified long ago', lastVerifiedAt: new Date(now - 400 * DAY), ...key(10) },
        { ...base, name: 'JSON c: key without expiry, never verified', ...key(null) },
        { ...base, name: 'JSON d: fresh but bounced', lastVerifiedAt: new Date(now - DAY), deliveryFailedAt: new Date(now - 3600_000), pgpKey: '' },
        { ...base, name: 'JSON e: nothing optional', kind: 'DIPLOMATIC', emails: [], languages: [] },
      ],
    });
    const cert = { stateCode: 'BRN', type: 'NATIONAL' as const, emails: ['cert@brn.example'], timeZone: 'Asia/Brunei', languages: ['ms'] };
    await prisma.cert.createMany({
      data: [
        { ...cert, name: 'JSON CERT a: everything set', shortName: 'BruCERT', constituency: 'Government "and" critical\ninfrastructure',
          website: 'https://cert.brn.example', emergencyPhone: '+6732345670', available24x7: true, hours: [{ days: ['MON'], from: '08:00', to: '17:00' }],
          rfc2350Url: 'https://cert.brn.example/rfc2350.txt', firstMember: true, trustedIntroducer: 'ACCREDITED', sectors: ['ENERGY', 'FINANCE'],
          notes: 'Tab\there ✓', lastVerifiedAt: new Date(now - 10 * DAY), ...key(10) },
        { ...cert, name: 'JSON CERT b: nothing optional', type: 'SECTOR', languages: [], lastVerifiedAt: new Date(now - 400 * DAY), ...key(null) },
        { ...cert, name: 'JSON CERT c: never verified', sectors: [] },
      ],
    });
  });
  afterAll(() => app.close());

  it('gives every contact as toContactResponse does, field for field and in the same order', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/contacts').query({ state: 'BRN', limit: 3 }).set(viewer.auth).expect(200);
    const next = await request(app.getHttpServer()).get('/api/v1/contacts').query({ state: 'BRN', limit: 3, cursor: response.body.nextCursor }).set(viewer.auth).expect(200);
    expect(next.body.nextCursor).toBeNull();
    const listed = [...response.body.items, ...next.body.items];

    const rows: Contact[] = await prisma.contact.findMany({ where: { stateCode: 'BRN' }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
    const threshold = staleBefore(180);
    const expected = rows.map((row) => JSON.parse(JSON.stringify(toContactResponse(row, threshold))));
    expect(listed.map((item) => item.name)).toEqual(rows.map((row) => row.name));
    for (const [index, item] of listed.entries()) expect(JSON.stringify(item)).toBe(JSON.stringify(expected[index]));
    // The cases are what they say (so the comparison covers them).
    expect(expected.map((item) => [item.stale, item.pgpKey?.expiresSoon ?? null])).toEqual([
      [false, false],
      [true, true],
      [true, false],
      [true, null],
      [true, null],
    ]);
  });

  it('gives every CERT as toCertResponse does (without technical contacts, as a list shows it)', async () => {
    const listed = (await request(app.getHttpServer()).get('/api/v1/certs').query({ state: 'BRN' }).set(viewer.auth).expect(200)).body.items;
    const rows: Cert[] = await prisma.cert.findMany({ where: { stateCode: 'BRN' }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
    const expected = rows.map((row) => JSON.parse(JSON.stringify(toCertResponse(row, staleBefore(180)))));
    expect(listed.map((item: { name: string }) => item.name)).toEqual(rows.map((row) => row.name));
    for (const [index, item] of listed.entries()) expect(JSON.stringify(item)).toBe(JSON.stringify(expected[index]));
    expect(expected.map((item) => [item.stale, item.pgpKey?.expiresSoon ?? null, item.sectors.length])).toEqual([
      [false, true, 2],
      [true, false, 0],
      [true, null, 0],
    ]);
  });
});
