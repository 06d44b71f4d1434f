import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestApp } from './support/test-app';

const PROBLEM_JSON = /^application\/problem\+json/;

describe('HTTP basics and problem+json errors', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp({ BODY_LIMIT_BYTES: '2048' }));
  });
  afterAll(() => app.close());

  it('answers an unknown route with 404 ROUTE_NOT_FOUND, carrying the request id', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/no-such-thing').expect(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: 'https://cbm-registry.example/problems/route-not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No route matches GET /api/v1/no-such-thing.',
      code: 'ROUTE_NOT_FOUND',
      instance: '/api/v1/no-such-thing',
      requestId: response.headers['x-request-id'],
    });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON, not a parser message or a 500', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/states')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({ code: 'MALFORMED_JSON', detail: 'The request body is not valid JSON.' });
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  it('answers a body of another media type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/states')
      .set('Content-Type', 'text/plain')
      .send('code=PAK')
      .expect(415);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body over BODY_LIMIT_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/states')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(4096) }))
      .expect(413);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
  });

  it('answers a method a route does not have with a 404 problem, never a 500', async () => {
    const response = await request(app.getHttpServer()).delete('/api/v1/states/PAK').expect(404);
    expect(response.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('keeps a plain caller-supplied request id and replaces an unsafe one', async () => {
    const kept = await request(app.getHttpServer()).get('/api/v1/states/PAK').set('X-Request-Id', 'cert-sync.42').expect(200);
    expect(kept.headers['x-request-id']).toBe('cert-sync.42');

    const replaced = await request(app.getHttpServer())
      .get('/api/v1/states/PAK')
      .set('X-Request-Id', '<script>alert(1)</script>')
      .expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and no framework banner', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/states/PAK').expect(200);
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('has CORS off by default', async () => {
    const response = await request(app.getHttpServer())
      .options('/api/v1/states')
      .set('Origin', 'https://elsewhere.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('ROUTE_NOT_FOUND');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS when configured', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp({ CORS_ORIGINS: 'https://portal.example, https://cert.example' }));
  });
  afterAll(() => app.close());

  it('allows the listed origins only', async () => {
    const allowed = await request(app.getHttpServer()).get('/api/v1/states/PAK').set('Origin', 'https://cert.example').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://cert.example');
    expect(allowed.headers['access-control-expose-headers']).toContain('X-Request-Id');

    const refused = await request(app.getHttpServer()).get('/api/v1/states/PAK').set('Origin', 'https://evil.example').expect(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});
