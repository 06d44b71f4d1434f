import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Role } from '@cbm/database';
import { EXAMPLE_RECIPIENT_STATE } from '../apps/api/src/openapi/request-examples';
import { participate, signedInUser, SignedIn } from './support/factories';
import { createTestApp } from './support/test-app';

/*
 * The example bodies in the OpenAPI document, sent as Swagger UI sends them after "Try it out":
 * each is accepted as it stands. States: PNG (the caller), BRN (the example request's recipient,
 * and the State that proposes help for PNG's need).
 */
describe('OpenAPI request examples work as they stand', () => {
  let app: NestExpressApplication;
  let png: SignedIn;
  let brn: SignedIn;
  let paths: Record<string, Record<string, { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }>>;
  const http = () => request(app.getHttpServer());

  const exampleOf = (method: 'post', path: string): Record<string, unknown> => {
    const examples = paths[path][method].requestBody?.content['application/json'].examples;
    expect(Object.keys(examples ?? {})).toEqual(['example']);
    return examples!.example.value as Record<string, unknown>;
  };

  beforeAll(async () => {
    ({ app } = await createTestApp());
    await participate(app, 'PNG', EXAMPLE_RECIPIENT_STATE);
    png = await signedInUser(app, Role.STATE_ADMIN, 'PNG');
    brn = await signedInUser(app, Role.STATE_ADMIN, EXAMPLE_RECIPIENT_STATE);
    paths = (await http().get('/docs-json').expect(200)).body.paths;
  });
  afterAll(() => app.close());

  it.each([
    ['/api/v1/contacts', { kind: 'TECHNICAL', stateCode: 'PNG' }],
    ['/api/v1/certs', { type: 'NATIONAL', stateCode: 'PNG' }],
    ['/api/v1/disclosures', { kind: 'LAW_OR_POLICY', status: 'DRAFT' }],
    ['/api/v1/capacity/offers', { status: 'DRAFT' }],
  ])('POST %s', async (path, expected) => {
    const created = await http().post(path).set(png.auth).send(exampleOf('post', path));
    expect([created.status, created.body.title ?? created.body.name]).toEqual([201, expect.any(String)]);
    expect(created.body).toMatchObject(expected);
  });

  it('POST /api/v1/requests', async () => {
    const filed = await http().post('/api/v1/requests').set(png.auth).set('Idempotency-Key', 'openapi-example-request').send(exampleOf('post', '/api/v1/requests'));
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ type: 'ASSISTANCE', requesterState: 'PNG' });
  });

  it('POST /api/v1/capacity/needs, then another State proposes help with the proposal example', async () => {
    const need = await http().post('/api/v1/capacity/needs').set(png.auth).send(exampleOf('post', '/api/v1/capacity/needs'));
    expect([need.status, need.body.status]).toEqual([201, 'DRAFT']);
    await http().post(`/api/v1/capacity/needs/${need.body.id}/open`).set(png.auth).expect(200);
    const proposal = await http().post(`/api/v1/capacity/needs/${need.body.id}/proposals`).set(brn.auth).send(exampleOf('post', '/api/v1/capacity/needs/{id}/proposals'));
    expect([proposal.status, proposal.body.status]).toEqual([201, 'PENDING']);
  });
});
