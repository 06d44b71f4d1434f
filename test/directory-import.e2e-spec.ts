import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { generateKey } from 'openpgp';
import request from 'supertest';
import { stringify } from 'csv-stringify/sync';
import { PrismaService, Role } from '@cbm/database';
import { CSV_COLUMNS } from '../apps/api/src/directory/export';
import { createCert, createContact, participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

/** Reads a streamed text body whatever its content type. */
function asText(res: request.Response, done: (error: Error | null, body: string) => void): void {
  let text = '';
  (res as unknown as NodeJS.ReadableStream).setEncoding('utf8');
  (res as unknown as NodeJS.ReadableStream).on('data', (chunk: string) => (text += chunk));
  (res as unknown as NodeJS.ReadableStream).on('end', () => done(null, text));
}

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string>>;

/** A CSV file in the export's columns; cells left out are empty. */
function csv(rows: Row[]): string {
  return stringify([[...CSV_COLUMNS], ...rows.map((row) => CSV_COLUMNS.map((column) => row[column] ?? ''))]);
}

function contactRow(overrides: Row = {}): Row {
  return {
    entry: 'contact',
    kindOrType: 'TECHNICAL',
    name: 'Duty officer',
    organisation: 'Lesotho CERT',
    emails: 'duty@lso.example',
    phones: '24x7:+266 2231 2345',
    available24x7: 'true',
    timeZone: 'Africa/Maseru',
    languages: 'en;st',
    ...overrides,
  };
}

describe('Directory import', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const http = () => request(app.getHttpServer());
  let officer: Awaited<ReturnType<typeof signedInUser>>;
  let otherOfficer: Awaited<ReturnType<typeof signedInUser>>;
  let viewer: Awaited<ReturnType<typeof signedInUser>>;
  let secretariat: Awaited<ReturnType<typeof signedInUser>>;

  /** What the import may change of LSO: its entries, their revisions and the audit events about them. */
  async function lsoState() {
    const contacts = await prisma.contact.findMany({ where: { stateCode: 'LSO' }, orderBy: { id: 'asc' } });
    const certs = await prisma.cert.findMany({ where: { stateCode: 'LSO' }, orderBy: { id: 'asc' } });
    const ids = [...contacts, ...certs].map((entry) => entry.id);
    return {
      contacts: contacts.map(({ updatedAt: _updatedAt, ...contact }) => contact),
      certs: certs.map(({ updatedAt: _updatedAt, ...cert }) => cert),
      revisions: (await prisma.contactRevision.count({ where: { contactId: { in: ids } } })) + (await prisma.certRevision.count({ where: { certId: { in: ids } } })),
      audit: await prisma.auditEvent.count({ where: { entityId: { in: ids } } }),
    };
  }

  const importCsv = (body: string, query = '') => http().post(`/api/v1/directory/import${query}`).set(officer.auth).set('Content-Type', 'text/csv').send(body);

  async function exportOf(format: 'csv' | 'json'): Promise<string> {
    return (await http().get(`/api/v1/directory/export?format=${format}&state=LSO`).set(officer.auth).buffer(true).parse(asText).expect(200)).body as string;
  }

  beforeAll(async () => {
    ({ app } = await createTestApp());
    prisma = app.get(PrismaService);
    await participate(app, 'LSO', 'KGZ');
    officer = await signedInUser(app, Role.STATE_OFFICER, 'LSO');
    otherOfficer = await signedInUser(app, Role.STATE_OFFICER, 'KGZ');
    viewer = await signedInUser(app, Role.STATE_VIEWER, 'LSO');
    secretariat = await signedInUser(app, Role.PLATFORM_ADMIN, null);
  });
  afterAll(() => app.close());

  describe('a file with good and bad rows', () => {
    let existingContact: { id: string };
    let existingCert: { id: string };
    let kgzContact: { id: string };
    let mixed: string;

    // Each test starts from the same LSO directory (LSO is this file's own State): the test before it,
    // whichever it was, may have imported into it.
    beforeEach(async () => {
      await prisma.contact.deleteMany({ where: { stateCode: 'LSO' } });
      await prisma.cert.deleteMany({ where: { stateCode: 'LSO' } });
      existingContact = (
        await http()
          .post('/api/v1/contacts')
          .set(officer.auth)
          .send({ kind: 'POLICY', name: 'Policy lead', emails: ['Policy@lso.example'], timeZone: 'Africa/Maseru', languages: ['en'] })
          .expect(201)
      ).body;
      existingCert = (
        await http()
          .post('/api/v1/certs')
          .set(officer.auth)
          .send({ name: 'CERT-LS', type: 'NATIONAL', emails: ['cert@lso.example'], emergencyPhone: '+266 2231 9999', timeZone: 'Africa/Maseru', languages: ['en'] })
          .expect(201)
      ).body;
      kgzContact = await createContact(app, 'KGZ');
      mixed = csv([
        contactRow({ emails: 'new.duty@lso.example' }),
        contactRow({ kindOrType: 'POLICY', name: 'Head of cyber policy', emails: 'policy@LSO.example', phones: '', available24x7: 'false', languages: 'en' }),
        { entry: 'cert', kindOrType: 'NATIONAL', name: 'CERT-LS', emails: 'cert@lso.example', phones: 'emergency:+26622319999', available24x7: 'false', timeZone: 'Africa/Maseru', languages: 'en' },
        contactRow({ emails: 'not-an-email', timeZone: 'Mars/Olympus_Mons' }),
        contactRow({ stateCode: 'KGZ', emails: 'kgz@kgz.example' }),
        contactRow({ id: kgzContact.id, emails: 'hijack@lso.example' }),
        contactRow({ emails: 'mobile@lso.example', phones: 'office:0300 1234567' }),
        contactRow({ name: 'Second duty officer', emails: 'NEW.duty@lso.example' }),
        contactRow({ entry: 'person', emails: 'person@lso.example' }),
      ]);
    });

    const expectedRows = () => [
      { row: 2, kind: 'contact', key: 'TECHNICAL:new.duty@lso.example', action: 'created' },
      { row: 3, kind: 'contact', key: 'POLICY:policy@lso.example', action: 'updated', id: existingContact.id },
      { row: 4, kind: 'cert', key: 'cert-ls', action: 'unchanged', id: existingCert.id },
      {
        row: 5,
        kind: 'contact',
        key: 'TECHNICAL:not-an-email',
        action: 'error',
        errors: [
          { field: 'emails', message: 'each value in emails must be an email' },
          { field: 'timeZone', message: 'timeZone must be an IANA time zone such as Asia/Karachi' },
        ],
      },
      { row: 6, kind: 'contact', key: 'TECHNICAL:kgz@kgz.example', action: 'error', errors: [{ field: 'stateCode', message: 'is not your State (LSO): a State imports only its own entries' }] },
      { row: 7, kind: 'contact', key: kgzContact.id, action: 'error', errors: [{ field: 'id', message: 'is not a contact of your State' }] },
      {
        row: 8,
        kind: 'contact',
        key: 'TECHNICAL:mobile@lso.example',
        action: 'error',
        errors: [{ field: 'phones.0.number', message: 'number must be a valid international phone number starting with + (E.164)' }],
      },
      { row: 9, kind: 'contact', key: 'TECHNICAL:new.duty@lso.example', action: 'error', errors: [{ field: 'emails', message: 'is the same entry as row 2' }] },
      { row: 10, kind: 'contact', key: '', action: 'error', errors: [{ field: 'entry', message: 'must be contact or cert' }] },
    ];

    it('dry run: answers every row exactly and writes nothing', async () => {
      const before = await lsoState();
      const response = await importCsv(mixed, '?dryRun=true').expect(200);
      expect(response.body).toEqual({
        dryRun: true,
        totals: { rows: 9, created: 1, updated: 1, unchanged: 1, error: 6 },
        rows: expectedRows(),
      });
      expect(await lsoState()).toEqual(before);
    });

    it('without dryRun: 400 problem+json with the same per-row report, and nothing written', async () => {
      const before = await lsoState();
      const response = await importCsv(mixed).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: '6 of 9 rows are not valid: nothing was imported.',
        report: { dryRun: false, totals: { rows: 9, created: 1, updated: 1, unchanged: 1, error: 6 } },
      });
      // The same answers as the dry run; the row that would have been created names no entry (none was kept).
      expect(response.body.report.rows).toEqual(expectedRows());
      expect(response.body.errors).toEqual([
        { field: 'rows.5.emails', message: 'each value in emails must be an email' },
        { field: 'rows.5.timeZone', message: 'timeZone must be an IANA time zone such as Asia/Karachi' },
        { field: 'rows.6.stateCode', message: 'is not your State (LSO): a State imports only its own entries' },
        { field: 'rows.7.id', message: 'is not a contact of your State' },
        { field: 'rows.8.phones.0.number', message: 'number must be a valid international phone number starting with + (E.164)' },
        { field: 'rows.9.emails', message: 'is the same entry as row 2' },
        { field: 'rows.10.entry', message: 'must be contact or cert' },
      ]);
      expect(await lsoState()).toEqual(before);
      // Another State's entry named by id is untouched.
      expect(await prisma.contact.findUniqueOrThrow({ where: { id: kgzContact.id } })).toEqual(kgzContact);
    });

    it('applies the good rows in one transaction, each with its revision and audit event as POST and PATCH write them', async () => {
      const good = csv([
        contactRow({ emails: 'new.duty@lso.example' }),
        contactRow({ kindOrType: 'POLICY', name: 'Head of cyber policy', emails: 'policy@LSO.example', phones: '', available24x7: 'false', languages: 'en' }),
        { entry: 'cert', kindOrType: 'NATIONAL', name: 'CERT-LS', emails: 'cert@lso.example', phones: 'emergency:+26622319999', available24x7: 'false', timeZone: 'Africa/Maseru', languages: 'en' },
      ]);
      const before = await lsoState();
      const response = await importCsv(good).expect(200);
      const created = response.body.rows[0].id as string;
      expect(response.body).toEqual({
        dryRun: false,
        totals: { rows: 3, created: 1, updated: 1, unchanged: 1, error: 0 },
        rows: [
          { row: 2, kind: 'contact', key: 'TECHNICAL:new.duty@lso.example', action: 'created', id: expect.any(String) },
          { row: 3, kind: 'contact', key: 'POLICY:policy@lso.example', action: 'updated', id: existingContact.id },
          { row: 4, kind: 'cert', key: 'cert-ls', action: 'unchanged', id: existingCert.id },
        ],
      });
      const after = await lsoState();
      expect(after.revisions).toBe(before.revisions + 2);
      expect(after.audit).toBe(before.audit + 2);

      const read = await http().get(`/api/v1/contacts/${created}`).set(otherOfficer.auth).expect(200);
      expect(read.body).toMatchObject({
        stateCode: 'LSO',
        kind: 'TECHNICAL',
        name: 'Duty officer',
        organisation: 'Lesotho CERT',
        emails: ['new.duty@lso.example'],
        phones: [{ number: '+26622312345', label: '24x7' }],
        available24x7: true,
        timeZone: 'Africa/Maseru',
        languages: ['en', 'st'],
        version: 1,
      });
      const history = (await http().get(`/api/v1/contacts/${existingContact.id}/history`).set(officer.auth).expect(200)).body.items;
      expect(history.map((revision: { action: string; version: number }) => [revision.action, revision.version])).toEqual([
        ['created', 1],
        ['updated', 2],
      ]);
      expect(history[1].actorUserId).toBe(officer.id);
      expect(history[1].changes).toEqual({
        name: { before: 'Policy lead', after: 'Head of cyber policy' },
        organisation: { before: null, after: 'Lesotho CERT' },
        emails: { before: ['Policy@lso.example'], after: ['policy@LSO.example'] },
      });
      const audit = await prisma.auditEvent.findMany({ where: { entityId: { in: [created, existingContact.id] } }, orderBy: { seq: 'asc' } });
      expect(audit.map((event) => [event.action, event.entityId, event.actorUserId])).toEqual([
        ['contact.created', existingContact.id, officer.id],
        ['contact.created', created, officer.id],
        ['contact.updated', existingContact.id, officer.id],
      ]);
    });

    it('import → export → import is a no-op, as CSV and as JSON: every row unchanged, no revision, no audit event', async () => {
      // An entry with every field set: office hours (JSON), a PGP key, its CERT.
      const { publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'full@lso.example' }], keyExpirationTime: 30 * 86_400, format: 'armored' });
      await http()
        .post('/api/v1/contacts')
        .set(officer.auth)
        .send({
          kind: 'TECHNICAL',
          name: 'Incident lead',
          title: 'Head of operations',
          organisation: 'CERT-LS',
          emails: ['full@lso.example', 'ops@lso.example'],
          phones: [{ number: '+266 2231 2346', label: 'office' }, { number: '+266 5880 1234', label: 'mobile' }],
          hours: [{ days: ['MON', 'TUE'], from: '08:00', to: '16:30' }, { days: ['SAT'], from: '09:00', to: '12:00' }],
          timeZone: 'Africa/Maseru',
          languages: ['st', 'en'],
          pgpKey: publicKey,
          notes: 'Prefers encrypted mail; call first.',
          certId: existingCert.id,
        })
        .expect(201);
      const before = await lsoState();
      const exportedCsv = await exportOf('csv');
      const again = await importCsv(exportedCsv).expect(200);
      const entries = before.contacts.filter((contact) => contact.status === 'ACTIVE').length + before.certs.filter((cert) => cert.status === 'ACTIVE').length;
      expect(again.body.totals).toEqual({ rows: entries, created: 0, updated: 0, unchanged: entries, error: 0 });
      expect(await lsoState()).toEqual(before);

      const exportedJson = JSON.parse(await exportOf('json'));
      const fromJson = await http().post('/api/v1/directory/import').set(officer.auth).send(exportedJson).expect(200);
      expect(fromJson.body.totals).toEqual({ rows: entries, created: 0, updated: 0, unchanged: entries, error: 0 });
      expect(await lsoState()).toEqual(before);
    });
  });

  it('one bad row: nothing of the file is written, not even the good rows before it', async () => {
    const before = await lsoState();
    const file = csv([
      contactRow({ name: 'Would be created', emails: 'first@lso.example' }),
      contactRow({ name: 'Also fine', emails: 'second@lso.example', kindOrType: 'DIPLOMATIC' }),
      contactRow({ emails: 'third@lso.example', languages: 'xx' }),
    ]);
    const response = await importCsv(file).expect(400);
    expect(response.body.errors).toEqual([{ field: 'rows.4.languages', message: 'each value in languages must be an ISO 639-1 language code such as en or fr' }]);
    expect(await lsoState()).toEqual(before);
    expect(await prisma.contact.count({ where: { emails: { hasSome: ['first@lso.example', 'second@lso.example'] } } })).toBe(0);
  });

  it('refuses another State\'s rows, in JSON too, whoever sends them', async () => {
    const kgz = await createContact(app, 'KGZ', { name: 'KGZ policy' });
    const kgzCert = await createCert(app, 'KGZ');
    const before = await lsoState();
    const kgzBefore = await prisma.contact.findUniqueOrThrow({ where: { id: kgz.id } });
    const body = {
      contacts: [
        { kind: 'POLICY', name: 'Mine', emails: ['mine@lso.example'], timeZone: 'Africa/Maseru', languages: ['en'], stateCode: 'kgz' },
        { id: kgz.id, kind: 'POLICY', name: 'Hijacked', emails: ['x@kgz.example'], timeZone: 'Asia/Bishkek', languages: ['ky'] },
        { kind: 'TECHNICAL', name: 'Borrowed', emails: ['borrowed@lso.example'], timeZone: 'Africa/Maseru', languages: ['en'], certId: kgzCert.id },
      ],
      certs: [{ name: 'Unknown field', type: 'NATIONAL', emails: ['c@lso.example'], timeZone: 'Africa/Maseru', languages: ['en'], colour: 'red' }],
    };
    const response = await http().post('/api/v1/directory/import?dryRun=true').set(officer.auth).send(body).expect(200);
    expect(response.body.rows).toEqual([
      { row: 1, kind: 'contact', key: 'POLICY:mine@lso.example', action: 'error', errors: [{ field: 'stateCode', message: 'is not your State (LSO): a State imports only its own entries' }] },
      { row: 2, kind: 'contact', key: kgz.id, action: 'error', errors: [{ field: 'id', message: 'is not a contact of your State' }] },
      { row: 3, kind: 'contact', key: 'TECHNICAL:borrowed@lso.example', action: 'error', errors: [{ field: 'certId', message: 'is not a CERT of your State' }] },
      { row: 4, kind: 'cert', key: 'unknown field', action: 'error', errors: [{ field: 'colour', message: 'is not a known field' }] },
    ]);
    await http().post('/api/v1/directory/import').set(officer.auth).send(body).expect(400);
    expect(await lsoState()).toEqual(before);
    expect(await prisma.contact.findUniqueOrThrow({ where: { id: kgz.id } })).toEqual(kgzBefore);
  });

  it('formula cells: the export\'s apostrophe is undone, other cells are taken as the text they are, nothing is evaluated', async () => {
    const file = csv([
      contactRow({ name: '\'=HYPERLINK("https://evil.example","click")', emails: 'formula1@lso.example', kindOrType: 'DIPLOMATIC' }),
      contactRow({ name: '\'@SUM(A1:A9)', organisation: '\'+1 and -2', emails: 'formula2@lso.example', kindOrType: 'DIPLOMATIC' }),
      contactRow({ name: '=1+1', emails: 'formula3@lso.example', kindOrType: 'DIPLOMATIC' }),
      contactRow({ name: '\'Quoted on purpose', emails: 'formula4@lso.example', kindOrType: 'DIPLOMATIC' }),
    ]);
    const response = await importCsv(file).expect(200);
    expect(response.body.totals).toEqual({ rows: 4, created: 4, updated: 0, unchanged: 0, error: 0 });
    const stored = await prisma.contact.findMany({ where: { id: { in: response.body.rows.map((row: { id: string }) => row.id) } }, orderBy: { name: 'asc' } });
    expect(stored.map((contact) => [contact.name, contact.organisation])).toEqual([
      ['\'Quoted on purpose', 'Lesotho CERT'],
      ['=1+1', 'Lesotho CERT'],
      ['=HYPERLINK("https://evil.example","click")', 'Lesotho CERT'],
      ['@SUM(A1:A9)', '+1 and -2'],
    ]);
    // Exported again with the apostrophe, imported again: unchanged.
    const exported = await exportOf('csv');
    expect(exported).toContain('"\'=HYPERLINK(""https://evil.example"",""click"")"');
    const again = await importCsv(exported).expect(200);
    expect(again.body.totals.unchanged).toBe(again.body.totals.rows);
  });

  it('refuses a 50,000-row file quickly by the row limit, and a body over 5 MB with 413; nothing written', async () => {
    const before = await lsoState();
    const rows = Array.from({ length: 50_000 }, (_, index) => `contact,,,TECHNICAL,N${index},,n${index}@lso.example,,,UTC,en,,,,,,`);
    const file = `${CSV_COLUMNS.join(',')}\n${rows.join('\n')}\n`;
    expect(Buffer.byteLength(file)).toBeLessThan(5 * 1024 * 1024);
    const started = Date.now();
    const response = await importCsv(file).expect(400);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'A file may hold at most 10000 rows: split it.', errors: [{ field: 'rows', message: 'must be at most 10000' }] });

    const json = { contacts: Array.from({ length: 10_001 }, () => ({})) };
    const tooManyJson = await http().post('/api/v1/directory/import').set(officer.auth).send(json).expect(400);
    expect(tooManyJson.body.errors).toEqual([{ field: 'rows', message: 'must be at most 10000' }]);

    // JSON has the route's limit too, above the 1 MB of every other route.
    const bigJson = { contacts: [{ kind: 'POLICY', name: 'Big', emails: ['big@lso.example'], timeZone: 'UTC', languages: ['en'], notes: 'x'.repeat(2 * 1024 * 1024) }] };
    const big = await http().post('/api/v1/directory/import?dryRun=true').set(officer.auth).send(bigJson).expect(200);
    expect(big.body.rows[0].errors).toEqual([{ field: 'notes', message: 'notes must be shorter than or equal to 2000 characters' }]);

    const huge = `${CSV_COLUMNS.join(',')}\n${`contact,,,TECHNICAL,${'x'.repeat(200)},,a@lso.example,,,UTC,en,,,,,,\n`.repeat(30_000)}`;
    expect(Buffer.byteLength(huge)).toBeGreaterThan(5 * 1024 * 1024);
    const tooLarge = await importCsv(huge).expect(413);
    expect(tooLarge.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await lsoState()).toEqual(before);
  });

  it('refuses a header that is not the export\'s, a body of another type, viewers, the secretariat and anonymous callers', async () => {
    const badHeader = await importCsv('entry,name,colour\ncontact,x,red\n').expect(400);
    expect(badHeader.body.errors).toEqual([
      { field: 'header', message: 'has an unknown column "colour": use the columns of GET /directory/export?format=csv' },
      { field: 'header', message: 'lacks the column "kindOrType"' },
      { field: 'header', message: 'lacks the column "emails"' },
      { field: 'header', message: 'lacks the column "timeZone"' },
      { field: 'header', message: 'lacks the column "languages"' },
    ]);
    await http().post('/api/v1/directory/import').set(officer.auth).set('Content-Type', 'text/plain').send('entry\n').expect(415);
    const good = csv([contactRow({ emails: 'unauthorised@lso.example' })]);
    for (const caller of [viewer, secretariat]) {
      const refused = await http().post('/api/v1/directory/import').set(caller.auth).set('Content-Type', 'text/csv').send(good).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
    }
    await http().post('/api/v1/directory/import').set('Content-Type', 'text/csv').send(good).expect(401);
    expect(await prisma.contact.count({ where: { emails: { has: 'unauthorised@lso.example' } } })).toBe(0);
  });

  it('a row naming an entry by id updates that entry, also to a new key; a CERT id in a contact row is refused', async () => {
    const contact = await createContact(app, 'LSO', { kind: 'POLICY', emails: ['byid@lso.example'], name: 'By id' });
    const cert = (await createCert(app, 'LSO')).id;
    const file = csv([
      contactRow({ id: contact.id, stateCode: 'LSO', kindOrType: 'POLICY', name: 'By id, renamed', emails: 'renamed@lso.example', phones: '' }),
      contactRow({ id: cert, emails: 'cert-as-contact@lso.example' }),
      contactRow({ id: randomUUID(), emails: 'unknown@lso.example' }),
    ]);
    const dry = await importCsv(file, '?dryRun=true').expect(200);
    expect(dry.body.rows.map((row: { action: string; errors?: unknown }) => [row.action, row.errors ?? null])).toEqual([
      ['updated', null],
      ['error', [{ field: 'id', message: 'is not a contact of your State' }]],
      ['error', [{ field: 'id', message: 'is not a contact of your State' }]],
    ]);
    const applied = await importCsv(csv([contactRow({ id: contact.id, kindOrType: 'POLICY', name: 'By id, renamed', emails: 'renamed@lso.example', phones: '' })])).expect(200);
    expect(applied.body.rows[0]).toMatchObject({ action: 'updated', id: contact.id });
    expect(await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).toMatchObject({ name: 'By id, renamed', emails: ['renamed@lso.example'], version: 2 });
  });
});
