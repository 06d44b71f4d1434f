import type { NestExpressApplication } from '@nestjs/platform-express';
import ICAL from 'ical.js';
import { randomUUID } from 'node:crypto';
import { generateKey } from 'openpgp';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

/** Reads a streamed text body whatever its content type (supertest buffers only the types it knows). */
function asText(res: request.Response, done: (error: Error | null, body: string) => void): void {
  let text = '';
  (res as unknown as NodeJS.ReadableStream).setEncoding('utf8');
  (res as unknown as NodeJS.ReadableStream).on('data', (chunk: string) => (text += chunk));
  (res as unknown as NodeJS.ReadableStream).on('end', () => done(null, text));
}

/** Every card of a file as ical.js reads it (ICAL.parse gives one component, or an array for several). */
function cards(text: string): ICAL.Component[] {
  const parsed = ICAL.parse(text) as unknown;
  const list = (Array.isArray(parsed) && parsed[0] === 'vcard' ? [parsed] : parsed) as unknown[][];
  return list.map((card) => new ICAL.Component(card));
}

interface ContactBody {
  id: string;
  stateCode: string;
  name: string;
  title: string | null;
  organisation: string | null;
  emails: string[];
  phones: Array<{ number: string; label: string }>;
  available24x7: boolean;
  hours: Array<{ days: string[]; from: string; to: string }> | null;
  timeZone: string;
  languages: string[];
  pgpKey: { armored: string; fingerprint: string } | null;
  updatedAt: string;
}

const TEL_TYPES: Record<string, string[]> = {
  office: ['work', 'voice'],
  mobile: ['work', 'cell'],
  '24x7': ['work', 'voice', 'x-24x7'],
  fax: ['work', 'fax'],
  other: ['voice'],
};

