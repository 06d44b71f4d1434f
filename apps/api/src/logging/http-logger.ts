import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pino, Logger, stdSerializers } from 'pino';
import { currentRequestContext, Environment } from '@cbm/common';

export const HTTP_LOGGER = Symbol('HTTP_LOGGER');
export const REQUEST_ID_HEADER = 'X-Request-Id';
/** A caller's own request id is kept (for tracing across systems) only if it is short and plain. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Probes and scrapes are not access-logged. */
const NOT_LOGGED = new Set(['/health/live', '/metrics']);

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

/** The access-log middleware, with the root logger the rest of the application logs through. */
export interface HttpLogger {
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  logger: Logger;
}

/**
 * The HTTP access log and request id, mounted as the very first middleware so that requests failing
 * before any route (malformed JSON, oversized bodies, unknown paths) are logged and carry an id too.
 *
 * Written for the hot path instead of pino-http, which made a child logger bound to the serialised,
 * redacted request on every request, whether anything was then logged or not: a quarter of the
 * CPU of a filing under the benchmark at LOG_LEVEL=warn. Here the request is serialised only for a
 * line that is written, and lines logged while serving a request carry its id (`reqId`) through a
 * mixin reading the request context, not a per-request child logger.
 */
export function createHttpLogger(environment: Pick<Environment, 'LOG_LEVEL' | 'LOG_PRETTY'>, destination?: NodeJS.WritableStream): HttpLogger {
  const logger = pino(
    {
      level: environment.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { req: stdSerializers.req, res: stdSerializers.res, err: stdSerializers.err },
      mixin: () => {
        const { requestId } = currentRequestContext();
        return requestId ? { reqId: requestId } : {};
      },
      transport: environment.LOG_PRETTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    },
    destination as never,
  );

  const middleware = ((request: IncomingMessage & { id?: string }, response: ServerResponse, next?: (error?: unknown) => void) => {
    const offered = request.headers['x-request-id'];
    const id = typeof offered === 'string' && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
    request.id = id;
    response.setHeader(REQUEST_ID_HEADER, id);
    if (!NOT_LOGGED.has(request.url ?? '')) logWhenDone(logger, request, response, performance.now());
    next?.();
  }) as HttpLogger;
  middleware.logger = logger;
  return middleware;
}

function logWhenDone(logger: Logger, request: IncomingMessage, response: ServerResponse, startedAt: number): void {
  const done = () => {
    response.off('finish', done);
    response.off('close', done);
    const aborted = !response.writableFinished;
    // A client that hung up is not a server fault: warn, like a 4xx.
    const level = response.statusCode >= 500 ? 'error' : aborted || response.statusCode >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const responseTime = Math.round(performance.now() - startedAt);
    logger[level]({ req: request, res: response, responseTime }, aborted ? 'request aborted' : 'request completed');
  };
  response.on('finish', done);
  response.on('close', done);
}
