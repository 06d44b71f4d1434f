import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestApp, withTestApp } from './support/test-app';

describe('OpenAPI document and Swagger UI', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp());
  });
  afterAll(() => app.close());

  it('serves Swagger UI at /docs', async () => {
    const response = await request(app.getHttpServer()).get('/docs').redirects(1).expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it('serves the document at /docs-json with bearer auth declared and public routes marked', async () => {
    const response = await request(app.getHttpServer()).get('/docs-json').expect(200);
    const document = response.body;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    expect(document.paths['/api/v1/states'].get.security).toEqual([]);
    expect(document.paths['/api/v1/states'].get.description).toMatch(/^\*\*Access:\*\* public/);
    const createUser = document.paths['/api/v1/users'].post;
    expect(createUser.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(createUser['x-cbm-permission']).toBe('user:write');
    expect(createUser.description).toContain('requires `user:write`');
    expect(createUser.responses['403'].description).toBe('Requires the permission `user:write`');
    expect(document.paths['/api/v1/states/{code}'].get.responses['404'].content).toHaveProperty(['application/problem+json']);
    // Probes and metrics are for operators, not API clients.
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/api/v1/'))).toEqual([]);
  });

  it('can be turned off', async () => {
    await withTestApp({ SWAGGER_ENABLED: 'false' }, (withoutDocs) => request(withoutDocs.getHttpServer()).get('/docs-json').expect(404));
  });
});