/** The card against the contact as GET /contacts/:id answers it, field by field. */
function expectCardOf(card: ICAL.Component, contact: ContactBody, stateName: string): void {
  expect(card.getFirstPropertyValue('version')).toBe('4.0');
  expect(card.getFirstPropertyValue('kind')).toBe(contact.title !== null && contact.title.toLowerCase() === contact.name.toLowerCase() ? 'org' : 'individual');
  expect(card.getFirstPropertyValue('fn')).toBe(contact.name);
  expect(card.getFirstProperty('org')!.getValues()).toEqual([[stateName, ...(contact.organisation ? [contact.organisation] : [])]]);
  expect(card.getFirstProperty('title')?.getFirstValue() ?? null).toBe(contact.title);
  expect(card.getAllProperties('email').map((email) => email.getFirstValue())).toEqual(contact.emails);
  expect(card.getAllProperties('tel').map((tel) => [tel.type, tel.getParameter('type'), tel.getFirstValue()])).toEqual(
    contact.phones.map((phone) => ['uri', TEL_TYPES[phone.label], `tel:${phone.number}`]),
  );
  expect(card.getAllProperties('lang').map((lang) => [lang.getFirstValue(), lang.getParameter('pref')])).toEqual(contact.languages.map((language, index) => [language, String(index + 1)]));
  expect(card.getFirstPropertyValue('tz')).toBe(contact.timeZone);
  expect(card.getFirstPropertyValue('uid')).toBe(`urn:uuid:${contact.id}`);
  expect(String(card.getFirstPropertyValue('rev'))).toBe(contact.updatedAt.replace(/\.\d{3}Z$/, 'Z'));
  const hours = contact.available24x7
    ? `Available 24/7 (time zone ${contact.timeZone}).`
    : contact.hours?.length
      ? `Hours: ${contact.hours.map((span) => `${span.days.join(' ')} ${span.from}-${span.to}`).join('; ')} (${contact.timeZone}).`
      : `Hours not published (time zone ${contact.timeZone}).`;
  expect(card.getFirstPropertyValue('note')).toBe(contact.pgpKey ? `${hours}\nOpenPGP fingerprint: ${contact.pgpKey.fingerprint}` : hours);
  const key = card.getFirstProperty('key');
  if (contact.pgpKey) {
    const uri = String(key!.getFirstValue());
    expect(uri.startsWith('data:application/pgp-keys;base64,')).toBe(true);
    expect(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64').toString('utf8')).toBe(contact.pgpKey.armored);
  } else {
    expect(key).toBeNull();
  }
}

describe('vCard 4.0', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  let officer: Awaited<ReturnType<typeof signedInUser>>;
  let otherOfficer: Awaited<ReturnType<typeof signedInUser>>;
  let secretariat: Awaited<ReturnType<typeof signedInUser>>;
  let stateName: string;
  const created: ContactBody[] = [];

  const base = {
    kind: 'DIPLOMATIC',
    organisation: 'Ministry of Foreign Affairs',
    emails: ['mfa@tls.example'],
    phones: [{ number: '+670 333 1234', label: 'office' }],
    timeZone: 'Asia/Dili',
    languages: ['pt', 'en'],
  };

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'TLS', 'CPV');
    officer = await signedInUser(app, Role.STATE_OFFICER, 'TLS');
    otherOfficer = await signedInUser(app, Role.STATE_OFFICER, 'CPV');
    secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
    stateName = (await prisma.state.findUniqueOrThrow({ where: { code: 'TLS' } })).name;
    const { publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'duty@tls.example' }], keyExpirationTime: 90 * 86_400, format: 'armored' });
    const bodies = [
      { ...base, name: 'Ana Maria da Costa', title: 'Cyber ambassador', hours: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '08:30', to: '17:00' }] },
      {
        ...base,
        kind: 'TECHNICAL',
        name: 'Duty officer',
        title: 'Duty officer',
        organisation: 'CERT; Timor-Leste, \\ operations',
        emails: ['duty@tls.example', 'soc@tls.example'],
        phones: [{ number: '+670 333 1235', label: '24x7' }, { number: '+670 7723 4567', label: 'mobile' }, { number: '+670 333 1236', label: 'fax' }],
        available24x7: true,
        pgpKey: publicKey,
      },
      { ...base, name: 'Costa, Ana; "Policy" \\ desk\nsecond line', title: 'Adviser, policy; security', emails: ['policy@tls.example'] },
      { ...base, name: 'المركز الوطني للاستجابة لطوارئ الحاسب الآلي في تيمور الشرقية', title: '国家计算机网络应急技术处理协调中心联络官员', emails: ['ar@tls.example'] },
    ];
    for (const body of bodies) created.push((await http().post('/api/v1/contacts').set(officer.auth).send(body).expect(201)).body);
  });
  afterAll(() => app.close());

  it('answers one contact as text/vcard with a file name, and every field reads back the same', async () => {
    for (const contact of created) {
      const response = await http().get(`/api/v1/contacts/${contact.id}/vcard`).set(otherOfficer.auth).buffer(true).parse(asText).expect(200);
      expect(response.headers['content-type']).toBe('text/vcard; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(`attachment; filename="contact-${contact.id}.vcf"`);
      const text = response.body as string;
      expect(text.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
      for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      const [card] = cards(text);
      expectCardOf(card, contact, stateName);
    }
  });

  it('writes hostile names escaped and long Arabic and Chinese names folded without splitting a character', async () => {
    const [, duty, hostile, long] = created;
    const text = (await http().get(`/api/v1/contacts/${hostile.id}/vcard`).set(officer.auth).buffer(true).parse(asText).expect(200)).body as string;
    expect(text).toContain('\r\nFN:Costa\\, Ana; "Policy" \\\\ desk\\nsecond line\r\n');
    expect(text).toContain('\r\nTITLE:Adviser\\, policy; security\r\n');
    const dutyText = (await http().get(`/api/v1/contacts/${duty.id}/vcard`).set(officer.auth).buffer(true).parse(asText).expect(200)).body as string;
    expect(dutyText).toContain(`\r\nORG:${stateName.replace(/,/g, '\\,')};CERT\\; Timor-Leste\\, \\\\ operations\r\n`);
    expect(dutyText).toContain('\r\nKIND:org\r\n');
    const longText = (await http().get(`/api/v1/contacts/${long.id}/vcard`).set(officer.auth).buffer(true).parse(asText).expect(200)).body as string;
    const lines = longText.split('\r\n');
    const fn = lines.findIndex((line) => line.startsWith('FN:'));
    expect(lines[fn + 1].startsWith(' ')).toBe(true);
    for (const line of lines) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      // A fold inside a character leaves invalid UTF-8 on the wire, which decodes as U+FFFD.
      expect(line).not.toContain('\uFFFD');
    }
  });

  it('is read by every caller who may read the contact (the secretariat too), 404 for a missing one, 401 without a credential', async () => {
    await http().get(`/api/v1/contacts/${created[0].id}/vcard`).set(secretariat.auth).expect(200);
    const missing = await http().get(`/api/v1/contacts/${randomUUID()}/vcard`).set(officer.auth).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    await http().get('/api/v1/contacts/not-a-uuid/vcard').set(officer.auth).expect(400);
    await http().get(`/api/v1/contacts/${created[0].id}/vcard`).expect(401);
  });

  it('exports every active contact the caller sees as one .vcf, one card per contact, then one per CERT', async () => {
    const cert = await http()
      .post('/api/v1/certs')
      .set(officer.auth)
      .send({ name: 'TLCERT', type: 'NATIONAL', emails: ['cert@tls.example'], emergencyPhone: '+670 333 9999', available24x7: true, website: 'https://cert.tls.example/', timeZone: 'Asia/Dili', languages: ['pt'] })
      .expect(201);
    const response = await http().get('/api/v1/directory/export?format=vcf&state=TLS').set(otherOfficer.auth).buffer(true).parse(asText).expect(200);
    expect(response.headers['content-type']).toBe('text/vcard; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="cbm-directory-TLS-\d{4}-\d{2}-\d{2}\.vcf"$/);
    const all = cards(response.body as string);
    const byUid = new Map(all.map((card) => [String(card.getFirstPropertyValue('uid')), card]));
    const listed = (await http().get('/api/v1/contacts?state=TLS&limit=100').set(otherOfficer.auth).expect(200)).body.items as ContactBody[];
    expect(all).toHaveLength(listed.length + 1);
    for (const contact of listed) expectCardOf(byUid.get(`urn:uuid:${contact.id}`)!, contact, stateName);
    const certCard = byUid.get(`urn:uuid:${cert.body.id}`)!;
    expect(certCard.getFirstPropertyValue('kind')).toBe('org');
    expect(certCard.getFirstPropertyValue('fn')).toBe('TLCERT');
    expect(certCard.getFirstPropertyValue('url')).toBe('https://cert.tls.example/');
    expect(certCard.getFirstProperty('tel')!.getFirstValue()).toBe('tel:+6703339999');
    expect(certCard.getFirstPropertyValue('note')).toBe('Available 24/7 (time zone Asia/Dili).');

    // Without a State filter: every State's active contacts, deactivated ones left out.
    await http().delete(`/api/v1/contacts/${created[0].id}`).set(officer.auth).expect(200);
    const everything = cards((await http().get('/api/v1/directory/export?format=vcf').set(secretariat.auth).buffer(true).parse(asText).expect(200)).body as string);
    const uids = everything.map((card) => String(card.getFirstPropertyValue('uid')));
    expect(uids).not.toContain(`urn:uuid:${created[0].id}`);
    expect(uids).toContain(`urn:uuid:${created[1].id}`);
    expect(everything.length).toBe((await prisma.contact.count({ where: { status: 'ACTIVE' } })) + (await prisma.cert.count({ where: { status: 'ACTIVE' } })));
  });
});
