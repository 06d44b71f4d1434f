import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { LogLevel, requestContextMiddleware } from '@cbm/common';
import { createHttpLogger } from './http-logger';

/**
 * A destination that keeps each line as pino writes it, synchronously within the log call (a line
 * logged is there when the call returns), and announces it on `announce` as 'line'.
 */
function lineCollector(lines: string[], announce = new EventEmitter()): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        announce.emit('line', line);
      }
      callback();
    },
  });
}

describe('HTTP access log', () => {
  let server: Server;
  const lines: string[] = [];
  const written = new EventEmitter();
  /** The next line written that `matches`, whenever the access log writes it. */
  const nextLine = (matches: (line: string) => boolean) =>
    new Promise<string>((resolve) => {
      const listener = (line: string) => {
        if (!matches(line)) return;
        written.off('line', listener);
        resolve(line);
      };
      written.on('line', listener);
    });

  beforeAll(async () => {
    const logger = createHttpLogger({ LOG_LEVEL: LogLevel.Info, LOG_PRETTY: false }, lineCollector(lines, written));
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
    // The line is written when the server has finished the response, which may come after the client has it.
    const logged = nextLine((line) => line.includes('"request completed"'));
    const headers = await get({ Authorization: 'Bearer eyJhbGciOi.secret.token', 'X-API-Key': 'cbm_supersecret', Cookie: 'sid=abc' });
    const line = await logged;
    const log = lines.join('\n');
    expect(log).not.toContain('eyJhbGciOi');
    expect(log).not.toContain('cbm_supersecret');
    expect(log).not.toContain('sid=abc');
    expect(log).toContain('[redacted]');
    const entry = JSON.parse(line) as { req: { id: string; method: string; url: string }; res: { statusCode: number }; msg: string };
    expect(entry.req.id).toBe(headers['x-request-id']);
    expect(entry).toMatchObject({ req: { method: 'GET', url: '/api/v1/auth/me' }, res: { statusCode: 200 }, msg: 'request completed' });
  });

  it('keeps a plain request id the caller sent, and replaces one that is not', async () => {
    expect((await get({ 'X-Request-Id': 'cert-sync.42' }))['x-request-id']).toBe('cert-sync.42');
    expect((await get({ 'X-Request-Id': '<script>' }))['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes nothing below its level, and serialises no request for it', async () => {
    const quiet: string[] = [];
    const logger = createHttpLogger({ LOG_LEVEL: LogLevel.Warn, LOG_PRETTY: false }, lineCollector(quiet));
    // Only the serialiser reads the method: a line prepared and dropped would read it.
    const serialised = jest.fn();
    const request = Object.defineProperty(Object.assign(new EventEmitter(), { headers: {}, url: '/api/v1/contacts' }), 'method', {
      get: () => {
        serialised();
        return 'GET';
      },
    });
    const response = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: true, setHeader: jest.fn() });
    logger(request as never, response as never);
    // The access log handles 'finish' within emit(), and a line it wrote would be collected by then.
    response.emit('finish');
    expect(quiet).toEqual([]);
    expect(serialised).not.toHaveBeenCalled();
  });

  it('marks what the application logs while serving a request with its id (the root logger, as Nest logs through it)', async () => {
    const written: string[] = [];
    const logger = createHttpLogger({ LOG_LEVEL: LogLevel.Info, LOG_PRETTY: false }, lineCollector(written));
    const app = createServer((request, response) => {
      logger(request, response);
      requestContextMiddleware(request as never, response as never, () => {
        setImmediate(() => {
          logger.logger.warn('while serving');
          response.end('ok');
        });
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = app.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/contacts`, { headers: { 'X-Request-Id': 'trace-7' } });
      await response.text();
      logger.logger.warn('outside any request');
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
    const lines = written.map((line) => JSON.parse(line) as { msg: string; reqId?: string });
    expect(lines.find((line) => line.msg === 'while serving')?.reqId).toBe('trace-7');
    expect(lines.find((line) => line.msg === 'outside any request')).not.toHaveProperty('reqId');
  });
});
