import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { Role } from '@cbm/database';
import { participate, signedInUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('Directory export', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  let officer: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    await participate(app, 'BRA');
    officer = await signedInUser(app, Role.STATE_OFFICER, 'BRA');
    const base = { kind: 'DIPLOMATIC', emails: ['mre@bra.example'], timeZone: 'America/Sao_Paulo', languages: ['pt'] };
    await http().post('/api/v1/contacts').set(officer.auth).send({ ...base, name: '=HYPERLINK("https://evil.example")' }).expect(201);
    await http().post('/api/v1/contacts').set(officer.auth).send({ ...base, name: 'Divisão de Segurança Cibernética, Itamaraty' }).expect(201);
    await http()
      .post('/api/v1/certs')
      .set(officer.auth)
      .send({ name: 'CTIR Gov', type: 'GOVERNMENT', emails: ['ctir@bra.example'], timeZone: 'America/Sao_Paulo', languages: ['pt', 'en'] })
      .expect(201);
  });
  afterAll(() => app.close());

  async function listAll(path: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await http().get(`${path}?limit=200${cursor ? `&cursor=${cursor}` : ''}`).set(officer.auth).expect(200);
      ids.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    return ids;
  }

  it('leaves deactivated entries out', async () => {
    const base = { kind: 'POLICY', emails: ['gone@bra.example'], timeZone: 'America/Sao_Paulo', languages: ['pt'], name: 'Former adviser' };
    const gone = await http().post('/api/v1/contacts').set(officer.auth).send(base).expect(201);
    await http().delete(`/api/v1/contacts/${gone.body.id}`).set(officer.auth).expect(200);
    const exported = JSON.parse((await http().get('/api/v1/directory/export?format=json').set(officer.auth).expect(200)).text);
    expect(exported.contacts.map((item: { id: string }) => item.id)).not.toContain(gone.body.id);
  });

  it('exports exactly what the lists show, as JSON', async () => {
    const response = await http().get('/api/v1/directory/export?format=json').set(officer.auth).expect(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="cbm-directory-\d{4}-\d{2}-\d{2}\.json"$/);
    const exported = JSON.parse(response.text);
    expect(exported.contacts.map((item: { id: string }) => item.id)).toEqual(await listAll('/api/v1/contacts'));
    expect(exported.certs.map((item: { id: string }) => item.id)).toEqual(await listAll('/api/v1/certs'));
  });

  it('exports CSV with one row per entry, formulas neutralised and Unicode intact', async () => {
    const response = await http().get('/api/v1/directory/export?format=csv').set(officer.auth).buffer(true).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    }).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const rows: string[][] = parse(response.body as string);
    const [header, ...entries] = rows;
    expect(header.slice(0, 5)).toEqual(['entry', 'id', 'stateCode', 'kindOrType', 'name']);
    const contacts = await listAll('/api/v1/contacts');
    const certs = await listAll('/api/v1/certs');
    expect(entries).toHaveLength(contacts.length + certs.length);
    const names = entries.map((row) => row[4]);
    expect(names).toContain('\'=HYPERLINK("https://evil.example")');
    expect(names).toContain('Divisão de Segurança Cibernética, Itamaraty');
  });

  it('refuses an unknown format and anonymous callers', async () => {
    await http().get('/api/v1/directory/export?format=xml').set(officer.auth).expect(400);
    await http().get('/api/v1/directory/export').expect(401);
  });
});
