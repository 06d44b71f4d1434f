import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestApp, withTestApp } from './support/test-app';
import { OPENAPI_TAGS } from '../apps/api/src/configure-app';

describe('OpenAPI document and Swagger UI', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp());
  });
  afterAll(() => app.close());

  it('serves Swagger UI at /docs through swagger-ui-express, with scripts from this origin only', async () => {
    const redirect = await request(app.getHttpServer()).get('/docs').expect(301);
    expect(redirect.headers.location).toBe('/docs/');
    const response = await request(app.getHttpServer()).get('/docs/').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('<div id="swagger-ui"></div>');
    expect(response.text).toContain('<title>CBM Registry API</title>');
    // No inline script: every <script> names a file of this origin.
    const scripts = [...response.text.matchAll(/<script([^>]*)>/g)].map((match) => match[1].trim());
    expect(scripts).toEqual(['src="./swagger-ui-bundle.js"', 'src="./swagger-ui-standalone-preset.js"', 'src="./swagger-ui-init.js"']);
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("script-src-attr 'none'");

    const init = await request(app.getHttpServer()).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.headers['content-type']).toMatch(/application\/javascript/);
    expect(init.text).toContain('"swaggerUrl": "/docs-json"');
    expect(init.text).toContain('"persistAuthorization": true');
    expect(init.text).toMatch(/"requestInterceptor": function requestInterceptor\(request\)/);
    expect(init.text).toMatch(/"responseInterceptor": function responseInterceptor\(response\)/);
    await request(app.getHttpServer()).get('/docs/swagger-ui-bundle.js').expect(200).expect('Content-Type', /javascript/);
    // swagger-ui-express hides the version of its assets.
    await request(app.getHttpServer()).get('/docs/package.json').expect(404);
  });

  it('groups operations in the order an administrator works, every tag declared', async () => {
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    const declared = document.tags.map((tag: { name: string }) => tag.name);
    expect(declared).toEqual(OPENAPI_TAGS.map((tag) => tag.name));
    expect(declared.slice(0, 6)).toEqual(['Directory: contacts', 'Directory: CERTs', 'Directory: export', 'Directory: import', 'Requests', 'Disclosures']);
    expect(declared.at(-1)).toBe('Authentication');
    const used = new Set<string>();
    for (const pathItem of Object.values(document.paths) as Array<Record<string, { tags?: string[] }>>) {
      for (const operation of Object.values(pathItem)) for (const tag of operation.tags ?? []) used.add(tag);
    }
    expect([...used].sort()).toEqual([...declared].sort());
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
