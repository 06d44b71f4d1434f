import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpLogger, pinoHttp } from 'pino-http';
import { Environment } from '@cbm/common';

export const HTTP_LOGGER = Symbol('HTTP_LOGGER');
export const REQUEST_ID_HEADER = 'X-Request-Id';
/** A caller's own request id is kept (for tracing across systems) only if it is short and plain. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Never written to a log, whatever a future log line includes. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.passwordHash',
];

/**
 * The HTTP access log and request id, mounted as the very first middleware so that requests failing
 * before any route (malformed JSON, oversized bodies, unknown paths) are logged and carry an id too.
 */
export function createHttpLogger(
  environment: Pick<Environment, 'LOG_LEVEL' | 'LOG_PRETTY'>,
  destination?: NodeJS.WritableStream,
): HttpLogger {
  return pinoHttp<IncomingMessage, ServerResponse, never>(
    {
      level: environment.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      transport: environment.LOG_PRETTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
      genReqId: (request: IncomingMessage, response: ServerResponse) => {
        const offered = request.headers['x-request-id'];
        const id = typeof offered === 'string' && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
        response.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (request) => request.url === '/health/live' || request.url === '/metrics' },
    },
    destination as never,
  );
}
