import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { LogLevel } from '@cbm/common';
import { createHttpLogger } from './http-logger';

describe('HTTP access log', () => {
  let server: Server;
  const lines: string[] = [];

  beforeAll(async () => {
    const destination = new PassThrough();
    destination.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const logger = createHttpLogger({ LOG_LEVEL: LogLevel.Info, LOG_PRETTY: false }, destination);
    server = createServer((request, response) => {
      logger(request, response);
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(headers: Record<string, string>): Promise<Record<string, string | string[] | undefined>> {
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      httpRequest({ port, host: '127.0.0.1', path: '/api/v1/auth/me', headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.headers));
      })
        .on('error', reject)
        .end();
    });
  }

  it('never writes credentials, and logs the request id it returns', async () => {
    const headers = await get({ Authorization: 'Bearer eyJhbGciOi.secret.token', 'X-API-Key': 'cbm_supersecret', Cookie: 'sid=abc' });
    await new Promise((resolve) => setImmediate(resolve));
    const log = lines.join('\n');
    expect(log).not.toContain('eyJhbGciOi');
    expect(log).not.toContain('cbm_supersecret');
    expect(log).not.toContain('sid=abc');
    expect(log).toContain('[redacted]');
    const entry = JSON.parse(lines[lines.length - 1]) as { req: { id: string } };
    expect(entry.req.id).toBe(headers['x-request-id']);
  });
});
