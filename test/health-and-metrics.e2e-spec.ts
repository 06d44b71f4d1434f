import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestApp, withTestApp } from './support/test-app';

describe('Health probes and metrics', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp());
  });
  afterAll(() => app.close());

  it('answers liveness without the database and readiness with it, outside /api/v1', async () => {
    const live = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(live.body.status).toBe('ok');
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    await request(app.getHttpServer()).get('/api/v1/health/ready').expect(404);
  });

  it('exposes request counts and latency by route pattern, and the pool usage', async () => {
    await request(app.getHttpServer()).get('/api/v1/states/PAK').expect(200);
    await request(app.getHttpServer()).get('/api/v1/states/FRA').expect(200);
    await request(app.getHttpServer()).get('/api/v1/states/XYZ').expect(404);

    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('http_requests_total{method="GET",route="/api/v1/states/:code",status="200"} 2');
    expect(response.text).toContain('http_requests_total{method="GET",route="/api/v1/states/:code",status="404"} 1');
    expect(response.text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/v1\/states\/:code",status="200"\}/);
    expect(response.text).toMatch(/^db_pool_connections_total \d+$/m);
    expect(response.text).toMatch(/^db_pool_connections_max 10$/m);
    expect(response.text).toMatch(/^db_pool_requests_waiting 0$/m);
    // Raw URLs never become label values.
    expect(response.text).not.toContain('/api/v1/states/PAK');
  });

  it('can turn the metrics endpoint off', async () => {
    await withTestApp({ METRICS_ENABLED: 'false' }, (quiet) => request(quiet.getHttpServer()).get('/metrics').expect(404));
  });
});
